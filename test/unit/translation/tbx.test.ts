import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { debianTool, translateToolkitPython, withTemporaryDirectory } from '../../helpers/tools.ts';
import { readTbx, writeTbx, type GlossaryEntry } from '../../../src/domain/translation/tbx.ts';

const FIXTURES = new URL('../../fixtures/translation/tbx/', import.meta.url);

const entry = (term: string, translation: string, extra: Partial<GlossaryEntry> = {}): GlossaryEntry => ({
  term,
  translation,
  sourceLanguage: 'en',
  targetLanguage: 'fr',
  forbidden: [],
  ...extra,
});

// Every test/fixtures/translation/tbx/<name>.tbx gives exactly <name>.expected.json, read for the
// language pair that file names.
const names = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.tbx'))
  .sort();

test('every TBX fixture has a golden file', () => {
  assert.ok(names.length >= 5);
  for (const name of names) assert.ok(readFileSync(new URL(name.replace(/\.tbx$/, '.expected.json'), FIXTURES)));
});

for (const name of names) {
  test(`${name} reads as its golden file says`, () => {
    const { sourceLanguage, targetLanguage, ...expected } = JSON.parse(
      readFileSync(new URL(name.replace(/\.tbx$/, '.expected.json'), FIXTURES), 'utf8'),
    );
    assert.deepEqual(readTbx(readFileSync(new URL(name, FIXTURES), 'utf8'), sourceLanguage, targetLanguage), expected);
  });
}

const GLOSSARY = [
  entry('volunteer', 'bénévole', {
    note: 'A person who gives time.\nNot an employee.',
    partOfSpeech: 'noun',
    forbidden: ['volontaire', 'bénévol'],
  }),
  entry('story', 'قصة', { targetLanguage: 'ar' }),
  entry('translation memory', '翻訳メモリ', { targetLanguage: 'ja', forbidden: ['トランスレーションメモリー'] }),
  entry('<script>alert("x")</script>', ']]> & "quotes" \'too\'', { note: '<!-- not a comment --> &amp;' }),
];

test('round trip: Latin, Arabic, Japanese, notes, part of speech and forbidden variants come back as written', () => {
  for (const targetLanguage of ['fr', 'ar', 'ja']) {
    const entries = GLOSSARY.map((made) => ({ ...made, targetLanguage }));
    assert.deepEqual(readTbx(writeTbx(entries, 'en', targetLanguage), 'en', targetLanguage), {
      entries,
      problems: [],
    });
  }
});

test('forbidden variants follow the translation, each marked deprecatedTerm-admn-sts', () => {
  const text = writeTbx([GLOSSARY[0]!], 'en', 'fr');
  assert.match(
    text,
    /<langSet xml:lang="fr">\s*<tig>\s*<term>bénévole<\/term>\s*<\/tig>\s*<tig>\s*<term>volontaire<\/term>\s*<termNote type="administrativeStatus">deprecatedTerm-admn-sts<\/termNote>/,
  );
  assert.match(text, /<termNote type="partOfSpeech">noun<\/termNote>/);
  assert.doesNotMatch(text, /<script>|<!--/);
});

test('characters XML 1.0 cannot carry are dropped on export; language tags are matched as in TMX', () => {
  const text = writeTbx([entry('bell\u0007', 'cloche\u0000\ud800')], 'en-US', 'fr-CA');
  assert.deepEqual(readTbx(text, 'EN', 'fr').entries, [
    entry('bell', 'cloche', { sourceLanguage: 'en-US', targetLanguage: 'fr-CA' }),
  ]);
  assert.deepEqual(readTbx(text, 'en', 'fr-FR').entries, []);
});

test('broken XML gives a problem at its line and no entries', () => {
  const lines = writeTbx(GLOSSARY, 'en', 'fr').split('\n');
  const broken = lines.findIndex((line) => line.includes('<term>story</term>'));
  lines[broken] = lines[broken]!.replace('</term>', '</trem>');
  const result = readTbx(lines.join('\n'), 'en', 'fr');
  assert.deepEqual(result.entries, []);
  assert.deepEqual(
    result.problems.map((found) => [found.code, found.line, found.severity]),
    [['malformed_xml', broken + 1, 'error']],
  );
  assert.deepEqual(
    readTbx('', 'en', 'fr').problems.map((found) => found.code),
    ['not_tbx'],
  );
});

// Third-party readers.

test('xmllint accepts the TBX we write', () => {
  const xmllint = debianTool('xmllint', 'libxml2-utils');
  withTemporaryDirectory((directory) => {
    const file = join(directory, 'glossary.tbx');
    writeFileSync(file, writeTbx(GLOSSARY, 'en', 'fr'));
    const run = spawnSync(xmllint, ['--noout', file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
});

test('the Translate Toolkit reads the TBX we write: the same languages, terms, translations and notes', () => {
  const python = translateToolkitPython();
  withTemporaryDirectory((directory) => {
    const file = join(directory, 'glossary.tbx');
    writeFileSync(file, writeTbx(GLOSSARY, 'en', 'fr'));
    const script = [
      'import json, sys',
      'from translate.storage import tbx',
      'from translate.misc.xml_helpers import getXMLlang',
      'store = tbx.tbxfile(open(sys.argv[1], "rb"))',
      'units = [[[getXMLlang(node) for node in unit.getlanguageNodes()], unit.source, unit.target, unit.getnotes()] for unit in store.units]',
      'sys.stdout.write(json.dumps(units))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script, file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      JSON.parse(run.stdout),
      GLOSSARY.map((made) => [['en', 'fr'], made.term, made.translation, made.note ?? '']),
    );
  });
});

test('we read the TBX the Translate Toolkit writes (csv2tbx)', () => {
  const csv2tbx = debianTool('csv2tbx', 'translate-toolkit');
  withTemporaryDirectory((directory) => {
    const csv = ['"source","target"', '"volunteer","bénévole"', '"fish & chips <now>","سمك وبطاطا"', ''].join('\n');
    writeFileSync(join(directory, 'glossary.csv'), csv);
    const run = spawnSync(csv2tbx, [join(directory, 'glossary.csv'), join(directory, 'glossary.tbx')], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    // csv2tbx knows no target language and writes "xx" for it.
    assert.deepEqual(readTbx(readFileSync(join(directory, 'glossary.tbx'), 'utf8'), 'en', 'xx'), {
      entries: [
        entry('volunteer', 'bénévole', { targetLanguage: 'xx' }),
        entry('fish & chips <now>', 'سمك وبطاطا', { targetLanguage: 'xx' }),
      ],
      problems: [],
    });
  });
});
