import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { debianTool, translateToolkitPython, withTemporaryDirectory } from '../../helpers/tools.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { placeholder } from '../../../src/domain/translation/markers.ts';
import {
  createStrayAmpersandCheck,
  createTmxReader,
  formatTmxDate,
  languageMatches,
  parseTmxDate,
  writeTmx,
  type MemoryPair,
  type TmxReaderOptions,
} from '../../../src/domain/translation/tmx.ts';

const FIXTURES = new URL('../../fixtures/translation/tmx/', import.meta.url);

/** Reads a whole TMX text fed in chunks of `size` characters; the pairs and what close() says. */
function readTmx(text: string, options: Omit<TmxReaderOptions, 'onPair'>, size = text.length || 1) {
  const pairs: MemoryPair[] = [];
  const reader = createTmxReader({ ...options, onPair: (pair) => pairs.push(pair) });
  for (let at = 0; at < text.length; at += size) reader.write(text.slice(at, at + size));
  return { pairs, result: reader.close() };
}

const written = (pairs: MemoryPair[], sourceLanguage = 'en') => [...writeTmx(pairs, sourceLanguage)].join('');

const pair = (source: string, target: string, extra: Partial<MemoryPair> = {}): MemoryPair => ({
  sourceLanguage: 'en',
  targetLanguage: 'fr',
  source,
  target,
  ...extra,
});

// Every test/fixtures/translation/tmx/<name>.tmx, read for source "en" and every target, gives
// exactly <name>.expected.json, whether it arrives whole, in chunks of 7 characters or one by one.
// Of a file that fails only the problems count: how many pairs came before the failure depends on
// the chunks, and the caller drops them all.
const names = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.tmx'))
  .sort();

test('every TMX fixture has a golden file', () => {
  assert.ok(names.length >= 9);
  for (const name of names) assert.ok(readFileSync(new URL(name.replace(/\.tmx$/, '.expected.json'), FIXTURES)));
});

for (const name of names) {
  test(`${name} reads as its golden file says, whole and in small chunks`, () => {
    const text = readFileSync(new URL(name, FIXTURES), 'utf8');
    const expected = JSON.parse(readFileSync(new URL(name.replace(/\.tmx$/, '.expected.json'), FIXTURES), 'utf8'));
    for (const size of [text.length, 7, 1]) {
      const { pairs, result } = readTmx(text, { sourceLanguage: 'en' }, size);
      const seen = result.failed ? { failed: true, problems: result.problems } : { pairs, result };
      assert.deepEqual(JSON.parse(JSON.stringify(seen)), expected, `in chunks of ${size}`);
    }
  });
}

