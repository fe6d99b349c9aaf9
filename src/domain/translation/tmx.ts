import { SaxesParser } from 'saxes';
import { xmlAttribute, xmlText } from '../xml.ts';
import { PLACEHOLDER_END, PLACEHOLDER_PATTERN, PLACEHOLDER_START } from './markers.ts';

// Translation memory as TMX 1.4, the exchange format every CAT tool reads. Both ways stream: the
// writer yields chunks (an export of a million pairs is never one string) and the reader takes
// chunks and hands each pair over as its <tu> closes, so memory stays flat whatever the file's size.
// Placeholder markers travel as <ph x="N"/> (N is the marker's number): empty, so tools that show
// text show none, and x is TMX's own attribute for pairing codes across languages. Other inline
// codes a tool may have written (<bpt>, <ept>, <it>, <ut>, a <ph> without a number) are native
// markup of the tool that wrote them: they and their text are left out; <hi> is text and kept.

/** One source sentence and its translation, as the translation memory keeps them. */
export interface MemoryPair {
  sourceLanguage: string;
  targetLanguage: string;
  source: string;
  target: string;
  /** Where the pair comes from (a story, an import): written as <prop type="x-origin">. */
  origin?: string;
  createdAt?: Date;
}

/** The stable codes of TermFileProblem.code (TMX and TBX). */
export type TermFileProblemCode =
  | 'malformed_xml'
  | 'not_tmx'
  | 'unsupported_version'
  | 'old_version'
  | 'missing_language'
  | 'missing_source'
  | 'missing_target'
  | 'empty_segment'
  | 'bad_date'
  | 'too_many_problems'
  | 'not_tbx'
  | 'missing_term'
  | 'missing_translation'
  | 'term_too_long'
  | 'too_large';

/**
 * Something wrong in an exchange file at a 1-based line and column (UTF-16 code units). An error
 * means the file cannot be trusted: the caller keeps nothing of it; a warning means a unit was
 * skipped and the rest may be kept.
 */
export interface TermFileProblem {
  code: TermFileProblemCode;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Whether a language tag in a file is the wanted one: case ignored, and a bare primary subtag ("en") matches its regions ("en-US"). */
export function languageMatches(wanted: string, found: string): boolean {
  const a = wanted.trim().toLowerCase().replace(/_/g, '-');
  const b = found.trim().toLowerCase().replace(/_/g, '-');
  if (!a || !b) return false;
  if (a === b) return true;
  const primary = (tag: string) => tag.split('-')[0];
  return (!a.includes('-') || !b.includes('-')) && primary(a) === primary(b);
}

/** A date in TMX's form, YYYYMMDDThhmmssZ (UTC). */
export function formatTmxDate(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d+/g, '');
}

/** The date of a TMX YYYYMMDDThhmmssZ value, or null when it is not one (or names no real day). */
export function parseTmxDate(value: string): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, ...number[]];
  const date = new Date(Date.UTC(year, month! - 1, day, hour, minute, second));
  return formatTmxDate(date) === value.trim() ? date : null;
}

// TMX requires a tool version; this numbers the shape of this writer's output, not a release.
const WRITER_VERSION = '1';
const MARKERS = new RegExp(PLACEHOLDER_PATTERN.source, 'gu');

/** A segment's content: escaped text, each placeholder marker as <ph x="N"/>. */
function segmentContent(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(MARKERS)) {
    out += `${xmlText(text.slice(from, match.index))}<ph x="${match[1]}"/>`;
    from = match.index + match[0].length;
  }
  return out + xmlText(text.slice(from));
}

/** The opening of a TMX document, up to and with <body>. */
export function tmxStart(sourceLanguage: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<tmx version="1.4">',
    `  <header creationtool="storyhub" creationtoolversion="${WRITER_VERSION}" segtype="sentence" o-tmf="storyhub" adminlang="en" srclang="${xmlAttribute(sourceLanguage)}" datatype="plaintext"/>`,
    '  <body>',
    '',
  ].join('\n');
}

