import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  WRITABLE_SUBTITLE_FORMATS,
  decodeSubtitleBytes,
  parseASS,
  parseSBV,
  parseSRT,
  parseSubtitles,
  parseTTML,
  parseWebVTT,
  writeSBV,
  writeSRT,
  writeSubtitles,
  writeTTML,
  writeWebVTT,
  type Cue,
  type ParseResult,
  type SubtitleProblem,
} from '../../../src/domain/subtitles/index.ts';
import { plainCueText } from '../../../src/domain/subtitles/sbv.ts';

// Property test: valid files mangled at random (lines deleted, duplicated and swapped, random text
// and bytes inserted, truncation anywhere) never make a reader throw; every result is well formed,
// and writing what was read and reading it again keeps the cues. Seeded, so failures repeat.

const ITERATIONS = 500;
const FIXTURES = new URL('../../fixtures/subtitles/', import.meta.url);
const SOURCES = [
  'valid-vtt.vtt',
  'multilingual.vtt',
  'settings.vtt',
  'order.vtt',
  'valid-srt.srt',
  'broken.srt',
  'utf16le.srt',
].map((name) => readFileSync(new URL(name, FIXTURES)));
const TOKENS = [
  '-->',
  '-',
  '>',
  ':',
  '.',
  ',',
  '%',
  '0',
  '5',
  '9',
  '59',
  '60',
  '00:',
  '.000',
  ',000',
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  ' ',
  '\t',
  'WEBVTT',
  'NOTE',
  'STYLE',
  'REGION',
  'id:',
  'align:',
  'line:',
  'position:',
  'size:',
  'region:',
  'vertical:',
  ',end',
  '\0',
  '\uFEFF',
  '\uD800',
  '\uDC00',
  'é',
  'ع',
  '日',
  '🌊',
  '<i>',
  '&amp;',
  '12',
  '\u00A0',
  '\u2028',
];
const SETTINGS = {
  vertical: ['', 'rl', 'lr'],
  lineAlign: ['start', 'center', 'end'],
  positionAlign: ['line-left', 'center', 'line-right', 'auto'],
  align: ['start', 'center', 'end', 'left', 'right'],
};

