import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { formatCueTime } from '../../src/domain/subtitles/editing.ts';
import { defaultCueSettings, type Cue } from '../../src/domain/subtitles/index.ts';
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
import { processVideoJobs, SHOT_CLIP, threeShotClip } from '../helpers/clips.ts';

// The editor's timeline in Chromium, on a generated clip whose shot changes are known (cuts at
// 2.0 s and 3.6 s): cues timed with the mouse on the waveform and with the keyboard alone, both
// snapping to the cuts as broadcasters time them (a start on the cut, the cue before ending the
// minimum gap before it); drags past the ends and onto a neighbour (which leave the minimum gap the
// quality check asks for); a video without sound.

const cue = (startTime: number, endTime: number, text: string): Cue => ({
  id: '',
  startTime,
  endTime,
  text,
  settings: defaultCueSettings(),
});

let web: BrowserSite;
let browser: Browser;
let storyId: number;
let silentId: number;
let editorId: number;
const work = mkdtempSync(path.join(tmpdir(), 'storyhub-timeline-'));

const editorUrl = (ui: string, slug: string, track: string) =>
  web.url(`/${ui}/edit/stories/${slug}/subtitles/${track}/edit`);
const field = (page: Page, index: number, edge: 'start' | 'end') =>
  page
    .locator('.subtitle-cue')
    .nth(index)
    .getByLabel(en(edge === 'start' ? 'editor-start-of' : 'editor-end-of', index + 1));
async function times(page: Page, index: number) {
  return [await field(page, index, 'start').inputValue(), await field(page, index, 'end').inputValue()];
}

/** Where a time and a band of the timeline are on the screen. */
async function timelineAt(page: Page) {
  const canvas = page.locator('.subtitle-timeline__canvas');
  const box = (await canvas.boundingBox())!;
  const start = Number(await canvas.getAttribute('data-view-start'));
  const pps = Number(await canvas.getAttribute('data-pixels-per-second'));
  return {
    x: (time: number) => box.x + (time - start) * pps,
    boxes: box.y + 100,
    waveform: box.y + 45,
    pps,
    left: box.x,
    right: box.x + box.width,
  };
}

async function drag(page: Page, from: [number, number], to: [number, number], modifier?: 'Shift') {
  await page.mouse.move(...from);
  await page.mouse.down();
  await page.mouse.move((from[0] + to[0]) / 2, to[1], { steps: 3 });
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.move(...to, { steps: 3 });
  await page.mouse.up();
  if (modifier) await page.keyboard.up(modifier);
}

