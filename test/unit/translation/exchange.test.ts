import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  ExchangeWriteError,
  type ExchangeDocument,
  type ExchangeProblem,
  type ExchangeUnit,
} from '../../../src/domain/translation/exchange.ts';
import { placeholder as m } from '../../../src/domain/translation/markers.ts';
import { readPo, writePo } from '../../../src/domain/translation/po.ts';
import { readXliff, writeXliff } from '../../../src/domain/translation/xliff.ts';
import { arabic, french, japanese } from '../../fixtures/translation/exchange/documents.ts';

const FIXTURES = new URL('../../fixtures/translation/exchange/', import.meta.url);
const golden = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const XLIFF_NAMESPACE = 'urn:oasis:names:tc:xliff:document:2.0';

type ReadResult = { document: ExchangeDocument } | { problems: ExchangeProblem[] };

function problemsOf(result: ReadResult): ExchangeProblem[] {
  assert.ok('problems' in result, 'expected problems, got a document');
  return result.problems;
}

/** A document of one unit "u1", for the cases that need no more. */
function single(unit: Partial<ExchangeUnit>, document: Partial<ExchangeDocument> = {}): ExchangeDocument {
  return {
    story: 'a-story',
    sourceLanguage: 'en',
    targetLanguage: 'fr',
    sourceVersion: {},
    units: [{ id: 'u1', source: 'Text.', target: '', markers: {}, state: 'initial', ...unit }],
    ...document,
  };
}

const pair = { 0: { role: 'open', label: 'em' }, 1: { role: 'close', label: 'em' } } as const;

// Debian packages of the tools the third-party checks run; the test runner installs them.
const PACKAGES = {
  xmllint: 'libxml2-utils',
  msgfmt: 'gettext',
  pocount: 'translate-toolkit',
  pofilter: 'translate-toolkit',
};
let workDirectory: string | undefined;
after(() => {
  if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  workDirectory ??= mkdtempSync(join(tmpdir(), 'storyhub-exchange-'));
  const path = join(workDirectory, name);
  writeFileSync(path, text);
  return path;
}

function run(tool: keyof typeof PACKAGES, args: string[]) {
  // The C locale keeps the tools' messages in English whatever the machine's language.
  const result = spawnSync(tool, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    assert.fail(
      `${tool} is not installed: install the Debian package ${PACKAGES[tool]} (apt-get install ${PACKAGES[tool]}).`,
    );
  return result;
}

test('golden files: the French story as XLIFF 2.0 and as PO, and read back', () => {
  assert.equal(writeXliff(french), golden('the-river-school.fr.xlf'));
  assert.equal(writePo(french), golden('the-river-school.fr.po'));
  assert.deepEqual(readXliff(golden('the-river-school.fr.xlf')), { document: french });
  assert.deepEqual(readPo(golden('the-river-school.fr.po')), { document: french });
});

test('round trips give back Latin, Arabic and Japanese documents exactly, units in story order', () => {
  for (const document of [french, arabic, japanese]) {
    assert.deepEqual(readXliff(writeXliff(document)), { document }, document.targetLanguage);
    assert.deepEqual(readPo(writePo(document)), { document }, document.targetLanguage);
  }
  // Windows line ends and a byte order mark, as some editors save files.
  const crlf = (text: string) => '\uFEFF' + text.replaceAll('\n', '\r\n');
  assert.deepEqual(readXliff(crlf(writeXliff(arabic))), { document: arabic });
  assert.deepEqual(readPo(crlf(writePo(arabic))), { document: arabic });
});

const HOSTILE = `<script>alert("x")</script> & &amp; ]]> <![CDATA[ y ]]> 'q' \u0001\u0008\u000B\u000C\u001B\u007F\u0085\uFFFE\uFFFF \r\n\r \t end`;

test('XLIFF: markup-like text is escaped and characters XML cannot carry become <cp>', () => {
  const document = single({
    source: `${HOSTILE} \u0000 ${m(0)}x${m(1)}`,
    target: `${m(0)}y${m(1)} ${HOSTILE}`,
    markers: {
      0: { role: 'open', label: 'link https://x.org/?a=1&b="<2>"\t\u0001' },
      1: { role: 'close', label: ']]>' },
    },
    state: 'reviewed',
    note: `<b>note</b> & "]]>"\r\n`,
  });
  const xliff = writeXliff(document);
  assert.doesNotMatch(xliff, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|<script|\]\]>/u);
  for (const written of [
    '<cp hex="0000"/>',
    '<cp hex="0001"/>',
    '<cp hex="FFFF"/>',
    '&#13;',
    '&lt;script&gt;',
    ']]&gt;',
  ])
    assert.ok(xliff.includes(written), written);
  assert.deepEqual(readXliff(xliff), { document });
  const lint = run('xmllint', ['--noout', file('hostile.xlf', xliff)]);
  assert.equal(lint.status, 0, lint.stderr);
});

