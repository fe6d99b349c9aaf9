import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCueSettings, type Cue } from '../../../src/domain/subtitles/index.ts';
import { countChangedCues, diffCues } from '../../../src/domain/subtitles/diff.ts';

const cue = (startTime: number, text: string): Cue => ({ id: '', startTime, endTime: startTime + 1, text, settings: defaultCueSettings() });
const kinds = (before: Cue[], after: Cue[]) => diffCues(before, after).map((op) => `${op.kind}:${op.before?.text ?? ''}>${op.after?.text ?? ''}`);

test('unchanged, changed, added and removed cues, in order', () => {
  const before = [cue(0, 'a'), cue(1, 'b'), cue(2, 'c'), cue(3, 'd')];
  const after = [cue(0, 'a'), cue(1, 'B'), cue(2, 'c'), cue(2.5, 'new'), cue(3, 'd')];
  assert.deepEqual(kinds(before, after), ['same:a>a', 'changed:b>B', 'same:c>c', 'added:>new', 'same:d>d']);
  assert.deepEqual(kinds(after, before), ['same:a>a', 'changed:B>b', 'same:c>c', 'removed:new>', 'same:d>d']);
  assert.equal(countChangedCues(before, after), 2);
  assert.equal(countChangedCues(before, before), 0);
  assert.deepEqual(kinds([], [cue(0, 'x')]), ['added:>x']);
});

test('a change of timing or settings is a change; key order of stored settings is not', () => {
  const moved = { ...cue(0, 'a'), endTime: 3 };
  assert.deepEqual(kinds([cue(0, 'a')], [moved]), ['changed:a>a']);
  const stored = JSON.parse(JSON.stringify({ ...cue(0, 'a'), settings: Object.fromEntries(Object.entries(defaultCueSettings()).reverse()) })) as Cue;
  assert.deepEqual(kinds([cue(0, 'a')], [stored]), ['same:a>a']);
});

test('50,000-cue tracks with a few edits compare correctly (common ends first, then the middle)', () => {
  const before = Array.from({ length: 50_000 }, (_, i) => cue(i, `cue ${i}`));
  const after = before.map((c, i) => (i === 10 || i === 49_990 ? { ...c, text: `${c.text}!` } : c));
  after.splice(25_000, 1);
  const operations = diffCues(before, after);
  assert.equal(operations.filter((op) => op.kind === 'same').length, 49_997);
  assert.deepEqual(operations.filter((op) => op.kind !== 'same').map((op) => op.kind), ['changed', 'removed', 'changed']);
});
