import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  checkCues,
  customSubtitleLimits,
  defaultSubtitleLimits,
  effectiveSubtitleLimits,
  lineLength,
  qualityMessageKey,
  QUALITY_RULES,
  readingSpeed,
  readSubtitleLimits,
  type QualityProblem,
  type SubtitleLimits,
} from '../../../src/domain/subtitles/index.ts';

type TestCue = { id: string; startTime: number; endTime: number; text: string };
const cue = (startTime: number, endTime: number, text: string, id = ''): TestCue => ({ id, startTime, endTime, text });
const rules = (problems: QualityProblem[]) => problems.map((p) => `${p.cue}:${p.rule}`);
const check = (cues: TestCue[], language = 'en', limits: SubtitleLimits = defaultSubtitleLimits(language)) =>
  checkCues(cues, limits, language);

test('defaults follow the professional guidelines, matched by primary subtag', () => {
  assert.deepEqual(defaultSubtitleLimits('fr'), {
    maxCharsPerLine: 42,
    maxCharsPerSecond: 17,
    maxLines: 2,
    minDuration: 0.833,
    maxDuration: 7,
    minGapFrames: 2,
    frameRate: 24,
  });
  const perLanguage = (code: string) => [
    defaultSubtitleLimits(code).maxCharsPerLine,
    defaultSubtitleLimits(code).maxCharsPerSecond,
  ];
  assert.deepEqual(perLanguage('en'), [42, 20]);
  assert.deepEqual(perLanguage('en-GB'), [42, 20]);
  assert.deepEqual(perLanguage('ar'), [42, 20]);
  assert.deepEqual(perLanguage('hi'), [42, 22]);
  assert.deepEqual(perLanguage('zh'), [16, 9]);
  assert.deepEqual(perLanguage('zh-hans'), [16, 9]);
  assert.deepEqual(perLanguage('zh-Hant-TW'), [16, 9]);
  assert.deepEqual(perLanguage('ja'), [13, 4]);
  assert.deepEqual(perLanguage('JA_jp'), [13, 4]);
  assert.deepEqual(perLanguage('sw'), [42, 17]);
  assert.deepEqual(perLanguage('constructor'), [42, 17], 'no inherited object keys');
});

test('lengths count visible graphemes: tags, timestamps and entities are not characters', () => {
  assert.equal(lineLength('<v Amani><i>Hello</i></v>', 'en'), 5);
  assert.equal(lineLength('<c.yellow>Hi</c> <00:00:01.500>there', 'en'), 8);
  assert.equal(lineLength('Tom &amp; Jerry&nbsp;&lt;3', 'en'), 14);
  assert.equal(lineLength('{\\an8}Up here', 'en'), 7, 'SSA override codes in SubRip are not shown');
  assert.equal(
    lineLength('\u{1F468}\u200D\u{1F469}\u200D\u{1F467} e\u0301', 'en'),
    3,
    'a family emoji and e + combining accent are one grapheme each',
  );
  assert.equal(lineLength('नमस्ते', 'hi'), 3, 'Devanagari conjuncts are counted as clusters, not code points');
  assert.equal(lineLength('\u200fمرحبا', 'ar'), 5, 'directional marks take no room');
});

test('Chinese and Japanese count full-width characters: half-width ones are half', () => {
  assert.equal(lineLength('あいうえおかきくけこさしす', 'ja'), 13);
  assert.equal(lineLength('abcdefghijklmnopqrstuvwxyz', 'ja'), 13);
  assert.equal(lineLength('ｱｲｳｴ', 'ja'), 2, 'half-width katakana');
  assert.equal(lineLength('ＡＢ', 'ja'), 2, 'full-width Latin letters');
  assert.equal(lineLength('你好 world', 'zh-hans'), 5);
  assert.equal(lineLength('abcdefghijklmnopqrstuvwxyz', 'en'), 26);
  const japanese = defaultSubtitleLimits('ja');
  const long = { ...japanese, maxCharsPerSecond: 100 };
  assert.deepEqual(check([cue(0, 3, 'あいうえおかきくけこさしす')], 'ja', long), [], '13 full-width characters pass');
  const fourteen = check([cue(0, 3, 'あいうえおかきくけこさしすせ')], 'ja', long);
  assert.deepEqual(rules(fourteen), ['0:line_length']);
  assert.equal(fourteen[0]!.value, 14);
  assert.deepEqual(check([cue(0, 7, 'abcdefghijklmnopqrstuvwxyz')], 'ja', long), [], '26 ASCII characters count as 13');
  assert.deepEqual(rules(check([cue(0, 7, 'abcdefghijklmnopqrstuvwxyz!!')], 'ja', long)), ['0:line_length']);
});