test('PO: tags and text that looks like them survive, and other text is left as it is', () => {
  const literal = String.raw`<1> </2> <12> \<1> \\ \ a < b > c {1}{/1} <b>x</b> <0 <x> ends with \\`;
  const document = single({
    source: `${literal}${m(0)}inside \\${m(1)} ${HOSTILE}`,
    target: `${m(0)}dedans\\${m(1)}${literal} ${HOSTILE}`,
    markers: { 0: { role: 'open', label: 'link https://x.org/?a=1&b="<2>"' }, 1: { role: 'close', label: 'link' } },
    state: 'final',
    note: 'Keep <1> as it is.',
  });
  const text = writePo(document);
  // The visible text only changes where it would read as a tag: "\<1>" for a literal "<1>" (PO doubles each "\").
  assert.ok(text.includes(String.raw`"\\<1> \\</2> \\<12> \\\\\\<1> \\\\\\ \\ a < b > c {1}{/1} <b>x</b> <0 <x> "`));
  assert.ok(text.includes(String.raw`<0>inside \\\\</0>`));
  assert.deepEqual(readPo(text), { document });
  const check = run('msgfmt', ['--check', '-o', '/dev/null', file('hostile.po', text)]);
  assert.equal(check.status, 0, check.stderr);
});

test('an overlapping or reordered translation is kept; isolated markers stay isolated', () => {
  const document = single({
    source: `${m(0)}a ${m(1)}b${m(2)} c${m(3)} ${m(4)}d`,
    target: `${m(1)}B ${m(0)}A${m(2)} C${m(3)} ${m(4)}D`,
    markers: {
      0: { role: 'open', label: 'link' },
      1: { role: 'open', label: 'em' },
      2: { role: 'close', label: 'em' },
      3: { role: 'close', label: 'link' },
      4: { role: 'open', label: 'strong' },
    },
    state: 'translated',
  });
  const xliff = writeXliff(document);
  assert.ok(xliff.includes('<sc id="4" isolated="yes" dataRef="m4"/>D</target>'));
  assert.deepEqual(readXliff(xliff), { document });
  assert.deepEqual(readPo(writePo(document)), { document });
});

