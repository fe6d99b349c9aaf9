import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultCueSettings,
  parseWebVTT,
  writeWebVTT,
  type Cue,
  type CueSettings,
} from '../../../src/domain/subtitles/index.ts';

// The WebVTT reader against the spec's parsing rules (https://www.w3.org/TR/webvtt1/#parsing),
// one rule at a time, and the writer.

const codes = (text: string) => parseWebVTT(text).problems.map((p) => `${p.line}:${p.column} ${p.code}`);
const texts = (text: string) => parseWebVTT(text).cues.map((cue) => cue.text);

test('the signature is WEBVTT alone or followed by a space or tab', () => {
  for (const ok of ['WEBVTT', 'WEBVTT\n', 'WEBVTT Title', 'WEBVTT\tTitle', '\uFEFFWEBVTT', 'WEBVTT\r\n\r\n']) {
    assert.deepEqual(codes(`${ok}\n\n00:00.000 --> 00:01.000\nHi`), [], JSON.stringify(ok));
  }
  for (const bad of [
    '',
    'WEBVT',
    'WEBVTTX',
    ' WEBVTT',
    'webvtt',
    '\nWEBVTT',
    'WEBVTT-1',
    '1\n00:00:01,000 --> 00:00:02,000\nSRT',
  ]) {
    const result = parseWebVTT(`${bad}\n\n00:00.000 --> 00:01.000\nHi`);
    assert.deepEqual(result.cues, [], JSON.stringify(bad));
    assert.deepEqual(codes(`${bad}\n\n00:00.000 --> 00:01.000\nHi`), ['1:1 missing_signature']);
  }
});

test('header lines are skipped, and a cue right after them is read with a warning', () => {
  assert.deepEqual(texts('WEBVTT\nKind: captions\nLanguage: ar\n\n00:00.000 --> 00:01.000\nمرحبا'), ['مرحبا']);
  const result = parseWebVTT('WEBVTT\n00:00.000 --> 00:01.000\nHi');
  assert.deepEqual(
    result.cues.map((cue) => cue.text),
    ['Hi'],
  );
  assert.deepEqual(codes('WEBVTT\n00:00.000 --> 00:01.000\nHi'), ['2:1 missing_blank_line']);
});

test('CRLF, LF and CR all end lines; NUL becomes U+FFFD', () => {
  const body = ['WEBVTT', '', '00:00.000 --> 00:01.000', 'A', 'B', '', 'id', '00:01.000 --> 00:02.000', 'C'];
  for (const newline of ['\n', '\r\n', '\r']) assert.deepEqual(texts(body.join(newline)), ['A\nB', 'C']);
  assert.deepEqual(texts('WEBVTT\r\n\n00:00.000 --> 00:01.000\rA\r\nB\nC'), ['A\nB\nC']);
  assert.deepEqual(texts('WEBVTT\n\n00:00.000 --> 00:01.000\nA\0B'), ['A\uFFFDB']);
});

test('a cue has an optional id line, which cannot contain "-->"', () => {
  const result = parseWebVTT(
    'WEBVTT\n\ncrédit de transcription\n00:04.000 --> 00:05.000\nTranscrit par Célestes™\n\n00:05.000 --> 00:06.000\nNo id',
  );
  assert.deepEqual(
    result.cues.map((cue) => [cue.id, cue.startTime, cue.endTime]),
    [
      ['crédit de transcription', 4, 5],
      ['', 5, 6],
    ],
  );
  // Two lines before the timing line: the spec drops them and reads the cue that follows.
  const stray = parseWebVTT('WEBVTT\n\nfoo\nbar\n00:00.000 --> 00:01.000\nHi');
  assert.deepEqual(
    stray.cues.map((cue) => [cue.id, cue.text]),
    [['', 'Hi']],
  );
  assert.deepEqual(
    stray.problems.map((p) => `${p.line}:${p.column} ${p.code}`),
    ['3:1 missing_timing', '5:1 missing_blank_line'],
  );
});

test('timestamps follow the spec: hours optional, two-digit minutes and seconds up to 59, three-digit milliseconds', () => {
  const start = (timestamp: string) => {
    const result = parseWebVTT(`WEBVTT\n\n${timestamp} --> 999:00:00.000\nx`);
    return result.cues[0]?.startTime ?? result.problems.map((p) => `${p.column} ${p.code}`).join();
  };
  assert.equal(start('00:00.000'), 0);
  assert.equal(start('59:59.999'), 3599.999);
  assert.equal(start('01:02:03.004'), 3723.004);
  assert.equal(start('1:00:00.000'), 3600);
  assert.equal(start('100:00:00.000'), 360000);
  assert.equal(start(' \t00:00.500'), 0.5);
  assert.equal(start('00:01.5'), '7 bad_timestamp');
  assert.equal(start('00:00:61.000'), '7 bad_timestamp');
  assert.equal(start('00:61.000'), '4 bad_timestamp');
  assert.equal(start('00:60:00.000'), '4 bad_timestamp');
  assert.equal(start('00:00.0000'), '7 bad_timestamp');
  assert.equal(start('0:00.000'), '5 bad_timestamp');
  assert.equal(start('60:00.000'), '6 bad_timestamp');
  assert.equal(start('00:00:00:000'), '9 bad_timestamp');
  assert.equal(start('00:00:01,000'), '9 bad_timestamp');
  assert.equal(start('a0:00.000'), '1 bad_timestamp');
  assert.equal(start('00:00.000 ->'), '11 missing_arrow');
  assert.match(
    parseWebVTT('WEBVTT\n\n00:00:01,000 --> 00:00:02.000\nx').problems[0]!.message,
    /"\." before the milliseconds, not ","/,
  );
});

