import { defaultCueSettings, type Cue, type ParseResult, type SubtitleProblem } from './cue.ts';
import {
  FIXED_TIMESTAMP_LENGTH,
  LineCursor,
  isPlainCueText,
  blockWithoutTiming,
  checkTiming,
  digitsValue,
  formatTimestamp,
  isTrimmed,
  missingBlankLine,
  problem,
  reportNoCues,
  readFixedTimestamp,
  skipDigits,
  skipSpaces,
  sortProblems,
  textLines,
} from './lines.ts';

// SubRip (.srt) has no spec; this reader accepts what players accept: numbered blocks of a timing
// line "00:00:01,000 --> 00:00:04,000" and text up to a blank line. It recovers from missing or
// wrong numbers, "." before the milliseconds, short milliseconds and missing blank lines, and
// skips (reporting where) any block whose timing it cannot read.
//
// Lines are read in place in the whole text, by their offsets: slicing each line out of a large
// two-byte text (and reading it with charCodeAt) is slow. Only what is kept (cue text, ids) or
// quoted in a problem is sliced.

/** A timing line as read: the times and where they begin (0-based indexes in the line), warnings, or the problem that stops it. Reused from line to line. */
interface Timing {
  startTime: number;
  endTime: number;
  startIndex: number;
  endIndex: number;
  /** Offset in the text where the last timestamp read ended. */
  at: number;
  warnings: SubtitleProblem[] | null;
  problem: SubtitleProblem | null;
}

interface Reader {
  text: string;
  cursor: LineCursor;
  problems: SubtitleProblem[];
  cues: Cue[];
  lastNumber: number;
  latestStart: number;
  timing: Timing;
  probe: Timing;
}

/** A line already read: its offsets in the text (from `start` to just before its line break) and its 0-based number. */
interface Line {
  start: number;
  end: number;
  index: number;
}

/** The cue whose timing line is the cursor's current line: the number line before it, if any. */
interface CueStart {
  numberLine: Line | null;
}

const TIMING_EXAMPLE = '00:00:01,000 --> 00:00:04,000';

/** Reads SubRip text, keeping every cue it can read and reporting every problem with its position. */
export function parseSRT(text: string): ParseResult {
  const cursor = new LineCursor(text);
  const timing = (): Timing => ({
    startTime: 0,
    endTime: 0,
    startIndex: 0,
    endIndex: 0,
    at: 0,
    warnings: null,
    problem: null,
  });
  const reader: Reader = {
    text,
    cursor,
    problems: [],
    cues: [],
    lastNumber: 0,
    latestStart: -Infinity,
    timing: timing(),
    probe: timing(),
  };
  let next: CueStart | null = null;
  while (next || cursor.advance()) {
    if (next) next = readCue(reader, next);
    else if (!cursor.isBlank()) next = findCueStart(reader);
  }
  const result = reportNoCues(
    { format: 'srt', cues: reader.cues, problems: reader.problems },
    cursor.index + 1,
    TIMING_EXAMPLE,
  );
  sortProblems(result.problems);
  return result;
}

/** The cursor's current line, by its offsets. */
function currentLine(cursor: LineCursor): Line {
  return { start: cursor.start, end: cursor.end, index: cursor.index };
}

/** The text of a line already read. */
function lineText(reader: Reader, line: Line): string {
  return reader.text.slice(line.start, line.end);
}

/** Reads the cursor's current line as a timing line into `timing` (see readTiming). */
function readTimingLine(reader: Reader, timing: Timing): boolean {
  const { cursor } = reader;
  return readTiming(reader.text, cursor.start, cursor.end, cursor.index + 1, timing);
}

/**
 * Finds the timing line of the block starting at the cursor's line: that line or the next, leaving
 * the cursor on it. A block without one is reported and skipped, leaving the cursor on its last line.
 */
function findCueStart(reader: Reader): CueStart | null {
  const { cursor, text } = reader;
  const first = currentLine(cursor);
  if (cursor.hasArrow()) return { numberLine: null };
  if (!cursor.advance() || cursor.isBlank()) {
    reader.problems.push(blockWithoutTiming(first.index, lineText(reader, first), null, TIMING_EXAMPLE));
    return null;
  }
  if (cursor.hasArrow()) return { numberLine: first };
  let previous = currentLine(cursor);
  reader.problems.push(
    blockWithoutTiming(first.index, lineText(reader, first), lineText(reader, previous), TIMING_EXAMPLE),
  );
  const digits = numberDigits(text, first.start, first.end);
  if (digits >= 0) reader.lastNumber = digitsValue(text, digits, skipDigits(text, digits));
  while (cursor.advance() && !cursor.isBlank()) {
    if (cursor.hasArrow() && readTimingLine(reader, reader.probe)) {
      const numbered = numberDigits(text, previous.start, previous.end) >= 0;
      reader.problems.push(missingBlankLine(numbered ? previous.index : cursor.index));
      return { numberLine: numbered ? previous : null };
    }
    previous = currentLine(cursor);
  }
  return null;
}

/**
 * Reads the cue whose timing line the cursor is on, with its text up to a blank line. When a
 * timing line follows without a blank line, returns the cue it starts.
 */
