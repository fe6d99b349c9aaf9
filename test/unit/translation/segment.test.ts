import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  PLACEHOLDER_END,
  PLACEHOLDER_PATTERN,
  PLACEHOLDER_START,
  placeholder,
} from '../../../src/domain/translation/markers.ts';
import { joinSentences, segmentBlocks, splitSentences } from '../../../src/domain/translation/segment.ts';

// Every case of test/fixtures/translation/sentences.json (cases by language) splits into exactly its
// sentences, and every text split here goes back together with joinSentences, whitespace aside.

interface GoldenCase {
  case: string;
  text: string;
  sentences: string[];
}

const golden: Record<string, GoldenCase[]> = JSON.parse(
  readFileSync(new URL('../../fixtures/translation/sentences.json', import.meta.url), 'utf8'),
);
const everyCase = Object.entries(golden).flatMap(([language, cases]) => cases.map((each) => ({ language, ...each })));

const PLACEHOLDERS = new RegExp(PLACEHOLDER_PATTERN.source, 'gu');
const withoutWhitespace = (text: string) => text.replace(/\s+/gu, '');
const withoutPlaceholders = (text: string) => text.replace(PLACEHOLDERS, '');
// Markup as a translation unit carries it: <b> is 1, </b> is 2, <i> is 3, </i> is 4.
const [bold, boldEnd, italic, italicEnd] = [1, 2, 3, 4].map(placeholder) as [string, string, string, string];

/** The sentences of `text`, checked: trimmed, none empty, and joined back they give `text` modulo whitespace. */
function split(text: string, language: string): string[] {
  const sentences = splitSentences(text, language);
  for (const sentence of sentences) assert.ok(sentence && sentence === sentence.trim(), JSON.stringify(sentence));
  assert.equal(withoutWhitespace(joinSentences(sentences, language)), withoutWhitespace(text));
  return sentences;
}

test('the golden file covers every script: Latin, Cyrillic, Arabic, Devanagari, Chinese, Japanese', () => {
  for (const language of ['en', 'fr', 'es', 'ru', 'ar', 'hi', 'ne', 'ja', 'zh-hans'])
    assert.ok(golden[language]!.length >= 3, language);
  assert.ok(everyCase.length >= 45);
});

for (const { language, case: name, text, sentences } of everyCase) {
  test(`${language}: ${name}`, () => {
    assert.deepEqual(split(text, language), sentences);
  });
}

test('blank text has no sentences', () => {
  for (const language of ['en', 'ja', 'ar'])
    for (const text of ['', ' ', '\n\t \n', '\u00a0\u3000']) assert.deepEqual(splitSentences(text, language), []);
  assert.deepEqual(joinSentences([], 'en'), '');
});

test('a placeholder right after the mark stays with its sentence; one after the space goes with the next', () => {
  assert.deepEqual(split(`${bold}The bridge fell.${boldEnd} ${italic}Nobody${italicEnd} saw it.`, 'en'), [
    `${bold}The bridge fell.${boldEnd}`,
    `${italic}Nobody${italicEnd} saw it.`,
  ]);
  assert.deepEqual(split(`She said “Go.${boldEnd}”${italicEnd} Then she left.`, 'en'), [
    `She said “Go.${boldEnd}”${italicEnd}`,
    'Then she left.',
  ]);
  assert.deepEqual(split(`Il dit : « Va-t’en !${boldEnd} »${italicEnd} Puis il partit.`, 'fr'), [
    `Il dit : « Va-t’en !${boldEnd} »${italicEnd} Puis il partit.`,
  ]);
  assert.deepEqual(split(`मैं घर गया।${boldEnd} ${bold}वह आया।`, 'hi'), [`मैं घर गया।${boldEnd}`, `${bold}वह आया।`]);
});

test('markup across a sentence end is cut with its sentences', () => {
  assert.deepEqual(split(`${bold}It rained. The bridge fell.${boldEnd} We waited.`, 'en'), [
    `${bold}It rained.`,
    `The bridge fell.${boldEnd}`,
    'We waited.',
  ]);
  assert.deepEqual(split(`هطل ${bold}المطر. هل انهار${boldEnd} الجسر؟`, 'ar'), [
    `هطل ${bold}المطر.`,
    `هل انهار${boldEnd} الجسر؟`,
  ]);
});

test('placeholders never make or hide a sentence end: after abbreviations, initials, inside numbers', () => {
  assert.deepEqual(
    split(`Mr.${bold} Smith${boldEnd} met ${bold}J. R.${boldEnd} Tolkien. Version 2.${bold}5 is out.`, 'en'),
    [`Mr.${bold} Smith${boldEnd} met ${bold}J. R.${boldEnd} Tolkien.`, `Version 2.${bold}5 is out.`],
  );
  assert.deepEqual(split(`Hello.${bold}World.`, 'en'), [`Hello.${bold}World.`]);
});

test('with nothing between sentences (Chinese, Japanese), the placeholders there go with the first', () => {
  assert.deepEqual(split(`今日は${bold}晴れ。${boldEnd}明日は雨。`, 'ja'), [
    `今日は${bold}晴れ。${boldEnd}`,
    '明日は雨。',
  ]);
  // An opening tag there cannot be told from a closing one, so it goes with the first sentence too.
  assert.deepEqual(split(`今天天气好。${bold}明天下雨。${boldEnd}`, 'zh-hans'), [
    `今天天气好。${bold}`,
    `明天下雨。${boldEnd}`,
  ]);
});