test('writers refuse what they cannot carry exactly, naming the unit', () => {
  const both = [writeXliff, writePo];
  const refused = (write: (document: ExchangeDocument) => string, document: ExchangeDocument, message: RegExp) =>
    assert.throws(
      () => write(document),
      (error) => error instanceof ExchangeWriteError && message.test(error.message),
    );
  for (const write of both) {
    refused(write, single({ target: 'half \uD800 a surrogate' }), /u1.*surrogate/);
    refused(write, single({ source: 'broken \uE000 marker' }), /u1.*broken placeholder/);
    refused(write, single({ source: `${m(0)}x` }), /u1.*Marker 0 of the source is not in its list/);
    refused(write, single({ source: `${m(0)}x${m(1)}`, markers: pair, target: `${m(7)}y` }), /u1.*marker 7/);
    refused(write, single({ source: `${m(0)}x${m(0)}`, markers: { 0: pair[0] } }), /u1.*marker twice/);
    refused(write, single({ state: 'done' as ExchangeUnit['state'] }), /u1.*Unknown state/);
    refused(write, { ...single({}), units: [single({}).units[0]!, single({}).units[0]!] }, /u1.*Two units/);
    refused(write, single({}, { sourceVersion: { u9: 'v1' } }), /unit "u9"/);
    refused(write, single({}, { targetLanguage: 'fr FR' }), /not a BCP 47 tag/);
    refused(write, single({}, { story: 'a\nstory' }), /slug/);
  }
  // XLIFF ids are name tokens; PO takes any id.
  refused(writeXliff, single({ id: 'unit 1' }), /unit 1.*letters, digits/);
  assert.deepEqual(readPo(writePo(single({ id: 'unit 1' }))), { document: single({ id: 'unit 1' }) });
  // A note or version token is plain XML text, where <cp> cannot stand; PO comments take them.
  refused(writeXliff, single({ note: 'bell \u0007' }), /u1.*U\+0007/);
  assert.deepEqual(readPo(writePo(single({ note: 'bell \u0007' }))), { document: single({ note: 'bell \u0007' }) });
  // XLIFF pairs a target's codes as in the source: both halves, opening first.
  refused(writeXliff, single({ source: `${m(0)}x${m(1)}`, markers: pair, target: `${m(1)}y${m(0)}` }), /closes before/);
  refused(writeXliff, single({ source: `${m(0)}x${m(1)}`, markers: pair, target: `${m(0)}y` }), /without its partner/);
  assert.deepEqual(readPo(writePo(single({ source: `${m(0)}x${m(1)}`, markers: pair, target: `${m(1)}y${m(0)}` }))), {
    document: single({ source: `${m(0)}x${m(1)}`, markers: pair, target: `${m(1)}y${m(0)}` }),
  });
  // PO: NUL ends a string in compiled catalogs, and a label is one comment line; XLIFF carries both.
  refused(writePo, single({ target: 'a\u0000b' }), /u1.*NUL/);
  refused(writePo, single({ source: `${m(0)}x`, markers: { 0: { role: 'open', label: 'two\nlines' } } }), /one line/);
  const inXliff = single({
    target: 'a\u0000b',
    source: `${m(0)}x`,
    markers: { 0: { role: 'open', label: 'two\nlines' } },
  });
  assert.deepEqual(readXliff(writeXliff(inXliff)), { document: inXliff });
});

