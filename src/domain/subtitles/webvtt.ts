import {
  defaultCueSettings,
  type Cue,
  type CueSettings,
  type ParseResult,
  type SubtitleProblem,
  type VTTRegion,
} from './cue.ts';
import {
  LineCursor,
  isPlainCueText,
  blockWithoutTiming,
  checkTiming,
  digitsValue,
  formatTimestamp,
  isSpace,
  missingBlankLine,
  problem,
  reportNoCues,
  skipDigits,
  skipSpaces,
  sortProblems,
  textLines,
} from './lines.ts';
import { parseCueSettings, parseRegionSettings, readVttTiming, type Timing } from './webvtt-settings.ts';

// WebVTT reading follows the spec's parser (https://www.w3.org/TR/webvtt1/#file-parsing) line by
// line in one pass: it keeps what the spec keeps and drops what it drops, and reports every
// deviation from the spec's syntax with its line and column.

interface Reader {
  cursor: LineCursor;
  problems: SubtitleProblem[];
  cues: Cue[];
  regions: VTTRegion[];
  styles: string[];
  seenCue: boolean;
  latestStart: number;
  ids: Set<string> | null;
  timing: Timing;
  largestNumericId: number;
}

const TIMING_EXAMPLE = '00:00:01.000 --> 00:00:04.000';

/** Reads WebVTT text as the spec's parser does, reporting every problem instead of stopping. */
export function parseWebVTT(text: string): ParseResult {
  const cursor = new LineCursor(text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text);
  const reader: Reader = {
    cursor,
    problems: [],
    cues: [],
    regions: [],
    styles: [],
    seenCue: false,
    latestStart: -Infinity,
    ids: null,
    largestNumericId: -1,
    timing: { startTime: 0, endTime: 0, startIndex: 0, endIndex: 0, rest: 0 },
  };
  const result: ParseResult = {
    format: 'vtt',
    cues: reader.cues,
    problems: reader.problems,
    regions: reader.regions,
    styles: reader.styles,
  };
  cursor.advance();
  const signature = cursor.line();
  if (!signature.startsWith('WEBVTT') || (signature.length > 6 && signature[6] !== ' ' && signature[6] !== '\t')) {
    // An empty file (or only whitespace) lacks cues more than it lacks a signature.
    if (skipSpaces(cursor.text, cursor.text.charCodeAt(0) === 0xfeff ? 1 : 0) === cursor.text.length) {
      while (cursor.advance());
      return reportNoCues(result, cursor.index + 1, TIMING_EXAMPLE);
    }
    reader.problems.push(
      problem(
        1,
        1,
        'missing_signature',
        'error',
        'A WebVTT file must start with "WEBVTT" on its first line (optionally followed by a space and a title); no cues were read.',
      ),
    );
    return result;
  }
  while (cursor.advance() && !cursor.isEmpty()) {
    if (cursor.hasArrow()) {
      reader.problems.push(missingBlankLine(cursor.index));
      cursor.rewind();
      break;
    }
  }
  while (cursor.advance()) if (!cursor.isEmpty()) collectBlock(reader);
  reportNoCues(result, cursor.index + 1, TIMING_EXAMPLE);
  sortProblems(reader.problems);
  return result;
}

/**
 * Collects the block whose first line is the cursor's current line (not empty), as the spec's
 * "collect a WebVTT block" does, leaving the cursor on its last line.
 */