function readCue(reader: Reader, { numberLine }: CueStart): CueStart | null {
  const { cursor, problems, text } = reader;
  const timingIndex = cursor.index;
  const id = checkNumber(reader, numberLine, timingIndex);
  const timingOk = readTimingLine(reader, reader.timing);
  const { startTime, endTime, startIndex, endIndex, warnings, problem: failure } = reader.timing;
  let textStart = -1;
  let textEnd = -1;
  let lastStart = -1;
  let beforeLastEnd = -1;
  // Whether a text line ends in whitespace, which SRT text drops (noted as the lines are read, so
  // the text is not scanned again). Also set by a number line dropped below: trimming is then harmless.
  let trailingSpace = false;
  let next: CueStart | null = null;
  while (cursor.advance() && !cursor.isBlank()) {
    if (cursor.hasArrow() && readTimingLine(reader, reader.probe)) {
      const numberLine =
        lastStart >= 0 && numberDigits(text, lastStart, textEnd) >= 0
          ? { start: lastStart, end: textEnd, index: cursor.index - 1 }
          : null;
      next = { numberLine };
      if (numberLine) textEnd = beforeLastEnd;
      problems.push(missingBlankLine(numberLine ? numberLine.index : cursor.index));
      break;
    }
    if (textStart < 0) textStart = cursor.start;
    beforeLastEnd = textEnd;
    lastStart = cursor.start;
    textEnd = cursor.end;
    // A line that is not blank is not empty.
    if (isTrimmed(text.charCodeAt(textEnd - 1))) trailingSpace = true;
  }
  if (!timingOk) {
    if (failure) problems.push(failure);
    return next;
  }
  if (warnings) for (const warning of warnings) problems.push(warning);
  const lineNumber = timingIndex + 1;
  reader.latestStart = checkTiming(
    problems,
    lineNumber,
    startTime,
    endTime,
    startIndex + 1,
    endIndex + 1,
    reader.latestStart,
  );
  let cueText = textStart < 0 || textEnd < 0 ? '' : cursor.range(textStart, textEnd);
  if (trailingSpace)
    cueText = cueText
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n');
  if (cueText === '') problems.push(problem(lineNumber, 1, 'empty_cue', 'warning', 'This cue has no text.'));
  reader.cues.push({ id, startTime, endTime, text: cueText, settings: defaultCueSettings() });
  return next;
}

/**
 * Where the digits begin in the line from offset `start` to `end` of `text` when it holds only a
 * cue number (with optional spaces or tabs around it), else -1. The digits end at skipDigits.
 */
function numberDigits(text: string, start: number, end: number): number {
  const digits = skipSpaces(text, start, end);
  const digitsEnd = skipDigits(text, digits);
  return digitsEnd > digits && skipSpaces(text, digitsEnd, end) === end ? digits : -1;
}

/**
 * Warns when the cue number before a timing line is missing, not a number, or not the next number.
 * Returns the cue's id: the number line's text without the spaces around it.
 */
function checkNumber(reader: Reader, numberLine: Line | null, timingIndex: number): string {
  const expected = reader.lastNumber + 1;
  reader.lastNumber = expected;
  if (numberLine === null) {
    reader.problems.push(
      problem(
        timingIndex + 1,
        1,
        'bad_index',
        'warning',
        `The cue number (${expected}) is missing before the timing line.`,
      ),
    );
    return '';
  }
  const { text } = reader;
  const { start, end, index } = numberLine;
  const column = skipSpaces(text, start, end) - start + 1;
  const digits = numberDigits(text, start, end);
  if (digits < 0) {
    const id = lineText(reader, numberLine).trim();
    reader.problems.push(
      problem(index + 1, column, 'bad_index', 'warning', `The cue number should be ${expected}, not "${id}".`),
    );
    return id;
  }
  // Only spaces surround the digits, so they are the trimmed line.
  const digitsEnd = skipDigits(text, digits);
  const id = text.slice(digits, digitsEnd);
  const number = digitsValue(text, digits, digitsEnd);
  reader.lastNumber = number;
  if (number !== expected) {
    reader.problems.push(
      problem(
        index + 1,
        column,
        'bad_index',
        'warning',
        `The cue number should be ${expected}, not ${id}; cues are numbered 1, 2, 3…`,
      ),
    );
  }
  return id;
}

// Timing lines are read in place in the whole text: the line break after a line is never a
// digit, ":", ",", "." or "-", so a timestamp or "-->" cannot run past its line. Problems give
// columns in the line.