const xliff = (units: string, root = `<xliff xmlns="${XLIFF_NAMESPACE}" version="2.0" srcLang="en" trgLang="fr">`) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n<file id="f1" original="s">\n${units}\n</file>\n</xliff>\n`;
const EM = '<originalData><data id="m0">em</data><data id="m1">em</data></originalData>';

test('broken XLIFF gives problems with line, column and unit, never an exception', () => {
  const cases: Array<[string, string, Partial<ExchangeProblem>]> = [
    ['', 'empty', { code: 'malformed_xml', line: 1, column: 1 }],
    ['plain text', 'text', { code: 'malformed_xml', line: 1 }],
    [
      xliff('<unit id="u1"><segment><source>a &nbsp; b</source></segment></unit>'),
      'entity',
      { code: 'malformed_xml', line: 4, column: 39 },
    ],
    [xliff('<unit id="u1"><segment><source>a</segment></unit>'), 'unclosed', { code: 'malformed_xml', line: 4 }],
    [
      `<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<xliff xmlns="${XLIFF_NAMESPACE}" version="2.0" srcLang="en" trgLang="fr"><file id="f" original="s"><unit id="u"><segment><source>&b;</source></segment></unit></file></xliff>`,
      'entity expansion',
      { code: 'malformed_xml', line: 3 },
    ],
    [
      xliff('', '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'),
      'XLIFF 1.2',
      { code: 'not_xliff', line: 2, column: 1 },
    ],
    [
      xliff('', `<xliff version="2.0" srcLang="en" trgLang="fr">`),
      'no namespace',
      { code: 'not_xliff', line: 2, column: 1 },
    ],
    [
      xliff('', `<xliff xmlns="${XLIFF_NAMESPACE}" version="3.0" srcLang="en" trgLang="fr">`),
      'version',
      { code: 'unsupported_version', line: 2, column: 1 },
    ],
    [
      xliff('', `<xliff xmlns="${XLIFF_NAMESPACE}" version="2.0" srcLang="en">`),
      'no trgLang',
      { code: 'missing_attribute', line: 2, column: 1 },
    ],
    [
      xliff('<unit><segment><source>a</source></segment></unit>'),
      'no unit id',
      { code: 'missing_attribute', line: 4, column: 1 },
    ],
    [
      xliff(
        '<unit id="u1"><segment><source>a</source></segment></unit>\n  <unit id="u1"><segment><source>b</source></segment></unit>',
      ),
      'duplicate ids',
      { code: 'duplicate_unit_id', line: 5, column: 3, unit: 'u1' },
    ],
    [
      xliff('<unit id="u1"><segment><source>a <ph id="1"/> b</source></segment></unit>'),
      'ph',
      { code: 'unknown_inline_code', line: 4, column: 34, unit: 'u1' },
    ],
    [
      xliff(
        `<unit id="u1">${EM}<segment><source><sc id="0" dataRef="m0"/>a<ec startRef="0" dataRef="m1"/></source>\n<target>b<sc id="7" dataRef="m7"/></target></segment></unit>`,
      ),
      'target code not in source',
      { code: 'marker_not_in_source', line: 5, column: 10, unit: 'u1' },
    ],
    [
      xliff('<unit id="u1"><segment state="done"><source>a</source></segment></unit>'),
      'state',
      { code: 'bad_attribute', line: 4, column: 15, unit: 'u1' },
    ],
    [
      xliff('<unit id="u1"><segment><source><sc id="0" isolated="yes" dataRef="m0"/>a</source></segment></unit>'),
      'no data',
      { code: 'missing_data', line: 4, column: 32, unit: 'u1' },
    ],
    [
      xliff(`<unit id="u1">${EM}<segment><source><sc id="0" dataRef="m0"/>a</source></segment></unit>`),
      'unpaired',
      { code: 'unpaired_code', unit: 'u1' },
    ],
    [
      xliff('<unit id="u1"><segment><source>a \uE000 b</source></segment></unit>'),
      'reserved',
      { code: 'reserved_character', line: 4, unit: 'u1' },
    ],
    [
      xliff('<unit id="u1"><segment><source>a</source></segment><segment><source>b</source></segment></unit>'),
      'two segments',
      { code: 'multiple_segments', unit: 'u1' },
    ],
    [xliff('<unit id="u1"></unit>'), 'no segment', { code: 'missing_segment', line: 4, column: 1, unit: 'u1' }],
    [
      xliff('<unit id="u1"><segment><source>a<cp hex="D800"/></source></segment></unit>'),
      'surrogate cp',
      { code: 'bad_attribute', unit: 'u1' },
    ],
    [xliff('</file><file id="f2" original="t">'), 'two files', { code: 'multiple_files', line: 4 }],
  ];
  for (const [text, name, expected] of cases) {
    const problems = problemsOf(readXliff(text));
    assert.ok(
      problems.some((problem) =>
        Object.entries(expected).every(([key, value]) => problem[key as keyof ExchangeProblem] === value),
      ),
      `${name}: ${JSON.stringify(problems)}`,
    );
    for (const problem of problems) assert.ok(problem.line >= 1 && problem.column >= 1 && problem.message, name);
  }
});

test("XLIFF as a tool may save it: <pc> for a pair, annotations, and other tools' notes", () => {
  const text = xliff(
    `<unit id="u1"><notes><note category="comment">Translator: check this</note></notes>${EM}<segment state="final"><source><sc id="0" dataRef="m0"/>a<ec startRef="0" dataRef="m1"/></source><target><mrk id="c1" type="comment" value="ok"><pc id="0" dataRefStart="m0" dataRefEnd="m1">b</pc></mrk>!</target></segment></unit>`,
  );
  assert.deepEqual(readXliff(text), {
    document: {
      story: 's',
      sourceLanguage: 'en',
      targetLanguage: 'fr',
      sourceVersion: {},
      units: [{ id: 'u1', source: `${m(0)}a${m(1)}`, target: `${m(0)}b${m(1)}!`, markers: pair, state: 'final' }],
    },
  });
});

const po = (entries: string) =>
  `msgid ""\nmsgstr ""\n"Language: fr\\n"\n"X-Source-Language: en\\n"\n"X-Storyhub-Story: s\\n"\n\n${entries}`;

test('broken PO gives problems with line, column and unit, never an exception', () => {
  const cases: Array<[string, string, Partial<ExchangeProblem>]> = [
    ['', 'empty', { code: 'missing_header', line: 1, column: 1 }],
    ['msgctxt "u1"\nmsgid "a"\nmsgstr "b"\n', 'no header', { code: 'missing_header', line: 1, column: 1 }],
    [po('msgctxt "u1"\nmsgid "a"\nmsgstr "b\n'), 'unterminated string', { code: 'po_syntax', line: 9, column: 8 }],
    [po('msgctxt "u1" x\nmsgid "a"\nmsgstr "b"\n'), 'text after a string', { code: 'po_syntax', line: 7, column: 13 }],
    [po('msgctxt "u1"\nmsgid "a"\n  hello\nmsgstr "b"\n'), 'not PO', { code: 'po_syntax', line: 9, column: 3 }],
    [
      po('msgctxt "u1"\nmsgid "a"\n\nmsgctxt "u2"\nmsgid "b"\nmsgstr ""\n'),
      'no msgstr',
      { code: 'po_syntax', line: 7 },
    ],
    [po('msgid "a"\nmsgstr "b"\n'), 'no msgctxt', { code: 'missing_msgctxt', line: 7, column: 1 }],
    [
      po('msgctxt "u1"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "u1"\nmsgid "c"\nmsgstr "d"\n'),
      'duplicate ids',
      { code: 'duplicate_unit_id', line: 11, column: 1, unit: 'u1' },
    ],
    [
      po('#. tag <0> (0): em\n#. tag </0> (1): em\nmsgctxt "u1"\nmsgid "a <0>b</0>"\nmsgstr ""\n"x <9>y"\n'),
      'tag not in source',
      { code: 'marker_not_in_source', line: 12, column: 4, unit: 'u1' },
    ],
    [
      po('msgctxt "u1"\nmsgid "a <0>b"\nmsgstr ""\n'),
      'undescribed tag',
      { code: 'unknown_marker', line: 8, column: 10, unit: 'u1' },
    ],
    [
      po('#. tag <0> (0): em\nmsgctxt "u1"\nmsgid "a"\nmsgstr ""\n'),
      'described tag missing',
      { code: 'bad_comment', line: 7, unit: 'u1' },
    ],
    [
      po('#. state: done\nmsgctxt "u1"\nmsgid "a"\nmsgstr "b"\n'),
      'bad state',
      { code: 'bad_comment', line: 7, unit: 'u1' },
    ],
    [
      po('msgctxt "u1"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "bs"\n'),
      'plural',
      { code: 'plural_entry', line: 7 },
    ],
    [
      po('msgctxt "u1"\nmsgid "a \uE000"\nmsgstr ""\n'),
      'reserved',
      { code: 'reserved_character', line: 8, column: 10, unit: 'u1' },
    ],
    [
      'msgid ""\nmsgstr ""\n"X-Source-Language: en\\n"\n"X-Storyhub-Story: s\\n"\n',
      'no Language',
      { code: 'missing_header', line: 1, column: 1 },
    ],
    [
      'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n"Language: fr\\n"\n"X-Source-Language: en\\n"\n"X-Storyhub-Story: s\\n"\n',
      'charset',
      { code: 'unsupported_charset', line: 1 },
    ],
  ];
  for (const [text, name, expected] of cases) {
    const problems = problemsOf(readPo(text));
    assert.ok(
      problems.some((problem) =>
        Object.entries(expected).every(([key, value]) => problem[key as keyof ExchangeProblem] === value),
      ),
      `${name}: ${JSON.stringify(problems)}`,
    );
    for (const problem of problems) assert.ok(problem.line >= 1 && problem.column >= 1 && problem.message, name);
  }
});

test('PO as a translator edits it: the fuzzy flag and the translation decide the state', () => {
  const edited = writePo(french)
    .replace('#, fuzzy\nmsgctxt "u1"', 'msgctxt "u1"') // draft confirmed
    .replace('msgstr "L\'école de la rivière"', 'msgstr ""') // title cleared
    .replace('msgctxt "12"', '#, fuzzy\nmsgctxt "12"') // reviewed unit marked as needing work
    .replace(
      'msgid "<6>Ask <7>Amina</7> at the school</6>."\nmsgstr ""',
      'msgid "<6>Ask <7>Amina</7> at the school</6>."\nmsgstr "<6>Demandez à <7>Amina</7> à l\'école</6>."',
    );
  // An obsolete entry a tool kept is left out; comment lines a tool reordered still read.
  const reordered = edited.replace(
    '#. source-version: v2-3f9a\n#. state: translated',
    '#. state: translated\n#. source-version: v2-3f9a',
  );
  assert.notEqual(reordered, edited);
  const result = readPo(reordered + '\n#~ msgctxt "old"\n#~ msgid "Gone."\n#~ msgstr "Parti."\n');
  assert.ok('document' in result, JSON.stringify(result));
  const states = Object.fromEntries(result.document.units.map((unit) => [unit.id, [unit.state, unit.target]]));
  assert.equal(result.document.sourceVersion['u1'], 'v2-3f9a');
  assert.deepEqual(states, {
    title: ['initial', ''],
    u1: ['reviewed', french.units[1]!.target],
    u2: ['reviewed', french.units[2]!.target],
    u3: ['initial', french.units[3]!.target], // still a suggestion: fuzzy
    u4: ['reviewed', `${m(6)}Demandez à ${m(7)}Amina${m(8)} à l'école${m(9)}.`],
    '12': ['translated', french.units[5]!.target],
  });
});