test('reading speed: characters without line breaks over the duration, full-width aware', () => {
  assert.equal(readingSpeed(cue(0, 2, 'Hello\nworld'), 'en'), 5);
  assert.equal(readingSpeed(cue(0, 2, '<i>Hello</i>'), 'en'), 2.5);
  assert.equal(readingSpeed(cue(0, 2, 'あいうえ'), 'ja'), 2);
  assert.equal(readingSpeed(cue(0, 2, 'abcd'), 'ja'), 1);
  assert.equal(readingSpeed(cue(1, 1, 'Hi'), 'en'), Infinity);
  assert.equal(readingSpeed(cue(0, 1, ''), 'en'), 0);
  const english = check([cue(0, 1, 'Twenty one characters')], 'en');
  assert.deepEqual(rules(english), ['0:reading_speed']);
  assert.equal(english[0]!.value, 21);
  assert.equal(english[0]!.limit, 20);
  assert.equal(english[0]!.severity, 'error');
  assert.deepEqual(check([cue(0, 1, 'Twenty one characters')], 'hi'), [], 'Hindi allows 22 per second');
  assert.deepEqual(rules(check([cue(0, 1, 'Twenty one characters')], 'fr')), ['0:reading_speed'], 'French allows 17');
  assert.deepEqual(rules(check([cue(0, 1, 'あいうえお')], 'ja')), ['0:reading_speed'], 'Japanese allows 4');
});

test('line length reports each long line with its number; line count and empty cues', () => {
  const long = 'x'.repeat(43);
  const problems = check([cue(0, 5, `short\n${long}\n<i>${long}</i>`)], 'en', {
    ...defaultSubtitleLimits('en'),
    maxCharsPerSecond: 100,
  });
  assert.deepEqual(
    problems.map((p) => [p.rule, p.line, p.value, p.limit]),
    [
      ['line_length', 2, 43, 42],
      ['line_length', 3, 43, 42],
      ['line_count', undefined, 3, 2],
    ],
  );
  assert.deepEqual(
    check([cue(0, 2, `${'x'.repeat(42)}\nok`)], 'en', { ...defaultSubtitleLimits('en'), maxCharsPerSecond: 100 }),
    [],
    '42 characters pass',
  );
  const empty = check([cue(0, 2, '<i> </i>', 'e1')]);
  assert.deepEqual(
    empty.map((p) => [p.rule, p.cueId, p.severity]),
    [['empty_cue', 'e1', 'error']],
  );
});

test('durations: shorter than 5/6 s and longer than 7 s are warned about', () => {
  const limits = { ...defaultSubtitleLimits('en'), maxCharsPerSecond: 1000 };
  assert.deepEqual(check([cue(0, 0.833, 'Hi')], 'en', limits), [], '20 frames pass');
  const short = check([cue(0, 0.8, 'Hi')], 'en', limits);
  assert.deepEqual(
    short.map((p) => [p.rule, p.value, p.limit, p.severity]),
    [['min_duration', 0.8, 0.833, 'warning']],
  );
  assert.deepEqual(check([cue(0, 7, 'Hi')], 'en', limits), []);
  assert.deepEqual(
    check([cue(0, 7.5, 'Hi')], 'en', limits).map((p) => [p.rule, p.value, p.limit]),
    [['max_duration', 7.5, 7]],
  );
});

test('overlaps and gaps shorter than two frames are found between neighbours', () => {
  const limits = { ...defaultSubtitleLimits('en'), maxCharsPerSecond: 1000 };
  const problems = check(
    [cue(1, 3, 'One'), cue(2.5, 4, 'Two'), cue(4.05, 6, 'Three'), cue(6.084, 8, 'Four'), cue(8, 9, 'Five')],
    'en',
    limits,
  );
  assert.deepEqual(
    problems.map((p) => [p.cue, p.rule, p.value, p.limit, p.severity]),
    [
      [0, 'overlap', 0.5, 0, 'error'],
      [1, 'min_gap', 0.05, 0.083, 'warning'],
      [3, 'min_gap', 0, 0.083, 'warning'],
    ],
    'a gap of 84 ms (2 frames at 24 fps, in milliseconds) passes; touching cues do not',
  );
  const slow = check([cue(0, 1, 'A'), cue(1.05, 2, 'B')], 'en', { ...limits, frameRate: 25, minGapFrames: 1 });
  assert.deepEqual(slow, [], 'one frame at 25 fps is 40 ms');
});

test('tags must be balanced and nested: unclosed or stray end tags of b i u c v lang ruby rt', () => {
  const tag = (text: string) => check([cue(0, 5, text)]).find((p) => p.rule === 'unbalanced_tags')?.value ?? null;
  assert.equal(tag('<i>Hello</i> <b>and <u>you</u></b>'), null);
  assert.equal(tag('<c.loud.red>Hi</c> <lang fr>oui</lang>'), null);
  assert.equal(tag('<ruby>漢<rt>kan</rt></ruby> <ruby>字<rt>ji</ruby>'), null, '</ruby> may close an open <rt>');
  assert.equal(tag('<v Roger>Hello there'), null, 'a voice span may leave out its end tag');
  assert.equal(tag('<font color="red">red</font> 1 < 2'), null, 'other tags are not checked');
  assert.equal(tag('<i>Hello'), '<i>');
  assert.equal(tag('Hello</b>'), '</b>');
  assert.equal(tag('<b><i>crossed</b></i>'), '</b>');
  assert.equal(tag('<v Roger><i>Hello'), '<i>');
  assert.equal(tag('<I>shouting</I>'), null, 'SubRip tags in capitals');
  const [problem] = check([cue(0, 5, '<i>Hello', 'x')]).filter((p) => p.rule === 'unbalanced_tags');
  assert.equal(problem!.severity, 'error');
  assert.match(problem!.message, /<i>/);
});

