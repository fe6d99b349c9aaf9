import { SaxesParser, type SaxesTagNS } from 'saxes';
import {
  EXCHANGE_STATES,
  ExchangeWriteError,
  assertWritable,
  exchangeProblem,
  hasReservedCharacter,
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
import { escapeXmlMarkup, NOT_XML } from '../xml.ts';

// XLIFF 2.0 core (OASIS, 2014), one <file> per story: its `original` is the story's slug, and
// canResegment="no" keeps tools from splitting a unit, which is already one sentence. A unit is one
// <segment> whose state is the unit's. Its <originalData> holds one <data id="mN"> per marker N,
// the marker's label; the inline codes point at them with dataRef, which also gives the number of
// a closing marker (its <ec> has no id of its own). An opening marker whose closing one is in the
// unit is <sc id="N"/>, the closing one <ec startRef="N"/> (sc/ec rather than <pc> so a translation
// may reorder or overlap tags); a marker whose partner is in another sentence is isolated, with its
// own id. Source versions live in the metadata module, the note in <notes>, both under the category
// "storyhub" so that notes and metadata other tools add are left alone. Characters XML 1.0 cannot
// carry are <cp> in texts and labels; elsewhere (notes, version tokens, the slug) they are refused.

const XLIFF = 'urn:oasis:names:tc:xliff:document:2.0';
const METADATA = 'urn:oasis:names:tc:xliff:metadata:2.0';
const CATEGORY = 'storyhub';
const VERSION_TYPE = 'source-version';
// 2.1 changed modules, not this core, and keeps its namespace; later versions have their own.
const READABLE_VERSIONS = ['2.0', '2.1'];

const NOT_XML_ALL = new RegExp(NOT_XML.source, 'gu');
// XML's NameChar: what an NMTOKEN, the type of XLIFF ids, is made of.
const NMTOKEN =
  /^[-.0-9:A-Z_a-z\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}]+$/u;

const hex = (character: string) => character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/** Translatable text (source, target, a marker's label): characters XML cannot carry as <cp>. */
function escapeContent(text: string): string {
  return escapeXmlMarkup(text).replace(NOT_XML_ALL, (c) => `<cp hex="${hex(c)}"/>`);
}

/** Plain XML text or attribute value, where <cp> cannot stand: what XML cannot carry is refused. */
function escapePlain(text: string, what: string, attribute: boolean, unit?: string): string {
  const bad = NOT_XML.exec(text);
  if (bad)
    throw new ExchangeWriteError(`${what} has the control character U+${hex(bad[0])}, which XML cannot carry.`, unit);
  return escapeXmlMarkup(text, attribute);
}

