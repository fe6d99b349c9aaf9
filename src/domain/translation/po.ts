import { po, type GetTextTranslation } from 'gettext-parser';
import {
  EXCHANGE_STATES,
  ExchangeWriteError,
  assertWritable,
  exchangeProblem,
  markerEntries,
  markerPartners,
  markersIn,
  sortProblems,
  sourceVersionOf,
  textPieces,
  type ExchangeDocument,
  type ExchangeMarker,
  type ExchangeProblem,
  type ExchangeProblemCode,
  type ExchangeState,
  type ExchangeUnit,
} from './exchange.ts';
import { placeholder } from './markers.ts';

// GNU gettext PO, for Poedit, Lokalize, Virtaal and the like. One entry per unit: msgctxt is the
// unit id (so two units with the same source stay two entries), msgid the source, msgstr the target.
//
// Markers are tags a translator sees and moves: an opening marker N is "<N>", the closing marker
// paired with it "</N>" (named after its opening one, so a pair reads "<3>…</3>"), and a closing
// marker whose opening one is in another sentence "</M>" with its own number. A "<" that would read
// as such a tag is written "\<", and a "\" before "<" or "\" is written "\\"; nothing else changes,
// so "a < b", "<script>" and "{1}" stay as they are.
//
// Extracted comments (#.), which tools show but translators do not edit, carry, written in this
// order: "source-version: TOKEN", "state: STATE" (the state at export), "tag <N> (INDEX): LABEL"
// for each marker in source order, and last "note: " with the note, which runs to the comment's end.
//
// States: "#, fuzzy" marks a draft ('translated'), and a suggestion not yet taken ('initial' with a
// target). Read back, an empty msgstr is 'initial'; a fuzzy one 'translated' (or 'initial' if it
// was exported so); any other 'reviewed' (awaiting review), or 'final' if it was exported final.
// PO has no translated-but-empty entry (it reads as 'initial'), and gettext tools drop the spaces
// that start a note's later lines; NUL, which ends a string in compiled catalogs, is refused.
//
// The header's Language and X-Source-Language are the BCP 47 tags with "_" for "-" (gettext's
// pt_BR); X-Storyhub-Story is the story's slug.

const STORY_HEADER = 'X-Storyhub-Story';
const SOURCE_LANGUAGE_HEADER = 'X-Source-Language';
const TOKEN = /<\/?\d+>/y;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const VERSION_LINE = /^source-version:(?: (.*))?$/;
const STATE_LINE = /^state:(?: (.*))?$/;
const TAG_LINE = /^tag (<\/?\d+>) \((\d+)\):(?: (.*))?$/;
const NOTE_LINE = /^note:(?: (.*))?$/;

/** A unit text as PO text: markers as tags, and "<" and "\" escaped where they would be misread. */
function encode(text: string, tokens: Map<number, string>): string {
  const pieces = textPieces(text);
  return pieces
    .map((piece, at) => {
      if (typeof piece === 'number') return tokens.get(piece)!;
      let out = '';
      for (let i = 0; i < piece.length; i++) {
        const character = piece[i]!;
        TOKEN.lastIndex = i;
        if (character === '<' && TOKEN.test(piece)) out += '\\<';
        else if (character !== '\\') out += character;
        else {
          // Runs of text and markers alternate: after a run's end comes a tag, which starts with "<".
          const next = i + 1 < piece.length ? piece[i + 1] : at + 1 < pieces.length ? '<' : '';
          out += next === '\\' || next === '<' ? '\\\\' : '\\';
        }
      }
      return out;
    })
    .join('');
}

/** What the tags of a unit are written as: "<N>" for an opening marker, "</N>" after its opening partner or itself. */
function tokensOf(unit: ExchangeUnit): Map<number, string> {
  const partners = markerPartners(unit);
  return new Map(
    markerEntries(unit.markers).map(([index, marker]) => [
      index,
      marker.role === 'open' ? `<${index}>` : `</${partners.get(index) ?? index}>`,
    ]),
  );
}

