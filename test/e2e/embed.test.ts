import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { startWorker } from '../../src/jobs/worker.ts';
import { seedDemo } from '../../src/services/demo.ts';
import { seedDemoMedia } from '../../src/services/demo-media.ts';
import { axe, launchBrowser, screenshot, startBrowserSite, type BrowserSite } from '../helpers/browser.ts';
import { testEngines } from '../helpers/database.ts';

// The embed page as another website shows it: a page on another origin (a second server on loopback,
// reached as "localhost" while the site is "127.0.0.1", so another site too) frames /embed/SLUG, and
// the video and its Arabic track load in Chromium's own player.
const SLUG = 'tide-lines-coastal-villages';
const EMBED = `/embed/${SLUG}`;

/** The cues of one language's track, as Chromium's own WebVTT parser read them (the track is switched on if it was off). */
async function cuesOf(frame: Page | Frame, language: string): Promise<string[]> {
  return frame.evaluate(async (lang) => {
    const video = document.querySelector('video')!;
    const track = Array.from(video.textTracks).find((t) => t.language === lang)!;
    if (track.mode === 'disabled') track.mode = 'hidden';
    const element = Array.from(video.querySelectorAll('track')).find((t) => t.srclang === lang)!;
    if (element.readyState !== 2)
      await new Promise((resolve, reject) => {
        element.onload = resolve;
        element.onerror = reject;
      });
    return Array.from(track.cues ?? []).map((cue) => (cue as VTTCue).text);
  }, language);
}

/** Plays the video muted to `seconds` and pauses there, so the cue of that moment is on screen. */
async function playTo(frame: Page | Frame, seconds: number) {
  return frame.evaluate(async (at) => {
    const video = document.querySelector('video')!;
    video.muted = true;
    await video.play();
    await new Promise((resolve) => setTimeout(resolve, 200));
    video.pause();
    const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
    video.currentTime = at;
    await seeked;
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { readyState: video.readyState, currentSrc: video.currentSrc, currentTime: video.currentTime };
  }, seconds);
}

