import { defaultCueSettings, defaultRegion, type CueSettings, type SubtitleProblem, type VTTRegion } from './cue.ts';
import {
  FIXED_TIMESTAMP_LENGTH,
  digitsValue,
  forEachToken,
  problem,
  readFixedTimestamp,
  skipDigits,
  skipSpaces,
} from './lines.ts';

// The WebVTT spec's rules for one line: "collect a WebVTT timestamp", "collect WebVTT cue timings
// and settings", "parse the WebVTT cue settings" and "collect WebVTT region settings"
// (https://www.w3.org/TR/webvtt1/#parsing). Invalid settings are ignored, as the spec says,
// and reported as warnings.

/**
 * Where a timing line was read: the times, where each begins, and where the settings begin
 * (0-based indexes in the line). Reused from cue to cue.
 */
export interface Timing {
  startTime: number;
  endTime: number;
  startIndex: number;
  endIndex: number;
  rest: number;
}

/** The result of the last readVttTimestamp: the offset after the timestamp, or where and why it failed. */
interface Scan {
  at: number;
  reason: string;
}

/** The one Scan every timing line is read with (not one per line): reading is synchronous. */
const sharedScan: Scan = { at: 0, reason: '' };

const fail = (scan: Scan, at: number, reason: string): number => {
  scan.at = at;
  scan.reason = reason;
  return -1;
};

// Timestamps are read in place in the whole text, from the offset where they begin: the line
// break after a line is never a digit, ":", "." or ",", so a timestamp cannot run past its line.

/** Collects a WebVTT timestamp (mm:ss.ttt or h…:mm:ss.ttt) at offset `from` of `text`: seconds, or -1 with the failure in `scan`. */
function readVttTimestamp(text: string, from: number, scan: Scan): number {
  const fixed = readFixedTimestamp(text, from, 0x2e);
  if (fixed >= 0) {
    scan.at = from + FIXED_TIMESTAMP_LENGTH;
    return fixed;
  }
  const code = text.charCodeAt(from);
  if (!(code >= 0x30 && code <= 0x39)) return fail(scan, from, 'expected a digit');
  let p = skipDigits(text, from);
  let first = digitsValue(text, from, p);
  const hours = p - from !== 2 || first > 59;
  if (text.charCodeAt(p) !== 0x3a) return fail(scan, p, 'expected ":"');
  let secondStart = ++p;
  p = skipDigits(text, p);
  if (p - secondStart !== 2) return fail(scan, secondStart, 'minutes and seconds need exactly 2 digits');
  let second = digitsValue(text, secondStart, p);
  let thirdStart = secondStart;
  let third: number;
  if (hours || text.charCodeAt(p) === 0x3a) {
    if (text.charCodeAt(p) !== 0x3a) return fail(scan, p, 'expected ":" (a first field that is not 00–59 is hours)');
    thirdStart = ++p;
    p = skipDigits(text, p);
    if (p - thirdStart !== 2) return fail(scan, thirdStart, 'minutes and seconds need exactly 2 digits');
    third = digitsValue(text, thirdStart, p);
  } else {
    third = second;
    second = first;
    first = 0;
    thirdStart = secondStart;
    secondStart = from;
  }
  if (text.charCodeAt(p) !== 0x2e)
    return fail(
      scan,
      p,
      text[p] === ','
        ? 'WebVTT writes "." before the milliseconds, not ","'
        : 'expected "." and 3 digits of milliseconds',
    );
  const fractionStart = ++p;
  p = skipDigits(text, p);
  if (p - fractionStart !== 3) return fail(scan, fractionStart, 'milliseconds need exactly 3 digits');
  if (second > 59) return fail(scan, secondStart, 'minutes must be 00–59');
  if (third > 59) return fail(scan, thirdStart, 'seconds must be 00–59');
  const millis = first * 3_600_000 + second * 60_000 + third * 1000 + digitsValue(text, fractionStart, p);
  if (millis > Number.MAX_SAFE_INTEGER) return fail(scan, from, 'the time is too large');
  scan.at = p;
  return millis / 1000;
}

/**
 * Collects the times of the timing line from offset `start` to `end` of `text` into `timing`
 * (settings start at timing.rest), or returns why it cannot. The line is not sliced out.
 */