/** A story's units as an XLIFF 2.0 document; throws ExchangeWriteError for what XLIFF cannot carry. */
export function writeXliff(document: ExchangeDocument): string {
  assertWritable(document);
  const story = escapePlain(document.story, 'The story slug', true);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="${XLIFF}" xmlns:mda="${METADATA}" version="2.0" srcLang="${document.sourceLanguage}" trgLang="${document.targetLanguage}">`,
    `  <file id="f1" original="${story}" canResegment="no" xml:space="preserve">`,
  ];
  for (const unit of document.units) lines.push(...unitLines(unit, sourceVersionOf(document, unit.id)));
  lines.push('  </file>', '</xliff>', '');
  return lines.join('\n');
}

function unitLines(unit: ExchangeUnit, version: string | undefined): string[] {
  if (!NMTOKEN.test(unit.id))
    throw new ExchangeWriteError('An XLIFF id is made of letters, digits and ".-_:" only.', unit.id);
  const partners = markerPartners(unit);
  checkTarget(unit, partners);
  const lines = [`    <unit id="${unit.id}">`];
  if (version !== undefined)
    lines.push(
      '      <mda:metadata>',
      `        <mda:metaGroup category="${CATEGORY}">`,
      `          <mda:meta type="${VERSION_TYPE}">${escapePlain(version, 'The source version', false, unit.id)}</mda:meta>`,
      '        </mda:metaGroup>',
      '      </mda:metadata>',
    );
  if (unit.note !== undefined)
    lines.push(
      '      <notes>',
      `        <note category="${CATEGORY}">${escapePlain(unit.note, 'The note', false, unit.id)}</note>`,
      '      </notes>',
    );
  const markers = markerEntries(unit.markers);
  if (markers.length) {
    lines.push('      <originalData>');
    for (const [index, marker] of markers)
      lines.push(`        <data id="m${index}">${escapeContent(marker.label)}</data>`);
    lines.push('      </originalData>');
  }
  lines.push(
    `      <segment state="${unit.state}">`,
    `        <source>${inline(unit.source, unit, partners)}</source>`,
  );
  // A translated, reviewed or final segment has a target, even an empty one.
  if (unit.target !== '' || unit.state !== 'initial')
    lines.push(`        <target>${inline(unit.target, unit, partners)}</target>`);
  lines.push('      </segment>', '    </unit>');
  return lines;
}

function inline(text: string, unit: ExchangeUnit, partners: Map<number, number>): string {
  return textPieces(text)
    .map((piece) => {
      if (typeof piece === 'string') return escapeContent(piece);
      const partner = partners.get(piece);
      const ref = `dataRef="m${piece}"`;
      if (unit.markers[piece]!.role === 'open')
        return partner === undefined ? `<sc id="${piece}" isolated="yes" ${ref}/>` : `<sc id="${piece}" ${ref}/>`;
      return partner === undefined ? `<ec id="${piece}" isolated="yes" ${ref}/>` : `<ec startRef="${partner}" ${ref}/>`;
    })
    .join('');
}

/** A target's markers must be codes of its source: each once, and a pair whole and in order. */
function checkTarget(unit: ExchangeUnit, partners: Map<number, number>): void {
  const order = markersIn(unit.target);
  const at = new Map<number, number>();
  order.forEach((index, position) => {
    if (at.has(index)) throw new ExchangeWriteError(`The target has marker ${index} twice.`, unit.id);
    at.set(index, position);
  });
  for (const [index, position] of at) {
    const partner = partners.get(index);
    if (partner === undefined) continue;
    const partnerAt = at.get(partner);
    if (partnerAt === undefined)
      throw new ExchangeWriteError(`The target has marker ${index} without its partner ${partner}.`, unit.id);
    if (unit.markers[index]!.role === 'open' && partnerAt < position)
      throw new ExchangeWriteError(`In the target, marker ${partner} closes before ${index} opens it.`, unit.id);
  }
}

interface Position {
  line: number;
  column: number;
}

/** An inline code as read; a <pc> gives two, its start and (closing) its end. */
interface InlineCode {
  element: 'sc' | 'ec' | 'pc';
  closing: boolean;
  id: string | undefined;
  startRef: string | undefined;
  isolated: boolean;
  dataRef: string | undefined;
  at: Position;
}

interface Content {
  pieces: Array<string | InlineCode>;
  at: Position;
}

interface UnitDraft {
  id: string;
  at: Position;
  version?: string;
  note?: string;
  data: Map<string, string>;
  segments: number;
  state?: { value: string; at: Position };
  source?: Content;
  target?: Content;
}

/** Offsets of a text as 1-based lines and columns (CR, LF and CRLF end a line, as in XML). */
function locator(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}

function attribute(tag: SaxesTagNS, name: string): string | undefined {
  for (const attr of Object.values(tag.attributes)) if (attr.uri === '' && attr.local === name) return attr.value;
  return undefined;
}

/** Reads an XLIFF 2.0 document written by writeXliff (and kept by a tool), or says everything wrong with it. */
export function readXliff(text: string): { document: ExchangeDocument } | { problems: ExchangeProblem[] } {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const locate = locator(input);
  const problems: ExchangeProblem[] = [];
  const report = (code: ExchangeProblemCode, at: Position, message: string, unit?: string) =>
    problems.push(exchangeProblem(code, at.line, at.column, message, unit));
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: SaxesTagNS[] = [];
  const units: UnitDraft[] = [];
  const unitIds = new Set<string>();
  const head: { sourceLanguage?: string; targetLanguage?: string; story?: string; files: number } = { files: 0 };
  let stopped = false;
  let sawRoot = false;
  let tagAt: Position = { line: 1, column: 1 };
  let unit: UnitDraft | null = null;
  let content: { into: Content; depth: number; pcs: InlineCode[] } | null = null;
  let capture: { kind: 'note' | 'version' | 'data'; id: string; text: string; depth: number } | null = null;

  const required = (tag: SaxesTagNS, name: string) => {
    const value = attribute(tag, name);
    if (!value)
      report('missing_attribute', tagAt, `<${tag.local}> has no ${name} attribute, which it needs.`, unit?.id);
    return value;
  };
  const character = (tag: SaxesTagNS): string => {
    const value = attribute(tag, 'hex') ?? '';
    const point = /^[0-9A-Fa-f]{1,6}$/.test(value) ? parseInt(value, 16) : Number.NaN;
    if (point <= 0x10ffff && !(point >= 0xd800 && point <= 0xdfff)) return String.fromCodePoint(point);
    report('bad_attribute', tagAt, `<cp hex="${value}"> names no Unicode character.`, unit?.id);
    return '';
  };

  const openInline = (tag: SaxesTagNS) => {
    const into = content!.into;
    const code = (element: InlineCode['element'], dataRef = attribute(tag, 'dataRef')): InlineCode => {
      const isolated = attribute(tag, 'isolated');
      if (isolated !== undefined && isolated !== 'yes' && isolated !== 'no')
        report('bad_attribute', tagAt, `isolated is "yes" or "no", not "${isolated}".`, unit?.id);
      return {
        element,
        closing: false,
        id: attribute(tag, 'id'),
        startRef: attribute(tag, 'startRef'),
        isolated: isolated === 'yes',
        dataRef,
        at: tagAt,
      };
    };
    if (tag.uri === XLIFF && (tag.local === 'sc' || tag.local === 'ec')) into.pieces.push(code(tag.local));
    else if (tag.uri === XLIFF && tag.local === 'pc') {
      const start = code('pc', attribute(tag, 'dataRefStart'));
      into.pieces.push(start);
      content!.pcs.push({ ...start, closing: true, dataRef: attribute(tag, 'dataRefEnd') });
    } else if (tag.uri === XLIFF && tag.local === 'cp') {
      const text = character(tag);
      if (typeof into.pieces.at(-1) === 'string') into.pieces[into.pieces.length - 1] += text;
      else into.pieces.push(text);
    } else if (tag.uri !== XLIFF || !['mrk', 'sm', 'em'].includes(tag.local)) {
      // Annotations (<mrk>, <sm>, <em>) a tool adds are transparent; any other code stands for nothing of ours.
      report(
        'unknown_inline_code',
        tagAt,
        `<${tag.name}> is not an inline code of this file: only <sc>, <ec> and <pc> stand for a unit's tags.`,
        unit?.id,
      );
    }
  };

  const openStructure = (tag: SaxesTagNS, parent: SaxesTagNS) => {
    if (tag.uri === METADATA) {
      if (
        unit &&
        tag.local === 'meta' &&
        parent.local === 'metaGroup' &&
        attribute(parent, 'category') === CATEGORY &&
        attribute(tag, 'type') === VERSION_TYPE
      )
        capture = { kind: 'version', id: '', text: '', depth: stack.length };
      return;
    }
    if (tag.uri !== XLIFF) return;
    if (tag.local === 'file') {
      head.files++;
      if (head.files === 2)
        report('multiple_files', tagAt, 'The document has more than one <file>; a story is one file.');
      else if (head.files === 1) head.story = required(tag, 'original');
    } else if (tag.local === 'unit') {
      const id = required(tag, 'id') ?? '';
      unit = { id, at: tagAt, data: new Map(), segments: 0 };
      if (id && unitIds.has(id)) report('duplicate_unit_id', tagAt, `Unit id "${id}" is used twice.`, id);
      unitIds.add(id);
      units.push(unit);
    } else if (!unit) return;
    else if (tag.local === 'note' && attribute(tag, 'category') === CATEGORY && unit.note === undefined)
      capture = { kind: 'note', id: '', text: '', depth: stack.length };
    else if (tag.local === 'data' && parent.local === 'originalData')
      capture = { kind: 'data', id: required(tag, 'id') ?? '', text: '', depth: stack.length };
    else if (tag.local === 'segment' || tag.local === 'ignorable') {
      unit.segments++;
      if (unit.segments === 2 || tag.local === 'ignorable')
        report('multiple_segments', tagAt, 'A unit here is one sentence, one <segment>; join the parts.', unit.id);
      const state = attribute(tag, 'state');
      if (state !== undefined) unit.state = { value: state, at: tagAt };
    } else if (
      (tag.local === 'source' || tag.local === 'target') &&
      parent.local === 'segment' &&
      unit.segments === 1
    ) {
      const into: Content = { pieces: [], at: tagAt };
      unit[tag.local] = into;
      content = { into, depth: stack.length, pcs: [] };
    }
  };

  parser.on('opentagstart', () => {
    tagAt = locate(input.lastIndexOf('<', parser.position - 1));
  });
  parser.on('opentag', (tag) => {
    if (stopped) return;
    const parent = stack.at(-1);
    stack.push(tag);
    if (!parent) {
      sawRoot = true;
      if (tag.local !== 'xliff' || tag.uri !== XLIFF) {
        const namespace = tag.uri ? ` in namespace ${tag.uri}` : ' in no namespace';
        report('not_xliff', tagAt, `The document is <${tag.name}>${namespace}, not XLIFF 2.0 (<xliff> in ${XLIFF}).`);
        stopped = true;
        return;
      }
      const version = attribute(tag, 'version');
      if (!READABLE_VERSIONS.includes(version ?? ''))
        report('unsupported_version', tagAt, `This is XLIFF version "${version ?? ''}"; only 2.0 can be read.`);
      head.sourceLanguage = required(tag, 'srcLang');
      head.targetLanguage = required(tag, 'trgLang');
    } else if (content) openInline(tag);
    else if (capture?.kind === 'data' && tag.uri === XLIFF && tag.local === 'cp') capture.text += character(tag);
    else if (!capture) openStructure(tag, parent);
  });
  const addText = (text: string) => {
    if (stopped) return;
    if (content) {
      const pieces = content.into.pieces;
      if (typeof pieces.at(-1) === 'string') pieces[pieces.length - 1] += text;
      else pieces.push(text);
    } else if (capture) capture.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag) => {
    if (stopped) return;
    stack.pop();
    if (content && stack.length < content.depth) content = null;
    else if (content && tag.uri === XLIFF && tag.local === 'pc') content.into.pieces.push(content.pcs.pop()!);
    if (capture && stack.length < capture.depth) {
      if (unit && capture.kind === 'note') unit.note = capture.text;
      if (unit && capture.kind === 'version') unit.version = capture.text;
      if (unit && capture.kind === 'data') unit.data.set(capture.id, capture.text);
      capture = null;
    }
    if (tag.uri === XLIFF && tag.local === 'unit') unit = null;
  });
  parser.on('error', (error) => {
    if (stopped) return;
    stopped = true;
    const reason = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
    report(
      'malformed_xml',
      locate(Math.max(0, parser.position - 1)),
      `The XML is malformed here (${reason}); the file cannot be read.`,
    );
  });
  try {
    parser.write(input).close();
  } catch (error) {
    // The error handler has reported it; this is saxes refusing to go on.
    if (!stopped)
      report('malformed_xml', locate(input.length), `The XML cannot be read (${(error as Error).message}).`);
    stopped = true;
  }
  if (problems.some((problem) => problem.code === 'malformed_xml' || problem.code === 'not_xliff'))
    return { problems: sortProblems(problems) };
  if (!sawRoot) report('not_xliff', { line: 1, column: 1 }, 'The document has no <xliff> element.');
  else if (head.files === 0) report('missing_file', { line: 1, column: 1 }, 'The document has no <file>.');

  const built = units.map((draft) => buildUnit(draft, report));
  if (problems.length) return { problems: sortProblems(problems) };
  return {
    document: {
      story: head.story!,
      sourceLanguage: head.sourceLanguage!,
      targetLanguage: head.targetLanguage!,
      sourceVersion: Object.fromEntries(
        units.flatMap((draft) => (draft.version === undefined ? [] : [[draft.id, draft.version]])),
      ),
      units: built,
    },
  };
}

