import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bigrams, foldWord, listedWords, searchableText, tokenize } from '../../../src/domain/search/fold.ts';

test('Latin letters lose their accents and case; letters that do not decompose are spelt out', () => {
  const cases: Array<[string, string]> = [
    ['Bogotá', 'bogota'],
    ['École', 'ecole'],
    ['ŁÓDŹ', 'lodz'],
    ['Straße', 'strasse'],
    ['İstanbul', 'istanbul'],
    ['Øresund', 'oresund'],
    ['Việt', 'viet'],
    ['Œuvre', 'oeuvre'],
    ['Đorđe', 'dorde'],
  ];
  for (const [word, folded] of cases) assert.equal(foldWord(word), folded, word);
});

test('compatibility forms become the plain letters (full width, ligatures, half-width kana)', () => {
  assert.equal(foldWord('ＡＢＣ'), 'abc');
  assert.equal(foldWord('ﬁne'), 'fine');
  assert.equal(foldWord('ｶﾞｯｺｳ'), 'ガッコウ');
});

test('Arabic loses diacritics and tatweel; alef, hamza carriers, taa marbuta and yeh variants meet', () => {
  const cases: Array<[string, string]> = [
    ['مُتَطَوِّعُونَ', 'متطوعون'],
    ['المكتبة', 'المكتبه'],
    ['أحمد', 'احمد'],
    ['إسلام', 'اسلام'],
    ['آمنة', 'امنه'],
    ['ٱلله', 'الله'],
    ['مستشفى', 'مستشفي'],
    ['مسؤول', 'مسوول'],
    ['قارئ', 'قاري'],
    ['ـــكتاب', 'كتاب'],
    ['کتاب', 'كتاب'],
  ];
  for (const [word, folded] of cases) assert.equal(foldWord(word), folded, word);
});

test('Cyrillic keeps its letters (й is not и) but ё is е; Devanagari drops nukta and candrabindu becomes anusvara', () => {
  assert.equal(foldWord('Новый'), 'новый');
  assert.equal(foldWord('Ёлка'), 'елка');
  assert.equal(foldWord('क़लम'), 'कलम');
  assert.equal(foldWord('हँसी'), 'हंसी');
  assert.equal(foldWord('स्कूल'), 'स्कूल', 'the virama stays: it is part of the spelling');
  assert.equal(foldWord('がっこう'), 'がっこう', 'kana keep their voicing marks');
});

test('digits of every script are ASCII digits', () => {
  assert.equal(foldWord('٢٠٢٤'), '2024');
  assert.equal(foldWord('۲۰۲۴'), '2024');
  assert.equal(foldWord('२०२४'), '2024');
});

test('words are cut at anything but letters, marks and digits, Chinese and Japanese apart, with their places in the original', () => {
  const text = 'NHK東京の図書館で l’atelier, e-mail ۲۰۲۴';
  const tokens = tokenize(text);
  assert.deepEqual(
    tokens.map((token) => [token.folded, token.cjk, text.slice(token.start, token.end)]),
    [
      ['nhk', false, 'NHK'],
      ['東京の図書館で', true, '東京の図書館で'],
      ['l', false, 'l'],
      ['atelier', false, 'atelier'],
      ['e', false, 'e'],
      ['mail', false, 'mail'],
      ['2024', false, '۲۰۲۴'],
    ],
  );
  assert.deepEqual(
    tokenize('می\u200Cخواهم').map((token) => token.folded),
    ['ميخواهم'],
    'a zero-width non-joiner stays inside its word',
  );
  assert.deepEqual(tokenize('\uD800 lone \uDC00 surrogates'), [
    { start: 2, end: 6, folded: 'lone', cjk: false },
    { start: 9, end: 19, folded: 'surrogates', cjk: false },
  ]);
});

test('Chinese and Japanese runs are indexed as bigrams, however long', () => {
  const sentence =
    'ボランティアは毎週土曜日に公立図書館に集まり町について書いたそして翌週には写真を撮りに行き長老たちの歌も丁寧に一曲ずつ自分たちの言葉で録音した';
  assert.ok(sentence.length > 60);
  assert.ok(searchableText(sentence).split(' ').includes('録音'), 'the end of a long run is indexed');
  assert.deepEqual(bigrams('図書館'), ['図書', '書館']);
  assert.deepEqual(bigrams('図'), ['図']);
  assert.equal(
    searchableText('ウィキクラブで学んだ。Wiki clubs!'),
    'ウィ ィキ キク クラ ラブ ブで で学 学ん んだ wiki clubs',
  );
});

test('the word list keeps words of four letters and more, not numbers or Chinese and Japanese', () => {
  assert.deepEqual(
    [...listedWords('Volunteers met in Kisumu in 2024: the ledgers, the ledgers! 図書館')],
    ['volunteers', 'kisumu', 'ledgers'],
  );
});
