import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  decodeSubtitleBytes,
  parseSubtitles,
  parseWebVTT,
  type SubtitleFormat,
} from '../../../src/domain/subtitles/index.ts';

// Every test/fixtures/subtitles/<name>.<ext> is read from its bytes (decode, then parse in the
// format its extension names) and must give exactly the cues and problems in <name>.expected.json.
const FORMAT_OF: Record<string, SubtitleFormat> = {
  vtt: 'vtt',
  srt: 'srt',
  sbv: 'sbv',
  ttml: 'ttml',
  dfxp: 'ttml',
  ass: 'ass',
  ssa: 'ass',
};

const FIXTURES = new URL('../../fixtures/subtitles/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

function read(name: string) {
  const decoded = decodeSubtitleBytes(fixture(name));
  if ('problem' in decoded) return { cues: [], problems: [decoded.problem] };
  const { cues, problems } = parseSubtitles(decoded.text, FORMAT_OF[name.slice(name.lastIndexOf('.') + 1)]);
  return { cues, problems };
}

const names = readdirSync(FIXTURES)
  .filter((name) => /\.(vtt|srt|sbv|ttml|dfxp|ass|ssa)$/.test(name))
  .sort();

test('every fixture has a golden file', () => {
  assert.ok(names.length >= 21);
  for (const extension of Object.keys(FORMAT_OF))
    assert.ok(
      names.some((name) => name.endsWith(`.${extension}`)),
      `a .${extension} fixture`,
    );
  for (const name of names) assert.ok(readFileSync(new URL(name.replace(/\.\w+$/, '.expected.json'), FIXTURES)));
});

for (const name of names) {
  test(`${name} reads as its golden file says`, () => {
    const expected = JSON.parse(fixture(name.replace(/\.\w+$/, '.expected.json')).toString('utf8'));
    assert.deepEqual(read(name), expected);
  });
}

test('the valid WebVTT file keeps its REGION and STYLE blocks and skips its NOTE blocks', () => {
  const result = parseWebVTT(fixture('valid-vtt.vtt').toString('utf8'));
  assert.ok(fixture('valid-vtt.vtt').includes('\r\n'));
  assert.deepEqual(result.styles, ['::cue {\n  color: papayawhip;\n}']);
  assert.deepEqual(result.regions, [
    {
      id: 'fred',
      width: 40,
      lines: 3,
      regionAnchorX: 0,
      regionAnchorY: 100,
      viewportAnchorX: 10,
      viewportAnchorY: 90,
      scroll: 'up',
    },
    {
      id: 'bill',
      width: 40,
      lines: 3,
      regionAnchorX: 100,
      regionAnchorY: 100,
      viewportAnchorX: 90,
      viewportAnchorY: 90,
      scroll: '',
    },
  ]);
  assert.ok(result.cues.every((cue) => !cue.text.includes('NOTE') && !cue.text.includes('\r')));
});

test('invalid region settings keep the defaults', () => {
  const result = parseWebVTT(fixture('settings.vtt').toString('utf8'));
  assert.deepEqual(result.regions, [
    {
      id: 'top',
      width: 50,
      lines: 3,
      regionAnchorX: 0,
      regionAnchorY: 100,
      viewportAnchorX: 0,
      viewportAnchorY: 100,
      scroll: '',
    },
  ]);
});

test('broken files still give every cue that could be read', () => {
  assert.deepEqual(
    read('bad-timestamps.vtt').cues.map((cue) => cue.id),
    ['5'],
  );
  assert.equal(read('bad-timestamps.vtt').problems.filter((p) => p.severity === 'error').length, 7);
  assert.deepEqual(
    read('broken.srt').cues.map((cue) => cue.startTime),
    [1, 5.5, 7, 9, 13, 2, 20],
  );
});