/** Reads "start --> end" from the timing line from offset `start` to `end` of `text` into `timing`; text after the end time is ignored with a warning. */
function readTiming(text: string, start: number, end: number, lineNumber: number, timing: Timing): boolean {
  timing.warnings = null;
  timing.problem = null;
  const startAt = skipSpaces(text, start, end);
  timing.startIndex = startAt - start;
  timing.startTime = readTimestamp(text, startAt, start, lineNumber, 'start', timing);
  if (timing.startTime < 0) return false;
  const arrow = skipSpaces(text, timing.at, end);
  if (!text.startsWith('-->', arrow)) {
    timing.problem = problem(
      lineNumber,
      arrow - start + 1,
      'missing_arrow',
      'error',
      'Expected "-->" after the start time; this cue is skipped.',
    );
    return false;
  }
  const endAt = skipSpaces(text, arrow + 3, end);
  timing.endIndex = endAt - start;
  timing.endTime = readTimestamp(text, endAt, start, lineNumber, 'end', timing);
  if (timing.endTime < 0) return false;
  const rest = skipSpaces(text, timing.at, end);
  if (rest < end) {
    warn(
      timing,
      problem(
        lineNumber,
        rest - start + 1,
        'unknown_setting',
        'warning',
        `SRT has no cue settings; "${text.slice(rest, end).trimEnd()}" after the end time is ignored.`,
      ),
    );
  }
  return true;
}

function warn(timing: Timing, warning: SubtitleProblem): void {
  (timing.warnings ??= []).push(warning);
}

/**
 * Reads hh:mm:ss,mmm (any number of hour digits; "." and 1–2 millisecond digits accepted with a
 * warning) at offset `from` of `text`, in the line starting at offset `lineStart`: seconds, or -1.
 */
function readTimestamp(
  text: string,
  from: number,
  lineStart: number,
  lineNumber: number,
  which: string,
  timing: Timing,
): number {
  const fixed = readFixedTimestamp(text, from, 0x2c);
  if (fixed >= 0) {
    timing.at = from + FIXED_TIMESTAMP_LENGTH;
    return fixed;
  }
  let p = skipDigits(text, from);
  if (p === from) return badTime(timing, lineNumber, which, from - lineStart, 'expected a digit');
  const hours = digitsValue(text, from, p);
  if (text.charCodeAt(p) !== 0x3a) return badTime(timing, lineNumber, which, p - lineStart, 'expected ":"');
  const minutesStart = ++p;
  p = skipDigits(text, p);
  if (p - minutesStart !== 2)
    return badTime(timing, lineNumber, which, minutesStart - lineStart, 'minutes need exactly 2 digits');
  if (text.charCodeAt(p) !== 0x3a) return badTime(timing, lineNumber, which, p - lineStart, 'expected ":"');
  const secondsStart = ++p;
  p = skipDigits(text, p);
  if (p - secondsStart !== 2)
    return badTime(timing, lineNumber, which, secondsStart - lineStart, 'seconds need exactly 2 digits');
  const separator = text[p];
  if (separator !== ',' && separator !== '.')
    return badTime(timing, lineNumber, which, p - lineStart, 'expected "," and 3 digits of milliseconds');
  const fractionStart = ++p;
  p = skipDigits(text, p);
  const digits = p - fractionStart;
  if (digits === 0 || digits > 3)
    return badTime(timing, lineNumber, which, fractionStart - lineStart, 'milliseconds need 3 digits');
  const minutes = digitsValue(text, minutesStart, minutesStart + 2);
  const seconds = digitsValue(text, secondsStart, secondsStart + 2);
  if (minutes > 59) return badTime(timing, lineNumber, which, minutesStart - lineStart, 'minutes must be 00–59');
  if (seconds > 59) return badTime(timing, lineNumber, which, secondsStart - lineStart, 'seconds must be 00–59');
  const millis = digitsValue(text, fractionStart, p) * 10 ** (3 - digits);
  const total = hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
  if (total > Number.MAX_SAFE_INTEGER)
    return badTime(timing, lineNumber, which, from - lineStart, 'the time is too large');
  const column = fractionStart - lineStart;
  if (separator === '.') {
    warn(
      timing,
      problem(
        lineNumber,
        column,
        'nonstandard_timestamp',
        'warning',
        `SRT writes "," before the milliseconds, not "." (${which} time).`,
      ),
    );
  }
  if (digits < 3) {
    warn(
      timing,
      problem(
        lineNumber,
        column + 1,
        'nonstandard_timestamp',
        'warning',
        `Milliseconds need 3 digits: "${text.slice(fractionStart - 1, p)}" is read as "${separator}${String(millis).padStart(3, '0')}" (${which} time).`,
      ),
    );
  }
  timing.at = p;
  return total / 1000;
}

/** The bad_timestamp error at 0-based `index` of the line. */
function badTime(timing: Timing, lineNumber: number, which: string, index: number, reason: string): number {
  timing.problem = problem(
    lineNumber,
    index + 1,
    'bad_timestamp',
    'error',
    `Bad ${which} time: ${reason}. Times look like 00:01:02,500; this cue is skipped.`,
  );
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
    if (isPlainCueText(cue.text) && !/\n\s*\n|^\s*\n|\n\s*$|^\s*$/.test(cue.text))
      out += (newline === '\n' ? cue.text : cue.text.replaceAll('\n', newline)) + newline;
    else for (const line of textLines(cue.text)) if (line.trim() !== '') out += line + newline;
    out += newline;
  }
  // The cues are separated by blank lines, and the file ends after the last cue's text and its line break.
  return out.slice(0, out.length - newline.length);
}
