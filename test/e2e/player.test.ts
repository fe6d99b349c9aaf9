import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startWorker } from '../../src/jobs/worker.ts';
import { seedDemo } from '../../src/services/demo.ts';
import { seedDemoMedia } from '../../src/services/demo-media.ts';
import { axe, launchBrowser, screenshot, startBrowserSite, type BrowserSite } from '../helpers/browser.ts';

// The demo videos show 1, 2 and 3 for three seconds each; their cues say which part is on screen.
const STORY = '/stories/tide-lines-coastal-villages';

let web: BrowserSite;
let browser: Browser;

/** The cues of one language's track, as Chromium's own WebVTT parser read them. */
async function cuesOf(page: Page, language: string): Promise<string[]> {
  return page.evaluate(async (lang) => {
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

describe('watching a story in Chromium', () => {
  before(async () => {
    [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
    const { services } = web.site;
    await seedDemo(services.repositories);
    await seedDemoMedia(services);
    const worker = startWorker({ jobs: services.repositories.jobs, handlers: services.video.handlers, pollMs: 50 });
    const deadline = Date.now() + 300_000;
    const story = (await services.repositories.stories.findBySlug('tide-lines-coastal-villages'))!;
    while (Date.now() < deadline && !(await services.video.jobs(story.id)).every((job) => job.state === 'done')) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await worker.stop();
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  test('the Arabic and Japanese tracks load in the browser’s own track parser, the page language by default', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(web.url(`/ar${STORY}`));
    assert.equal(await page.locator('video track[default]').getAttribute('srclang'), 'ar');
    const arabic = await cuesOf(page, 'ar');
    assert.equal(arabic.length, 3);
    assert.match(arabic[0]!, /^الجزء 1 من 3\n/);
    const japanese = await cuesOf(page, 'ja');
    assert.equal(japanese.length, 3);
    assert.match(japanese[1]!, /^第2部（全3部）\n/);
    await context.close();
  });

  test('playing to a time shows the cue of what is on screen', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(web.url(`/ja${STORY}`));
    await cuesOf(page, 'ja');
    const active = await page.evaluate(async () => {
      const video = document.querySelector('video')!;
      video.muted = true;
      const track = Array.from(video.textTracks).find((t) => t.language === 'ja')!;
      track.mode = 'showing';
      await video.play();
      await new Promise((resolve) => setTimeout(resolve, 300));
      video.pause();
      const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
      video.currentTime = 4.5;
      await seeked;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return Array.from(track.activeCues ?? []).map((cue) => (cue as VTTCue).text);
    });
    assert.deepEqual(
      active.map((text) => text.split('\n')[0]),
      ['第2部（全3部）'],
    );
    await screenshot(page, 'player-ja-desktop');
    // The transcript highlights the line being spoken (optional script).
    assert.equal(await page.locator('.transcript__line[aria-current="true"] .transcript__time').textContent(), '0:03');
    await context.close();
  });

  test('with JavaScript off, the video, its tracks, the versions and the transcript are all there', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(web.url(`/ar${STORY}`));
    assert.equal(await page.locator('video source').count(), 3);
    assert.equal(await page.locator('video track').count(), 5);
    await page.locator('.story-video__versions summary').click();
    assert.ok(await page.locator('.story-video__versions a[href$="240p-webm.webm"]').isVisible());
    assert.ok(await page.locator('.story-video__versions a[href$="audio-webm.webm"]').isVisible());
    const first = page.locator('.transcript .transcript__time').first();
    assert.match(String(await first.getAttribute('href')), /360p-webm\.webm#t=0$/);
    await screenshot(page, 'player-ar-phone', { fullPage: true });
    await page.goto(web.url(`/ar${STORY}/transcript`));
    assert.equal(await page.locator('.transcript__line').count(), 3);
    await context.close();
  });

  test('the story page with its video and the transcript page have no accessibility violations', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const path of [`/en${STORY}`, `/ar${STORY}`, `/ja${STORY}/transcript`]) {
      await page.goto(web.url(path));
      assert.deepEqual(await axe(page), [], path);
    }
    await context.close();
  });
});
