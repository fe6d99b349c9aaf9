import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance } from '../../../src/domain/search/edit-distance.ts';
import {
  allowedEdits,
  corrections,
  parseQuery,
  typoLookup,
  type TypoLookup,
} from '../../../src/domain/search/query.ts';

test('edit distance counts insertions, deletions, substitutions and swaps of neighbours as one each', () => {
  assert.equal(editDistance('screen', 'sceen', 2), 1, 'a letter dropped');
  assert.equal(editDistance('ledgers', 'ledgres', 2), 1, 'two letters swapped');
  assert.equal(editDistance('house', 'houses', 2), 1, 'a letter added');
  assert.equal(editDistance('house', 'horse', 2), 1, 'a letter replaced');
  assert.equal(editDistance('community', 'comunitiy', 3), 2);
  assert.equal(editDistance('abc', 'ca', 3), 3, 'optimal string alignment: no edit of an edited substring');
  assert.equal(editDistance('volunteers', 'villages', 1), 2, 'stops past the limit');
  assert.equal(editDistance('मदद', 'मदत', 1), 1, 'in code points');
});

test('a query is read as folded words; the last one, still being typed, is also a prefix', () => {
  assert.deepEqual(parseQuery('Ledgres  de Bogotá'), [
    { text: 'ledgres', cjk: false, prefix: false, edits: 1 },
    { text: 'de', cjk: false, prefix: false, edits: 0 },
    { text: 'bogota', cjk: false, prefix: true, edits: 1 },
  ]);
  assert.equal(parseQuery('Bogotá ')[0]!.prefix, false, 'a space after the word ends it');
  assert.equal(parseQuery('ab')[0]!.prefix, false, 'two letters are too few to complete');
  assert.deepEqual(parseQuery('図書館 図'), [
    { text: '図書館', cjk: true, prefix: false, edits: 0 },
    { text: '図', cjk: true, prefix: true, edits: 0 },
  ]);
  assert.deepEqual(
    parseQuery('2024'),
    [{ text: '2024', cjk: false, prefix: true, edits: 0 }],
    'numbers are not corrected',
  );
  assert.deepEqual(parseQuery("'; DROP TABLE stories; -- !(&|<->):*"), [
    { text: 'drop', cjk: false, prefix: false, edits: 0 },
    { text: 'table', cjk: false, prefix: false, edits: 1 },
    { text: 'stories', cjk: false, prefix: false, edits: 1 },
  ]);
  assert.equal(parseQuery('a b c d e f g h i j k').length, 8, 'at most eight words');
  assert.deepEqual(parseQuery('\uDC00\uD800 \uDFFF'), [], 'lone surrogates are no words');
});

test('one edit from five letters, two from nine', () => {
  assert.deepEqual([4, 5, 8, 9, 20].map(allowedEdits), [0, 1, 1, 2, 2]);
});

const ALPHABET = [...'abcdefghijklmnopqrstuvwxyzéاملकी'];
function oneEditAway(word: string): Set<string> {
  const letters = [...word];
  const variants = new Set<string>();
  for (let i = 0; i <= letters.length; i += 1) {
    for (const letter of ALPHABET) variants.add([...letters.slice(0, i), letter, ...letters.slice(i)].join(''));
    if (i < letters.length) {
      variants.add([...letters.slice(0, i), ...letters.slice(i + 1)].join(''));
      for (const letter of ALPHABET) variants.add([...letters.slice(0, i), letter, ...letters.slice(i + 1)].join(''));
    }
    if (i + 1 < letters.length) {
      const swapped = [...letters];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
      variants.add(swapped.join(''));
    }
  }
  variants.delete(word);
  return variants;
}
const found = (word: string, lookup: TypoLookup) => {
  const length = [...word].length;
  return (
    length >= lookup.minLength &&
    length <= lookup.maxLength &&
    (word.startsWith(lookup.prefix) ||
      word.endsWith(lookup.suffix) ||
      (lookup.infix !== null && word.includes(lookup.infix)))
  );
};

test('the word-list lookup finds every catalog word one edit from a misspelt word of five letters or more', () => {
  for (const word of ['screen', 'ledgers', 'house', 'library', 'مكتبة', 'विद्यालय', 'volunteers', 'photographs']) {
    for (const typed of oneEditAway(word)) {
      const edits = allowedEdits([...typed].length);
      if (edits === 0) continue;
      assert.ok(found(word, typoLookup(typed, edits)!), `${typed} → ${word}`);
    }
  }
});

test('and every catalog word two edits from a misspelt word of nine letters or more', () => {
  let checked = 0;
  for (const word of ['volunteers', 'photographs', 'community', 'translators', 'librarians']) {
    for (const once of oneEditAway(word)) {
      for (const typed of oneEditAway(once)) {
        if ([...typed].length < 9 || editDistance(typed, word, 2) > 2 || (checked += 1) % 7 !== 0) continue;
        assert.ok(found(word, typoLookup(typed, 2)!), `${typed} → ${word}`);
      }
    }
  }
  assert.ok(checked > 10_000, `${checked} misspellings tried`);
});

test('corrections: within the edits allowed, nearest and most used first, never the word itself', () => {
  const [word] = parseQuery('sceen ');
  assert.deepEqual(
    corrections(word!, [
      { word: 'screen', documents: 3 },
      { word: 'scenes', documents: 9 },
      { word: 'scene', documents: 1 },
      { word: 'sceen', documents: 1 },
      { word: 'green', documents: 50 },
    ]),
    ['screen', 'scene'],
  );
});
