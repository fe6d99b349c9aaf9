import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { createCatalog, createUser } from '../helpers/app.ts';
import {
  axe,
  en,
  launchBrowser,
  screenshot,
  signInWithForm,
  startBrowserSite,
  type BrowserSite,
} from '../helpers/browser.ts';

// The video page's resumable upload in Chromium: a connection dropped half way, a tab closed half
// way and opened again, a pause; each upload completes with the same bytes. While a job runs the
// page reloads itself (with script and without), but never in the middle of an upload. Then the
// refusals the page explains: a file over the limit and a file that is not a video.

const work = mkdtempSync(path.join(tmpdir(), 'storyhub-upload-'));
const clipFile = path.join(work, 'interview.mp4');
execFileSync('ffmpeg', [
  ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '5'],
  ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '8', '-pix_fmt', 'yuv420p', clipFile],
]);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const clipDigest = sha256(readFileSync(clipFile));
// The script sends chunks of a twentieth of the file, at least 256 KiB.
const CHUNK = 256 * 1024;
const LIMIT = 6 * 1024 * 1024;

let web: BrowserSite;
let browser: Browser;
let storyId: number;

/** The PATCH requests the page sends, with their Upload-Offset; `decide` may abort or hold one. */
function watchPatches(
  page: Page,
  decide: (index: number, route: Route) => Promise<void> | void = (_, r) => r.continue(),
) {
  const offsets: number[] = [];
  const heads: number[] = [];
  void page.route('**/uploads/video/*', async (route) => {
    const request = route.request();
    if (request.method() === 'HEAD') heads.push(offsets.length);
    if (request.method() !== 'PATCH') return route.continue();
    offsets.push(Number(request.headers()['upload-offset']));
    return decide(offsets.length - 1, route);
  });
  return { offsets, heads };
}

async function openVideoPage(context: BrowserContext, language = 'en') {
  const page = await context.newPage();
  await page.goto(web.url(`/${language}/edit/stories/filmed/video`));
  return page;
}

async function choose(page: Page, file: string) {
  await page.locator('#video-file').setInputFiles(file);
  await page.locator('form.video-upload button[type=submit]').click();
}

async function storedSourceDigest() {
  // The upload's job is the story's last.
  const job = (await web.site.services.video.jobs(storyId)).at(-1);
  assert.equal(job?.kind, 'process-video', 'the upload became a processing job');
  const { sourceKey } = job!.payload as { sourceKey: string };
  return sha256(readFileSync(path.join(web.site.app.config.mediaDir, sourceKey)));
}

