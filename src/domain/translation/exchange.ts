import { PLACEHOLDER_PATTERN } from './markers.ts';

// A story's translation in one target language, as desktop translation tools exchange it: XLIFF 2.0
// (xliff.ts) and GNU gettext PO (po.ts). Both writers take the same document and both readers give
// it back. What a format cannot carry exactly is refused when writing (ExchangeWriteError), never
// changed in silence; readers never throw: a file that cannot be trusted gives problems, each with
// its line and column and, where there is one, the unit it is about.

/** Where a unit's translation stands: untranslated, draft, awaiting review, approved (the app maps its own states). */
export type ExchangeState = 'initial' | 'translated' | 'reviewed' | 'final';

/** The states in workflow order (as XLIFF 2.0 names them). */
export const EXCHANGE_STATES: readonly ExchangeState[] = ['initial', 'translated', 'reviewed', 'final'];

/** What one placeholder marker of a unit stands for: an opening or closing tag, with a short label to show. */
export interface ExchangeMarker {
  role: 'open' | 'close';
  label: string;
}

/** One translation unit as exchanged; texts carry inline markup as placeholder markers (markers.ts). */
export interface ExchangeUnit {
  /** Stable unit id, e.g. "u12" or "title". */
  id: string;
  /** Source text with markers. */
  source: string;
  /** Translation with markers ('' = untranslated). */
  target: string;
  /** What each marker number in this unit's source stands for. */
  markers: Record<number, ExchangeMarker>;
  state: ExchangeState;
  /** Context for the translator, or why a translation is outdated. */
  note?: string;
}

/** A story's units in one target language. */
export interface ExchangeDocument {
  /** The story's slug. */
  story: string;
  /** BCP 47 tags. */
  sourceLanguage: string;
  targetLanguage: string;
  /** Unit id → an opaque token of the source text the file was made from, so an import can refuse units whose source changed since. */
  sourceVersion: Record<string, string>;
  units: ExchangeUnit[];
}

/** The stable codes of ExchangeProblem.code. */
export type ExchangeProblemCode =
  // XLIFF
  | 'malformed_xml'
  | 'not_xliff'
  | 'unsupported_version'
  | 'missing_attribute'
  | 'bad_attribute'
  | 'missing_file'
  | 'multiple_files'
  | 'missing_segment'
  | 'multiple_segments'
  | 'unknown_inline_code'
  | 'unpaired_code'
  | 'missing_data'
  // PO
  | 'po_syntax'
  | 'missing_header'
  | 'unsupported_charset'
  | 'missing_msgctxt'
  | 'plural_entry'
  | 'unknown_marker'
  | 'bad_comment'
  // Both
  | 'duplicate_unit_id'
  | 'duplicate_marker'
  | 'marker_not_in_source'
  | 'reserved_character';

/** Something wrong in an exchange file, at a 1-based line and column (columns count UTF-16 code units). */
export interface ExchangeProblem {
  code: ExchangeProblemCode;
  line: number;
  column: number;
  /** The id of the unit the problem is in, when it is in one. */
  unit?: string;
  message: string;
}

/** A document that a format cannot carry exactly; `unit` names the unit at fault, when one is. */
export class ExchangeWriteError extends Error {
  readonly unit: string | undefined;

  constructor(message: string, unit?: string) {
    super(unit === undefined ? message : `Unit "${unit}": ${message}`);
    this.name = 'ExchangeWriteError';
    this.unit = unit;
  }
}

/** A problem, its unit added only when there is one (so results compare equal to literals). */
export function exchangeProblem(
  code: ExchangeProblemCode,
  line: number,
  column: number,
  message: string,
  unit?: string,
): ExchangeProblem {
  return unit === undefined ? { code, line, column, message } : { code, line, column, unit, message };
}

/** Problems by line, then column, keeping the order of problems at the same place. */
export function sortProblems(problems: ExchangeProblem[]): ExchangeProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A text cut at its markers: runs of text (never empty) and marker numbers, in order. */
export type TextPiece = string | number;

const MARKERS = new RegExp(PLACEHOLDER_PATTERN.source, 'gu');

/** The pieces of a unit text. */
export function textPieces(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let from = 0;
  for (const match of text.matchAll(MARKERS)) {
    if (match.index > from) pieces.push(text.slice(from, match.index));
    pieces.push(Number(match[1]));
    from = match.index + match[0].length;
  }
  if (from < text.length) pieces.push(text.slice(from));
  return pieces;
}

/** The marker numbers of a text, in order. */
export function markersIn(text: string): number[] {
  return textPieces(text).filter((piece): piece is number => typeof piece === 'number');
}