/** mulberry32: a small seeded PRNG, so that every run mutates the same way. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutateText(text: string, next: () => number): string {
  const pick = (n: number) => Math.floor(next() * n);
  let lines = text.split('\n');
  for (let round = 1 + pick(4); round > 0; round--) {
    const kind = pick(5);
    const at = pick(lines.length);
    if (kind === 0) lines.splice(at, 1);
    else if (kind === 1) lines.splice(at, 0, lines[at] ?? '');
    else if (kind === 2) {
      const other = pick(lines.length);
      [lines[at], lines[other]] = [lines[other] ?? '', lines[at] ?? ''];
    } else if (kind === 3) {
      const line = lines[at] ?? '';
      const column = pick(line.length + 1);
      const inserted = Array.from({ length: 1 + pick(4) }, () =>
        next() < 0.8 ? TOKENS[pick(TOKENS.length)] : String.fromCharCode(pick(0x10000)),
      );
      lines[at] = line.slice(0, column) + inserted.join('') + line.slice(column);
    } else {
      lines = lines
        .join('\n')
        .slice(0, pick(text.length + 1))
        .split('\n');
    }
  }
  return lines.join('\n');
}

function mutateBytes(bytes: Uint8Array, next: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(next() * n);
  const out = [...bytes];
  for (let round = pick(3); round > 0; round--) {
    if (next() < 0.7) out.splice(pick(out.length + 1), 0, ...Array.from({ length: 1 + pick(3) }, () => pick(256)));
    else out.length = pick(out.length + 1);
  }
  return new Uint8Array(out);
}

function checkProblem(problem: SubtitleProblem, lineCount: number, where: string): void {
  assert.ok(
    Number.isInteger(problem.line) && problem.line >= 1 && problem.line <= lineCount + 1,
    `${where}: line ${problem.line}`,
  );
  assert.ok(Number.isInteger(problem.column) && problem.column >= 1, `${where}: column ${problem.column}`);
  assert.match(problem.code, /^[a-z]+(_[a-z]+)*$/, where);
  assert.ok(problem.severity === 'error' || problem.severity === 'warning', where);
  assert.ok(problem.message.length > 0, where);
}

function checkCue(cue: Cue, where: string): void {
  assert.equal(typeof cue.id, 'string', where);
  assert.equal(typeof cue.text, 'string', where);
  assert.ok(
    Number.isFinite(cue.startTime) && cue.startTime >= 0 && Number.isFinite(cue.endTime) && cue.endTime >= 0,
    where,
  );
  const { settings } = cue;
  for (const [key, allowed] of Object.entries(SETTINGS))
    assert.ok(allowed.includes(settings[key as keyof typeof SETTINGS]), `${where}: ${key}`);
  assert.ok(settings.line === 'auto' || Number.isFinite(settings.line), where);
  assert.ok(settings.position === 'auto' || (settings.position >= 0 && settings.position <= 100), where);
  assert.ok(
    settings.size >= 0 &&
      settings.size <= 100 &&
      typeof settings.snapToLines === 'boolean' &&
      typeof settings.region === 'string',
    where,
  );
}

function checkResult(result: ParseResult, text: string, where: string): void {
  assert.ok(Array.isArray(result.cues) && Array.isArray(result.problems), where);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  result.cues.forEach((cue) => checkCue(cue, where));
  result.problems.forEach((problem) => checkProblem(problem, lineCount, where));
  for (let i = 1; i < result.problems.length; i++) {
    const [a, b] = [result.problems[i - 1]!, result.problems[i]!];
    assert.ok(a.line < b.line || (a.line === b.line && a.column <= b.column), `${where}: problems out of order`);
  }
}

const timingAndText = (cues: readonly Cue[]) => cues.map(({ startTime, endTime, text }) => [startTime, endTime, text]);
const errorCodes = (result: ParseResult) =>
  result.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.code);

function checkText(text: string, where: string): void {
  const vtt = parseWebVTT(text);
  checkResult(vtt, text, `${where} parseWebVTT`);
  const srt = parseSRT(text);
  checkResult(srt, text, `${where} parseSRT`);
  checkResult(parseSubtitles(text), text, `${where} parseSubtitles`);
  for (const cue of vtt.cues)
    assert.ok(cue.text === '' || cue.text.split('\n').every((line) => line !== '' && !line.includes('-->')), where);

  const withIds = (vtt.regions ?? []).filter((region) => region.id !== '');
  const vttAgain = parseWebVTT(writeWebVTT(vtt.cues, { regions: withIds, styles: vtt.styles }));
  assert.deepEqual(vttAgain.cues, vtt.cues, `${where} WebVTT round trip`);
  assert.deepEqual(vttAgain.regions, withIds, `${where} WebVTT regions round trip`);
  assert.deepEqual(vttAgain.styles, vtt.styles, `${where} WebVTT styles round trip`);
  // Written without errors, but for the one error of a file without cues when nothing was kept.
  const onlyNoCues = (cues: readonly Cue[]) => (cues.length ? [] : ['no_cues']);
  assert.deepEqual(errorCodes(vttAgain), onlyNoCues(vtt.cues), `${where} WebVTT written without errors`);
  const srtAgain = parseSRT(writeSRT(srt.cues));
  assert.deepEqual(timingAndText(srtAgain.cues), timingAndText(srt.cues), `${where} SRT round trip`);
  assert.deepEqual(errorCodes(srtAgain), onlyNoCues(srt.cues), `${where} SRT written without errors`);
}

test(`${ITERATIONS} mutated files: every reader returns cues and/or problems, never throws, and round-trips`, () => {
  const next = random(20_251_124);
  let problems = 0;
  let cues = 0;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const source = SOURCES[Math.floor(next() * SOURCES.length)]!;
    const decoded = decodeSubtitleBytes(source);
    assert.ok('text' in decoded);
    const text = mutateText(decoded.text, next);
    checkText(text, `iteration ${iteration}`);

    const bytes = mutateBytes(new TextEncoder().encode(mutateText(decoded.text, next)), next);
    const fromBytes = decodeSubtitleBytes(bytes);
    if ('problem' in fromBytes) {
      checkProblem(fromBytes.problem, bytes.length + 1, `iteration ${iteration} decode`);
      assert.equal(fromBytes.problem.code, 'invalid_encoding');
      problems++;
    } else {
      checkText(fromBytes.text, `iteration ${iteration} bytes`);
      const result = parseSubtitles(fromBytes.text);
      cues += result.cues.length;
      problems += result.problems.length;
    }
  }
  assert.ok(problems > ITERATIONS / 2, 'the mutations should break files');
  assert.ok(cues > ITERATIONS, 'the mutations should leave cues to read');
});

// The other readers: SBV, TTML/DFXP and SSA/ASS, on mutations of their own fixtures and on files
// generated from random cues (right-to-left, CJK, emoji, hostile markup) in every written format.
const OTHER_SOURCES = [
  'valid-sbv.sbv',
  'broken-sbv.sbv',
  'valid-ttml.ttml',
  'frames-dfxp.dfxp',
  'styles-ttml.ttml',
  'valid-ass.ass',
  'valid-ssa.ssa',
  'broken-ass.ass',
].map((name) => readFileSync(new URL(name, FIXTURES), 'utf8'));
const OTHER_TOKENS = [
  '<',
  '>',
  '/',
  '</p>',
  '<p begin="1s" end="2s">',
  '<span tts:fontStyle="italic">',
  '<br/>',
  '&amp;',
  '&',
  '"',
  '=',
  'begin=',
  'dur="1s"',
  '[Events]',
  'Dialogue: ',
  'Format: ',
  '{\\i1}',
  '\\N',
  ',',
  ':',
  '.',
  '0:00:01.000,0:00:02.000',
  '00:00:01:12',
  '5f',
  '10t',
];
const WORDS = [
  'مرحبا',
  '日本語',
  'Привет',
  'नमस्ते',
  '🌊',
  '<script>alert(1)</script>',
  '<i>open',
  '</b>',
  'a & b',
  '-->',
  'x\u2028y',
  '{\\b1}',
];
const READERS = { sbv: parseSBV, ttml: parseTTML, ass: parseASS, vtt: parseWebVTT, srt: parseSRT };

function mutateOther(text: string, next: () => number): string {
  const pick = (n: number) => Math.floor(next() * n);
  let out = text;
  for (let round = 1 + pick(4); round > 0; round--) {
    const at = pick(out.length + 1);
    const kind = pick(3);
    if (kind === 0) out = out.slice(0, at) + OTHER_TOKENS[pick(OTHER_TOKENS.length)] + out.slice(at);
    else if (kind === 1) out = out.slice(0, at) + out.slice(at + 1 + pick(20));
    else out = out.slice(0, at);
  }
  return out;
}

test('300 mutated SBV, TTML and ASS files: every reader returns cues and/or problems and never throws', () => {
  const next = random(11_24);
  for (let iteration = 0; iteration < 300; iteration++) {
    const text = mutateOther(OTHER_SOURCES[Math.floor(next() * OTHER_SOURCES.length)]!, next);
    for (const [format, read] of Object.entries(READERS))
      checkResult(read(text), text, `iteration ${iteration} ${format}`);
    checkResult(parseSubtitles(text), text, `iteration ${iteration} detected`);
  }
});

test('generated tracks in every written format read back with the same timing and text, also after mutation', () => {
  const next = random(2026);
  const pick = (n: number) => Math.floor(next() * n);
  for (let iteration = 0; iteration < 60; iteration++) {
    let time = 0;
    const cues: Cue[] = Array.from({ length: 1 + pick(40) }, () => {
      const startTime = Math.round((time += next() * 3) * 1000) / 1000;
      const endTime = Math.round((time += 0.2 + next() * 4) * 1000) / 1000;
      const words = Array.from({ length: 1 + pick(4) }, () => WORDS[pick(WORDS.length)]!);
      // Cue text as the readers give it: "<" and "&" that are not markup are written as references.
      const text = words
        .join(next() < 0.2 ? '\n' : ' ')
        .replace(/&(?!amp;)/g, '&amp;')
        .replace(/<(?!\/?[ibu]>)/g, '&lt;');
      return {
        id: '',
        startTime,
        endTime,
        text,
        settings: parseWebVTT('WEBVTT\n\n00:00.000 --> 00:01.000\nx').cues[0]!.settings,
      };
    });
    for (const format of WRITABLE_SUBTITLE_FORMATS) {
      const written = writeSubtitles(cues, format, { language: 'ar' });
      const read = READERS[format](written);
      const where = `iteration ${iteration} ${format}`;
      checkResult(read, written, where);
      assert.deepEqual(errorCodes(read), [], where);
      assert.deepEqual(
        read.cues.map((c) => [c.startTime, c.endTime]),
        cues.map((c) => [c.startTime, c.endTime]),
        where,
      );
      const words = (list: readonly Cue[]) =>
        list.map((c) =>
          plainCueText(c.text)
            .replace(/<[^>]*>/g, '')
            .replace(/\s+/g, ' ')
            .trim(),
        );
      assert.deepEqual(
        words(read.cues),
        words(cues).map((w) =>
          w
            .replace(/<[^>]*>/g, '')
            .replace(/\s+/g, ' ')
            .trim(),
        ),
        where,
      );
      const mutated = mutateOther(written, next);
      checkResult(READERS[format](mutated), mutated, `${where} mutated`);
    }
  }
  void writeSBV;
  void writeTTML;
});