/** Mulberry32: a small seeded generator, so a failing mutation can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '\\',
  '\n',
  '#',
  '#~ ',
  '#. tag <9> (9): x\n',
  'msgid ',
  '</sc>',
  '<ec startRef="0"/>',
  '\uE000',
  '\u0001',
  '&#0;',
  ']]>',
  '<0>',
  '</0>',
  'x',
];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  const span = 1 + Math.floor(next() * 12);
  switch (Math.floor(next() * 4)) {
    case 0:
      return text.slice(0, at) + text.slice(at + span);
    case 1:
      return text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at, at + span * 4) + text.slice(at);
    default: {
      const lines = text.split('\n');
      const a = Math.floor(next() * lines.length);
      const b = Math.floor(next() * lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
  }
}

test('seeded mutations of written files: readers never throw, and every problem has a place', () => {
  for (const [format, written, read] of [
    ['xliff', writeXliff(japanese), readXliff],
    ['po', writePo(japanese), readPo],
  ] as const) {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      let text = written;
      for (let count = 1 + Math.floor(next() * 3); count > 0; count--) text = mutate(text, next);
      const result = read(text);
      const lines = text.split('\n').length;
      if ('problems' in result) {
        assert.ok(result.problems.length > 0, `${format} seed ${seed}`);
        for (const problem of result.problems)
          assert.ok(problem.line >= 1 && problem.line <= lines && problem.column >= 1, `${format} seed ${seed}`);
      } else assert.ok(Array.isArray(result.document.units), `${format} seed ${seed}`);
    }
  }
});

/** A unit text from what the xliff package reads: its text, and for each inline code the marker its data stands for. */
function fromXliffPackage(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return (value as Array<string | Record<string, { dataRef?: string }>>)
    .map((part) =>
      typeof part === 'string'
        ? part
        : Object.values(part)
            .map((code) => m(Number(code.dataRef!.slice(1))))
            .join(''),
    )
    .join('');
}

