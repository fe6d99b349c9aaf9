import { SaxesParser, type SaxesTagNS } from 'saxes';
import {
  createStrayAmpersandCheck,
  languageMatches,
  STRAY_AMPERSAND,
  type TermFileProblem,
  type TermFileProblemCode,
} from './tmx.ts';
import { xmlAttribute, xmlText } from '../xml.ts';

// A glossary for one language pair as TBX. The writer writes TBX-Basic in the ISO 30042:2008 form
// (<martif>, <termEntry>, <langSet>, <tig>): the Translate Toolkit reads only that form (TBX v3's
// <tbx> root it refuses). The reader also takes TBX v3 (<tbx>, <conceptEntry>, <langSec>,
// <termSec>), data categories written as <termNote type="…"> or as elements of their own. In a
// <langSet> the translation is the first term not marked deprecated or superseded (tools that read
// one target take the first term); the terms not to use follow it, each with administrativeStatus
// deprecatedTerm-admn-sts. Terms and notes are read trimmed: indentation is not part of a term.

/** A term of the source language, its translation and the variants not to use. */
export interface GlossaryEntry {
  term: string;
  translation: string;
  sourceLanguage: string;
  targetLanguage: string;
  note?: string;
  /** TBX-Basic's values: noun, verb, adjective, adverb, properNoun, other. */
  partOfSpeech?: string;
  /** Target-language variants a translator must not use. */
  forbidden: string[];
}