type Report = (code: ExchangeProblemCode, at: Position, message: string, unit?: string) => void;

/** A unit as read: its markers numbered by their data, the target's codes taken from the source's. */
function buildUnit(draft: UnitDraft, report: Report): ExchangeUnit {
  const id = draft.id;
  let state: ExchangeState = 'initial';
  if (draft.state) {
    if ((EXCHANGE_STATES as readonly string[]).includes(draft.state.value)) state = draft.state.value as ExchangeState;
    else
      report(
        'bad_attribute',
        draft.state.at,
        `"${draft.state.value}" is not a segment state (${EXCHANGE_STATES.join(', ')}).`,
        id,
      );
  }
  if (!draft.source) report('missing_segment', draft.at, 'This unit has no <segment> with a <source>.', id);

  const markers = new Map<number, ExchangeMarker>();
  // Each code id of the source: the markers it opens and closes.
  const codes = new Map<string, { open?: number; close?: number }>();
  const markerOf = (code: InlineCode, role: ExchangeMarker['role']): number | null => {
    const ref = /^m(\d+)$/.exec(code.dataRef ?? '');
    const label = code.dataRef === undefined ? undefined : draft.data.get(code.dataRef);
    if (!ref || label === undefined) {
      report(
        'missing_data',
        code.at,
        code.dataRef === undefined
          ? `This <${code.element}> has no data reference, so it stands for no tag of the unit.`
          : `This <${code.element}> refers to "${code.dataRef}", which is no <data> of the unit's <originalData>.`,
        id,
      );
      return null;
    }
    const index = Number(ref[1]);
    if (markers.has(index)) report('duplicate_marker', code.at, `Tag ${index} appears twice in the source.`, id);
    markers.set(index, { role, label });
    return index;
  };
  const codeId = (code: InlineCode, name: 'id' | 'startRef') => {
    const value = code[name];
    if (value === undefined) report('missing_attribute', code.at, `This <${code.element}> needs a ${name}.`, id);
    return value;
  };

  let source = '';
  const waiting = new Map<string, InlineCode>();
  for (const piece of draft.source?.pieces ?? []) {
    if (typeof piece === 'string') {
      if (hasReservedCharacter(piece)) reserved(draft.source!.at, report, id);
      source += piece;
      continue;
    }
    const closing = piece.closing || (piece.element === 'ec' && !piece.isolated);
    const key = codeId(piece, piece.element === 'ec' && !piece.isolated ? 'startRef' : 'id');
    const index = markerOf(piece, piece.element === 'ec' || piece.closing ? 'close' : 'open');
    if (key === undefined || index === null) continue;
    source += placeholder(index);
    if (closing) {
      const entry = codes.get(key);
      if (piece.element === 'ec' && !waiting.delete(key))
        report('unpaired_code', piece.at, `<ec startRef="${key}"> follows no <sc id="${key}">.`, id);
      if (entry) entry.close = index;
    } else if (codes.has(key)) report('bad_attribute', piece.at, `Code id "${key}" is used twice.`, id);
    else {
      codes.set(key, piece.element === 'ec' ? { close: index } : { open: index });
      if (piece.element === 'sc' && !piece.isolated) waiting.set(key, piece);
    }
  }
  for (const [key, code] of waiting)
    report('unpaired_code', code.at, `<sc id="${key}"> has no <ec> and is not marked isolated="yes".`, id);

  let target = '';
  for (const piece of draft.target?.pieces ?? []) {
    if (typeof piece === 'string') {
      if (hasReservedCharacter(piece)) reserved(draft.target!.at, report, id);
      target += piece;
      continue;
    }
    const closing = piece.closing || piece.element === 'ec';
    const key = piece.element === 'ec' && !piece.isolated ? piece.startRef : piece.id;
    const index = key === undefined ? undefined : closing ? codes.get(key)?.close : codes.get(key)?.open;
    if (index === undefined)
      report(
        'marker_not_in_source',
        piece.at,
        `The target's <${piece.element}> ${key === undefined ? 'has no id' : `"${key}"`} matches no tag of the source.`,
        id,
      );
    else target += placeholder(index);
  }

  const unit: ExchangeUnit = {
    id,
    source,
    target,
    markers: Object.fromEntries([...markers].sort((a, b) => a[0] - b[0])),
    state,
  };
  if (draft.note !== undefined) unit.note = draft.note;
  return unit;
}

function reserved(at: Position, report: Report, unit: string): void {
  report(
    'reserved_character',
    at,
    'The text has a private-use character U+E000 or U+E001, which this application keeps for tags.',
    unit,
  );
}