function collectBlock(reader: Reader): void {
  const { cursor } = reader;
  const firstIndex = cursor.index;
  // The first line is sliced only when needed: a cue's timing line is read in place.
  const firstStart = cursor.start;
  const firstEnd = cursor.end;
  let secondStart = -1;
  let secondEnd = -1;
  let lineCount = 0;
  let seenArrow = false;
  let timingFailed = false;
  let cue: Cue | null = null;
  let timingIndex = -1;
  let kind: 'style' | 'region' | null = null;
  let regionLines: string[] | null = null;
  let bufferStart = -1;
  let bufferEnd = -1;
  do {
    lineCount++;
    if (cursor.hasArrow()) {
      if (lineCount === 1 || (lineCount === 2 && !seenArrow)) {
        seenArrow = true;
        cue = readCue(reader, lineCount === 2 ? cursor.text.slice(firstStart, firstEnd) : '');
        if (cue) {
          timingIndex = cursor.index;
          bufferStart = -1;
          reader.seenCue = true;
        } else timingFailed = true;
      } else {
        reader.problems.push(missingBlankLine(cursor.index));
        cursor.rewind();
        break;
      }
    } else if (cursor.isEmpty()) {
      break;
    } else {
      if (lineCount === 2) {
        secondStart = cursor.start;
        secondEnd = cursor.end;
        if (!seenArrow && !reader.seenCue) {
          const first = cursor.text.slice(firstStart, firstEnd);
          kind = isKeywordLine(first, 'STYLE') ? 'style' : isKeywordLine(first, 'REGION') ? 'region' : null;
          if (kind) bufferStart = -1;
        }
      }
      if (bufferStart < 0) bufferStart = cursor.start;
      bufferEnd = cursor.end;
      if (kind === 'region') (regionLines ??= []).push(cursor.line());
    }
  } while (cursor.advance());
  if (cue) {
    cue.text = bufferStart < 0 ? '' : cursor.range(bufferStart, bufferEnd);
    if (cue.text === '')
      reader.problems.push(problem(timingIndex + 1, 1, 'empty_cue', 'warning', 'This cue has no text.'));
    reader.cues.push(cue);
  } else if (kind === 'style') {
    reader.styles.push(cursor.range(bufferStart, bufferEnd));
  } else if (kind === 'region') {
    const region = parseRegionSettings(regionLines ?? [], firstIndex + 1, reader.problems);
    if (region.id === '')
      reader.problems.push(
        problem(
          firstIndex + 1,
          1,
          'missing_region_id',
          'warning',
          'This REGION block has no "id:" setting, so no cue can use it.',
        ),
      );
    reader.regions.push(region);
  } else if (!timingFailed) {
    const first = cursor.text.slice(firstStart, firstEnd);
    if (isKeywordLine(first, 'NOTE', true)) return;
    const keyword = isKeywordLine(first, 'STYLE') ? 'STYLE' : isKeywordLine(first, 'REGION') ? 'REGION' : null;
    const second = secondStart < 0 ? null : cursor.text.slice(secondStart, secondEnd);
    if (keyword === null) reader.problems.push(blockWithoutTiming(firstIndex, first, second, TIMING_EXAMPLE));
    else if (reader.seenCue) {
      reader.problems.push(
        problem(
          firstIndex + 1,
          1,
          'misplaced_block',
          'warning',
          `${keyword} blocks must come before the first cue; this one is ignored.`,
        ),
      );
    }
  }
}

/** True when `line` is `keyword` followed only by ASCII whitespace (or, for NOTE, by a space or tab and any text). */
function isKeywordLine(line: string, keyword: string, anyText = false): boolean {
  if (!line.startsWith(keyword)) return false;
  if (line.length === keyword.length) return true;
  if (anyText) return line[keyword.length] === ' ' || line[keyword.length] === '\t';
  for (let i = keyword.length; i < line.length; i++) if (!isSpace(line.charCodeAt(i))) return false;
  return true;
}

/** Reads the timing line the cursor is on into a cue without text, or reports why the cue is dropped. */
function readCue(reader: Reader, id: string): Cue | null {
  const { cursor, timing, problems } = reader;
  const index = cursor.index;
  const failure = readVttTiming(cursor.text, cursor.start, cursor.end, index + 1, timing);
  if (failure) {
    problems.push(failure);
    return null;
  }
  const { startTime, endTime } = timing;
  reader.latestStart = checkTiming(
    problems,
    index + 1,
    startTime,
    endTime,
    timing.startIndex + 1,
    timing.endIndex + 1,
    reader.latestStart,
  );
  if (id !== '' && isDuplicateId(reader, id))
    problems.push(problem(index, 1, 'duplicate_id', 'warning', `Another cue already has the id "${id}".`));
  // Most cues have no settings: their timing line is not sliced out.
  const settings =
    timing.rest < cursor.end - cursor.start
      ? parseCueSettings(cursor.line(), timing.rest, reader.regions, index + 1, problems)
      : defaultCueSettings();
  return { id, startTime, endTime, text: '', settings };
}

/**
 * True when an earlier cue has the id. Ids that are increasing numbers (the common case) are
 * new without a look-up; the set of ids is built only when another id comes.
 */
function isDuplicateId(reader: Reader, id: string): boolean {
  if (reader.ids === null) {
    const number = id.length < 16 && skipDigits(id, 0) === id.length ? digitsValue(id, 0, id.length) : NaN;
    if (number > reader.largestNumericId) {
      reader.largestNumericId = number;
      return false;
    }
    reader.ids = new Set();
    for (const cue of reader.cues) reader.ids.add(cue.id);
  }
  const seen = reader.ids.has(id);
  reader.ids.add(id);
  return seen;
}

/** Options for writeWebVTT: a title for the WEBVTT line, REGION and STYLE blocks, and the line break. */
export interface WebVTTWriteOptions {
  header?: string;
  regions?: readonly VTTRegion[];
  styles?: readonly string[];
  newline?: '\n' | '\r\n';
}