test('every rule has a message key with an English message in the i18n files', () => {
  const english = JSON.parse(readFileSync(new URL('../../../i18n/en.json', import.meta.url), 'utf8')) as Record<
    string,
    string
  >;
  for (const rule of QUALITY_RULES)
    assert.ok(english[qualityMessageKey(rule)], `${rule} has ${qualityMessageKey(rule)}`);
  assert.equal(qualityMessageKey('reading_speed'), 'subtitle-quality-reading-speed');
});

test('100,000 cues are checked in one linear pass', () => {
  const cues: TestCue[] = [];
  for (let i = 0; i < 100_000; i++) {
    const start = i * 3;
    cues.push(
      cue(
        start,
        start + (i % 1000 === 0 ? 0.5 : 2),
        i % 500 === 0 ? '<i>unclosed italics' : `Cue number ${i}\n<i>second line</i>`,
        String(i + 1),
      ),
    );
  }
  const started = performance.now();
  const problems = check(cues);
  const elapsed = performance.now() - started;
  assert.equal(problems.filter((p) => p.rule === 'min_duration').length, 100);
  assert.equal(problems.filter((p) => p.rule === 'unbalanced_tags').length, 200);
  assert.equal(problems.filter((p) => p.rule === 'reading_speed').length, 100, 'the short cues are read too fast');
  assert.equal(problems.length, 400);
  assert.equal(problems.at(-1)!.cueId, '99501');
  assert.ok(elapsed < 5000, `took ${Math.round(elapsed)} ms`);
});

test('limits typed by an admin are read with their ranges; stored limits apply over the defaults', () => {
  const typed = {
    maxCharsPerLine: '15',
    maxCharsPerSecond: '4,5',
    maxLines: '2',
    minDuration: '0.833',
    maxDuration: '7',
    minGapFrames: '0',
    frameRate: '23.976',
  };
  const read = readSubtitleLimits(typed);
  assert.ok('limits' in read);
  assert.deepEqual(read.limits, {
    maxCharsPerLine: 15,
    maxCharsPerSecond: 4.5,
    maxLines: 2,
    minDuration: 0.833,
    maxDuration: 7,
    minGapFrames: 0,
    frameRate: 23.976,
  });
  const bad = readSubtitleLimits({
    ...typed,
    maxCharsPerLine: '12.5',
    maxCharsPerSecond: '-3',
    maxLines: '',
    frameRate: '1e9',
  });
  assert.ok('errors' in bad);
  assert.deepEqual(bad.errors, {
    maxCharsPerLine: { key: 'subtitle-limits-error-whole', params: [1, 200] },
    maxCharsPerSecond: { key: 'subtitle-limits-error-number', params: [1, 100] },
    maxLines: { key: 'form-error-required', params: [] },
    frameRate: { key: 'subtitle-limits-error-number', params: [1, 240] },
  });
  const order = readSubtitleLimits({ ...typed, minDuration: '9' });
  assert.deepEqual('errors' in order && order.errors, {
    minDuration: { key: 'subtitle-limits-error-order', params: [7] },
  });

  assert.deepEqual(customSubtitleLimits('ja', read.limits), {
    maxCharsPerLine: 15,
    maxCharsPerSecond: 4.5,
    minGapFrames: 0,
    frameRate: 23.976,
  });
  assert.equal(customSubtitleLimits('ja', defaultSubtitleLimits('ja')), null);
  assert.deepEqual(effectiveSubtitleLimits('ja', { maxCharsPerLine: 15 }), {
    ...defaultSubtitleLimits('ja'),
    maxCharsPerLine: 15,
  });
  assert.deepEqual(
    effectiveSubtitleLimits('ja', { maxCharsPerLine: 'x', maxLines: -1 }),
    defaultSubtitleLimits('ja'),
    'nonsense stored by hand is ignored',
  );
  assert.deepEqual(effectiveSubtitleLimits('en', null), defaultSubtitleLimits('en'));
});

test('with the video’s length, a cue ending after the video is an error naming its end and the length', () => {
  const cues = [
    { id: '', startTime: 1, endTime: 3, text: 'Inside' },
    { id: 'late', startTime: 9, endTime: 11.5, text: 'Past the end' },
  ];
  const late = checkCues(cues, defaultSubtitleLimits('en'), 'en', 10).filter(
    (problem) => problem.rule === 'past_video_end',
  );
  assert.deepEqual(
    late.map((problem) => [problem.cue, problem.cueId, problem.severity, problem.value, problem.limit]),
    [[1, 'late', 'error', 11.5, 10]],
  );
  assert.deepEqual(
    checkCues(cues, defaultSubtitleLimits('en'), 'en').filter((problem) => problem.rule === 'past_video_end'),
    [],
    'no video, no such check',
  );
});
