import { defaultCueSettings, type Cue, type ParseResult, type SubtitleProblem } from './cue.ts';
import { LineCursor, isPlainCueText, blockWithoutTiming, checkTiming, digitsValue, formatTimestamp, isTrimmed, missingBlankLine, problem, skipDigits, skipSpaces, sortProblems, textLines } from './lines.ts';

// SubRip (.srt) has no spec; this reader accepts what players accept: numbered blocks of a timing
// line "00:00:01,000 --> 00:00:04,000" and text up to a blank line. It recovers from missing or
// wrong numbers, "." before the milliseconds, short milliseconds and missing blank lines, and
// skips (reporting where) any block whose timing it cannot read.

/** A timing line as read: the times and where they begin, warnings, or the problem that stops it. Reused from line to line. */
interface Timing {
  startTime: number;
  endTime: number;
  startIndex: number;
  endIndex: number;
  /** Where the last timestamp read ended. */
  at: number;
  warnings: SubtitleProblem[] | null;
  problem: SubtitleProblem | null;
}

interface Reader {
  cursor: LineCursor;
  problems: SubtitleProblem[];
  cues: Cue[];
  lastNumber: number;
  latestStart: number;
  timing: Timing;
  probe: Timing;
}

/** A line already read: its text and 0-based number. */
interface Line {
  text: string;
  index: number;
}

/** The cue the cursor's current line starts: its timing line and the number line before it, if any. */
interface CueStart {
  numberLine: Line | null;
  timingLine: Line;
}

const TIMING_EXAMPLE = '00:00:01,000 --> 00:00:04,000';

/** Reads SubRip text, keeping every cue it can read and reporting every problem with its position. */
export function parseSRT(text: string): ParseResult {
  const cursor = new LineCursor(text);
  const timing = (): Timing => ({ startTime: 0, endTime: 0, startIndex: 0, endIndex: 0, at: 0, warnings: null, problem: null });
  const reader: Reader = { cursor, problems: [], cues: [], lastNumber: 0, latestStart: -Infinity, timing: timing(), probe: timing() };
  let next: CueStart | null = null;
  while (next || cursor.advance()) {
    if (next) next = readCue(reader, next);
    else if (!cursor.isBlank()) next = findCueStart(reader);
  }
  return { format: 'srt', cues: reader.cues, problems: sortProblems(reader.problems) };
}

/**
 * Finds the timing line of the block starting at the cursor's line: that line or the next. A block
 * without one is reported and skipped, leaving the cursor on its last line.
 */
function findCueStart(reader: Reader): CueStart | null {
  const { cursor } = reader;
  const first: Line = { text: cursor.line(), index: cursor.index };
  if (cursor.hasArrow()) return { numberLine: null, timingLine: first };
  if (!cursor.advance()) {
    reader.problems.push(blockWithoutTiming(first.index, first.text, null, TIMING_EXAMPLE));
    return null;
  }
  if (cursor.isBlank()) {
    reader.problems.push(blockWithoutTiming(first.index, first.text, null, TIMING_EXAMPLE));
    return null;
  }
  if (cursor.hasArrow()) return { numberLine: first, timingLine: { text: cursor.line(), index: cursor.index } };
  let previous: Line = { text: cursor.line(), index: cursor.index };
  reader.problems.push(blockWithoutTiming(first.index, first.text, previous.text, TIMING_EXAMPLE));
  if (isNumberLine(first.text)) reader.lastNumber = Number(first.text);
  while (cursor.advance() && !cursor.isBlank()) {
    const line: Line = { text: cursor.line(), index: cursor.index };
    if (cursor.hasArrow() && readTiming(line.text, line.index + 1, reader.probe)) {
      const numbered = isNumberLine(previous.text);
      reader.problems.push(missingBlankLine(numbered ? previous.index : line.index));
      return { numberLine: numbered ? previous : null, timingLine: line };
    }
    previous = line;
  }
  return null;
}

/**
 * Reads the cue whose timing line the cursor is on, with its text up to a blank line. When a
 * timing line follows without a blank line, returns the cue it starts.
 */