describe('the subtitle timeline in Chromium', () => {
  before(async () => {
    [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
    const { services } = web.site;
    const { stories } = await createCatalog(services, [
      {
        slug: 'three-shots',
        texts: { en: { title: 'Three shots' }, ar: { title: 'ثلاث لقطات' } },
        status: 'published',
      },
      { slug: 'silent-film', texts: { en: { title: 'Silent film' } }, status: 'published' },
    ]);
    [storyId, silentId] = [stories[0]!.id, stories[1]!.id];
    editorId = (await createUser(services, 'timer', [{ role: 'editor' }])).id;
    await services.video.upload(storyId, createReadStream(threeShotClip(path.join(work, 'shots.mp4'))), 'shots.mp4');
    await services.video.upload(
      silentId,
      createReadStream(threeShotClip(path.join(work, 'silent.mp4'), true)),
      'silent.mp4',
    );
    await processVideoJobs(services, [storyId, silentId]);
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('time cues with the mouse: edges and whole cues snap to the cuts, stop at zero, the end and the gap before neighbours', async () => {
    await web.site.services.subtitles.save({
      storyId,
      language: 'en',
      baseRevision: 0,
      cues: [cue(0.5, 1.5, 'First'), cue(4.5, 5.5, 'Third')],
      userId: editorId,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await signInWithForm(page, web.baseUrl, 'timer');
    await page.goto(editorUrl('en', 'three-shots', 'en'));
    await page.locator('.subtitle-cue').nth(1).waitFor();
    const at = await timelineAt(page);
    const [cut1, cut2] = SHOT_CLIP.cuts;

    // The end of "First" dragged to a little before the first cut lands on it.
    await drag(page, [at.x(1.5) - 2, at.boxes], [at.x(cut1 - 0.05), at.boxes]);
    assert.deepEqual(await times(page, 0), ['0:00.500', '0:02.000']);
    // With Shift held it does not snap: it falls on the frame under the pointer.
    await drag(page, [at.x(2) - 1, at.boxes], [at.x(1.88), at.boxes], 'Shift');
    assert.deepEqual(await times(page, 0), ['0:00.500', '0:01.880']);
    await drag(page, [at.x(1.88) - 2, at.boxes], [at.x(cut1 - 0.04), at.boxes]);
    assert.deepEqual(await times(page, 0), ['0:00.500', '0:02.000']);

    // A new cue dragged over empty time after the first cut (here from right to left): its start
    // goes on the cut, and "First" (which ended on it) now ends the language's minimum gap before it.
    // The limits count 2 frames at 24 fps: 3 frames of this 25 fps video.
    const gap = 0.12;
    const end = 3.28;
    await drag(page, [at.x(end), at.boxes], [at.x(cut1 + 0.1), at.boxes]);
    assert.equal(await page.locator('.subtitle-cue').count(), 3);
    assert.deepEqual(await times(page, 1), [formatCueTime(cut1), formatCueTime(end)]);
    assert.deepEqual(await times(page, 0), ['0:00.500', formatCueTime(cut1 - gap)]);

    // "Third" dragged whole to the left lands on the second cut, keeping its length.
    await drag(page, [at.x(5), at.boxes], [at.x(5 - 0.85), at.boxes]);
    assert.deepEqual(await times(page, 2), ['0:03.600', '0:04.600']);
    // Dragged onto its neighbour it stops the minimum gap after it: the check finds no cue too close.
    await drag(page, [at.x(4), at.boxes], [at.x(2.5), at.boxes]);
    assert.deepEqual(await times(page, 2), [formatCueTime(end + gap), formatCueTime(end + 1 + gap)]);
    const quality = page.locator('.subtitle-editor__quality');
    const tooClose = /Too close to the next cue/;
    assert.doesNotMatch((await quality.textContent()) ?? '', tooClose);
    // Placed freely (Shift held) against the neighbour, it touches it, and the check says so.
    await drag(page, [at.x(end + gap) + 2, at.boxes], [at.x(3.1), at.boxes], 'Shift');
    assert.deepEqual(await times(page, 2), [formatCueTime(end), formatCueTime(end + 1 + gap)]);
    assert.match((await quality.textContent()) ?? '', tooClose);
    const stored = (await web.site.services.video.files(storyId)).find((f) => f.role === 'rendition')!;
    const seconds = Math.round(stored.durationSeconds! * 1000) / 1000;
    // Dragged past the video's end, an edge stops there.
    await drag(page, [at.x(end + 1 + gap) - 2, at.boxes], [at.right + 40, at.boxes]);
    assert.deepEqual(await times(page, 2), [formatCueTime(end), formatCueTime(seconds)]);
    // The start of "First" dragged before zero stops at zero.
    await drag(page, [at.x(0.5) + 2, at.boxes], [at.left - 40, at.boxes]);
    assert.deepEqual(await times(page, 0), ['0:00.000', formatCueTime(cut1 - gap)]);
    assert.match(await page.locator('.subtitle-timeline__rules').innerText(), /stops at their edge/);

    // A start put one frame off a cut (Shift held) is named by the quality check, with the frames.
    await page.mouse.move(at.x(end) + 2, at.boxes);
    await page.mouse.down();
    await page.keyboard.down('Shift');
    await page.mouse.move(at.x(cut2 + 0.3), at.boxes, { steps: 2 });
    await page.mouse.move(at.x(cut2 + 0.04), at.boxes, { steps: 2 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    assert.deepEqual(await times(page, 2), ['0:03.640', formatCueTime(seconds)]);
    await page.locator('.subtitle-editor__quality summary').click();
    await page
      .getByText(
        'An edge is 1 frame from the shot change at frame 90: start on the cut; end on it, 3 frames before it, or further away.',
      )
      .waitFor();
    // "First" ending the gap before the first cut is where broadcasters put it: not named.
    assert.doesNotMatch((await quality.textContent()) ?? '', /at frame 50/);
    assert.doesNotMatch((await quality.textContent()) ?? '', tooClose);

    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'subtitle-timeline-en-desktop');
    await page.keyboard.press('Control+KeyS');
    await page.getByText(en('editor-saved-revision', 2)).waitFor();
    const saved = (await web.site.services.subtitles.editorState(storyId, 'en')).track!;
    assert.deepEqual(
      saved.cues.map((c) => [c.startTime, c.endTime]),
      [
        [0, 1.88],
        [2, 3.28],
        [3.64, seconds],
      ],
    );
    await context.close();
  });

  test('time a cue with the keyboard alone, snapping to the cuts; play it and loop it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await signInWithForm(page, web.baseUrl, 'timer');
    await page.goto(editorUrl('en', 'three-shots', 'fr'));
    await page.locator('.subtitle-timeline__canvas').waitFor();
    await page.keyboard.press('Alt+Enter');
    await page.keyboard.type('Bonjour');
    assert.deepEqual(await times(page, 0), ['0:00.000', '0:02.000']);

    await page.keyboard.press('Alt+KeyT');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Shift+ArrowRight');
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight');
    // At 2.08 s, two frames after the cut: the cue starts on the cut.
    await page.keyboard.press('BracketLeft');
    assert.equal(await field(page, 0, 'start').inputValue(), '0:02.000');
    await page.keyboard.press('Shift+ArrowRight');
    for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowRight');
    // At 3.52 s, two frames before the second cut and one after the minimum gap before it (3
    // frames): the cue ends the gap before the cut, where the next cue could start on it.
    await page.keyboard.press('BracketRight');
    assert.deepEqual(await times(page, 0), ['0:02.000', '0:03.480']);
    // At 3.56 s, one frame before the cut: the cue ends on it.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('BracketRight');
    assert.deepEqual(await times(page, 0), ['0:02.000', '0:03.600']);
    // Nudges move whole frames, without snapping.
    await page.keyboard.press('Period');
    assert.equal(await field(page, 0, 'start').inputValue(), '0:02.040');
    await page.keyboard.press('Comma');
    await page.keyboard.press('Shift+Period');
    assert.deepEqual(await times(page, 0), ['0:02.000', '0:03.640']);
    await page.keyboard.press('Shift+Comma');
    assert.deepEqual(await times(page, 0), ['0:02.000', '0:03.600']);

    // Alt+R plays the cue and stops at its end; Alt+L goes round until pressed again.
    const video = page.locator('.subtitle-editor__video');
    await page.keyboard.press('Alt+KeyR');
    await page.waitForFunction(() => {
      const element = document.querySelector<HTMLVideoElement>('.subtitle-editor__video')!;
      return element.paused && element.currentTime > 3;
    });
    assert.ok(Math.abs((await video.evaluate((v: HTMLVideoElement) => v.currentTime)) - 3.6) < 0.05);
    await page.keyboard.press('Alt+KeyL');
    await page.waitForFunction(
      () => document.querySelector<HTMLVideoElement>('.subtitle-editor__video')!.currentTime > 3.3,
    );
    await page.waitForFunction(() => {
      const element = document.querySelector<HTMLVideoElement>('.subtitle-editor__video')!;
      return !element.paused && element.currentTime < 2.6;
    });
    await page.keyboard.press('Alt+KeyL');
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('.subtitle-editor__video')!.paused);

    const help = (await page.locator('.subtitle-editor__help').textContent()) ?? '';
    for (const key of ['editor-command-start-frame-earlier', 'editor-command-loop', 'editor-command-timeline'])
      assert.ok(help.includes(en(key)), key);
    await page.keyboard.press('Control+KeyS');
    await page.getByText(en('editor-saved-revision', 1)).waitFor();
    const saved = (await web.site.services.subtitles.editorState(storyId, 'fr')).track!;
    assert.deepEqual(
      saved.cues.map((c) => [c.startTime, c.endTime, c.text]),
      [[2, 3.6, 'Bonjour']],
    );
    await context.close();
  });

  test('Arabic cues read right to left in their boxes while time runs left to right; at 360 px too', async () => {
    await web.site.services.subtitles.save({
      storyId,
      language: 'ar',
      baseRevision: 0,
      cues: [cue(0.2, 1.9, 'مرحبا بكم في القرية'), cue(2, 3.6, 'النهر يتكلم')],
      userId: editorId,
    });
    for (const [ui, width] of [
      ['ar', 1280],
      ['ar', 360],
      ['en', 360],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      await signInWithForm(page, web.baseUrl, 'timer');
      await page.goto(editorUrl(ui, 'three-shots', ui === 'ar' ? 'ar' : 'en'));
      await page.locator('.subtitle-cue').first().waitFor();
      assert.equal(await page.locator('.subtitle-timeline__canvas').getAttribute('dir'), 'ltr');
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await axe(page), [], `${ui} at ${width}`);
      await screenshot(page, `subtitle-timeline-${ui}-${width === 360 ? 'phone' : 'desktop'}`, { fullPage: false });
      await context.close();
    }
  });

  test('a video without sound: the timeline says there is no waveform, and still marks the cuts', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInWithForm(page, web.baseUrl, 'timer');
    await page.goto(editorUrl('en', 'silent-film', 'en'));
    await page.getByText(en('editor-timeline-no-audio')).waitFor();
    const timeline = (await web.site.services.video.timeline(silentId))!;
    assert.equal(timeline.shotChanges.length, 2);
    await context.close();
  });
});