test('round trip: Latin, Arabic, Japanese, placeholder markers, origin and date come back as written', () => {
  const pairs = [
    pair(
      `Press ${placeholder(1)}Save${placeholder(2)} to keep ${placeholder(3)}.`,
      `Appuyez sur ${placeholder(1)}Enregistrer${placeholder(2)} ${placeholder(3)}.`,
      {
        origin: 'story:river-rising#u12',
        createdAt: new Date(Date.UTC(2024, 1, 29, 23, 59, 59)),
      },
    ),
    pair('The river rose in March.', 'ارتفع النهر في مارس.', { targetLanguage: 'ar' }),
    pair('The river rose in March.', '三月に川が増水した。', { targetLanguage: 'ja', origin: 'import' }),
    pair('  Leading and trailing spaces,\ttabs,\nline breaks and\r\nCRLF stay. ', 'Tout reste\u00a0: même\r les CR. '),
  ];
  const text = written(pairs);
  assert.match(text, /<ph x="1"\/>Save<ph x="2"\/>/);
  assert.match(text, /<tu creationdate="20240229T235959Z">/);
  assert.match(text, /<prop type="x-origin">story:river-rising#u12<\/prop>/);
  assert.deepEqual(readTmx(text, { sourceLanguage: 'en' }), {
    pairs,
    result: { problems: [], pairs: 4, skipped: 0, failed: false },
  });
  assert.deepEqual(readTmx(text, { sourceLanguage: 'en', targetLanguage: 'ja' }).pairs, [pairs[2]]);
});

test('hostile text is escaped and comes back unchanged', () => {
  const hostile = [
    '<script>alert("x")</script>',
    ']]> and <![CDATA[ not a section ]]>',
    '&amp; is text, so is & alone and &#38; and &lt;',
    `"double" and 'single' quotes`,
    '<!-- not a comment --> <?php not a PI ?> <!DOCTYPE x>',
    '\uE000 a lone marker opener, \uE001 a closer, \uE000x\uE001 not a number',
    '😀 astral characters and U+FEFF \ufeff inside',
  ];
  const pairs = hostile.map((text) => pair(text, text, { origin: text, sourceLanguage: 'en"><evil a="' }));
  const text = written(pairs);
  assert.doesNotMatch(text, /<script>|<!--|<\?php|<!\[CDATA\[/);
  const { pairs: read, result } = readTmx(text, { sourceLanguage: 'en"><evil a="', targetLanguage: 'fr' });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(read, pairs);
});

test('characters XML 1.0 cannot carry are dropped on export, not refused; the rest of the text is kept', () => {
  const text = written([pair('Bell\u0007, NUL\u0000, ESC\u001b, FFFE\ufffe, lone \ud800 surrogate', 'Cloche\u0001')]);
  // No such character, and no character reference but those of tab, LF and CR.
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|&#(?!(?:9|10|13);)/);
  assert.deepEqual(readTmx(text, { sourceLanguage: 'en' }).pairs, [
    pair('Bell, NUL, ESC, FFFE, lone  surrogate', 'Cloche'),
  ]);
});

test('markers are written as <ph x="N"/>; foreign inline codes other than a numbered <ph> leave no text', () => {
  const text = written([pair(`${placeholder(0)}${placeholder(12)}x`, `y${placeholder(12)}`)]);
  assert.match(text, /<seg><ph x="0"\/><ph x="12"\/>x<\/seg>/);
  assert.match(text, /<seg>y<ph x="12"\/><\/seg>/);
  const foreign = written([pair('a', 'b')]).replace(
    '<seg>a</seg>',
    '<seg>a<bpt i="1" x="7">&lt;b&gt;</bpt>b<ept i="1">&lt;/b&gt;</ept><ph x="x1">{x}</ph><ph x="4"><sub>alt</sub></ph><hi>c</hi></seg>',
  );
  assert.deepEqual(readTmx(foreign, { sourceLanguage: 'en' }).pairs, [pair(`ab${placeholder(4)}c`, 'b')]);
});

test('a unit with several targets gives one pair per target; the target language filters them', () => {
  const text = readFileSync(new URL('multilingual.tmx', FIXTURES), 'utf8');
  const french = readTmx(text, { sourceLanguage: 'EN', targetLanguage: 'FR' });
  assert.deepEqual(
    french.pairs.map((found) => [found.targetLanguage, found.target]),
    [['fr', 'La rivière a monté en mars.']],
  );
  // "fr" matches "fr-CA" too: its segment is empty, so it is skipped with a warning.
  assert.deepEqual(
    french.result.problems.map((found) => [found.code, found.line]),
    [
      ['empty_segment', 10],
      ['missing_target', 12],
      ['missing_source', 15],
      ['bad_date', 19],
      ['missing_language', 20],
      ['empty_segment', 21],
      ['missing_target', 24],
    ],
  );
  assert.equal(readTmx(text, { sourceLanguage: 'en', targetLanguage: 'ja' }).pairs.length, 2);
  assert.equal(readTmx(text, { sourceLanguage: 'de', targetLanguage: 'fr' }).pairs.length, 1);
});

test('language tags: case ignored; a bare primary subtag matches its regions, two regions do not match', () => {
  assert.ok(languageMatches('en', 'EN-us'));
  assert.ok(languageMatches('en-US', 'en'));
  assert.ok(languageMatches('pt_BR', 'PT-br'));
  assert.ok(languageMatches('zh', 'zh-Hant'));
  assert.ok(!languageMatches('en-GB', 'en-US'));
  assert.ok(!languageMatches('zh-Hans', 'zh-Hant'));
  assert.ok(!languageMatches('en', 'eng'));
  assert.ok(!languageMatches('en', ''));
});

test('TMX dates: written in UTC as YYYYMMDDThhmmssZ; impossible days are refused', () => {
  assert.equal(formatTmxDate(new Date(Date.UTC(2025, 11, 31, 23, 5, 9, 999))), '20251231T230509Z');
  assert.deepEqual(parseTmxDate('20240229T120000Z'), new Date(Date.UTC(2024, 1, 29, 12)));
  assert.equal(parseTmxDate('20230229T120000Z'), null);
  assert.equal(parseTmxDate('2024-02-29T12:00:00Z'), null);
  const text = written([pair('a', 'b', { createdAt: new Date(Number.NaN) })]);
  assert.match(text, /<tu>/);
});

test('broken XML stops the reader with the line of the break, also when it falls across chunks', () => {
  const pairs = Array.from({ length: 300 }, (_, index) => pair(`Sentence ${index}.`, `Phrase ${index}.`));
  const lines = written(pairs).split('\n');
  const broken = lines.findIndex((line) => line.includes('Sentence 250.'));
  lines[broken] = lines[broken]!.replace('</seg>', '</sag>');
  for (const size of [65536, 4096, 333]) {
    const { pairs: read, result } = readTmx(lines.join('\n'), { sourceLanguage: 'en' }, size);
    assert.equal(result.failed, true);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]!.code, 'malformed_xml');
    assert.equal(result.problems[0]!.line, broken + 1);
    assert.ok(read.length <= 250, 'no pair after the break is handed over');
  }
  const stray = written(pairs).replace('Sentence 100.', 'Sentence & 100.');
  const strayLine = stray.split('\n').findIndex((line) => line.includes('Sentence & 100.')) + 1;
  for (const size of [65536, 5, 1]) {
    const { result } = readTmx(stray, { sourceLanguage: 'en' }, size);
    assert.deepEqual(
      result.problems.map((found) => [found.code, found.line, found.column]),
      [['malformed_xml', strayLine, 40]],
      `in chunks of ${size}`,
    );
  }
});

test('the stray "&" check passes references, comments, CDATA and processing instructions, and counts CRLF as one line', () => {
  const check = (text: string, size = text.length) => {
    const ampersands = createStrayAmpersandCheck();
    for (let at = 0; at < text.length; at += size) {
      const found = ampersands.feed(text.slice(at, at + size));
      if (found) return [found.line, found.column];
    }
    const found = ampersands.feed('', true);
    return found && [found.line, found.column];
  };
  const fine = '<a b="&quot;&#x41;">&amp;&#169;&é;<!-- & --><![CDATA[ & ]]><?pi & ?></a>';
  for (const size of [fine.length, 1, 2, 3]) assert.equal(check(fine, size), null);
  for (const size of [100, 1, 4]) {
    assert.deepEqual(check('<a>\r\n\r\nx & y</a>', size), [3, 3]);
    assert.deepEqual(check('<a>\r\r\n&#xZZ;</a>', size), [3, 1]);
    assert.deepEqual(check('<a>&amp</a>', size), [1, 4]);
    assert.deepEqual(check('<a>&amp', size), [1, 4]);
  }
});

test('warnings stop being listed after maxProblems; errors are always listed', () => {
  const body = Array.from({ length: 20 }, () => '<tu><tuv xml:lang="en"><seg>alone</seg></tuv></tu>').join('\n');
  const text = `<tmx version="1.4"><header/><body>\n${body}\n<tu></tmx>`;
  const { pairs, result } = readTmx(text, { sourceLanguage: 'en', maxProblems: 5 }, 16);
  assert.equal(result.skipped, 20);
  assert.equal(pairs.length, 0);
  assert.deepEqual(
    result.problems.map((found) => found.code),
    [
      'missing_target',
      'missing_target',
      'missing_target',
      'missing_target',
      'missing_target',
      'too_many_problems',
      'malformed_xml',
    ],
  );
});

test('a unit closed by a wrong end tag is never handed over; an exception thrown by onPair reaches the caller', () => {
  const unclosed = written([pair('Kept?', 'Non.')]).replace('    </tu>\n', '');
  for (const size of [unclosed.length, 1]) {
    const { pairs, result } = readTmx(unclosed, { sourceLanguage: 'en' }, size);
    assert.deepEqual(pairs, []);
    assert.deepEqual(
      result.problems.map((found) => [found.code, found.line]),
      [['malformed_xml', 8]],
    );
  }
  const reader = createTmxReader({
    sourceLanguage: 'en',
    onPair: () => {
      throw new Error('the store is down');
    },
  });
  assert.throws(() => reader.write(written([pair('a', 'b')])), /the store is down/);
});

test('an empty document, a BOM and a closed reader', () => {
  assert.deepEqual(
    readTmx('', { sourceLanguage: 'en' }).result.problems.map((found) => found.code),
    ['not_tmx'],
  );
  const withBom = `\ufeff${written([pair('a', 'b')])}`;
  assert.deepEqual(readTmx(withBom, { sourceLanguage: 'en' }, 1).pairs, [pair('a', 'b')]);
  const reader = createTmxReader({ sourceLanguage: 'en', onPair: () => {} });
  reader.write(written([]));
  assert.deepEqual(reader.close(), { problems: [], pairs: 0, skipped: 0, failed: false });
  assert.throws(() => reader.write('<tmx/>'), /closed/);
});

test('a 50 MB export is written and read back in 64 KB chunks with flat memory', () => {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const count = 180_000;
  function* generated(): Generator<MemoryPair> {
    for (let index = 0; index < count; index++)
      yield pair(
        `Volunteers recorded village number ${index} before the rains ${placeholder(1)}came${placeholder(2)}.`,
        index % 3 === 0
          ? `سجّل المتطوعون القرية رقم ${index} قبل الأمطار.`
          : index % 3 === 1
            ? `ボランティアは雨の前に村${index}を記録した。`
            : `Les bénévoles ont noté le village ${index} avant les pluies.`,
        { targetLanguage: ['ar', 'ja', 'fr'][index % 3]!, origin: `story:${index % 97}` },
      );
  }
  collect();
  const baseline = process.memoryUsage().heapUsed;
  let peak = 0;
  let bytes = 0;
  let chunks = 0;
  let read = 0;
  let checksum = 0;
  const reader = createTmxReader({
    sourceLanguage: 'en',
    onPair: (found) => {
      read++;
      checksum += found.target.length;
    },
  });
  let pending = '';
  const feed = (chunk: string) => {
    bytes += Buffer.byteLength(chunk);
    reader.write(chunk);
    if (++chunks % 64 === 0) {
      collect();
      peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    }
  };
  for (const chunk of writeTmx(generated(), 'en')) {
    pending += chunk;
    while (pending.length >= 65536) {
      feed(pending.slice(0, 65536));
      pending = pending.slice(65536);
    }
  }
  feed(pending);
  const result = reader.close();
  let expected = 0;
  for (const made of generated()) expected += made.target.length;
  assert.ok(bytes > 50 * 1024 * 1024, `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  assert.deepEqual(result, { problems: [], pairs: count, skipped: 0, failed: false });
  assert.equal(read, count);
  assert.equal(checksum, expected);
  assert.ok(peak < 100 * 1024 * 1024, `the heap grew by ${(peak / 1024 / 1024).toFixed(1)} MB while reading`);
});

// Third-party readers: what we write must be read by them, and what they write by us.

const THIRD_PARTY_PAIRS = [
  pair(
    `Press ${placeholder(1)}Save${placeholder(2)} & wait <now>.`,
    `Appuyez sur ${placeholder(1)}Enregistrer${placeholder(2)} & attendez.`,
    {
      origin: 'story:1',
      createdAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    },
  ),
  pair('The river rose in March.', 'ارتفع النهر في مارس.', { targetLanguage: 'ar' }),
  pair('"Quotes" and ]]> and \'apostrophes\'', '三月に川が増水した。', { targetLanguage: 'ja' }),
];

test('xmllint accepts the TMX we write', () => {
  const xmllint = debianTool('xmllint', 'libxml2-utils');
  withTemporaryDirectory((directory) => {
    const file = join(directory, 'memory.tmx');
    writeFileSync(file, written(THIRD_PARTY_PAIRS));
    const run = spawnSync(xmllint, ['--noout', file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
});

test('the Translate Toolkit reads the TMX we write: the same languages, sources and targets (markers as empty codes)', () => {
  const python = translateToolkitPython();
  withTemporaryDirectory((directory) => {
    const file = join(directory, 'memory.tmx');
    writeFileSync(file, written(THIRD_PARTY_PAIRS));
    const script = [
      'import json, sys',
      'from translate.storage import tmx',
      'from translate.misc.xml_helpers import getXMLlang',
      'store = tmx.tmxfile(open(sys.argv[1], "rb"))',
      'units = [[[getXMLlang(node) for node in unit.getlanguageNodes()], unit.source, unit.target] for unit in store.units]',
      'sys.stdout.write(json.dumps(units))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script, file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const unmarked = (text: string) => text.replace(/\uE000\d+\uE001/g, '');
    assert.deepEqual(
      JSON.parse(run.stdout),
      THIRD_PARTY_PAIRS.map((made) => [
        [made.sourceLanguage, made.targetLanguage],
        unmarked(made.source),
        unmarked(made.target),
      ]),
    );
  });
});

test('we read the TMX the Translate Toolkit writes (po2tmx)', () => {
  const po2tmx = debianTool('po2tmx', 'translate-toolkit');
  withTemporaryDirectory((directory) => {
    const po = [
      'msgid ""',
      'msgstr ""',
      '"Content-Type: text/plain; charset=UTF-8\\n"',
      '',
      'msgid "Fish & chips <b>now</b>"',
      'msgstr "سمك وبطاطا <b>الآن</b>"',
      '',
      'msgid "Line one\\nline two"',
      'msgstr "السطر الأول\\nالسطر الثاني"',
      '',
      '#, fuzzy',
      'msgid "A fuzzy one is left out by po2tmx"',
      'msgstr "غامض"',
      '',
    ].join('\n');
    writeFileSync(join(directory, 'story.po'), po);
    const run = spawnSync(
      po2tmx,
      ['--language=ar-EG', '--source-language=en', join(directory, 'story.po'), join(directory, 'story.tmx')],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    const { pairs, result } = readTmx(readFileSync(join(directory, 'story.tmx'), 'utf8'), {
      sourceLanguage: 'en',
      targetLanguage: 'ar',
    });
    assert.deepEqual(result, { problems: [], pairs: 2, skipped: 0, failed: false });
    assert.deepEqual(pairs, [
      pair('Fish & chips <b>now</b>', 'سمك وبطاطا <b>الآن</b>', { targetLanguage: 'ar-EG' }),
      pair('Line one\nline two', 'السطر الأول\nالسطر الثاني', { targetLanguage: 'ar-EG' }),
    ]);
  });
});