export function readVttTiming(
  text: string,
  start: number,
  end: number,
  lineNumber: number,
  timing: Timing,
): SubtitleProblem | null {
  const scan = sharedScan;
  const startAt = skipSpaces(text, start, end);
  timing.startIndex = startAt - start;
  timing.startTime = readVttTimestamp(text, startAt, scan);
  if (timing.startTime < 0) return badTime(lineNumber, scan.at - start, scan.reason, 'start');
  const arrow = skipSpaces(text, scan.at, end);
  if (!text.startsWith('-->', arrow))
    return problem(
      lineNumber,
      arrow - start + 1,
      'missing_arrow',
      'error',
      'Expected "-->" after the start time; this cue is skipped.',
    );
  const endAt = skipSpaces(text, arrow + 3, end);
  timing.endIndex = endAt - start;
  timing.endTime = readVttTimestamp(text, endAt, scan);
  if (timing.endTime < 0) return badTime(lineNumber, scan.at - start, scan.reason, 'end');
  timing.rest = scan.at - start;
  return null;
}

function badTime(lineNumber: number, index: number, reason: string, which: string): SubtitleProblem {
  return problem(
    lineNumber,
    index + 1,
    'bad_timestamp',
    'error',
    `Bad ${which} time: ${reason}. Times look like 00:01.500 or 01:02:03.500; this cue is skipped.`,
  );
}

const PERCENTAGE = /^\d+(?:\.\d+)?%$/;
const LINE_NUMBER = /^-?\d+(?:\.\d+)?$/;

/** Parses a WebVTT percentage like "50%" or "12.5%" in the range 0–100, or returns null. */
export function parsePercentage(text: string): number | null {
  if (!PERCENTAGE.test(text)) return null;
  const value = Number(text.slice(0, -1));
  return value <= 100 ? value : null;
}

const CUE_SETTINGS = new Set(['region', 'vertical', 'line', 'position', 'size', 'align']);
const LINE_ALIGN = new Set(['start', 'center', 'end']);
const POSITION_ALIGN = new Set(['line-left', 'center', 'line-right']);
const TEXT_ALIGN = new Set(['start', 'center', 'end', 'left', 'right']);

/** Parses the cue settings after the end time (from index `from`), reporting ignored ones to `problems`. */
export function parseCueSettings(
  line: string,
  from: number,
  regions: readonly VTTRegion[],
  lineNumber: number,
  problems: SubtitleProblem[],
): CueSettings {
  const settings = defaultCueSettings();
  if (from >= line.length) return settings;
  forEachToken(line, from, (token, index) => {
    const issue = applyCueSetting(settings, token, regions);
    if (issue) problems.push(problem(lineNumber, index + 1, issue.code, 'warning', issue.message));
  });
  return settings;
}

type Issue = { code: 'unknown_setting' | 'bad_setting_value' | 'unknown_region'; message: string };

function splitSetting(
  token: string,
  known: ReadonlySet<string>,
  kind: string,
): { name: string; value: string } | Issue {
  const colon = token.indexOf(':');
  const name = colon < 0 ? token : token.slice(0, colon);
  if (!known.has(name))
    return {
      code: 'unknown_setting',
      message: `Unknown ${kind} setting "${token}" is ignored; known settings are ${[...known].join(', ')}.`,
    };
  if (colon < 0 || colon === token.length - 1)
    return {
      code: 'bad_setting_value',
      message: `The ${kind} setting "${token}" has no value and is ignored; write it like "${name}:value".`,
    };
  return { name, value: token.slice(colon + 1) };
}

const ignored = (token: string, expected: string): Issue => ({
  code: 'bad_setting_value',
  message: `The cue setting "${token}" is ignored: ${expected}.`,
});

