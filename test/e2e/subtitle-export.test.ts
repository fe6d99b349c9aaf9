import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  decodeSubtitleBytes,
  detectFormat,
  parseSubtitles,
  writeWebVTT,
  type Cue,
} from '../../src/domain/subtitles/index.ts';
import { launchBrowser, startBrowserSite, type BrowserSite } from '../helpers/browser.ts';

// Every WebVTT file storyhub writes must be read by Chromium's own WebVTT parser (the one that
// shows subtitles to viewers) with the same cues: each fixture of every format is read, written
// as WebVTT and loaded as a <track>; so is a large generated track with hostile text.

const FIXTURES = new URL('../fixtures/subtitles/', import.meta.url);
let web: BrowserSite;
let browser: Browser;
let page: Page;

/** The cues of a WebVTT text as Chromium's track parser reads them. */
function chromiumCues(vtt: string): Promise<Array<{ startTime: number; endTime: number; text: string }>> {
  return page.evaluate(async (text) => {
    const video = document.createElement('video');
    const track = document.createElement('track');
    track.src = URL.createObjectURL(new Blob([text], { type: 'text/vtt' }));
    track.default = true;
    video.append(track);
    document.body.append(video);
    track.track.mode = 'hidden';
    await new Promise((resolve, reject) => {
      track.onload = resolve;
      track.onerror = () => reject(new Error('Chromium refused the track'));
    });
    const cues = Array.from(track.track.cues ?? []).map((cue) => ({
      startTime: cue.startTime,
      endTime: cue.endTime,
      text: (cue as VTTCue).text,
    }));
    video.remove();
    return cues;
  }, vtt);
}

// Chromium lists cues by start time, as viewers see them; a file may list them otherwise.
const timing = (cues: readonly Pick<Cue, 'startTime' | 'endTime'>[]) =>
  cues.map((cue) => [cue.startTime, cue.endTime]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);

describe('exported WebVTT in Chromium’s track parser', () => {
  before(async () => {
    [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
    page = await (await browser.newContext()).newPage();
    // A blank page: the site's own Content-Security-Policy rightly refuses blob: tracks.
    await page.goto('about:blank');
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  const names = readdirSync(FIXTURES)
    .filter((name) => !name.endsWith('.json'))
    .sort();
  test('every fixture, in every format, exports to WebVTT that Chromium reads with the same cues', async () => {
    assert.ok(names.length >= 11);
    let checked = 0;
    for (const name of names) {
      const decoded = decodeSubtitleBytes(readFileSync(new URL(name, FIXTURES)));
      if (!('text' in decoded)) continue;
      const { cues } = parseSubtitles(decoded.text, detectFormat(decoded.text, name));
      if (cues.length === 0) continue;
      const read = await chromiumCues(writeWebVTT(cues));
      assert.equal(read.length, cues.length, `${name}: cue count`);
      assert.deepEqual(timing(read), timing(cues), `${name}: timings`);
      checked++;
    }
    assert.ok(checked >= 10, `${checked} files checked`);
  });

  test('a 2,000-cue track with right-to-left, CJK and hostile text keeps every cue and runs nothing', async () => {
    const lines = [
      'مرحبا بكم',
      '日本語の字幕',
      '<script>alert(1)</script>',
      'a --> b',
      '<i>open',
      'Tom & Jerry <3',
      '',
    ];
    const cues: Cue[] = Array.from({ length: 2000 }, (_, i) => ({
      id: i % 7 === 0 ? `cue-${i}` : '',
      startTime: i * 1.5,
      endTime: i * 1.5 + 1.25,
      text: `${lines[i % lines.length]} ${i}`.trim(),
      settings: parseSubtitles('WEBVTT\n\n00:00.000 --> 00:01.000\nx').cues[0]!.settings,
    }));
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    const read = await chromiumCues(writeWebVTT(cues));
    assert.equal(read.length, cues.length);
    assert.deepEqual(timing(read), timing(cues));
    assert.equal(read[1]!.text, cues[1]!.text);
    assert.equal(dialogs, 0);
  });
});
