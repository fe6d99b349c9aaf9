import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEMORY_BANDS, memoryBands, memoryText } from '../../../src/domain/translation/memory-bands.ts';
import { placeholder } from '../../../src/domain/translation/markers.ts';

const shared = (a: string, b: string) => {
  const left = new Set(memoryBands(a));
  return memoryBands(b).filter((band) => left.has(band)).length;
};

test('the same sentence has the same bands, whatever its case, punctuation and markers', () => {
  const text = 'The volunteers of the river valley planted four hundred trees in one weekend.';
  assert.equal(memoryBands(text).length, MEMORY_BANDS);
  assert.deepEqual(memoryBands(text), memoryBands(text));
  assert.deepEqual(
    memoryBands(
      `${placeholder(1)}The volunteers${placeholder(2)} of the river valley planted four hundred trees in one weekend`,
    ),
    memoryBands(text.toUpperCase()),
  );
});

test('a sentence one or two words away from a remembered one shares a band; unrelated sentences share none', () => {
  const stored = [
    'The volunteers of the river valley planted four hundred trees in one weekend.',
    'Our photographers spent three days documenting the old wooden chapels of the north.',
    'She started editing articles about her village when she was sixteen years old.',
    'Every Saturday the library opens its doors to anyone who wants to learn to edit.',
  ];
  const edited = [
    'The volunteers of the river valley planted five hundred trees in one weekend.',
    'Our photographers spent three days documenting the wooden chapels of the north.',
    'She started editing articles about her small village when she was sixteen years old.',
    'Every Sunday the library opens its doors to anyone who wants to learn to write.',
  ];
  for (const [index, text] of edited.entries()) {
    assert.ok(shared(stored[index]!, text) > 0, text);
    for (const [other, unrelated] of stored.entries())
      if (other !== index) assert.equal(shared(unrelated, text), 0, text);
  }
});

test('scripts written without spaces: a one-character edit still matches', () => {
  assert.equal(memoryText(`${placeholder(1)}Ünïcode — «SHORT», cue!${placeholder(2)}`), 'ünïcode short cue');
  assert.equal(memoryText('動画の字幕を、翻訳する。'), '動画の字幕を 翻訳する');
  assert.ok(
    shared(
      'ボランティアが動画の字幕を十五の言語に翻訳しました。',
      'ボランティアが動画の字幕を十六の言語に翻訳しました。',
    ) > 0,
  );
  assert.ok(
    shared(
      'المتطوعون زرعوا أربعمائة شجرة في عطلة نهاية الأسبوع',
      'المتطوعون زرعوا خمسمائة شجرة في عطلة نهاية الأسبوع',
    ) > 0,
  );
});

test('short texts, a heading or a subtitle cue, still match with a typo or a word changed', () => {
  // One word replaced, added or left out: always a shared key, not by chance.
  const cue = ['we', 'start', 'right', 'here', 'with', 'the', 'old', 'chapel'];
  for (let i = 0; i < cue.length; i++) {
    assert.ok(shared(cue.join(' '), cue.toSpliced(i, 1, 'another').join(' ')) > 0, `word ${i} replaced`);
    assert.ok(shared(cue.join(' '), cue.toSpliced(i, 1).join(' ')) > 0, `word ${i} left out`);
    assert.ok(shared(cue.join(' '), cue.toSpliced(i, 0, 'then').join(' ')) > 0, `a word added before ${i}`);
  }
  assert.ok(shared('We start here.', 'We start there.') > 0);
  assert.equal(shared('We start here.', 'They stop there.'), 0);
  assert.ok(shared('Introduction', 'Introductions') > 0);
  assert.ok(shared('Our volunteers', 'Our volunteer') > 0);
  assert.equal(shared('Introduction', 'Conclusion'), 0);
});

test('a text without words has no bands (it can match nothing)', () => {
  assert.deepEqual(memoryBands(''), []);
  assert.deepEqual(memoryBands(` — ${placeholder(1)} … `), []);
});