function applyCueSetting(settings: CueSettings, token: string, regions: readonly VTTRegion[]): Issue | null {
  const split = splitSetting(token, CUE_SETTINGS, 'cue');
  if ('code' in split) return split;
  const { name, value } = split;
  if (name === 'region') {
    const region = regions.findLast((candidate) => candidate.id === value);
    settings.region = region ? region.id : '';
    return region
      ? null
      : {
          code: 'unknown_region',
          message: `No REGION block before the first cue has the id "${value}"; the cue is shown outside any region.`,
        };
  }
  if (name === 'vertical') {
    if (value === 'rl' || value === 'lr') settings.vertical = value;
    if (settings.vertical !== '') settings.region = '';
    return value === 'rl' || value === 'lr' ? null : ignored(token, 'vertical is rl or lr');
  }
  if (name === 'line') {
    const comma = value.indexOf(',');
    const linePosition = comma < 0 ? value : value.slice(0, comma);
    const lineAlign = comma < 0 ? null : value.slice(comma + 1);
    const isPercentage = linePosition.endsWith('%');
    const number = isPercentage
      ? parsePercentage(linePosition)
      : LINE_NUMBER.test(linePosition)
        ? Number(linePosition) || 0
        : null;
    const expected =
      'line is a line number (0, 2, -1) or a percentage (0%–100%), optionally followed by ,start ,center or ,end';
    if (number === null || (lineAlign !== null && !LINE_ALIGN.has(lineAlign))) return ignored(token, expected);
    if (lineAlign !== null) settings.lineAlign = lineAlign as CueSettings['lineAlign'];
    settings.line = number;
    settings.snapToLines = !isPercentage;
    settings.region = '';
    return null;
  }
  if (name === 'position') {
    const comma = value.indexOf(',');
    const number = parsePercentage(comma < 0 ? value : value.slice(0, comma));
    const align = comma < 0 ? null : value.slice(comma + 1);
    if (number === null || (align !== null && !POSITION_ALIGN.has(align))) {
      return ignored(
        token,
        'position is a percentage (0%–100%), optionally followed by ,line-left ,center or ,line-right',
      );
    }
    if (align !== null) settings.positionAlign = align as CueSettings['positionAlign'];
    settings.position = number;
    return null;
  }
  if (name === 'size') {
    const number = parsePercentage(value);
    if (number === null) return ignored(token, 'size is a percentage (0%–100%)');
    settings.size = number;
    if (number !== 100) settings.region = '';
    return null;
  }
  if (!TEXT_ALIGN.has(value)) return ignored(token, 'align is start, center, end, left or right');
  settings.align = value as CueSettings['align'];
  return null;
}

const REGION_SETTINGS = new Set(['id', 'width', 'lines', 'regionanchor', 'viewportanchor', 'scroll']);
const DIGITS = /^\d+$/;

/** Collects the settings of a REGION block from its lines after "REGION" (the first at 0-based line `firstIndex`). */
export function parseRegionSettings(
  lines: readonly string[],
  firstIndex: number,
  problems: SubtitleProblem[],
): VTTRegion {
  const region = defaultRegion();
  lines.forEach((line, offset) => {
    forEachToken(line, 0, (token, index) => {
      const issue = applyRegionSetting(region, token);
      if (issue) problems.push(problem(firstIndex + offset + 1, index + 1, issue.code, 'warning', issue.message));
    });
  });
  return region;
}

function applyRegionSetting(region: VTTRegion, token: string): Issue | null {
  const split = splitSetting(token, REGION_SETTINGS, 'region');
  if ('code' in split) return split;
  const { name, value } = split;
  const bad = (expected: string): Issue => ({
    code: 'bad_setting_value',
    message: `The region setting "${token}" is ignored: ${expected}.`,
  });
  if (name === 'id') {
    region.id = value;
  } else if (name === 'width') {
    const width = parsePercentage(value);
    if (width === null) return bad('width is a percentage (0%–100%)');
    region.width = width;
  } else if (name === 'lines') {
    if (!DIGITS.test(value)) return bad('lines is a whole number');
    region.lines = Number(value);
  } else if (name === 'scroll') {
    if (value !== 'up') return bad('scroll can only be "up"');
    region.scroll = 'up';
  } else {
    const comma = value.indexOf(',');
    const x = comma < 0 ? null : parsePercentage(value.slice(0, comma));
    const y = comma < 0 ? null : parsePercentage(value.slice(comma + 1));
    if (x === null || y === null) return bad(`${name} is two percentages, like 0%,100%`);
    if (name === 'regionanchor') [region.regionAnchorX, region.regionAnchorY] = [x, y];
    else [region.viewportAnchorX, region.viewportAnchorY] = [x, y];
  }
  return null;
}