function readCue(reader: Reader, { numberLine, timingLine }: CueStart): CueStart | null {
  const { cursor, problems } = reader;
  checkNumber(reader, numberLine, timingLine.index);
  const timingOk = readTiming(timingLine.text, timingLine.index + 1, reader.timing);
  const { startTime, endTime, startIndex, endIndex, warnings, problem: failure } = reader.timing;
  let textStart = -1;
  let textEnd = -1;
  let lastStart = -1;
  let beforeLastEnd = -1;
  let next: CueStart | null = null;
  while (cursor.advance() && !cursor.isBlank()) {
    if (cursor.hasArrow() && readTiming(cursor.line(), cursor.index + 1, reader.probe)) {
      const last = lastStart < 0 ? '' : cursor.text.slice(lastStart, textEnd);
      const numberLine = isNumberLine(last) ? { text: last, index: cursor.index - 1 } : null;
      next = { numberLine, timingLine: { text: cursor.line(), index: cursor.index } };
      if (numberLine) textEnd = beforeLastEnd;
      problems.push(missingBlankLine(numberLine ? numberLine.index : cursor.index));
      break;
    }
    if (textStart < 0) textStart = cursor.start;
    beforeLastEnd = textEnd;
    lastStart = cursor.start;
    textEnd = cursor.end;
  }
  if (!timingOk) {
    if (failure) problems.push(failure);
    return next;
  }
  if (warnings) for (const warning of warnings) problems.push(warning);
  const lineNumber = timingLine.index + 1;
  reader.latestStart = checkTiming(problems, lineNumber, startTime, endTime, startIndex + 1, endIndex + 1, reader.latestStart);
  let text = textStart < 0 || textEnd < 0 ? '' : cursor.range(textStart, textEnd);
  if (hasTrailingSpace(text)) text = text.split('\n').map((line) => line.trimEnd()).join('\n');
  if (text === '') problems.push(problem(lineNumber, 1, 'empty_cue', 'warning', 'This cue has no text.'));
  reader.cues.push({ id: numberLine ? numberLine.text.trim() : '', startTime, endTime, text, settings: defaultCueSettings() });
  return next;
}

/** True for a line holding only a cue number (with optional spaces or tabs around it). */
function isNumberLine(line: string): boolean {
  const start = skipSpaces(line, 0);
  const end = skipDigits(line, start);
  return end > start && skipSpaces(line, end) === line.length;
}

/** True when a line of `text` ends in whitespace (which SRT text drops). */
function hasTrailingSpace(text: string): boolean {
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', end + 1)) {
    if (end > 0 && isTrimmed(text.charCodeAt(end - 1))) return true;
  }
  return text !== '' && isTrimmed(text.charCodeAt(text.length - 1));
}

/** Warns when the cue number before a timing line is missing, not a number, or not the next number. */
function checkNumber(reader: Reader, numberLine: Line | null, timingIndex: number): void {
  const expected = reader.lastNumber + 1;
  reader.lastNumber = expected;
  if (numberLine === null) {
    reader.problems.push(problem(timingIndex + 1, 1, 'bad_index', 'warning', `The cue number (${expected}) is missing before the timing line.`));
    return;
  }
  const { text, index } = numberLine;
  const column = skipSpaces(text, 0) + 1;
  if (!isNumberLine(text)) {
    reader.problems.push(problem(index + 1, column, 'bad_index', 'warning', `The cue number should be ${expected}, not "${text.trim()}".`));
    return;
  }
  const number = Number(text);
  reader.lastNumber = number;
  if (number !== expected) {
    reader.problems.push(problem(index + 1, column, 'bad_index', 'warning', `The cue number should be ${expected}, not ${text.trim()}; cues are numbered 1, 2, 3…`));
  }
}

/** Reads "start --> end" from a timing line into `timing`; text after the end time is ignored with a warning. */
function readTiming(line: string, lineNumber: number, timing: Timing): boolean {
  timing.warnings = null;
  timing.problem = null;
  timing.startIndex = skipSpaces(line, 0);
  timing.startTime = readTimestamp(line, timing.startIndex, lineNumber, 'start', timing);
  if (timing.startTime < 0) return false;
  const arrow = skipSpaces(line, timing.at);
  if (!line.startsWith('-->', arrow)) {
    timing.problem = problem(lineNumber, arrow + 1, 'missing_arrow', 'error', 'Expected "-->" after the start time; this cue is skipped.');
    return false;
  }
  timing.endIndex = skipSpaces(line, arrow + 3);
  timing.endTime = readTimestamp(line, timing.endIndex, lineNumber, 'end', timing);
  if (timing.endTime < 0) return false;
  const rest = skipSpaces(line, timing.at);
  if (rest < line.length) {
    warn(timing, problem(lineNumber, rest + 1, 'unknown_setting', 'warning', `SRT has no cue settings; "${line.slice(rest).trimEnd()}" after the end time is ignored.`));
  }
  return true;
}

