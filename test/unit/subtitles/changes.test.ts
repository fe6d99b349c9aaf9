import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applySplices, checkSplices, countSplicedCues, splicesBetween } from '../../../src/domain/subtitles/changes.ts';
import { countChangedCues } from '../../../src/domain/subtitles/diff.ts';
import { defaultCueSettings, type Cue } from '../../../src/domain/subtitles/index.ts';

const cue = (n: number, text = `cue ${n}`): Cue => ({
  id: '',
  startTime: n,
  endTime: n + 1,
  text,
  settings: defaultCueSettings(),
});

test('a one-cue edit of a long track is one splice of one cue', () => {
  const before = Array.from({ length: 300 }, (_, i) => cue(i));
  const after = before.map((c, i) => (i === 120 ? { ...c, text: 'Edited' } : c));
  const splices = splicesBetween(before, after);
  assert.deepEqual(
    splices.map(({ at, remove, insert }) => [at, remove, insert.map((c) => c.text)]),
    [[120, 1, ['Edited']]],
  );
  assert.ok(
    JSON.stringify(splices).length < 400,
    `a few hundred bytes, not the whole track: ${JSON.stringify(splices).length}`,
  );
  assert.deepEqual(applySplices(before, splices), after);
});

test('splits, merges, inserts and deletes: the splices rebuild the new version and count as the diff does', () => {
  let seed = 11;
  const random = (n: number) => Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
  for (let round = 0; round < 400; round++) {
    const before = Array.from({ length: random(15) }, () => cue(random(6)));
    const after = [...before];
    for (let edits = random(4); edits > 0; edits--) {
      const at = random(after.length + 1);
      const kind = random(3);
      if (kind === 0) after.splice(at, 0, cue(random(6), 'new'));
      else if (kind === 1) after.splice(at, 1);
      else if (after[at]) after[at] = { ...after[at]!, text: `${after[at]!.text}!` };
    }
    const splices = splicesBetween(before, after);
    assert.deepEqual(checkSplices(before.length, splices), []);
    assert.deepEqual(applySplices(before, splices), after);
    assert.equal(countSplicedCues(before, splices), countChangedCues(before, after));
  }
  assert.deepEqual(splicesBetween([cue(1)], [cue(1)]), [], 'nothing changed, nothing sent');
});

test('splices that do not fit the track are named, not applied', () => {
  const insert = [cue(9)];
  assert.deepEqual(
    checkSplices(3, [{ at: 2, remove: 2, insert }]).map((p) => [p.splice, p.code]),
    [[0, 'splice_out_of_range']],
  );
  assert.equal(
    checkSplices(3, [{ at: 2, remove: 2, insert }])[0]!.message,
    'Change 1 names cues 3 to 4 of a track of 3',
  );
  assert.deepEqual(
    checkSplices(3, [
      { at: 0, remove: 1, insert },
      { at: 4, remove: 0, insert },
    ]).map((p) => p.splice),
    [1],
  );
  assert.deepEqual(
    checkSplices(5, [
      { at: 2, remove: 2, insert },
      { at: 3, remove: 0, insert },
    ]).map((p) => p.code),
    ['splices_out_of_order'],
  );
  assert.deepEqual(
    checkSplices(5, [{ at: -1, remove: 0, insert }]).map((p) => p.code),
    ['splice_out_of_range'],
  );
  assert.deepEqual(
    checkSplices(5, [{ at: 1.5, remove: 0, insert }]).map((p) => p.code),
    ['splice_out_of_range'],
  );
  assert.deepEqual(checkSplices(3, [{ at: 3, remove: 0, insert }]), [], 'appending at the end fits');
});