test('cue settings are parsed as the spec says, and invalid ones are ignored with a warning', () => {
  const base = defaultCueSettings();
  const cases: [string, Partial<CueSettings>, string[]?][] = [
    ['vertical:lr', { vertical: 'lr' }],
    ['line:0', { line: 0 }],
    ['line:-1', { line: -1 }],
    ['line:1.5', { line: 1.5 }],
    ['line:-0', { line: 0 }],
    ['line:50%,end', { line: 50, snapToLines: false, lineAlign: 'end' }],
    ['line:0%,center', { line: 0, snapToLines: false, lineAlign: 'center' }],
    ['line:.5', {}, ['bad_setting_value']],
    ['line:5.', {}, ['bad_setting_value']],
    ['line:1-2', {}, ['bad_setting_value']],
    ['line:101%', {}, ['bad_setting_value']],
    ['line:50%,middle', {}, ['bad_setting_value']],
    ['position:10%,line-left', { position: 10, positionAlign: 'line-left' }],
    ['position:100%,line-right', { position: 100, positionAlign: 'line-right' }],
    ['position:0%', { position: 0 }],
    ['position:10', {}, ['bad_setting_value']],
    ['position:-5%', {}, ['bad_setting_value']],
    ['size:50%', { size: 50 }],
    ['size:0.5%', { size: 0.5 }],
    ['size:100.5%', {}, ['bad_setting_value']],
    ['align:left', { align: 'left' }],
    ['align:end', { align: 'end' }],
    ['align:middle', {}, ['bad_setting_value']],
    ['align:start align:right', { align: 'right' }],
    ['region:r', { region: 'r' }],
    ['region:other', {}, ['unknown_region']],
    ['region:r line:0', { line: 0 }],
    ['line:0 region:r', { line: 0, region: 'r' }],
    ['region:r size:50%', { size: 50 }],
    ['region:r size:100%', { region: 'r' }],
    ['region:r vertical:rl', { vertical: 'rl' }],
    ['vertical:rl region:r', { vertical: 'rl', region: 'r' }],
    ['align:start\tsize:20%', { align: 'start', size: 20 }],
    ['colour:red', {}, ['unknown_setting']],
    ['align', {}, ['bad_setting_value']],
    ['align:', {}, ['bad_setting_value']],
    [':start', {}, ['unknown_setting']],
    ['ALIGN:start', {}, ['unknown_setting']],
  ];
  for (const [settings, expected, problems = []] of cases) {
    const result = parseWebVTT(`WEBVTT\n\nREGION\nid:r\n\n00:00.000 --> 00:01.000 ${settings}\nx`);
    assert.deepEqual(result.cues[0]?.settings, { ...base, ...expected }, settings);
    assert.deepEqual(
      result.problems.map((p) => p.code),
      problems,
      settings,
    );
  }
});

test('a file without a cue is the error no_cues at its last line: empty, whitespace, a header, notes or regions only', () => {
  assert.deepEqual(codes(''), ['1:1 no_cues']);
  assert.deepEqual(codes('\uFEFF'), ['1:1 no_cues']);
  assert.deepEqual(codes(' \n\t\n\n'), ['3:1 no_cues']);
  assert.deepEqual(codes('WEBVTT'), ['1:1 no_cues']);
  assert.deepEqual(codes('WEBVTT Title\r\nKind: captions\r\n\r\n'), ['3:1 no_cues']);
  assert.deepEqual(codes('WEBVTT\n\nNOTE later\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:r'), ['9:1 no_cues']);
  assert.match(parseWebVTT('WEBVTT\n').problems[0]!.message, /no cues.*00:00:01\.000 --> 00:00:04\.000/);
  // A file whose cues all failed already says why: no second error.
  assert.deepEqual(codes('WEBVTT\n\n00:00.000 -> 00:01.000\nHi'), ['3:11 missing_arrow']);
  assert.deepEqual(codes('WEBVTT\n\n00:00.000 --> 00:01.000\n'), ['3:1 empty_cue']);
  assert.deepEqual(codes('Hello'), ['1:1 missing_signature']);
});

test('a line with "-->" ends the cue, so cue text cannot hold one', () => {
  const result = parseWebVTT('WEBVTT\n\n00:00.000 --> 00:01.000\nA --> B\nC\n\n00:02.000 --> 00:03.000\nD');
  assert.deepEqual(
    result.cues.map((cue) => cue.text),
    ['', 'D'],
  );
  assert.deepEqual(
    result.problems.map((p) => `${p.line}:${p.column} ${p.code}`),
    ['3:1 empty_cue', '4:1 missing_blank_line', '4:1 bad_timestamp'],
  );
});