/** One pair as a <tu>: its date, its origin, then a <tuv> per language. */
export function tmxUnit(pair: MemoryPair): string {
  const date = pair.createdAt && !Number.isNaN(pair.createdAt.getTime()) ? pair.createdAt : undefined;
  const lines = [date ? `    <tu creationdate="${formatTmxDate(date)}">` : '    <tu>'];
  if (pair.origin !== undefined) lines.push(`      <prop type="x-origin">${xmlText(pair.origin)}</prop>`);
  lines.push(
    `      <tuv xml:lang="${xmlAttribute(pair.sourceLanguage)}"><seg>${segmentContent(pair.source)}</seg></tuv>`,
    `      <tuv xml:lang="${xmlAttribute(pair.targetLanguage)}"><seg>${segmentContent(pair.target)}</seg></tuv>`,
    '    </tu>',
    '',
  );
  return lines.join('\n');
}

/** The end of a TMX document, after the last <tu>. */
export function tmxEnd(): string {
  return '  </body>\n</tmx>\n';
}

const CHUNK = 64 * 1024;

/**
 * Writes pairs as a TMX 1.4 document, in chunks of about 64 KB (join them for one string). For
 * pairs read page by page from a database, build the same document from tmxStart, tmxUnit and tmxEnd.
 */
