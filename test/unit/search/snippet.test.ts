import assert from 'node:assert/strict';
import { test } from 'node:test';
import { highlight, snippet, type HighlightTerms, type TextPart } from '../../../src/domain/search/snippet.ts';

const terms = (partial: Partial<HighlightTerms>): HighlightTerms => ({
  words: [],
  beginnings: [],
  runs: [],
  ...partial,
});
const show = (parts: TextPart[] | null) => parts?.map((part) => (part.hit ? `[${part.text}]` : part.text)).join('');

test('words, their stems and corrections are marked in the original spelling', () => {
  assert.equal(
    show(highlight('Village Ledgers of Bogotá', terms({ words: ['ledgers', 'bogota'] }))),
    'Village [Ledgers] of [Bogotá]',
  );
  assert.equal(
    show(highlight('The libraries and a librarian', terms({ beginnings: ['librari'] }))),
    'The [libraries] and a [librarian]',
  );
  assert.equal(
    show(highlight('افتتح المتطوعون المكتبة', terms({ beginnings: ['مكتب'] }))),
    'افتتح المتطوعون [المكتبة]',
  );
  assert.equal(show(highlight('وبالمكتبة كتب', terms({ beginnings: ['مكتب'] }))), '[وبالمكتبة] كتب', 'after clitics');
});

test('Chinese and Japanese runs are marked where they occur, overlaps as one', () => {
  assert.equal(show(highlight('漁村の人々が漁村で', terms({ runs: ['漁村'] }))), '[漁村]の人々が[漁村]で');
  assert.equal(
    show(highlight('ｶﾞｯｺｳの前', terms({ runs: ['ガッコウ'] }))),
    '[ｶﾞｯｺｳ]の前',
    'matched folded, marked as written',
  );
  assert.equal(show(highlight('東京都', terms({ runs: ['東京', '京都'] }))), '[東京都]');
});

test('markup in a text stays text: the parts are plain strings', () => {
  const parts = highlight('<img src=x onerror=alert(1)> ledger', terms({ words: ['ledger', 'img'] }));
  assert.deepEqual(parts, [
    { text: '<', hit: false },
    { text: 'img', hit: true },
    { text: ' src=x onerror=alert(1)> ', hit: false },
    { text: 'ledger', hit: true },
  ]);
});

test('a snippet is a window around the first hit, cut between words', () => {
  const long = `${'Before the hit there are many words. '.repeat(10)}The village ledgers were kept by the clerk. ${'After it many more words follow. '.repeat(10)}`;
  const piece = show(snippet(long, terms({ words: ['ledgers'] }), 120))!;
  assert.match(piece, /^… /);
  assert.match(piece, / …$/);
  assert.match(piece, /village \[ledgers\] were kept/);
  assert.ok(piece.length < 140, piece);
  const firstWord = piece.slice(2).split(' ')[0]!;
  assert.ok(long.includes(` ${firstWord} `), `starts at a whole word: ${firstWord}`);
  assert.equal(snippet(long, terms({ words: ['zebra'] })), null, 'no hit, no snippet');
  assert.equal(show(snippet('Short ledgers.', terms({ words: ['ledgers'] }))), 'Short [ledgers].');
});