test('NOTE blocks are skipped; STYLE and REGION blocks count only before the first cue', () => {
  const result = parseWebVTT(
    [
      'WEBVTT',
      '',
      'NOTE',
      '',
      'NOTE\tone',
      'two',
      '',
      'STYLE  ',
      '::cue { color: lime }',
      '',
      'REGION',
      'width:50%',
      '',
      'NOTEXYZ',
      '',
      '00:00.000 --> 00:01.000',
      'Hi',
      '',
      'STYLE',
      '::cue { color: red }',
      '',
      'REGION',
      'id:late',
      '',
      'NOTE after',
    ].join('\n'),
  );
  assert.deepEqual(result.styles, ['::cue { color: lime }']);
  assert.deepEqual(
    result.regions?.map((region) => [region.id, region.width]),
    [['', 50]],
  );
  assert.deepEqual(
    result.problems.map((p) => `${p.line}:${p.column} ${p.code}`),
    ['11:1 missing_region_id', '14:1 missing_timing', '19:1 misplaced_block', '22:1 misplaced_block'],
  );
});

const cue = (startTime: number, endTime: number, text: string, id = '', settings: Partial<CueSettings> = {}): Cue => ({
  id,
  startTime,
  endTime,
  text,
  settings: { ...defaultCueSettings(), ...settings },
});

test('writeWebVTT writes ids, hh:mm:ss.mmm times, settings that are not default and safe text', () => {
  const written = writeWebVTT([
    cue(1, 2.5, 'Hello\nworld', 'intro'),
    cue(3600, 360000.001, 'Top\n\n\nleft', '', {
      line: 0,
      position: 10,
      positionAlign: 'line-left',
      size: 35,
      align: 'start',
    }),
    cue(5, 6, 'a --> b\r\nc', 'has\nnewline --> arrow', {
      line: 50,
      snapToLines: false,
      lineAlign: 'end',
      vertical: 'rl',
      region: 'r',
    }),
    cue(-1, Number.NaN, '', '', { size: 150, position: -1, line: 120, snapToLines: false, region: 'bad id' }),
  ]);
  assert.equal(
    written,
    [
      'WEBVTT',
      '',
      'intro',
      '00:00:01.000 --> 00:00:02.500',
      'Hello',
      'world',
      '',
      '01:00:00.000 --> 100:00:00.001 line:0 position:10%,line-left size:35% align:start',
      'Top',
      'left',
      '',
      'has newline --&gt; arrow',
      '00:00:05.000 --> 00:00:06.000 vertical:rl line:50%,end region:r',
      'a --&gt; b',
      'c',
      '',
      '00:00:00.000 --> 00:00:00.000',
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    parseWebVTT(written).cues.map((c) => c.text),
    ['Hello\nworld', 'Top\nleft', 'a --&gt; b\nc', ''],
  );
});

test('writeWebVTT writes the title, STYLE and REGION blocks, and CRLF when asked', () => {
  const regions = parseWebVTT(
    'WEBVTT\n\nREGION\nid:r width:40% lines:2 regionanchor:0%,100% viewportanchor:10%,90% scroll:up',
  ).regions!;
  const written = writeWebVTT([cue(0, 1, 'x', '', { region: 'r' })], {
    header: 'Story',
    styles: ['::cue {\n\n  color: red; /* --> */\n}'],
    regions,
    newline: '\r\n',
  });
  assert.equal(
    written,
    'WEBVTT Story\r\n\r\nSTYLE\r\n::cue {\r\n  color: red; /* --\\> */\r\n}\r\n\r\nREGION\r\nid:r width:40% lines:2 viewportanchor:10%,90% scroll:up\r\n\r\n00:00:00.000 --> 00:00:01.000 region:r\r\nx\r\n',
  );
  const again = parseWebVTT(written);
  assert.deepEqual(again.regions, regions);
  assert.deepEqual(again.cues[0]!.settings.region, 'r');
  assert.equal(writeWebVTT([]), 'WEBVTT\n');
  assert.equal(writeWebVTT([], { header: 'a --> b' }), 'WEBVTT\n');
});

test('pathological input stays linear', () => {
  const inputs = [
    `WEBVTT\n\n${'0'.repeat(1_000_000)}`,
    `WEBVTT\n\n00:00.000 --> 00:01.000 ${'align:x '.repeat(100_000)}\nx`,
    `WEBVTT\n\n${'-->\n'.repeat(200_000)}`,
    `WEBVTT\n\n${'a\n'.repeat(300_000)}`,
    `WEBVTT\n\n${'00:00.000 --> 00:01.000\n'.repeat(40_000)}`,
    `WEBVTT\n\n${'\r'.repeat(500_000)}${'\n'.repeat(500_000)}`,
  ];
  for (const input of inputs) {
    const started = performance.now();
    const result = parseWebVTT(input);
    assert.ok(performance.now() - started < 3000, `${input.slice(0, 20)}… took too long`);
    assert.ok(Array.isArray(result.cues));
  }
});