/** Writes a TBX-Basic glossary, one <termEntry> per entry, in the languages given (each entry's own are not consulted). */
export function writeTbx(entries: readonly GlossaryEntry[], sourceLanguage: string, targetLanguage: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<martif type="TBX-Basic" xml:lang="${xmlAttribute(sourceLanguage)}">`,
    '  <martifHeader>',
    '    <fileDesc>',
    '      <sourceDesc>',
    '        <p>storyhub</p>',
    '      </sourceDesc>',
    '    </fileDesc>',
    '    <encodingDesc>',
    '      <p type="XCSURI">TBXBasicXCSV02.xcs</p>',
    '    </encodingDesc>',
    '  </martifHeader>',
    '  <text>',
    '    <body>',
  ];
  const termGroup = (term: string, notes: Record<string, string | undefined>) => {
    lines.push('          <tig>', `            <term>${xmlText(term)}</term>`);
    for (const [type, value] of Object.entries(notes))
      if (value) lines.push(`            <termNote type="${type}">${xmlText(value)}</termNote>`);
    lines.push('          </tig>');
  };
  entries.forEach((entry, index) => {
    lines.push(`      <termEntry id="entry-${index + 1}">`);
    if (entry.note) lines.push(`        <note>${xmlText(entry.note)}</note>`);
    lines.push(`        <langSet xml:lang="${xmlAttribute(sourceLanguage)}">`);
    termGroup(entry.term, { partOfSpeech: entry.partOfSpeech });
    lines.push('        </langSet>', `        <langSet xml:lang="${xmlAttribute(targetLanguage)}">`);
    termGroup(entry.translation, {});
    for (const variant of entry.forbidden) termGroup(variant, { administrativeStatus: 'deprecatedTerm-admn-sts' });
    lines.push('        </langSet>', '      </termEntry>');
  });
  lines.push('    </body>', '  </text>', '</martif>', '');
  return lines.join('\n');
}

interface TermRecord {
  text: string;
  partOfSpeech?: string;
  forbidden: boolean;
  preferred: boolean;
}
interface LanguageSection {
  language: string;
  terms: TermRecord[];
  line: number;
  column: number;
}
interface ConceptRecord {
  line: number;
  column: number;
  notes: string[];
  sections: LanguageSection[];
}
/** An element whose text is being collected, with how deep inside it the parser is. */
interface Capture {
  kind: 'term' | 'note' | 'property';
  type: string;
  text: string;
  depth: number;
}

const ENTRY = new Set(['termEntry', 'conceptEntry']);
const SECTION = new Set(['langSet', 'langSec']);
const TERM_GROUP = new Set(['tig', 'ntig', 'termSec']);
// TBX v3's DCT style writes a data category as an element named after it.
const PROPERTY = new Set(['partOfSpeech', 'administrativeStatus', 'normativeAuthorization']);
const STATUS = new Set(['administrativeStatus', 'normativeAuthorization']);

function attribute(tag: SaxesTagNS, local: string, prefix = ''): string | undefined {
  for (const attr of Object.values(tag.attributes))
    if (attr.local === local && attr.prefix === prefix) return attr.value;
  return undefined;
}

/** Reads the entries of a TBX glossary for one language pair (tags matched as TMX's are); broken XML gives a problem and no entries. */
export function readTbx(
  text: string,
  sourceLanguage: string,
  targetLanguage: string,
): { entries: GlossaryEntry[]; problems: TermFileProblem[] } {
  const entries: GlossaryEntry[] = [];
  const problems: TermFileProblem[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  let failed = false;
  let sawRoot = false;
  let tagLine = 1;
  let tagColumn = 1;
  let concept: ConceptRecord | null = null;
  let section: LanguageSection | null = null;
  let group: TermRecord | null = null;
  let capture: Capture | null = null;

  const report = (
    line: number,
    column: number,
    code: TermFileProblemCode,
    severity: 'error' | 'warning',
    message: string,
  ) => problems.push({ code, line, column, message, severity });
  const malformed = (error: Error) => {
    if (failed) return;
    failed = true;
    const message = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    report(
      parser.line,
      parser.columnIndex + 1,
      'malformed_xml',
      'error',
      `The XML is malformed here (${message}); the file cannot be read.`,
    );
  };

  const finish = (done: ConceptRecord) => {
    const skip = (code: TermFileProblemCode, message: string) =>
      report(done.line, done.column, code, 'warning', message);
    const source = done.sections.find((entry) => languageMatches(sourceLanguage, entry.language));
    const target = done.sections.find((entry) => entry !== source && languageMatches(targetLanguage, entry.language));
    if (!source) return skip('missing_source', `This entry has no ${sourceLanguage} term; it is skipped.`);
    const terms = source.terms.filter((term) => term.text && !term.forbidden);
    if (!terms.length)
      return skip('missing_term', `This entry's ${source.language} terms are empty or deprecated; it is skipped.`);
    const allowed = target?.terms.filter((term) => term.text && !term.forbidden) ?? [];
    const translation = allowed.find((term) => term.preferred) ?? allowed[0];
    if (!target || !translation)
      return skip('missing_translation', `This entry has no ${targetLanguage} term to use; it is skipped.`);
    const forbidden = [...new Set(target.terms.filter((term) => term.text && term.forbidden).map((term) => term.text))];
    const note = done.notes.filter(Boolean).join('\n');
    for (const term of terms) {
      const partOfSpeech = term.partOfSpeech ?? translation.partOfSpeech;
      entries.push({
        term: term.text,
        translation: translation.text,
        sourceLanguage: source.language,
        targetLanguage: target.language,
        ...(note && { note }),
        ...(partOfSpeech && { partOfSpeech }),
        forbidden,
      });
    }
  };
  const newTerm = (): TermRecord => {
    const term: TermRecord = { text: '', forbidden: false, preferred: false };
    section?.terms.push(term);
    return term;
  };
  const property = (type: string, value: string) => {
    if (!group) return;
    if (type === 'partOfSpeech' && value) group.partOfSpeech = value;
    if (STATUS.has(type)) {
      group.forbidden = /^(?:deprecated|superseded)Term(?:-admn-sts)?$/.test(value);
      group.preferred = /^preferredTerm(?:-admn-sts)?$/.test(value);
    }
  };

  parser.on('opentagstart', (tag) => {
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.columnIndex - tag.name.length - 1);
  });
  parser.on('opentag', (tag) => {
    if (failed) return;
    const name = tag.local ?? tag.name;
    if (!sawRoot) {
      sawRoot = true;
      if (name !== 'martif' && name !== 'tbx') {
        failed = true;
        report(
          tagLine,
          tagColumn,
          'not_tbx',
          'error',
          `The document starts with <${tag.name}>, not <martif> or <tbx>: this is not TBX.`,
        );
      }
      return;
    }
    if (capture) return void capture.depth++;
    if (ENTRY.has(name) && !concept) concept = { line: tagLine, column: tagColumn, notes: [], sections: [] };
    else if (!concept) return;
    else if (name === 'note') capture = { kind: 'note', type: '', text: '', depth: 0 };
    else if (SECTION.has(name) && !section)
      section = { language: (attribute(tag, 'lang', 'xml') ?? '').trim(), terms: [], line: tagLine, column: tagColumn };
    else if (!section) return;
    else if (TERM_GROUP.has(name)) group = newTerm();
    else if (name === 'term') {
      // A term outside any group is a group of its own; so is a second term in one group.
      if (!group || group.text) group = newTerm();
      capture = { kind: 'term', type: '', text: '', depth: 0 };
    } else if (name === 'termNote')
      capture = { kind: 'property', type: attribute(tag, 'type') ?? '', text: '', depth: 0 };
    else if (PROPERTY.has(name)) capture = { kind: 'property', type: name, text: '', depth: 0 };
  });
  const onText = (content: string) => {
    if (!failed && capture) capture.text += content;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    if (failed) return;
    const name = tag.local ?? tag.name;
    if (capture) {
      if (capture.depth > 0) return void capture.depth--;
      const value = capture.text.trim();
      if (capture.kind === 'note') concept?.notes.push(value);
      else if (capture.kind === 'term' && group) group.text = value;
      else if (capture.kind === 'property') property(capture.type, value);
      capture = null;
    } else if (TERM_GROUP.has(name)) group = null;
    else if (SECTION.has(name) && section && concept) {
      if (section.language) concept.sections.push(section);
      else
        report(
          section.line,
          section.column,
          'missing_language',
          'warning',
          `This <${name}> names no language (xml:lang); it is left out.`,
        );
      section = null;
      group = null;
    } else if (ENTRY.has(name) && concept) {
      finish(concept);
      concept = null;
    }
  });
  parser.on('error', malformed);
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const stray = createStrayAmpersandCheck().feed(content, true);
  try {
    parser.write(stray ? content.slice(0, stray.offset) : content);
  } catch (error) {
    malformed(error as Error);
  }
  if (stray && !failed) {
    failed = true;
    report(stray.line, stray.column, 'malformed_xml', 'error', STRAY_AMPERSAND);
  }
  if (!sawRoot && !failed) {
    failed = true;
    report(1, 1, 'not_tbx', 'error', 'The document has no <martif> or <tbx> element: this is not TBX.');
  }
  if (!failed) {
    try {
      parser.close();
    } catch (error) {
      malformed(error as Error);
    }
  }
  // An entry's own problems are known when it ends, after those of its language sections.
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return failed ? { entries: [], problems } : { entries, problems };
}
