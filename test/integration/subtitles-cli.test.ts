import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

// `storyhub subtitles` as a user runs it: the real command in a child process, on files in a
// temporary directory, checking what it prints and its exit code.

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function storyhub(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/storyhub.js', 'subtitles', ...args],
      { env: { ...process.env, DATABASE_URL: '' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-subtitles-'));
const file = (name: string) => path.join(dir, name);
const noStackTrace = (run: Run) => assert.doesNotMatch(run.stderr + run.stdout, /\n\s+at .*:\d+:\d+/);

const GOOD_VTT = `WEBVTT

REGION
id:lower width:60% lines:2 regionanchor:0%,100% viewportanchor:10%,90%

intro
00:00:01.000 --> 00:00:03.500 region:lower align:start
<v Amani>Welcome to the workshop.

00:00:04.000 --> 00:00:06.000 line:0 position:20%,line-left size:50% vertical:rl
上に表示

00:00:06.500 --> 00:00:09.000
Tom &amp; Jerry
<i>second line</i>
`;

const BROKEN_SRT = `1
00:00:01,000 --> 00:00:02,000
First

2
00:00:03,000 -> 00:00:04,000
Arrow is wrong

3
00:00:05,000 --> 00:00:06,000
Third
`;

// Breaks several rules for English: a long line, reading speed, an overlap, an unclosed tag, a long cue.
const POOR_VTT = `WEBVTT

00:00:01.000 --> 00:00:02.000
This first line is much longer than forty-two characters

00:00:03.000 --> 00:00:05.000
<i>Never closed

00:00:04.500 --> 00:00:06.000
Overlapped

00:00:07.000 --> 00:00:16.000
Stays far too long
`;

describe('storyhub subtitles', () => {
  before(() => {
    writeFileSync(file('good.vtt'), GOOD_VTT);
    writeFileSync(file('broken.srt'), BROKEN_SRT);
    writeFileSync(file('poor.vtt'), POOR_VTT);
    writeFileSync(file('long-only.vtt'), 'WEBVTT\n\n00:00:00.000 --> 00:00:09.000\nA calm and slow cue\n');
    writeFileSync(
      file('japanese.vtt'),
      'WEBVTT\n\n00:00:00.000 --> 00:00:07.000\nあいうえおかきくけこさしすせ\n\n00:00:08.000 --> 00:00:15.000\nabcdefghijklmnopqrstuvwxyz\n',
    );
    writeFileSync(file('latin1.srt'), Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nCaf\xe9\n', 'latin1'));
    writeFileSync(
      file('utf16.srt'),
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('1\r\n00:00:01,000 --> 00:00:02,000\r\nKaribu\r\n', 'utf16le'),
      ]),
    );
    writeFileSync(file('notes.txt'), 'Just some notes, not subtitles.\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('parse --json gives every cue with the fields of the browser VTTCue', async () => {
    const run = await storyhub('parse', file('good.vtt'), '--json');
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.format, 'vtt');
    assert.deepEqual(result.errors, []);
    assert.equal(result.cues.length, 3);
    for (const cue of result.cues) {
      assert.deepEqual(Object.keys(cue).sort(), [
        'align',
        'endTime',
        'id',
        'line',
        'lineAlign',
        'position',
        'positionAlign',
        'region',
        'size',
        'snapToLines',
        'startTime',
        'text',
        'vertical',
      ]);
    }
    assert.deepEqual(result.cues[0], {
      id: 'intro',
      startTime: 1,
      endTime: 3.5,
      text: '<v Amani>Welcome to the workshop.',
      vertical: '',
      line: 'auto',
      snapToLines: true,
      lineAlign: 'start',
      position: 'auto',
      positionAlign: 'auto',
      size: 100,
      align: 'start',
      region: 'lower',
    });
    assert.deepEqual(result.cues[1], {
      id: '',
      startTime: 4,
      endTime: 6,
      text: '上に表示',
      vertical: 'rl',
      line: 0,
      snapToLines: true,
      lineAlign: 'start',
      position: 20,
      positionAlign: 'line-left',
      size: 50,
      align: 'center',
      region: '',
    });
    assert.equal(result.cues[2].text, 'Tom &amp; Jerry\n<i>second line</i>');
  });

  test('parse reports every problem with line, column, code and severity, and exits 1 on errors', async () => {
    const json = await storyhub('parse', file('broken.srt'), '--json');
    assert.equal(json.code, 1);
    const result = JSON.parse(json.stdout);
    assert.equal(result.format, 'srt');
    assert.deepEqual(
      result.cues.map((cue: { text: string }) => cue.text),
      ['First', 'Third'],
    );
    assert.equal(result.errors.length, 1);
    const [error] = result.errors;
    assert.deepEqual(Object.keys(error).sort(), ['code', 'column', 'line', 'message', 'severity']);
    assert.equal(error.line, 6);
    assert.equal(error.severity, 'error');
    assert.equal(error.code, 'missing_arrow');

    const readable = await storyhub('parse', file('broken.srt'));
    assert.equal(readable.code, 1);
    assert.match(readable.stdout, /broken\.srt: srt, 2 cues from 00:00:01\.000 to 00:00:06\.000; 1 error, 0 warnings/);
    assert.match(
      readable.stdout,
      new RegExp(`${file('broken.srt').replaceAll('\\', '\\\\')}:6:\\d+: error: .*\\(missing_arrow\\)`),
    );
    assert.equal((await storyhub('parse', file('good.vtt'))).code, 0);
  });

  test('convert vtt → srt → vtt keeps every cue; -o writes a file', async () => {
    const toSrt = await storyhub('convert', file('good.vtt'), '--to', 'srt');
    assert.equal(toSrt.code, 0, toSrt.stderr);
    assert.match(toSrt.stdout, /^1\n00:00:01,000 --> 00:00:03,500\n/);
    writeFileSync(file('converted.srt'), toSrt.stdout);
    const back = await storyhub('convert', file('converted.srt'), '--to', 'vtt', '-o', file('back.vtt'));
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, '');
    assert.match(readFileSync(file('back.vtt'), 'utf8'), /^WEBVTT/);
    const cues = async (name: string) =>
      JSON.parse((await storyhub('parse', file(name), '--json')).stdout).cues.map(
        ({ startTime, endTime, text }: { startTime: number; endTime: number; text: string }) => ({
          startTime,
          endTime,
          text,
        }),
      );
    assert.deepEqual(await cues('back.vtt'), await cues('good.vtt'));
  });

  test('convert refuses a file with errors, naming FILE:line:column, and writes nothing', async () => {
    const run = await storyhub('convert', file('broken.srt'), '--to', 'vtt', '-o', file('never.vtt'));
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`broken\\.srt:6:\\d+: error: `));
    assert.match(run.stderr, /nothing was converted/);
    assert.equal(existsSync(file('never.vtt')), false);
    assert.equal(run.stdout, '');
    const ass = await storyhub('convert', file('good.vtt'), '--to', 'ass');
    assert.equal(ass.code, 2);
    assert.match(ass.stderr, /storyhub writes vtt, srt, sbv, ttml/);
    assert.equal((await storyhub('convert', file('good.vtt'))).code, 2, '--to is required');
  });

  test('check --json reports each broken rule with the default limits of the language, exit 1 on errors', async () => {
    const run = await storyhub('check', file('poor.vtt'), '--lang', 'en', '--json');
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.language, 'en');
    assert.deepEqual(report.limits, {
      maxCharsPerLine: 42,
      maxCharsPerSecond: 20,
      maxLines: 2,
      minDuration: 0.833,
      maxDuration: 7,
      minGapFrames: 2,
      frameRate: 24,
    });
    assert.deepEqual(
      report.problems.map((p: { cue: number; rule: string; severity: string }) => `${p.cue}:${p.rule}:${p.severity}`),
      [
        '0:line_length:error',
        '0:reading_speed:error',
        '1:overlap:error',
        '1:unbalanced_tags:error',
        '3:max_duration:warning',
      ],
    );
    const [long] = report.problems;
    assert.deepEqual(
      { value: long.value, limit: long.limit, line: long.line, cueId: long.cueId },
      { value: 56, limit: 42, line: 1, cueId: '' },
    );
    assert.match(long.message, /56 characters \(limit: 42\)/);
  });

  test('check prints one line per problem; warnings alone exit 0; full-width counting for Japanese', async () => {
    const readable = await storyhub('check', file('poor.vtt'), '--lang', 'en');
    assert.equal(readable.code, 1);
    assert.match(readable.stdout, /^cue 2 \(00:00:03\.000→00:00:05\.000\): Overlaps the next cue by 0\.5 s\./m);
    assert.match(readable.stdout, /^cue 4 \(00:00:07\.000→00:00:16\.000\): Shown too long: 9 s \(maximum: 7 s\)\./m);

    const warningsOnly = await storyhub('check', file('long-only.vtt'), '--lang', 'fr');
    assert.equal(warningsOnly.code, 0);
    assert.match(warningsOnly.stdout, /Shown too long/);

    const japanese = JSON.parse((await storyhub('check', file('japanese.vtt'), '--lang', 'ja', '--json')).stdout);
    assert.deepEqual(
      japanese.problems.map((p: { cue: number; rule: string; value: number }) => [p.cue, p.rule, p.value]),
      [[0, 'line_length', 14]],
      '14 full-width characters are too many; 26 ASCII characters count as 13',
    );
    assert.equal(
      (await storyhub('check', file('japanese.vtt'), '--lang', 'en')).code,
      0,
      'the same text is fine by English limits',
    );
  });

  test('encodings: UTF-16 with a byte order mark is read; Latin-1 is an error located in the file', async () => {
    const utf16 = JSON.parse((await storyhub('parse', file('utf16.srt'), '--json')).stdout);
    assert.deepEqual(
      utf16.cues.map((cue: { text: string }) => cue.text),
      ['Karibu'],
    );
    const latin1 = await storyhub('parse', file('latin1.srt'), '--json');
    assert.equal(latin1.code, 1);
    const [error] = JSON.parse(latin1.stdout).errors;
    assert.deepEqual([error.code, error.line, error.column], ['invalid_encoding', 3, 4]);
    const convert = await storyhub('convert', file('latin1.srt'), '--to', 'vtt');
    assert.equal(convert.code, 1);
    assert.match(convert.stderr, /latin1\.srt:3:4: error: The file is not valid UTF-8/);
  });

  test('a missing file, an unknown format or a bad command: one clear line, exit 2, no stack trace', async () => {
    const runs = await Promise.all([
      storyhub('parse', file('missing.vtt')),
      storyhub('parse', file('good.vtt'), '--format', 'doc'),
      storyhub('parse', file('notes.txt')),
      storyhub('check', file('good.vtt')),
      storyhub('frobnicate', file('good.vtt')),
      storyhub('parse', file('good.vtt'), '--colour'),
      storyhub('parse'),
    ]);
    for (const run of runs) {
      assert.equal(run.code, 2, run.stderr);
      noStackTrace(run);
    }
    const [missing, format, unknown, noLanguage] = runs;
    assert.equal(missing!.stderr, `storyhub subtitles: Cannot read ${file('missing.vtt')}: no such file.\n`);
    assert.match(format!.stderr, /^storyhub subtitles: Unknown format "doc"; use one of vtt, srt, sbv, ttml, ass\.\n$/);
    assert.match(unknown!.stderr, /Cannot tell the format of .*notes\.txt; name it with --format/);
    assert.match(noLanguage!.stderr, /--lang/);
    assert.equal(missing!.stdout, '');
  });
  test('a file without a single cue is the error "no cues" at its last line, and nothing is converted', async () => {
    writeFileSync(file('empty.srt'), '');
    writeFileSync(file('header-only.vtt'), 'WEBVTT - no cues yet\n\nNOTE to be written\n');
    writeFileSync(file('blank.vtt'), ' \n\n');
    const [empty, header, blank, json, converted] = await Promise.all([
      storyhub('parse', file('empty.srt')),
      storyhub('parse', file('header-only.vtt')),
      storyhub('parse', file('blank.vtt')),
      storyhub('parse', file('header-only.vtt'), '--json'),
      storyhub('convert', file('empty.srt'), '--to', 'vtt'),
    ]);
    for (const run of [empty, header, blank, json, converted]) {
      assert.equal(run.code, 1, run.stderr);
      noStackTrace(run);
    }
    assert.equal(empty!.stdout.split('\n')[0], `${file('empty.srt')}: srt, 0 cues; 1 error, 0 warnings`);
    assert.match(
      empty!.stdout,
      /empty\.srt:1:1: error: The file has no cues: .*"00:00:01,000 --> 00:00:04,000".* \(no_cues\)/,
    );
    assert.match(header!.stdout, /header-only\.vtt:3:1: error: The file has no cues: .* \(no_cues\)/);
    assert.match(blank!.stdout, /blank\.vtt:2:1: error: The file has no cues/);
    assert.deepEqual(
      JSON.parse(json!.stdout).errors.map((e: { line: number; code: string }) => `${e.line} ${e.code}`),
      ['3 no_cues'],
    );
    assert.equal(converted!.stdout, '');
    assert.match(converted!.stderr, /no_cues\)\n.*empty\.srt has errors; nothing was converted\./);
  });
});