function warn(timing: Timing, warning: SubtitleProblem): void {
  (timing.warnings ??= []).push(warning);
}

/** Reads hh:mm:ss,mmm (any number of hour digits; "." and 1–2 millisecond digits accepted with a warning): seconds, or -1. */
function readTimestamp(line: string, from: number, lineNumber: number, which: string, timing: Timing): number {
  let p = skipDigits(line, from);
  if (p === from) return badTime(timing, lineNumber, which, from, 'expected a digit');
  const hours = digitsValue(line, from, p);
  if (line.charCodeAt(p) !== 0x3a) return badTime(timing, lineNumber, which, p, 'expected ":"');
  const minutesStart = ++p;
  p = skipDigits(line, p);
  if (p - minutesStart !== 2) return badTime(timing, lineNumber, which, minutesStart, 'minutes need exactly 2 digits');
  if (line.charCodeAt(p) !== 0x3a) return badTime(timing, lineNumber, which, p, 'expected ":"');
  const secondsStart = ++p;
  p = skipDigits(line, p);
  if (p - secondsStart !== 2) return badTime(timing, lineNumber, which, secondsStart, 'seconds need exactly 2 digits');
  const separator = line[p];
  if (separator !== ',' && separator !== '.') return badTime(timing, lineNumber, which, p, 'expected "," and 3 digits of milliseconds');
  const fractionStart = ++p;
  p = skipDigits(line, p);
  const digits = p - fractionStart;
  if (digits === 0 || digits > 3) return badTime(timing, lineNumber, which, fractionStart, 'milliseconds need 3 digits');
  const minutes = digitsValue(line, minutesStart, minutesStart + 2);
  const seconds = digitsValue(line, secondsStart, secondsStart + 2);
  if (minutes > 59) return badTime(timing, lineNumber, which, minutesStart, 'minutes must be 00–59');
  if (seconds > 59) return badTime(timing, lineNumber, which, secondsStart, 'seconds must be 00–59');
  const millis = digitsValue(line, fractionStart, p) * 10 ** (3 - digits);
  const total = hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
  if (total > Number.MAX_SAFE_INTEGER) return badTime(timing, lineNumber, which, from, 'the time is too large');
  if (separator === '.') {
    warn(timing, problem(lineNumber, fractionStart, 'nonstandard_timestamp', 'warning', `SRT writes "," before the milliseconds, not "." (${which} time).`));
  }
  if (digits < 3) {
    warn(timing, problem(lineNumber, fractionStart + 1, 'nonstandard_timestamp', 'warning',
      `Milliseconds need 3 digits: "${line.slice(fractionStart - 1, p)}" is read as "${separator}${String(millis).padStart(3, '0')}" (${which} time).`));
  }
  timing.at = p;
  return total / 1000;
}

function badTime(timing: Timing, lineNumber: number, which: string, at: number, reason: string): number {
  timing.problem = problem(lineNumber, at + 1, 'bad_timestamp', 'error', `Bad ${which} time: ${reason}. Times look like 00:01:02,500; this cue is skipped.`);
  return -1;
}

/** Options for writeSRT: the line break (SubRip files from Windows tools use CRLF). */
export interface SRTWriteOptions {
  newline?: '\n' | '\r\n';
}

/** Writes cues as SubRip, numbered from 1; blank lines inside cue text are dropped (they would end the cue). */
export function writeSRT(cues: readonly Cue[], options: SRTWriteOptions = {}): string {
  const newline = options.newline ?? '\n';
  // Built as one string; text that needs no repair (no blank or whitespace-only lines) is copied as it is.
  let out = '';
  for (let index = 0; index < cues.length; index++) {
    const cue = cues[index]!;
    out += `${index + 1}${newline}${formatTimestamp(cue.startTime, ',')} --> ${formatTimestamp(cue.endTime, ',')}${newline}`;
    if (isPlainCueText(cue.text) && !/\n\s*\n|^\s*\n|\n\s*$|^\s*$/.test(cue.text)) out += (newline === '\n' ? cue.text : cue.text.replaceAll('\n', newline)) + newline;
    else for (const line of textLines(cue.text)) if (line.trim() !== '') out += line + newline;
    out += newline;
  }
  // The cues are separated by blank lines, and the file ends after the last cue's text and its line break.
  return out.slice(0, out.length - newline.length);
}
