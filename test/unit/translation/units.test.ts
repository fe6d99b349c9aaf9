import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignUnits, similarity, type SourceUnit } from '../../../src/domain/translation/units.ts';

const ids = (start = 100) => {
  let next = start;
  return () => `u${next++}`;
};
const units = (...texts: string[]): SourceUnit[] => texts.map((text, index) => ({ id: `u${index + 1}`, text }));

test('unchanged units keep their ids, also when moved; new text gets a new id; removed ids are reported', () => {
  const before = units('One sentence.', 'Two sentence.', 'Three sentence.');
  const { units: after, removed } = alignUnits(
    before,
    ['Three sentence.', 'One sentence.', 'A wholly different line of thought here.'],
    ids(),
  );
  assert.deepEqual(
    after.map((u) => [u.id, u.change]),
    [
      ['u3', 'same'],
      ['u1', 'same'],
      ['u100', 'new'],
    ],
  );
  assert.deepEqual(removed, ['u2']);
});

test('an edited sentence keeps its id and says what it was; a typo fix is an edit too', () => {
  const before = units('The river rose in March.', 'Volunteers recorded every village.', 'Then the rains stopped.');
  const { units: after, removed } = alignUnits(
    before,
    ['The river rose in March.', 'Volunteers recorded almost every village.', 'Then the rains stoped.'],
    ids(),
  );
  assert.deepEqual(
    after.map((u) => [u.id, u.change, u.before]),
    [
      ['u1', 'same', undefined],
      ['u2', 'edited', 'Volunteers recorded every village.'],
      ['u3', 'edited', 'Then the rains stopped.'],
    ],
  );
  assert.deepEqual(removed, []);
});

test('a sentence inserted beside an edited one does not take its id', () => {
  const before = units('First.', 'The archive opened to everyone in 2024.', 'Last.');
  const { units: after } = alignUnits(
    before,
    ['First.', 'A new sentence about something else.', 'The archive opened to everyone in 2025.', 'Last.'],
    ids(),
  );
  assert.deepEqual(
    after.map((u) => [u.id, u.change]),
    [
      ['u1', 'same'],
      ['u100', 'new'],
      ['u2', 'edited'],
      ['u3', 'same'],
    ],
  );
});

test('edits pair only within their place: an edit never takes the id of a unit beyond an unchanged one', () => {
  const before = units('Alpha beta gamma delta.', 'Middle.', 'Epsilon zeta eta theta.');
  const { units: after } = alignUnits(before, ['Middle.', 'Alpha beta gamma delta!'], ids());
  // "Alpha…!" comes after "Middle." now, where only "Epsilon…" could be its old self, and that is not alike.
  assert.deepEqual(
    after.map((u) => [u.id, u.change]),
    [
      ['u2', 'same'],
      ['u100', 'new'],
    ],
  );
});

test('ids are never reused: repeated texts keep one id each, and new ids come only from the counter', () => {
  const before = units('Yes.', 'Yes.', 'No.');
  const { units: after, removed } = alignUnits(before, ['Yes.', 'No.', 'Yes.', 'Yes.'], ids(7));
  assert.deepEqual(
    after.map((u) => u.id),
    ['u1', 'u3', 'u2', 'u7'],
  );
  assert.deepEqual(removed, []);
  assert.equal(new Set(after.map((u) => u.id)).size, after.length);
});

test('alike across scripts: Arabic, Devanagari and Japanese edits are found by character pairs', () => {
  assert.ok(similarity('تطوع المحررون في كل قرية.', 'تطوع المحررون في كل القرى.') >= 0.5);
  assert.ok(similarity('स्वयंसेवकों ने हर गाँव का दस्तावेज़ बनाया।', 'स्वयंसेवकों ने लगभग हर गाँव का दस्तावेज़ बनाया।') >= 0.5);
  assert.ok(similarity('川の水位が三月に上がった。', '川の水位が四月に上がった。') >= 0.5);
  assert.ok(similarity('川の水位が三月に上がった。', 'ボランティアは村を記録した。') < 0.5);
  assert.equal(similarity('same', 'same'), 1);
  assert.equal(similarity('', 'x'), 0);
});

test('an empty source or an emptied source', () => {
  assert.deepEqual(alignUnits([], [], ids()), { units: [], removed: [] });
  assert.deepEqual(alignUnits(units('Gone.'), [], ids()).removed, ['u1']);
  assert.deepEqual(alignUnits([], ['Fresh.'], ids()).units, [{ id: 'u100', text: 'Fresh.', change: 'new' }]);
});

test('a word diff of an edited source sentence, in Latin script and in Japanese', async () => {
  const { wordDiff } = await import('../../../src/domain/translation/word-diff.ts');
  assert.deepEqual(wordDiff('Volunteers recorded every village.', 'Volunteers recorded almost every village.'), [
    { kind: 'same', text: 'Volunteers recorded ' },
    { kind: 'added', text: 'almost ' },
    { kind: 'same', text: 'every village.' },
  ]);
  assert.deepEqual(wordDiff('Then the rains stopped.', 'Then the rains stoped.'), [
    { kind: 'same', text: 'Then the rains ' },
    { kind: 'removed', text: 'stopped' },
    { kind: 'added', text: 'stoped' },
    { kind: 'same', text: '.' },
  ]);
  const japanese = wordDiff('川の水位が三月に上がった。', '川の水位が四月に上がった。', 'ja');
  assert.deepEqual(
    japanese.filter((change) => change.kind !== 'same').map((change) => change.kind),
    ['removed', 'added'],
  );
  assert.equal(
    japanese
      .filter((c) => c.kind !== 'added')
      .map((c) => c.text)
      .join(''),
    '川の水位が三月に上がった。',
  );
  assert.equal(
    japanese
      .filter((c) => c.kind !== 'removed')
      .map((c) => c.text)
      .join(''),
    '川の水位が四月に上がった。',
  );
  assert.deepEqual(wordDiff('', ''), []);
});

test('a whole translation made before units is spread over the units by length, nothing dropped', async () => {
  const { spreadTranslation } = await import('../../../src/domain/translation/story-units.ts');
  assert.deepEqual(spreadTranslation(['One.', 'Two is longer.'], ['Un.', 'Deux est plus long.']), [
    ['Un.'],
    ['Deux est plus long.'],
  ]);
  assert.deepEqual(
    spreadTranslation(
      ['A short one.', 'Then a much longer sentence with many words in it.'],
      ['Court.', 'Puis une phrase.', 'Et une autre, longue, avec des mots.'],
    ),
    [['Court.'], ['Puis une phrase.', 'Et une autre, longue, avec des mots.']],
  );
  assert.deepEqual(spreadTranslation(['One.', 'Two.', 'Three.'], ['Tout en une phrase.']).flat(), [
    'Tout en une phrase.',
  ]);
});