/** A story's units as a PO file; throws ExchangeWriteError for what PO cannot carry. */
export function writePo(document: ExchangeDocument): string {
  assertWritable(document);
  const entries = document.units.map((unit) => entryOf(unit, sourceVersionOf(document, unit.id)));
  const order = new Map(document.units.map((unit, index) => [unit.id, index]));
  const compiled = po.compile(
    {
      charset: 'utf-8',
      headers: {
        'Project-Id-Version': document.story,
        // Empty rather than missing, which msgfmt --check warns about; a tool fills them on save.
        'PO-Revision-Date': '',
        'Last-Translator': '',
        'Language-Team': '',
        Language: document.targetLanguage.replaceAll('-', '_'),
        'MIME-Version': '1.0',
        'Content-Type': 'text/plain; charset=UTF-8',
        'Content-Transfer-Encoding': '8bit',
        [SOURCE_LANGUAGE_HEADER]: document.sourceLanguage.replaceAll('-', '_'),
        [STORY_HEADER]: document.story,
      },
      translations: Object.fromEntries(entries.map((entry) => [entry.msgctxt!, { [entry.msgid]: entry }])),
    },
    // Keeps the story's order: the compiler would list ids that look like numbers first.
    { sort: (a, b) => order.get(a.msgctxt!)! - order.get(b.msgctxt!)! },
  );
  return compiled.toString('utf8');
}

function entryOf(unit: ExchangeUnit, version: string | undefined): GetTextTranslation {
  for (const text of [unit.id, unit.source, unit.target, unit.note ?? ''])
    if (text.includes('\u0000'))
      throw new ExchangeWriteError('A text has a NUL character, which PO cannot carry.', unit.id);
  const tokens = tokensOf(unit);
  const comments = version === undefined ? [] : [`source-version: ${version}`];
  comments.push(`state: ${unit.state}`);
  for (const index of markersIn(unit.source)) {
    const label = unit.markers[index]!.label;
    if (CONTROL.test(label))
      throw new ExchangeWriteError(
        `The label of tag ${index} has a control character; a PO comment is one line.`,
        unit.id,
      );
    comments.push(`tag ${tokens.get(index)} (${index}): ${label}`);
  }
  if (unit.note !== undefined) comments.push(`note: ${unit.note}`);
  const fuzzy = unit.target !== '' && (unit.state === 'initial' || unit.state === 'translated');
  return {
    msgctxt: unit.id,
    msgid: encode(unit.source, tokens),
    msgstr: [encode(unit.target, tokens)],
    comments: fuzzy ? { extracted: comments.join('\n'), flag: 'fuzzy' } : { extracted: comments.join('\n') },
  };
}

interface Position {
  line: number;
  column: number;
}

interface Keyword {
  name: string;
  at: Position;
  /** The decoded text and where each of its UTF-16 code units was written. */
  text: string;
  positions: Position[];
}

interface EntryLines {
  lines: string[];
  keywords: Keyword[];
  /** The lines of the extracted comments (#.), in order. */
  extracted: Position[];
  obsolete: boolean;
  broken: boolean;
}

type Report = (code: ExchangeProblemCode, at: Position, message: string, unit?: string) => void;

const KEYWORD = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s"]|$)/;
const STRING = /^"((?:[^"\\]|\\.)*)"/;

/** Decodes one quoted string's content as gettext-parser does (\n, \t, \r; any other escaped character stands for itself). */
function decodeString(raw: string, line: number, column: number, into: Keyword): void {
  for (let i = 0; i < raw.length; i++) {
    let character = raw[i]!;
    const at = { line, column: column + i };
    if (character === '\\') {
      const escaped = raw[++i]!;
      character = escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped === 'r' ? '\r' : escaped;
    }
    into.text += character;
    into.positions.push(at);
  }
}

/**
 * Cuts a PO file into its entries, line by line, checking that each line is a comment, a keyword
 * with one quoted string, or a quoted string that continues one; gettext-parser then reads each
 * entry alone, so every entry keeps its lines (the parser gives none) and its place in the file.
 */
