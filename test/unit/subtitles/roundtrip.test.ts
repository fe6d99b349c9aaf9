import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  decodeSubtitleBytes,
  detectFormat,
  parseSRT,
  parseSubtitles,
  parseWebVTT,
  writeSRT,
  writeWebVTT,
  type Cue,
} from '../../../src/domain/subtitles/index.ts';

// Writing what was read and reading it again gives the same cues, in one format and across both.

const FIXTURES = new URL('../../fixtures/subtitles/', import.meta.url);
const fixtureText = (name: string) => {
  const decoded = decodeSubtitleBytes(readFileSync(new URL(name, FIXTURES)));
  assert.ok('text' in decoded);
  return decoded.text;
};
const timingAndText = (cues: readonly Cue[]) =>
  cues.map(({ startTime, endTime, text }) => ({ startTime, endTime, text }));

test('WebVTT: parse, write, parse gives the same cues, regions and styles', () => {
  for (const name of ['valid-vtt.vtt', 'multilingual.vtt', 'settings.vtt', 'bom.vtt']) {
    const first = parseWebVTT(fixtureText(name));
    const written = writeWebVTT(first.cues, { regions: first.regions, styles: first.styles });
    const second = parseWebVTT(written);
    assert.deepEqual(second.cues, first.cues, name);
    assert.deepEqual(second.regions, first.regions, name);
    assert.deepEqual(second.styles, first.styles, name);
    assert.deepEqual(second.problems, [], name);
    assert.equal(writeWebVTT(second.cues, { regions: second.regions, styles: second.styles }), written, name);
  }
});

test('SRT: parse, write, parse gives the same cues', () => {
  for (const name of ['valid-srt.srt', 'utf16le.srt']) {
    const first = parseSRT(fixtureText(name));
    const second = parseSRT(writeSRT(first.cues, { newline: '\r\n' }));
    assert.deepEqual(second.cues, first.cues, name);
    assert.deepEqual(second.problems, [], name);
  }
  const broken = parseSRT(fixtureText('broken.srt'));
  const rewritten = parseSRT(writeSRT(broken.cues));
  assert.deepEqual(timingAndText(rewritten.cues), timingAndText(broken.cues));
  assert.deepEqual(
    rewritten.problems.map((p) => p.code),
    ['empty_cue', 'end_before_start', 'cue_out_of_order'],
  );
});

test('across formats: WebVTT to SRT to WebVTT keeps timing and text, and so does SRT to WebVTT to SRT', () => {
  for (const name of ['valid-vtt.vtt', 'multilingual.vtt']) {
    const cues = parseWebVTT(fixtureText(name)).cues;
    const viaSrt = parseSRT(writeSRT(cues));
    assert.deepEqual(viaSrt.problems, [], name);
    const back = parseWebVTT(writeWebVTT(viaSrt.cues));
    assert.deepEqual(timingAndText(back.cues), timingAndText(cues), name);
    assert.deepEqual(back.problems, [], name);
  }
  for (const name of ['valid-srt.srt', 'utf16le.srt']) {
    const cues = parseSRT(fixtureText(name)).cues;
    const viaVtt = parseWebVTT(writeWebVTT(cues));
    assert.deepEqual(viaVtt.problems, [], name);
    assert.deepEqual(
      viaVtt.cues.map((cue) => cue.id),
      cues.map((cue) => cue.id),
      name,
    );
    const back = parseSRT(writeSRT(viaVtt.cues));
    assert.deepEqual(back.cues, cues, name);
  }
});

test('detectFormat looks at the signature, then the timing lines, then the file name', () => {
  assert.equal(detectFormat('WEBVTT\n\n00:00.000 --> 00:01.000\nx'), 'vtt');
  assert.equal(detectFormat('\uFEFFWEBVTT - title', 'story.srt'), 'vtt');
  assert.equal(detectFormat('1\r\n00:00:01,000 --> 00:00:02,000\r\nx'), 'srt');
  assert.equal(detectFormat('\n\n  1  \n00:00:01,000 --> 00:00:02,000\nx', 'renamed.vtt'), 'srt');
  assert.equal(detectFormat('00:00:01,000 --> 00:00:02,000\nx'), 'srt');
  assert.equal(detectFormat('1\n00:00:01.000 --> 00:00:02.000\nx', 'old.VTT'), 'vtt');
  assert.equal(detectFormat('1\n00:00:01.000 --> 00:00:02.000\nx'), 'srt');
  assert.equal(detectFormat('', 'captions.srt'), 'srt');
  assert.equal(detectFormat('WEBVTTX', 'captions.webvtt'), 'vtt');
  assert.equal(detectFormat('Hello world', 'notes.txt'), null);
  assert.equal(detectFormat('Hello world', 'srt'), null);
  assert.equal(detectFormat(''), null);
});

test('parseSubtitles reads the given or detected format', () => {
  const srt = '1\n00:00:01,000 --> 00:00:02,000\nHi';
  assert.equal(parseSubtitles(srt).format, 'srt');
  assert.equal(parseSubtitles(srt).cues.length, 1);
  assert.equal(parseSubtitles('WEBVTT\n\n00:01.000 --> 00:02.000\nHi').format, 'vtt');
  const forced = parseSubtitles(srt, 'vtt');
  assert.deepEqual([forced.format, forced.cues.length, forced.problems[0]?.code], ['vtt', 0, 'missing_signature']);
  assert.deepEqual(
    parseSubtitles('just text').problems.map((p) => p.code),
    ['missing_signature'],
  );
});