test('told which placeholders open a tag, the next sentence starts at the first of them', () => {
  const opens = (index: number) => index % 2 === 1;
  assert.deepEqual(splitSentences(`今天天气好。${bold}明天下雨。${boldEnd}`, 'zh-hans', opens), [
    '今天天气好。',
    `${bold}明天下雨。${boldEnd}`,
  ]);
  assert.deepEqual(splitSentences(`今日は${bold}晴れ。${boldEnd}${italic}明日は${italicEnd}雨。`, 'ja', opens), [
    `今日は${bold}晴れ。${boldEnd}`,
    `${italic}明日は${italicEnd}雨。`,
  ]);
  // Whitespace still decides where there is some.
  assert.deepEqual(splitSentences(`It rained.${boldEnd} ${italic}We waited.`, 'en', opens), [
    `It rained.${boldEnd}`,
    `${italic}We waited.`,
  ]);
});

test('a placeholder anywhere in a golden text changes no sentence and is never cut', () => {
  const marker = placeholder(7);
  for (const { language, text, sentences } of everyCase) {
    for (let index = 0; index <= text.length; index++) {
      const marked = text.slice(0, index) + marker + text.slice(index);
      const result = split(marked, language);
      const where = `${language} at ${index}: ${JSON.stringify(marked)}`;
      assert.deepEqual(
        result.map((sentence) => withoutPlaceholders(sentence).trim()),
        sentences,
        where,
      );
      assert.equal(result.join('').split(marker).length, 2, where);
      for (const sentence of result) assert.doesNotMatch(withoutPlaceholders(sentence), /[\uE000\uE001]/u, where);
    }
  }
});

test('a text of placeholders only is one unit', () => {
  assert.deepEqual(splitSentences(` ${placeholder(1)}${placeholder(2)} `, 'en'), [placeholder(1) + placeholder(2)]);
});

test('the placeholder format: private-use start, ASCII digits, private-use end', () => {
  assert.equal(placeholder(12), '\uE00012\uE001');
  assert.equal(PLACEHOLDER_START + '0' + PLACEHOLDER_END, placeholder(0));
  assert.equal(PLACEHOLDER_PATTERN.exec(`a${placeholder(305)}b`)?.[1], '305');
  assert.equal(PLACEHOLDER_PATTERN.test('\uE000x\uE001'), false);
});

test('joinSentences: a space, or nothing in Chinese and Japanese but after a half-width mark', () => {
  assert.equal(joinSentences(['It rained.', '', 'We waited.'], 'en'), 'It rained. We waited.');
  assert.equal(joinSentences(['मैं घर गया।', 'वह आया।'], 'ne'), 'मैं घर गया। वह आया।');
  assert.equal(joinSentences(['今日は晴れ。', '明日は雨。'], 'ja'), '今日は晴れ。明日は雨。');
  assert.equal(joinSentences(['Hello.', 'World.', '今日は。'], 'ja'), 'Hello. World. 今日は。');
  assert.equal(joinSentences([`好。${boldEnd}`, '下一个。'], 'zh-Hans'), `好。${boldEnd}下一个。`);
  assert.equal(joinSentences([`Hello.${boldEnd}`, '你好。'], 'zh-hans'), `Hello.${boldEnd} 你好。`);
});

test('segmentBlocks: paragraphs and quotes split, a heading is one unit', () => {
  assert.deepEqual(
    segmentBlocks(
      [
        { type: 'heading', text: ' The flood. What came after? ' },
        { type: 'paragraph', text: 'It rained. Mr. Okafor waited.' },
        { type: 'quote', text: 'We rebuilt it.\nTogether!' },
        { type: 'heading', text: '  ' },
        { type: 'paragraph', text: '' },
      ],
      'en',
    ),
    [['The flood. What came after?'], ['It rained.', 'Mr. Okafor waited.'], ['We rebuilt it.', 'Together!'], [], []],
  );
  assert.deepEqual(segmentBlocks([{ type: 'paragraph', text: '雨だ。「傘は？」と聞いた。' }], 'ja'), [
    ['雨だ。', '「傘は？」と聞いた。'],
  ]);
});

test('a language is matched by its primary subtag, and an unknown or malformed code still segments', () => {
  assert.deepEqual(split('Dr. Patel came. She left.', 'en-GB'), ['Dr. Patel came.', 'She left.']);
  assert.deepEqual(split('Город, т. е. Москва, вырос. Да.', 'ru-RU'), ['Город, т. е. Москва, вырос.', 'Да.']);
  assert.deepEqual(split('It rained. We waited.', 'qaa'), ['It rained.', 'We waited.']);
  assert.deepEqual(split('It rained. We waited.', 'not a language!'), ['It rained.', 'We waited.']);
});

test('a paragraph of 5,000 words is segmented in one pass and goes back together', () => {
  const sentences = [
    'Mr. Okafor met Dr. Patel on Jan. 5 at 3.30 in the U.S.',
    'They talked…',
    'Then they left!',
    `Did ${bold}they${boldEnd}?`,
    'Yes, e.g. Nairobi, i.e. Kenya.',
  ];
  const words = sentences.join(' ').split(' ').length;
  const repeats = Math.ceil(5000 / words);
  const text = Array.from({ length: repeats }, () => sentences.join(' ')).join('\n');
  assert.ok(text.split(/\s+/u).length >= 5000);
  const result = split(text, 'en');
  assert.equal(result.length, repeats * sentences.length);
  assert.deepEqual(result.slice(0, sentences.length), sentences);
  assert.equal(joinSentences(result, 'en'), text.replace(/\n/gu, ' '));
});