/**
 * Each marker of a unit's source paired with its partner (opening ↔ closing) as tags nest: a closing
 * marker closes the latest opening one still open. A marker without a partner in the unit belongs
 * to a tag that the sentence shares with the one before or after it.
 */
export function markerPartners(unit: Pick<ExchangeUnit, 'source' | 'markers'>): Map<number, number> {
  const partners = new Map<number, number>();
  const open: number[] = [];
  for (const index of markersIn(unit.source)) {
    if (unit.markers[index]?.role === 'open') open.push(index);
    else {
      const opening = open.pop();
      if (opening !== undefined) partners.set(opening, index).set(index, opening);
    }
  }
  return partners;
}

/** The markers of a unit as entries, in number order. */
export function markerEntries(markers: Record<number, ExchangeMarker>): Array<[number, ExchangeMarker]> {
  return Object.entries(markers)
    .map(([key, marker]): [number, ExchangeMarker] => [Number(key), marker])
    .sort((a, b) => a[0] - b[0]);
}

const RESERVED = /[\uE000\uE001]/;

/** Whether a run of text holds a marker character outside a whole marker. */
export function hasReservedCharacter(text: string): boolean {
  return RESERVED.test(text);
}

/** The source version token of a unit, if the document has one (own keys only: an id may be "constructor"). */
export function sourceVersionOf(document: ExchangeDocument, unitId: string): string | undefined {
  return Object.hasOwn(document.sourceVersion, unitId) ? document.sourceVersion[unitId] : undefined;
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * Refuses what neither format can carry: a language that is no BCP 47 tag, a slug or version token
 * with control characters (both are one line of plain text in either format), empty or repeated
 * unit ids, texts that are not well-formed UTF-16, broken markers, a source whose markers and marker
 * list disagree, a target with a marker its source lacks, a version for a unit that is not there.
 */
export function assertWritable(document: ExchangeDocument): void {
  for (const [what, tag] of [
    ['source', document.sourceLanguage],
    ['target', document.targetLanguage],
  ] as const)
    if (!LANGUAGE_TAG.test(tag)) throw new ExchangeWriteError(`The ${what} language "${tag}" is not a BCP 47 tag.`);
  if (!document.story || document.story !== document.story.trim() || CONTROL.test(document.story))
    throw new ExchangeWriteError('The story slug must be one line of text without outer spaces.');
  for (const [id, version] of Object.entries(document.sourceVersion))
    if (CONTROL.test(version) || !version.isWellFormed())
      throw new ExchangeWriteError('The source version has a control character.', id);
  const ids = new Set<string>();
  for (const unit of document.units) {
    if (!unit.id) throw new ExchangeWriteError('A unit has an empty id.');
    if (ids.has(unit.id)) throw new ExchangeWriteError('Two units have this id.', unit.id);
    ids.add(unit.id);
    if (!EXCHANGE_STATES.includes(unit.state)) throw new ExchangeWriteError(`Unknown state "${unit.state}".`, unit.id);
    const texts = [unit.id, unit.source, unit.target, unit.note ?? ''];
    for (const [, marker] of markerEntries(unit.markers)) texts.push(marker.label);
    if (!texts.every((text) => text.isWellFormed()))
      throw new ExchangeWriteError('A text has a lone surrogate, which no file encoding can carry.', unit.id);
    for (const [name, text] of [
      ['source', unit.source],
      ['target', unit.target],
    ] as const)
      if (textPieces(text).some((piece) => typeof piece === 'string' && hasReservedCharacter(piece)))
        throw new ExchangeWriteError(`The ${name} has a broken placeholder marker.`, unit.id);
    const inSource = markersIn(unit.source);
    const listed = new Set(markerEntries(unit.markers).map(([index]) => index));
    if (new Set(inSource).size !== inSource.length)
      throw new ExchangeWriteError('The source has a marker twice.', unit.id);
    for (const index of inSource)
      if (!listed.has(index))
        throw new ExchangeWriteError(`Marker ${index} of the source is not in its list.`, unit.id);
    for (const index of listed)
      if (!inSource.includes(index))
        throw new ExchangeWriteError(`Marker ${index} is listed but not in the source.`, unit.id);
    for (const index of markersIn(unit.target))
      if (!listed.has(index))
        throw new ExchangeWriteError(`The target has marker ${index}, which the source does not.`, unit.id);
  }
  for (const id of Object.keys(document.sourceVersion))
    if (!ids.has(id))
      throw new ExchangeWriteError(`There is a source version for unit "${id}", which is not in the document.`);
}
