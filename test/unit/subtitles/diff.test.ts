import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCueSettings, type Cue } from '../../../src/domain/subtitles/index.ts';
import { countChangedCues, diffCues } from '../../../src/domain/subtitles/diff.ts';

const cue = (startTime: number, text: string): Cue => ({
  id: '',
  startTime,
  endTime: startTime + 1,
  text,
  settings: defaultCueSettings(),
});
const kinds = (before: Cue[], after: Cue[]) =>
  diffCues(before, after).map((op) => `${op.kind}:${op.before?.text ?? ''}>${op.after?.text ?? ''}`);

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
  const stored = JSON.parse(
    JSON.stringify({ ...cue(0, 'a'), settings: Object.fromEntries(Object.entries(defaultCueSettings()).reverse()) }),
  ) as Cue;
  assert.deepEqual(kinds([cue(0, 'a')], [stored]), ['same:a>a']);
});

test('50,000-cue tracks with a few edits compare correctly (common ends first, then the middle)', () => {
  const before = Array.from({ length: 50_000 }, (_, i) => cue(i, `cue ${i}`));
  const after = before.map((c, i) => (i === 10 || i === 49_990 ? { ...c, text: `${c.text}!` } : c));
  after.splice(25_000, 1);
  const operations = diffCues(before, after);
  assert.equal(operations.filter((op) => op.kind === 'same').length, 49_997);
  assert.deepEqual(
    operations.filter((op) => op.kind !== 'same').map((op) => op.kind),
    ['changed', 'removed', 'changed'],
  );
});

test('the fewest cues are marked: every operation list rebuilds both versions and keeps a longest common run', () => {
  let seed = 7;
  const random = (n: number) => Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
  const longestCommon = (a: number[], b: number[]) => {
    const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--)
        table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
    return table[0]![0]!;
  };
  for (let round = 0; round < 500; round++) {
    const a = Array.from({ length: random(12) }, () => random(5));
    const b = Array.from({ length: random(12) }, () => random(5));
    const operations = diffCues(
      a.map((n) => cue(n, `c${n}`)),
      b.map((n) => cue(n, `c${n}`)),
    );
    assert.deepEqual(
      operations.flatMap((op) => (op.before ? [op.before.startTime] : [])),
      a,
    );
    assert.deepEqual(
      operations.flatMap((op) => (op.after ? [op.after.startTime] : [])),
      b,
    );
    assert.equal(operations.filter((op) => op.kind === 'same').length, longestCommon(a, b), `${a} → ${b}`);
  }
});

test('long tracks compare correctly, whether a few cues changed or every one did', () => {
  const before = Array.from({ length: 50_000 }, (_, i) => cue(i, `cue ${i}`));
  const scattered = before.map((c, i) => (i % 997 === 3 ? { ...c, text: `${c.text}!` } : c));
  scattered.splice(30_000, 0, cue(30_000.5, 'inserted'));
  const shifted = before.map((c) => ({ ...c, startTime: c.startTime + 0.5, endTime: c.endTime + 0.5 }));
  const few = diffCues(before, scattered);
  assert.equal(few.filter((op) => op.kind === 'changed').length, 51);
  assert.equal(few.filter((op) => op.kind === 'added').length, 1);
  assert.equal(countChangedCues(before, shifted), 50_000);
  assert.equal(
    diffCues(before, [...before].reverse()).filter((op) => op.kind === 'same').length,
    1,
    'a reversed track keeps one cue in place',
  );
  assert.equal(countChangedCues([cue(0, 'only')], before), 50_000, 'one cue against many does not overflow the stack');
});