describe('resumable video upload in Chromium', () => {
  before(async () => {
    [web, browser] = await Promise.all([
      startBrowserSite('embedded', { MAX_UPLOAD_BYTES: String(LIMIT), WORKER: 'false' }),
      launchBrowser(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    rmSync(work, { recursive: true, force: true });
  });
  let context: BrowserContext;
  beforeEach(async () => {
    await web.site.reset();
    const { stories } = await createCatalog(web.site.services, [
      { slug: 'filmed', texts: { en: { title: 'A filmed story' }, ar: { title: 'قصة مصوّرة' } } },
    ]);
    storyId = stories[0]!.id;
    await createUser(web.site.services, 'Uploader', [{ role: 'editor' }]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await signInWithForm(page, web.baseUrl, 'Uploader');
    await page.close();
  });

  test('a connection dropped half way: the upload asks where it stopped, goes on, and the site has the same bytes', async () => {
    const page = await openVideoPage(context);
    const patches = watchPatches(page, (index, route) =>
      index === 3 ? route.abort('connectionreset') : route.continue(),
    );
    await Promise.all([page.waitForURL(/\?uploaded=1$/), choose(page, clipFile)]);
    assert.equal(patches.offsets[3], 3 * CHUNK, 'the dropped chunk');
    assert.ok(patches.heads.includes(4), 'the offset was asked again after the drop');
    assert.equal(patches.offsets[4], 3 * CHUNK, 'sending went on from the last byte the site had');
    assert.equal(await storedSourceDigest(), clipDigest);
    assert.match(await page.locator('main').innerText(), /Uploaded\. The video is being processed/);
  });

  test('a tab closed half way: the same file chosen again goes on from where it stopped', async () => {
    const first = await openVideoPage(context);
    let release: () => void = () => {};
    const halfway = new Promise<void>((resolve) => (release = resolve));
    // After four chunks, the connection is gone for good: the tab is closed while the upload waits.
    watchPatches(first, (index, route) => {
      if (index < 4) return route.continue();
      release();
      return route.abort('internetdisconnected');
    });
    await choose(first, clipFile);
    await halfway;
    await first.close();

    const second = await openVideoPage(context);
    const patches = watchPatches(second);
    await Promise.all([second.waitForURL(/\?uploaded=1$/), choose(second, clipFile)]);
    assert.equal(patches.offsets[0], 4 * CHUNK, 'nothing sent twice');
    assert.equal(await storedSourceDigest(), clipDigest);
  });

  test('pause and resume; the page is accessible and readable in English and Arabic, wide and at 360 px', async () => {
    for (const [language, width] of [
      ['en', 1280],
      ['ar', 1280],
      ['en', 360],
      ['ar', 360],
    ] as const) {
      await web.site.reset();
      const { stories } = await createCatalog(web.site.services, [
        { slug: 'filmed', texts: { en: { title: 'A filmed story' }, ar: { title: 'قصة مصوّرة' } } },
      ]);
      storyId = stories[0]!.id;
      await createUser(web.site.services, 'Uploader', [{ role: 'editor' }]);
      const narrow = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
      const signing = await narrow.newPage();
      await signInWithForm(signing, web.baseUrl, 'Uploader', language);
      await signing.close();
      const page = await openVideoPage(narrow, language);
      let held: () => void = () => {};
      const holding = new Promise<void>((resolve) => (held = resolve));
      // The fourth chunk hangs until the pause aborts it.
      watchPatches(page, (index, route) => (index === 3 ? held() : route.continue()));
      await choose(page, clipFile);
      await holding;
      const toggle = page.locator('[data-upload-toggle]');
      await toggle.click();
      const status = page.locator('[data-upload-text]');
      if (language === 'en') {
        await status.filter({ hasText: en('video-upload-paused') }).waitFor();
        assert.equal(await toggle.innerText(), en('video-upload-resume'));
      }
      assert.equal(Number(await page.locator('[data-upload-status] progress').getAttribute('value')) > 0, true);
      assert.deepEqual(await axe(page), []);
      await screenshot(page, `video-upload-paused-${language}-${width}`);
      if (language === 'en' && width === 1280) {
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        await Promise.all([page.waitForURL(/\?uploaded=1$/), toggle.click()]);
        assert.equal(await storedSourceDigest(), clipDigest);
      }
      await narrow.close();
    }
  });

  test('while a job runs the page reloads itself, with script and without, but an upload in flight is never cut off', async () => {
    // A processing job of the story's, running (no worker here: it stays so).
    const { jobs } = web.site.services.repositories;
    await jobs.enqueue('process-video', {}, { storyId });
    assert.equal((await jobs.claim('elsewhere', ['process-video']))?.state, 'running');
    const reloads = (page: Page) => {
      const seen: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) seen.push(frame.url());
      });
      return seen;
    };

    // Without script: the refresh inside <noscript>.
    const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
    const still = await openVideoPage(plain);
    const plainLoads = reloads(still);
    await still.waitForEvent('framenavigated');
    assert.deepEqual(plainLoads, [web.url('/en/edit/stories/filmed/video')]);
    await plain.close();

    const page = await openVideoPage(context);
    const loads = reloads(page);
    // With script and nothing sent, the page reloads itself too.
    await page.waitForEvent('framenavigated');
    assert.equal(loads.length, 1);
    // The second chunk is held for two reload periods and more: the upload, not the page, goes on.
    watchPatches(page, async (index, route) => {
      if (index === 1) await new Promise((resolve) => setTimeout(resolve, 7000));
      await route.continue();
    });
    await Promise.all([page.waitForURL(/\?uploaded=1$/, { timeout: 60_000 }), choose(page, clipFile)]);
    // (The page it then shows reloads itself in turn: the job is still running.)
    assert.ok(
      loads.slice(1).every((url) => url.endsWith('?uploaded=1')),
      `no reload while sending: ${loads.join(', ')}`,
    );
    assert.equal(await storedSourceDigest(), clipDigest);
  });

  test('a file over the limit and a file that is not a video are refused with a message that says so', async () => {
    const big = path.join(work, 'too-big.mp4');
    writeFileSync(big, Buffer.alloc(LIMIT + 1, 1));
    const page = await openVideoPage(context);
    await choose(page, big);
    const status = page.locator('[data-upload-text]');
    await status.filter({ hasText: 'larger than the limit of' }).waitFor();
    assert.equal(await page.locator('[data-upload-toggle]').isVisible(), false, 'nothing to resume');

    const text = path.join(work, 'notes.mp4');
    writeFileSync(text, 'These are notes, not a video.\n'.repeat(2000));
    await page.reload();
    await choose(page, text);
    await status.filter({ hasText: en('video-error-not-a-video') }).waitFor();
    assert.equal(await page.locator('[data-upload-toggle]').isVisible(), false, 'nothing to resume');
    assert.deepEqual(await web.site.services.video.jobs(storyId), [], 'nothing was stored');
    await screenshot(page, 'video-upload-not-a-video-en-1280');
  });
});
