import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCueSettings, parseSRT, writeSRT, type Cue } from '../../../src/domain/subtitles/index.ts';

// The SubRip reader's tolerance (numbers, separators, milliseconds, blank lines) and the writer.

const codes = (text: string) => parseSRT(text).problems.map((p) => `${p.line}:${p.column} ${p.code}`);
const timesAndTexts = (text: string) => parseSRT(text).cues.map((cue) => [cue.startTime, cue.endTime, cue.text]);

test('a plain SubRip file reads without problems, keeping tags and leading spaces', () => {
  const text =
    '\uFEFF1\n00:00:01,000 --> 00:00:04,000\n<i>Hello</i>   \n  <b>world</b>\t\n\n 2 \n00:00:05,000-->00:00:06,500\n<u>السلام عليكم</u>\n';
  const result = parseSRT(text);
  assert.deepEqual(result.problems, []);
  assert.equal(result.format, 'srt');
  assert.deepEqual(result.cues, [
    { id: '1', startTime: 1, endTime: 4, text: '<i>Hello</i>\n  <b>world</b>', settings: defaultCueSettings() },
    { id: '2', startTime: 5, endTime: 6.5, text: '<u>السلام عليكم</u>', settings: defaultCueSettings() },
  ]);
});

test('a SubRip file without a cue is the error no_cues at its last line', () => {
  const noCues = (text: string) => parseSRT(text).problems.map((p) => `${p.line}:${p.column} ${p.code}`);
  assert.deepEqual(noCues(''), ['1:1 no_cues']);
  assert.deepEqual(noCues('\uFEFF'), ['1:1 no_cues']);
  assert.deepEqual(noCues('\n \n\t\n'), ['3:1 no_cues']);
  assert.match(parseSRT('\r\n').problems[0]!.message, /no cues.*00:00:01,000 --> 00:00:04,000/);
  assert.deepEqual(parseSRT('').cues, []);
  // Blocks that could not be read already say why: no second error.
  assert.deepEqual(noCues('1\nHello\n'), ['1:1 missing_timing']);
});

test('timestamps: any number of hour digits; "." and short milliseconds are read with a warning', () => {
  const start = (timestamp: string) => {
    const result = parseSRT(`1\n${timestamp} --> 999:00:00,000\nx`);
    return [result.cues[0]?.startTime ?? null, ...result.problems.map((p) => `${p.column} ${p.code}`)];
  };
  assert.deepEqual(start('00:00:01,000'), [1]);
  assert.deepEqual(start('1:02:03,004'), [3723.004]);
  assert.deepEqual(start('100:00:00,000'), [360000]);
  assert.deepEqual(start('00:00:01.250'), [1.25, '9 nonstandard_timestamp']);
  assert.deepEqual(start('00:00:01,5'), [1.5, '10 nonstandard_timestamp']);
  assert.deepEqual(start('00:00:01,05'), [1.05, '10 nonstandard_timestamp']);
  assert.deepEqual(start('00:00:01.5'), [1.5, '9 nonstandard_timestamp', '10 nonstandard_timestamp']);
  assert.deepEqual(start('00:00:01,0000'), [null, '10 bad_timestamp']);
  assert.deepEqual(start('00:00:01'), [null, '9 bad_timestamp']);
  assert.deepEqual(start('00:00:01,'), [null, '10 bad_timestamp']);
  assert.deepEqual(start('00:01,000'), [null, '6 bad_timestamp']);
  assert.deepEqual(start('00:0:01,000'), [null, '4 bad_timestamp']);
  assert.deepEqual(start('00:60:00,000'), [null, '4 bad_timestamp']);
  assert.deepEqual(start('00:00:60,000'), [null, '7 bad_timestamp']);
  assert.deepEqual(start('x0:00:00,000'), [null, '1 bad_timestamp']);
  assert.deepEqual(start('00:00:01,000 x'), [null, '14 missing_arrow']);
  assert.match(parseSRT('1\n00:00:01,5 --> 00:00:02,000\nx').problems[0]!.message, /",5" is read as ",500"/);
});