test('the xliff package reads our XLIFF 2.0: same unit ids, sources and targets', async () => {
  // The package ships no types; a computed specifier keeps the compiler from asking for them.
  const specifier = 'xliff/xliff2js';
  const { default: xliff2js } = (await import(specifier)) as {
    default: (xml: string) => Promise<{
      sourceLanguage: string;
      targetLanguage: string;
      resources: Record<string, Record<string, { source?: unknown; target?: unknown }>>;
    }>;
  };
  for (const document of [french, arabic, japanese]) {
    const read = await xliff2js(writeXliff(document));
    assert.equal(read.sourceLanguage, document.sourceLanguage);
    assert.equal(read.targetLanguage, document.targetLanguage);
    const units = read.resources['f1']!;
    assert.deepEqual(Object.keys(units).sort(), document.units.map((unit) => unit.id).sort());
    for (const unit of document.units) {
      assert.equal(fromXliffPackage(units[unit.id]!.source), unit.source, unit.id);
      assert.equal(fromXliffPackage(units[unit.id]!.target), unit.target, unit.id);
    }
  }
});

test('xmllint finds our XLIFF well-formed', () => {
  for (const document of [french, arabic, japanese]) {
    const lint = run('xmllint', ['--noout', file(`story.${document.targetLanguage}.xlf`, writeXliff(document))]);
    assert.equal(lint.status, 0, lint.stderr);
  }
});