export function* writeTmx(pairs: Iterable<MemoryPair>, sourceLanguage: string): Generator<string, void, undefined> {
  let chunk = tmxStart(sourceLanguage);
  for (const pair of pairs) {
    chunk += tmxUnit(pair);
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + tmxEnd();
}

/** Where a stray "&" is: its 1-based line and column, and its index in the chunk just fed (0 when it was carried over). */
export interface StrayAmpersand {
  line: number;
  column: number;
  offset: number;
}

const REFERENCE = /&(?:#[0-9]+|#x[0-9a-fA-F]+|[:A-Z_a-z\u00C0-\uFFFF][-.:\w\u00B7\u00C0-\uFFFF]*);/y;
const REFERENCE_SO_FAR = /&(?:#x?[0-9a-fA-F]*|[:A-Z_a-z\u00C0-\uFFFF][-.:\w\u00B7\u00C0-\uFFFF]*)?$/y;
const SECTION_ENDS: Record<string, string> = { '<!--': '-->', '<![CDATA[': ']]>', '<?': '?>' };
const NEWLINE = /\r\n?|\n/g;
const MARKUP = /[&<]/g;

/** The message of a stray "&" (readers report it as malformed_xml). */
export const STRAY_AMPERSAND =
  'The XML is malformed here (an "&" that starts no entity or character reference; write "&amp;"); the file cannot be read.';

/**
 * Finds an "&" that starts no reference (outside comments, CDATA and processing instructions),
 * fed the same chunks as the parser. saxes reads everything after an "&" up to the next ";" as
 * an entity name: a stray one makes it buffer the rest of the file and report the end of it.
 */
export function createStrayAmpersandCheck(): { feed(chunk: string, last?: boolean): StrayAmpersand | null } {
  let line = 1;
  let column = 0;
  let closing = '';
  let carry = '';
  const advance = (consumed: string) => {
    let lineStart = -1;
    for (const newline of consumed.matchAll(NEWLINE)) {
      line++;
      lineStart = newline.index + newline[0].length;
    }
    column = lineStart < 0 ? column + consumed.length : consumed.length - lineStart;
  };
  return {
    feed(chunk, last = false) {
      const text = carry + chunk;
      let at = 0;
      while (at < text.length) {
        if (closing) {
          const end = text.indexOf(closing, at);
          at = end < 0 ? Math.max(at, text.length - closing.length + 1) : end + closing.length;
          if (end < 0) break;
          closing = '';
          continue;
        }
        MARKUP.lastIndex = at;
        const found = MARKUP.exec(text)?.index ?? -1;
        if (found < 0) {
          at = text.length;
          break;
        }
        if (text[found] === '<') {
          // An opener may be cut by the chunk's end: wait for the rest.
          if (!last && text.length - found < 9) {
            at = found;
            break;
          }
          const opener = Object.keys(SECTION_ENDS).find((start) => text.startsWith(start, found));
          closing = opener ? SECTION_ENDS[opener]! : '';
          at = found + (opener?.length ?? 1);
          continue;
        }
        REFERENCE.lastIndex = found;
        if (REFERENCE.test(text)) {
          at = REFERENCE.lastIndex;
          continue;
        }
        REFERENCE_SO_FAR.lastIndex = found;
        if (!last && text.length - found < 1024 && REFERENCE_SO_FAR.test(text)) {
          at = found;
          break;
        }
        advance(text.slice(0, found));
        return { line, column: column + 1, offset: Math.max(0, found - carry.length) };
      }
      // A CR at the end may be the first half of a CRLF, one line break.
      if (!last && at === text.length && text.endsWith('\r')) at--;
      advance(text.slice(0, at));
      carry = text.slice(at);
      return null;
    },
  };
}

/** What createTmxReader reads and where its pairs go. */
export interface TmxReaderOptions {
  sourceLanguage: string;
  /** The one target language wanted; every language but the source when absent (one pair per target). */
  targetLanguage?: string;
  /** Called as each unit closes; the pair's languages are the tags as the file writes them. */
  onPair: (pair: MemoryPair) => void;
  /** Warnings listed at most (default 100); errors are always listed. */
  maxProblems?: number;
}

/** What a whole read found: its problems, the pairs handed over, the pairs and units skipped (each with a warning). */
export interface TmxReadResult {
  problems: TermFileProblem[];
  pairs: number;
  skipped: number;
  /** True when the file could not be read to its end (an error): every pair handed over must be dropped. */
  failed: boolean;
}

/** A streaming TMX reader: write chunks as they arrive, then close. */
export interface TmxReader {
  write(chunk: string): void;
  close(): TmxReadResult;
}

interface Variant {
  language: string;
  text: string;
  createdAt?: Date;
  line: number;
  column: number;
}

interface Unit {
  line: number;
  column: number;
  origin?: string;
  createdAt?: Date;
  variants: Variant[];
  /** What was wrong inside the unit, reported when it is finished so problems stay in file order. */
  warnings: TermFileProblem[];
}

// Native codes of the tool that wrote the file; <sub> is text inside such a code, so it goes with it.
const INLINE_CODES = new Set(['bpt', 'ept', 'it', 'ph', 'ut', 'sub']);

const byPosition = (a: TermFileProblem, b: TermFileProblem) => a.line - b.line || a.column - b.column;

/**
 * Reads a TMX document chunk by chunk, handing over each pair of the wanted languages once the
 * chunk its <tu> ends in is read. Pairs are handed over outside the parser, so an exception thrown
 * by onPair reaches the caller of write() as it is.
 */
export function createTmxReader(options: TmxReaderOptions): TmxReader {
  const maxProblems = options.maxProblems ?? 100;
  const problems: TermFileProblem[] = [];
  const parser = new SaxesParser({ position: true });
  const ampersands = createStrayAmpersandCheck();
  let warnings = 0;
  let pairs = 0;
  let skipped = 0;
  let failed = false;
  let sawRoot = false;
  let started = false;
  let result: TmxReadResult | null = null;
  let tagLine = 1;
  let tagColumn = 1;
  let unit: Unit | null = null;
  // Units closed in the chunk being read. saxes runs the close handler of an element that a wrong
  // end tag closes before it reports the error: a unit counts only once its chunk read without one.
  const closedUnits: Unit[] = [];
  let variant: Variant | null = null;
  let segmentText: string | null = null;
  let codeDepth = 0;
  let property: { type: string; text: string } | null = null;

  const warn = (found: TermFileProblem) => {
    warnings++;
    if (warnings <= maxProblems) problems.push(found);
    else if (warnings === maxProblems + 1)
      problems.push({
        ...found,
        code: 'too_many_problems',
        message: `There are more than ${maxProblems} warnings; the rest are not listed.`,
      });
  };
  const warning = (line: number, column: number, code: TermFileProblemCode, message: string): TermFileProblem => ({
    code,
    line,
    column,
    message,
    severity: 'warning',
  });
  const fail = (line: number, column: number, code: TermFileProblemCode, message: string) => {
    if (failed) return;
    failed = true;
    problems.push({ code, line, column, message, severity: 'error' });
  };
  const malformed = (error: Error) =>
    fail(
      parser.line,
      parser.columnIndex + 1,
      'malformed_xml',
      `The XML is malformed here (${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}); the file cannot be read.`,
    );
  const strayAmpersand = (stray: StrayAmpersand) => fail(stray.line, stray.column, 'malformed_xml', STRAY_AMPERSAND);
  const dateOf = (value: string | undefined, owner: Unit): Date | undefined => {
    if (value === undefined) return undefined;
    const date = parseTmxDate(value);
    if (!date)
      owner.warnings.push(
        warning(
          tagLine,
          tagColumn,
          'bad_date',
          `"${value}" is not a TMX date (like 20240131T094500Z); it is left out.`,
        ),
      );
    return date ?? undefined;
  };
  const isEmpty = (text: string) => text.trim() === '';

  /** The pairs of a unit, each target that has text; the rest skipped, with a warning. */
  const pairsOf = (done: Unit): MemoryPair[] => {
    const skip = (count: number, line: number, column: number, code: TermFileProblemCode, message: string) => {
      skipped += count;
      done.warnings.push(warning(line, column, code, message));
    };
    const sourceAt = done.variants.findIndex((entry) => languageMatches(options.sourceLanguage, entry.language));
    const source = done.variants[sourceAt];
    if (!source) {
      skip(
        1,
        done.line,
        done.column,
        'missing_source',
        `This unit has no ${options.sourceLanguage} text; it is skipped.`,
      );
      return [];
    }
    const targets = done.variants.filter((entry, index) =>
      index === sourceAt
        ? false
        : options.targetLanguage
          ? languageMatches(options.targetLanguage, entry.language)
          : !languageMatches(options.sourceLanguage, entry.language),
    );
    if (!targets.length) {
      const message = options.targetLanguage
        ? `This unit has no ${options.targetLanguage} text; it is skipped.`
        : 'This unit has no text in another language; it is skipped.';
      skip(1, done.line, done.column, 'missing_target', message);
      return [];
    }
    if (isEmpty(source.text)) {
      skip(
        targets.length,
        source.line,
        source.column,
        'empty_segment',
        'The source segment is empty; the unit is skipped.',
      );
      return [];
    }
    const found: MemoryPair[] = [];
    for (const target of targets) {
      if (isEmpty(target.text)) {
        skip(1, target.line, target.column, 'empty_segment', `The ${target.language} segment is empty; it is skipped.`);
        continue;
      }
      const createdAt = target.createdAt ?? done.createdAt;
      found.push({
        sourceLanguage: source.language,
        targetLanguage: target.language,
        source: source.text,
        target: target.text,
        ...(done.origin !== undefined && { origin: done.origin }),
        ...(createdAt && { createdAt }),
      });
    }
    return found;
  };
  const deliver = () => {
    const done = closedUnits.splice(0);
    if (failed) return;
    for (const closed of done) {
      const found = pairsOf(closed);
      for (const problem of closed.warnings.sort(byPosition)) warn(problem);
      for (const pair of found) {
        pairs++;
        options.onPair(pair);
      }
    }
  };

  parser.on('opentagstart', (tag) => {
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.columnIndex - tag.name.length - 1);
  });
  parser.on('opentag', (tag) => {
    if (failed) return;
    const attributes = tag.attributes as Record<string, string>;
    if (!sawRoot) {
      sawRoot = true;
      const version = attributes.version?.trim();
      if (tag.name !== 'tmx')
        fail(tagLine, tagColumn, 'not_tmx', `The document starts with <${tag.name}>, not <tmx>: this is not TMX.`);
      else if (version !== undefined && /^1\.[0-3]\b/.test(version))
        warn(warning(tagLine, tagColumn, 'old_version', `This is TMX ${version}; it is read as TMX 1.4.`));
      else if (version !== '1.4' && version !== '1.4b')
        fail(
          tagLine,
          tagColumn,
          'unsupported_version',
          `TMX version "${version ?? ''}" is not one this reader knows (1.1 to 1.4).`,
        );
      return;
    }
    if (segmentText !== null) {
      if (!INLINE_CODES.has(tag.name)) return;
      if (tag.name === 'ph' && codeDepth === 0 && /^\d+$/.test(attributes.x ?? ''))
        segmentText += PLACEHOLDER_START + attributes.x + PLACEHOLDER_END;
      codeDepth++;
    } else if (tag.name === 'tu' && !unit) {
      unit = { line: tagLine, column: tagColumn, variants: [], warnings: [] };
      unit.createdAt = dateOf(attributes.creationdate, unit);
    } else if (tag.name === 'tuv' && unit && !variant) {
      // TMX 1.1 wrote the language as "lang".
      const language = (attributes['xml:lang'] ?? attributes.lang ?? '').trim();
      const createdAt = dateOf(attributes.creationdate, unit);
      variant = { language, text: '', createdAt, line: tagLine, column: tagColumn };
    } else if (tag.name === 'seg' && variant) {
      segmentText = '';
      codeDepth = 0;
    } else if (tag.name === 'prop' && unit && !variant) {
      property = { type: attributes.type ?? '', text: '' };
    }
  });
  const onText = (text: string) => {
    if (failed) return;
    if (segmentText !== null) {
      if (codeDepth === 0) segmentText += text;
    } else if (property) property.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    if (failed) return;
    if (segmentText !== null) {
      if (tag.name === 'seg' && variant) {
        variant.text += segmentText;
        segmentText = null;
      } else if (INLINE_CODES.has(tag.name) && codeDepth > 0) codeDepth--;
    } else if (tag.name === 'prop' && property && unit) {
      if (property.type === 'x-origin') unit.origin = property.text;
      property = null;
    } else if (tag.name === 'tuv' && variant && unit) {
      if (variant.language) unit.variants.push(variant);
      else
        unit.warnings.push(
          warning(
            variant.line,
            variant.column,
            'missing_language',
            'This <tuv> names no language (xml:lang); it is left out.',
          ),
        );
      variant = null;
    } else if (tag.name === 'tu' && unit) {
      closedUnits.push(unit);
      unit = null;
    }
  });
  parser.on('error', malformed);

  return {
    write(chunk: string) {
      if (result) throw new Error('This TMX reader is closed.');
      if (failed) return;
      const text = !started && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      if (text) started = true;
      const stray = ampersands.feed(text);
      try {
        parser.write(stray ? text.slice(0, stray.offset) : text);
      } catch (error) {
        malformed(error as Error);
      }
      if (stray) strayAmpersand(stray);
      deliver();
    },
    close() {
      if (result) return result;
      const stray = failed ? null : ampersands.feed('', true);
      if (stray) strayAmpersand(stray);
      if (!sawRoot) fail(1, 1, 'not_tmx', 'The document has no <tmx> element: this is not TMX.');
      if (!failed) {
        try {
          parser.close();
        } catch (error) {
          malformed(error as Error);
        }
      }
      deliver();
      result = { problems, pairs, skipped, failed };
      return result;
    },
  };
}