for (const engine of testEngines())
  describe(`the embed page in Chromium (${engine})`, () => {
    let web: BrowserSite;
    let browser: Browser;
    let host: Server;
    let hostUrl: string;
    before(async () => {
      [web, browser] = await Promise.all([startBrowserSite(engine), launchBrowser()]);
      const { services } = web.site;
      await seedDemo(services.repositories);
      await seedDemoMedia(services);
      const worker = startWorker({ jobs: services.repositories.jobs, handlers: services.video.handlers, pollMs: 50 });
      const deadline = Date.now() + 300_000;
      const story = (await services.repositories.stories.findBySlug(SLUG))!;
      while (Date.now() < deadline && !(await services.video.jobs(story.id)).every((job) => job.state === 'done')) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await worker.stop();
      // Another website: one page framing the embed page, and one framing a story page (which must refuse).
      host = createServer((request, response) => {
        const src = request.url === '/story' ? web.url(`/ar/stories/${SLUG}`) : web.url(`${EMBED}?lang=ar`);
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          `<!DOCTYPE html><html lang="en"><head><title>A blog</title></head><body><h1>A blog post</h1>` +
            `<iframe src="${src}" width="640" height="408" title="A story"></iframe></body></html>`,
        );
      });
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      const address = host.address();
      if (!address || typeof address === 'string') throw new Error('the host page has no TCP address');
      hostUrl = `http://localhost:${address.port}`;
    });
    after(async () => {
      await browser?.close();
      await web?.close();
      await new Promise((resolve) => host?.close(resolve));
    });

    test('another site frames the embed page: the video plays and the Arabic track loads, on by default', async () => {
      const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
      const page = await context.newPage();
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (/Refused to (frame|display)|Content Security Policy|X-Frame-Options/i.test(message.text()))
          blocked.push(message.text());
      });
      await page.goto(`${hostUrl}/`);
      const frame = await (await page.locator('iframe').elementHandle())!.contentFrame();
      assert.ok(frame, 'the iframe has a document');
      await frame.waitForSelector('video');
      assert.equal(new URL(frame.url()).pathname, EMBED);
      assert.equal(await frame.locator('track[default]').getAttribute('srclang'), 'ar');
      const arabic = await cuesOf(frame, 'ar');
      assert.equal(arabic.length, 3);
      assert.match(arabic[0]!, /^الجزء 1 من 3\n/);
      assert.equal(
        await frame.evaluate(
          () => Array.from(document.querySelector('video')!.textTracks).find((t) => t.language === 'ar')!.mode,
        ),
        'showing',
      );
      const played = await playTo(frame, 4.5);
      assert.ok(played.readyState >= 2, `the video loaded (readyState ${played.readyState})`);
      assert.match(played.currentSrc, /\/media\/stories\/\d+\/.+\.(webm|mp4)$/);
      const active = await frame.evaluate(() =>
        Array.from(
          Array.from(document.querySelector('video')!.textTracks).find((t) => t.language === 'ar')!.activeCues ?? [],
        ).map((cue) => (cue as VTTCue).text.split('\n')[0]),
      );
      assert.deepEqual(active, ['الجزء 2 من 3']);
      const link = frame.locator('.embed__title a');
      assert.equal(await link.getAttribute('target'), '_blank');
      assert.equal(await link.getAttribute('rel'), 'noopener');
      assert.equal(
        new URL((await link.evaluate((a) => (a as HTMLAnchorElement).href)) as string).pathname,
        `/ar/stories/${SLUG}`,
      );
      assert.deepEqual(blocked, []);
      await screenshot(page, 'embed-framed-ar', { fullPage: false });
      await context.close();
    });

    test('the same site refuses to be framed on its story page', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // The host page's load event waits for its frame, blocked or not.
      await page.goto(`${hostUrl}/story`);
      const frame = await (await page.locator('iframe').elementHandle())!.contentFrame();
      assert.ok(frame);
      assert.equal(frame.url(), 'chrome-error://chromewebdata/', 'Chromium put its error page in the frame');
      assert.equal(await frame.locator('video').count(), 0, 'the story page did not render inside another site');
      await context.close();
    });

    test('with JavaScript off the embed page still has its video, sources and tracks', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 251 } });
      const page = await context.newPage();
      await page.goto(web.url(`${EMBED}?lang=ja`));
      assert.ok((await page.locator('video source').count()) >= 2);
      assert.equal(await page.locator('video track').count(), 5);
      assert.equal(await page.locator('track[default]').getAttribute('srclang'), 'ja');
      assert.ok(await page.locator('video').isVisible());
      await context.close();
    });

    test('no accessibility violations in English, Arabic and Japanese; screenshots at 640 and 360 px', async () => {
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      for (const language of ['en', 'ar', 'ja']) {
        await page.goto(web.url(`${EMBED}?lang=${language}`));
        assert.deepEqual(await axe(page), [], language);
      }
      await context.close();
      for (const [width, language] of [
        [640, 'ar'],
        [360, 'ar'],
        [360, 'ja'],
      ] as const) {
        const sized = await browser.newContext({ viewport: { width, height: Math.round((width * 9) / 16) + 48 } });
        const page = await sized.newPage();
        await page.goto(web.url(`${EMBED}?lang=${language}`));
        await cuesOf(page, language);
        await playTo(page, 4.5);
        await screenshot(page, `embed-${language}-${width}`, { fullPage: false });
        await sized.close();
      }
    });

    test('the story page’s JSON-LD is read as data: it parses, and the CSP reports nothing', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const reports: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) reports.push(message.text());
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`Content Security Policy: ${event.violatedDirective}`),
        );
      });
      await page.goto(web.url(`/ja/stories/${SLUG}`));
      const video = await page.evaluate(() =>
        JSON.parse(document.querySelector('script[type="application/ld+json"]')!.textContent!),
      );
      assert.equal(video['@type'], 'VideoObject');
      assert.match(video.contentUrl, /^http:\/\/127\.0\.0\.1:\d+\/media\//);
      assert.ok(video.subtitleLanguage.includes('ar'));
      await page.waitForTimeout(200);
      assert.deepEqual(reports, []);
      await context.close();
    });
  });