test('cue numbers may be missing or wrong: the cue is kept with a warning', () => {
  assert.deepEqual(codes('00:00:01,000 --> 00:00:02,000\na\n\n2\n00:00:03,000 --> 00:00:04,000\nb'), ['1:1 bad_index']);
  assert.deepEqual(
    codes(
      '1\n00:00:01,000 --> 00:00:02,000\na\n\n5\n00:00:03,000 --> 00:00:04,000\nb\n\n6\n00:00:05,000 --> 00:00:06,000\nc',
    ),
    ['5:1 bad_index'],
  );
  assert.deepEqual(codes('  one\n00:00:01,000 --> 00:00:02,000\na'), ['1:3 bad_index']);
  assert.deepEqual(
    parseSRT('  one\n00:00:01,000 --> 00:00:02,000\na').cues.map((cue) => cue.id),
    ['one'],
  );
});

test('a blank or whitespace-only line ends a cue; a timing line without one starts the next cue', () => {
  assert.deepEqual(
    timesAndTexts('1\n00:00:01,000 --> 00:00:02,000\na\n  \t\nb\n\n2\n00:00:03,000 --> 00:00:04,000\nc'),
    [
      [1, 2, 'a'],
      [3, 4, 'c'],
    ],
  );
  assert.deepEqual(codes('1\n00:00:01,000 --> 00:00:02,000\na\n  \t\nb\n\n2\n00:00:03,000 --> 00:00:04,000\nc'), [
    '5:1 missing_timing',
  ]);
  const joined =
    '1\r00:00:01,000 --> 00:00:02,000\ra\r2\r00:00:03,000 --> 00:00:04,000\rb\r00:00:05,000 --> 00:00:06,000\rc -> d --> e';
  assert.deepEqual(timesAndTexts(joined), [
    [1, 2, 'a'],
    [3, 4, 'b'],
    [5, 6, 'c -> d --> e'],
  ]);
  assert.deepEqual(codes(joined), ['4:1 missing_blank_line', '7:1 missing_blank_line', '7:1 bad_index']);
  assert.deepEqual(timesAndTexts('stray\n2\n00:00:03,000 --> 00:00:04,000\nb'), [[3, 4, 'b']]);
  assert.deepEqual(codes('stray\n2\n00:00:03,000 --> 00:00:04,000\nb'), [
    '1:1 missing_timing',
    '2:1 missing_blank_line',
    '2:1 bad_index',
  ]);
});

test('unreadable timing lines drop their cue, and reading goes on', () => {
  const text =
    '1\n00:00:01,000 -> 00:00:02,000\nlost\n\n2\n00:00:03,000 --> 00:00:0x,000\nlost too\n\n3\n00:00:05,000 --> 00:00:06,000\nkept';
  assert.deepEqual(timesAndTexts(text), [[5, 6, 'kept']]);
  assert.deepEqual(codes(text), ['2:14 missing_arrow', '6:24 bad_timestamp']);
});

const cue = (startTime: number, endTime: number, text: string, id = ''): Cue => ({
  id,
  startTime,
  endTime,
  text,
  settings: defaultCueSettings(),
});

test('writeSRT numbers cues from 1 and writes hh:mm:ss,mmm', () => {
  const written = writeSRT([
    cue(1, 2.5, 'Hello\nworld', 'intro'),
    cue(3600.0004, 360000.001, 'a\n\n \nb\r\nc'),
    cue(-3, Number.POSITIVE_INFINITY, ''),
  ]);
  assert.equal(
    written,
    [
      '1',
      '00:00:01,000 --> 00:00:02,500',
      'Hello',
      'world',
      '',
      '2',
      '01:00:00,000 --> 100:00:00,001',
      'a',
      'b',
      'c',
      '',
      '3',
      '00:00:00,000 --> 00:00:00,000',
      '',
    ].join('\n'),
  );
  assert.equal(writeSRT([cue(0, 1, 'x')], { newline: '\r\n' }), '1\r\n00:00:00,000 --> 00:00:01,000\r\nx\r\n');
  assert.equal(writeSRT([]), '');
});