/** Writes cues as a WebVTT file; unsafe text is made safe ("-->" becomes "--&gt;", blank lines are dropped). */
export function writeWebVTT(cues: readonly Cue[], options: WebVTTWriteOptions = {}): string {
  const header = oneLine(options.header ?? '');
  const out: string[] = [header && !header.includes('-->') ? `WEBVTT ${header}` : 'WEBVTT', ''];
  for (const css of options.styles ?? []) {
    const body = textLines(css)
      .filter((line) => line !== '')
      .map((line) => line.replaceAll('-->', '--\\>'));
    if (body.length) out.push('STYLE', ...body, '');
  }
  for (const region of options.regions ?? []) {
    if (isIdentifier(region.id)) out.push('REGION', regionSettings(region), '');
  }
  const newline = options.newline ?? '\n';
  // Built as one string: most cues take the fast path (an id and text that need no repair).
  let text = out.join(newline) + newline;
  for (const cue of cues) {
    const id =
      cue.id === ''
        ? ''
        : isPlainCueText(cue.id) && !cue.id.includes('\n')
          ? cue.id
          : oneLine(cue.id).replaceAll('-->', '--&gt;');
    if (id !== '') text += id + newline;
    text += `${formatTimestamp(cue.startTime, '.')} --> ${formatTimestamp(cue.endTime, '.')}${cueSettings(cue.settings)}${newline}`;
    if (isPlainCueText(cue.text)) text += (newline === '\n' ? cue.text : cue.text.replaceAll('\n', newline)) + newline;
    else for (const line of textLines(cue.text)) if (line !== '') text += line.replaceAll('-->', '--&gt;') + newline;
    text += newline;
  }
  // The array form ended with the last cue's blank line and no break after it.
  return cues.length ? text.slice(0, -newline.length) : out.join(newline);
}

function oneLine(text: string): string {
  return textLines(text).join(' ');
}

function isIdentifier(id: string): boolean {
  if (id === '' || id.includes('-->')) return false;
  for (let i = 0; i < id.length; i++) if (isSpace(id.charCodeAt(i))) return false;
  return true;
}

const isPercent = (value: number) => Number.isFinite(value) && value >= 0 && value <= 100;

/** The settings of a cue that differ from the defaults, each only if the spec's parser would accept it. */
function cueSettings(settings: CueSettings): string {
  if (
    settings.vertical === '' &&
    settings.line === 'auto' &&
    settings.position === 'auto' &&
    settings.size === 100 &&
    settings.align === 'center' &&
    settings.region === ''
  )
    return '';
  const parts: string[] = [];
  if (settings.vertical !== '') parts.push(`vertical:${settings.vertical}`);
  const { line } = settings;
  if (line !== 'auto' && (settings.snapToLines ? Number.isFinite(line) : isPercent(line))) {
    const align = settings.lineAlign === 'start' ? '' : `,${settings.lineAlign}`;
    parts.push(`line:${formatNumber(line)}${settings.snapToLines ? '' : '%'}${align}`);
  }
  if (settings.position !== 'auto' && isPercent(settings.position)) {
    const align = settings.positionAlign === 'auto' ? '' : `,${settings.positionAlign}`;
    parts.push(`position:${formatNumber(settings.position)}%${align}`);
  }
  if (settings.size !== 100 && isPercent(settings.size)) parts.push(`size:${formatNumber(settings.size)}%`);
  if (settings.align !== 'center') parts.push(`align:${settings.align}`);
  if (isIdentifier(settings.region)) parts.push(`region:${settings.region}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function regionSettings(region: VTTRegion): string {
  const parts = [`id:${region.id}`];
  if (region.width !== 100 && isPercent(region.width)) parts.push(`width:${formatNumber(region.width)}%`);
  if (region.lines !== 3 && Number.isInteger(region.lines) && region.lines >= 0)
    parts.push(`lines:${formatNumber(region.lines)}`);
  const anchor = (x: number, y: number) =>
    isPercent(x) && isPercent(y) ? `${formatNumber(x)}%,${formatNumber(y)}%` : null;
  const regionAnchor =
    region.regionAnchorX === 0 && region.regionAnchorY === 100
      ? null
      : anchor(region.regionAnchorX, region.regionAnchorY);
  const viewportAnchor =
    region.viewportAnchorX === 0 && region.viewportAnchorY === 100
      ? null
      : anchor(region.viewportAnchorX, region.viewportAnchorY);
  if (regionAnchor) parts.push(`regionanchor:${regionAnchor}`);
  if (viewportAnchor) parts.push(`viewportanchor:${viewportAnchor}`);
  if (region.scroll === 'up') parts.push('scroll:up');
  return parts.join(' ');
}

/** Writes a number in plain decimal notation (WebVTT has no exponents), as short as JavaScript writes it. */
function formatNumber(value: number): string {
  const text = String(value === 0 ? 0 : value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const sign = value < 0 ? '-' : '';
  const mantissa = text.slice(sign.length, e);
  const digits = mantissa.replace('.', '');
  const point = (mantissa.includes('.') ? mantissa.indexOf('.') : mantissa.length) + Number(text.slice(e + 1));
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