/** How many entries of a document gettext tools count as translated, fuzzy and untranslated. */
function expectedCounts(document: ExchangeDocument): [number, number, number] {
  const translated = document.units.filter((unit) => unit.target && ['reviewed', 'final'].includes(unit.state));
  const fuzzy = document.units.filter((unit) => unit.target && ['initial', 'translated'].includes(unit.state));
  return [translated.length, fuzzy.length, document.units.filter((unit) => !unit.target).length];
}

test('GNU msgfmt --check accepts our PO and counts its states as we wrote them', () => {
  for (const document of [french, arabic, japanese]) {
    const check = run('msgfmt', [
      '--check',
      '--statistics',
      '-o',
      '/dev/null',
      file(`story.${document.targetLanguage}.po`, writePo(document)),
    ]);
    assert.equal(check.status, 0, check.stderr);
    assert.equal(check.stderr.trim(), '3 translated messages, 2 fuzzy translations, 1 untranslated message.');
    assert.deepEqual(expectedCounts(document), [3, 2, 1]);
  }
});

test('translate-toolkit reads our PO: pocount counts the states, pofilter sees our tags as tags', () => {
  for (const document of [french, arabic, japanese]) {
    const count = run('pocount', ['--csv', file(`count.${document.targetLanguage}.po`, writePo(document))]);
    assert.equal(count.status, 0, count.stderr);
    const row = count.stdout
      .trim()
      .split('\n')
      .at(-1)!
      .split(',')
      .map((cell) => cell.trim());
    assert.deepEqual([row[1], row[4], row[6], row[8]].map(Number), [
      ...expectedCounts(document),
      document.units.length,
    ]);
  }
  // A reviewed translation that lost its tag: pofilter's xmltags check flags that unit and no other.
  const lost = {
    ...french,
    units: french.units.map((unit) => (unit.id === 'u2' ? { ...unit, target: 'Les pluies sont arrivées tôt.' } : unit)),
  };
  const output = file('flagged.po', '');
  const filter = run('pofilter', ['--nofuzzy', '--test=xmltags', file('tags.po', writePo(lost)), output]);
  assert.equal(filter.status, 0, filter.stderr);
  const flagged = [...readFileSync(output, 'utf8').matchAll(/^msgctxt "(.*)"$/gm)].map((match) => match[1]);
  assert.deepEqual(flagged, ['u2']);
});