function scan(text: string, report: Report): EntryLines[] {
  const entries: EntryLines[] = [];
  let entry: EntryLines | null = null;
  let afterMsgstr = false;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = index + 1;
    const trimmed = raw.trim();
    const column = raw.length - raw.trimStart().length + 1;
    if (!trimmed) {
      if (afterMsgstr) entry = null;
      continue;
    }
    const keyword = KEYWORD.exec(trimmed)?.[1];
    const names = entry?.keywords.map((found) => found.name) ?? [];
    // An entry ends at a blank line or the next one's first line; a msgstr-less entry ends at the next msgctxt or msgid.
    const startsEntry =
      (afterMsgstr && (trimmed.startsWith('#') || keyword === 'msgctxt' || keyword === 'msgid')) ||
      (keyword === 'msgctxt' && names.length > 0) ||
      (keyword === 'msgid' && names.some((name) => name !== 'msgctxt'));
    if (!entry || startsEntry) {
      entry = { lines: [], keywords: [], extracted: [], obsolete: false, broken: false };
      entries.push(entry);
      afterMsgstr = false;
    }
    entry.lines.push(raw);
    if (trimmed.startsWith('#')) {
      if (trimmed.startsWith('#.')) entry.extracted.push({ line, column });
      if (/^#~\s*msg/.test(trimmed)) entry.obsolete = true;
      if (/^#~\s*msgstr/.test(trimmed)) afterMsgstr = true;
      continue;
    }
    let from = column;
    let into = entry.keywords.at(-1);
    if (keyword) {
      afterMsgstr ||= keyword.startsWith('msgstr');
      into = { name: keyword, at: { line, column }, text: '', positions: [] };
      entry.keywords.push(into);
      const after = raw.slice(column - 1 + keyword.length);
      from = column + keyword.length + (after.length - after.trimStart().length);
    } else if (!trimmed.startsWith('"') || !into) {
      entry.broken = true;
      report(
        'po_syntax',
        { line, column },
        trimmed.startsWith('"')
          ? 'A string must follow a keyword (msgctxt, msgid, msgstr).'
          : 'This line is not PO: not a comment (#), a keyword (msgctxt, msgid, msgstr) or a quoted string.',
      );
      continue;
    }
    const rest = raw.slice(from - 1);
    const string = STRING.exec(rest);
    if (string && !rest.slice(string[0].length).trim()) decodeString(string[1]!, line, from + 1, into);
    else {
      entry.broken = true;
      report(
        'po_syntax',
        { line, column: string ? from + string[0].length : from },
        string
          ? 'There is text after the closing quote.'
          : 'Expected a string in double quotes, closed on the same line.',
      );
    }
  }
  return entries;
}

/** Reads a PO file written by writePo (and edited in a tool), or says everything wrong with it. */
export function readPo(text: string): { document: ExchangeDocument } | { problems: ExchangeProblem[] } {
  const problems: ExchangeProblem[] = [];
  const report: Report = (code, at, message, unit) =>
    problems.push(exchangeProblem(code, at.line, at.column, message, unit));
  const entries = scan(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, report).filter(
    (entry) => entry.keywords.length && !entry.obsolete,
  );
  const parsed = entries.map((entry) => parseEntry(entry, report));

  const header = parsed[0]?.translation;
  const hasHeader = header?.msgctxt === undefined && header?.msgid === '';
  const headers = new Map<string, string>();
  if (hasHeader)
    for (const line of (header.msgstr[0] ?? '').split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  else if (!entries[0]?.broken)
    report('missing_header', { line: 1, column: 1 }, 'The file has no header entry (msgid "" with the languages).');
  const headerAt = (hasHeader && entries[0]?.keywords[0]?.at) || { line: 1, column: 1 };
  const field = (name: string, what: string) => {
    const value = headers.get(name.toLowerCase());
    if (!value && hasHeader) report('missing_header', headerAt, `The header has no ${name} field (${what}).`);
    return value ?? '';
  };
  const charset = /charset=([^\s;]+)/i.exec(headers.get('content-type') ?? '')?.[1]?.toLowerCase();
  if (charset && !['utf-8', 'utf8', 'charset'].includes(charset))
    report('unsupported_charset', headerAt, `The file says it is ${charset}; only UTF-8 can be read.`);
  const targetLanguage = field('Language', 'the target language').replaceAll('_', '-');
  const sourceLanguage = field(SOURCE_LANGUAGE_HEADER, 'the source language').replaceAll('_', '-');
  const story = field(STORY_HEADER, "the story's slug");

  const units: ExchangeUnit[] = [];
  const versions: Array<[string, string]> = [];
  const seen = new Set<string>();
  parsed.forEach(({ translation }, index) => {
    const entry = entries[index]!;
    if (!translation || (index === 0 && hasHeader)) return;
    const unit = unitOf(entry, translation, report, seen);
    if (!unit) return;
    units.push(unit.unit);
    if (unit.version !== undefined) versions.push([unit.unit.id, unit.version]);
  });
  if (problems.length) return { problems: sortProblems(problems) };
  return {
    document: { story, sourceLanguage, targetLanguage, sourceVersion: Object.fromEntries(versions), units },
  };
}

/** One entry read by gettext-parser, or nothing when its lines are already reported broken. */
function parseEntry(entry: EntryLines, report: Report): { translation?: GetTextTranslation } {
  if (entry.broken) return {};
  const names = entry.keywords.map((keyword) => keyword.name).join(' ');
  const first = entry.keywords[0]!.at;
  if (names.includes('msgid_plural') || names.includes('msgstr[')) {
    report('plural_entry', first, 'Plural entries (msgid_plural) are not used by stories; remove this one.');
    return {};
  }
  if (!/^(?:msgctxt )?msgid msgstr$/.test(names)) {
    const message = names.includes('msgstr')
      ? `An entry is msgctxt, msgid, then msgstr; this one is "${names}".`
      : 'This entry has no msgstr.';
    report('po_syntax', first, message);
    return {};
  }
  try {
    const table = po.parse(entry.lines.join('\n'), { validation: true });
    const translation = Object.values(table.translations).flatMap((byId) => Object.values(byId))[0];
    return translation ? { translation } : {};
  } catch (error) {
    const reason = (error as Error).message.replace(/^Error parsing PO data: /, '').replace(/ at line \d+/, '');
    report('po_syntax', first, `This entry cannot be read: ${reason}`);
    return {};
  }
}

interface CommentData {
  version?: string;
  state?: ExchangeState;
  tags: Map<string, { index: number; label: string; at: Position }>;
  note?: string;
}

/**
 * The extracted comments of an entry: its version, state and tags in any order (a tool may reorder
 * lines), then the note, from "note:" (or from the first line that is none of ours) to the end.
 */
function commentsOf(extracted: string | undefined, lines: Position[], report: Report, unit: string): CommentData {
  const texts = extracted === undefined ? [] : extracted.split('\n');
  const data: CommentData = { tags: new Map() };
  const indices = new Set<number>();
  const at = (k: number) => lines[k] ?? lines[0] ?? { line: 1, column: 1 };
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    const [version, state, tag] = [VERSION_LINE.exec(text), STATE_LINE.exec(text), TAG_LINE.exec(text)];
    if ((version && data.version !== undefined) || (state && data.state !== undefined))
      report('bad_comment', at(i), `This line repeats the ${version ? 'source version' : 'state'}.`, unit);
    else if (version) data.version = version[1] ?? '';
    else if (state) {
      const value = state[1] ?? '';
      if ((EXCHANGE_STATES as readonly string[]).includes(value)) data.state = value as ExchangeState;
      else report('bad_comment', at(i), `"${value}" is not a state (${EXCHANGE_STATES.join(', ')}).`, unit);
    } else if (tag) {
      const [, token, index, label] = tag;
      if (data.tags.has(token!) || indices.has(Number(index)))
        report('bad_comment', at(i), `Tag ${token} (${index}) is described twice.`, unit);
      data.tags.set(token!, { index: Number(index), label: label ?? '', at: at(i) });
      indices.add(Number(index));
    } else {
      const note = NOTE_LINE.exec(text);
      data.note = [note ? (note[1] ?? '') : text, ...texts.slice(i + 1)].join('\n');
      break;
    }
  }
  return data;
}

/** A unit text from PO text: tags back to markers, escapes undone; unknown tags and reserved characters reported. */
function decode(
  keyword: Keyword,
  text: string,
  tags: CommentData['tags'],
  onUnknown: (at: Position, token: string) => void,
  onReserved: (at: Position) => void,
): { text: string; used: string[] } {
  // The scanner's reading gives each character's place, if it agrees with gettext-parser's.
  const where = (offset: number) => (keyword.text === text ? keyword.positions[offset] : undefined) ?? keyword.at;
  let out = '';
  const used: string[] = [];
  for (let i = 0; i < text.length;) {
    const character = text[i]!;
    if (character === '\\' && (text[i + 1] === '\\' || text[i + 1] === '<')) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    TOKEN.lastIndex = i;
    const token = character === '<' ? TOKEN.exec(text)?.[0] : undefined;
    if (token) {
      const tag = tags.get(token);
      if (tag) {
        out += placeholder(tag.index);
        used.push(token);
      } else onUnknown(where(i), token);
      i += token.length;
      continue;
    }
    if (character === '\uE000' || character === '\uE001') onReserved(where(i));
    out += character;
    i++;
  }
  return { text: out, used };
}

function unitOf(
  entry: EntryLines,
  translation: GetTextTranslation,
  report: Report,
  seen: Set<string>,
): { unit: ExchangeUnit; version?: string } | null {
  const keyword = (name: string) => entry.keywords.find((found) => found.name === name)!;
  const id = translation.msgctxt;
  if (!id) {
    report(
      'missing_msgctxt',
      (entry.keywords.find((found) => found.name === 'msgctxt') ?? keyword('msgid')).at,
      'This entry has no msgctxt, which holds its unit id.',
    );
    return null;
  }
  if (seen.has(id)) report('duplicate_unit_id', keyword('msgctxt').at, `Unit id "${id}" is used twice.`, id);
  seen.add(id);
  const comments = commentsOf(translation.comments?.extracted, entry.extracted, report, id);
  const reserved = (at: Position) =>
    report('reserved_character', at, 'The text has a private-use character U+E000 or U+E001, kept for tags.', id);
  const source = decode(
    keyword('msgid'),
    translation.msgid,
    comments.tags,
    (at, token) => report('unknown_marker', at, `The source has tag ${token}, which the comments do not describe.`, id),
    reserved,
  );
  const markers: Array<[number, ExchangeMarker]> = [];
  for (const [token, tag] of comments.tags) {
    const uses = source.used.filter((used) => used === token).length;
    if (uses === 0) report('bad_comment', tag.at, `Tag ${token} is described but not in the source.`, id);
    if (uses > 1) report('duplicate_marker', keyword('msgid').at, `Tag ${token} appears twice in the source.`, id);
    markers.push([tag.index, { role: token.startsWith('</') ? 'close' : 'open', label: tag.label }]);
  }
  const target = decode(
    keyword('msgstr'),
    translation.msgstr[0] ?? '',
    comments.tags,
    (at, token) =>
      report('marker_not_in_source', at, `The translation has tag ${token}, which its source does not.`, id),
    reserved,
  ).text;
  const fuzzy = (translation.comments?.flag ?? '').split(/[\s,]+/).includes('fuzzy');
  const unit: ExchangeUnit = {
    id,
    source: source.text,
    target,
    markers: Object.fromEntries(markers.sort((a, b) => a[0] - b[0])),
    state: stateOf(target, fuzzy, comments.state),
  };
  if (comments.note !== undefined) unit.note = comments.note;
  return comments.version === undefined ? { unit } : { unit, version: comments.version };
}

/** A unit's state from its PO entry and the state it was exported in (see the top of this file). */
function stateOf(target: string, fuzzy: boolean, exported: ExchangeState | undefined): ExchangeState {
  if (target === '') return 'initial';
  if (fuzzy) return exported === 'initial' ? 'initial' : 'translated';
  return exported === 'final' ? 'final' : 'reviewed';
}
