import { defaultCueSettings, type Cue, type ParseResult, type SubtitleProblem } from './cue.ts';
import { LineCursor, blockWithoutTiming, describeTime, formatTimestamp, missingBlankLine, problem, digitsValue, skipDigits, skipSpaces, sortProblems, textLines } from './lines.ts';

// SubRip (.srt) has no spec; this reader accepts what players accept: numbered blocks of a timing
// line "00:00:01,000 --> 00:00:04,000" and text up to a blank line. It recovers from missing or
// wrong numbers, "." before the milliseconds, short milliseconds and missing blank lines, and
// skips (reporting where) any block whose timing it cannot read.

type Timestamp = { ok: true; seconds: number; end: number } | { ok: false; problem: SubtitleProblem };
type Timing = { ok: true; startTime: number; endTime: number; startIndex: number; endIndex: number; warnings: SubtitleProblem[] } | { ok: false; problem: SubtitleProblem };

interface Reader {
  cursor: LineCursor;
  problems: SubtitleProblem[];
  cues: Cue[];
  lastNumber: number;
  latestStart: number;
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
const INDEX = /^\s*\d+\s*$/;
const TRAILING_SPACE = /\s\n|\s$/;

/** Reads SubRip text, keeping every cue it can read and reporting every problem with its position. */
export function parseSRT(text: string): ParseResult {
  const cursor = new LineCursor(text);
  const reader: Reader = { cursor, problems: [], cues: [], lastNumber: 0, latestStart: -Infinity };
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
  if (INDEX.test(first.text)) reader.lastNumber = Number(first.text);
  while (cursor.advance() && !cursor.isBlank()) {
    const line: Line = { text: cursor.line(), index: cursor.index };
    if (cursor.hasArrow() && readTiming(line.text, line.index + 1).ok) {
      const numbered = INDEX.test(previous.text);
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
  const timing = readTiming(timingLine.text, timingLine.index + 1);
  let textStart = -1;
  let textEnd = -1;
  let beforeLast = -1;
  let last: Line | null = null;
  let next: CueStart | null = null;
  while (cursor.advance() && !cursor.isBlank()) {
    if (cursor.hasArrow() && readTiming(cursor.line(), cursor.index + 1).ok) {
      const numbered = last !== null && INDEX.test(last.text);
      next = { numberLine: numbered ? last : null, timingLine: { text: cursor.line(), index: cursor.index } };
      if (numbered) textEnd = beforeLast;
      problems.push(missingBlankLine(numbered ? cursor.index - 1 : cursor.index));
      break;
    }
    if (textStart < 0) textStart = cursor.start;
    beforeLast = textEnd;
    textEnd = cursor.end;
    last = { text: '', index: cursor.index };
    if (cursor.end - cursor.start < 20) last.text = cursor.line();
  }
  if (!timing.ok) {
    problems.push(timing.problem);
    return next;
  }
  problems.push(...timing.warnings);
  const { startTime, endTime } = timing;
  const lineNumber = timingLine.index + 1;
  if (endTime <= startTime) {
    problems.push(problem(lineNumber, timing.endIndex + 1, 'end_before_start', 'warning',
      `The cue ends (${describeTime(endTime)}) ${endTime === startTime ? 'when' : 'before'} it starts (${describeTime(startTime)}), so it is never shown.`));
  }
  if (startTime < reader.latestStart) {
    problems.push(problem(lineNumber, timing.startIndex + 1, 'cue_out_of_order', 'warning',
      `This cue starts before an earlier cue (${describeTime(reader.latestStart)}); cues must be in order of start time.`));
  } else reader.latestStart = startTime;
  let text = textStart < 0 || textEnd < 0 ? '' : cursor.range(textStart, textEnd);
  if (TRAILING_SPACE.test(text)) text = text.split('\n').map((line) => line.trimEnd()).join('\n');
  if (text === '') problems.push(problem(lineNumber, 1, 'empty_cue', 'warning', 'This cue has no text.'));
  reader.cues.push({ id: numberLine ? numberLine.text.trim() : '', startTime, endTime, text, settings: defaultCueSettings() });
  return next;
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
  if (!INDEX.test(text)) {
    reader.problems.push(problem(index + 1, column, 'bad_index', 'warning', `The cue number should be ${expected}, not "${text.trim()}".`));
    return;
  }
  const number = Number(text);
  reader.lastNumber = number;
  if (number !== expected) {
    reader.problems.push(problem(index + 1, column, 'bad_index', 'warning', `The cue number should be ${expected}, not ${text.trim()}; cues are numbered 1, 2, 3…`));
  }
}

/** Reads "start --> end" from a timing line; text after the end time is ignored with a warning. */
function readTiming(line: string, lineNumber: number): Timing {
  const startIndex = skipSpaces(line, 0);
  const warnings: SubtitleProblem[] = [];
  const start = readTimestamp(line, startIndex, lineNumber, 'start', warnings);
  if (!start.ok) return start;
  const arrow = skipSpaces(line, start.end);
  if (!line.startsWith('-->', arrow)) {
    return { ok: false, problem: problem(lineNumber, arrow + 1, 'missing_arrow', 'error', 'Expected "-->" after the start time; this cue is skipped.') };
  }
  const endIndex = skipSpaces(line, arrow + 3);
  const end = readTimestamp(line, endIndex, lineNumber, 'end', warnings);
  if (!end.ok) return end;
  const rest = skipSpaces(line, end.end);
  if (rest < line.length) {
    warnings.push(problem(lineNumber, rest + 1, 'unknown_setting', 'warning', `SRT has no cue settings; "${line.slice(rest).trimEnd()}" after the end time is ignored.`));
  }
  return { ok: true, startTime: start.seconds, endTime: end.seconds, startIndex, endIndex, warnings };
}

/** Reads hh:mm:ss,mmm (any number of hour digits; "." and 1–2 millisecond digits accepted with a warning). */
function readTimestamp(line: string, from: number, lineNumber: number, which: string, warnings: SubtitleProblem[]): Timestamp {
  let p = skipDigits(line, from);
  if (p === from) return badTime(lineNumber, which, from, 'expected a digit');
  const hours = digitsValue(line, from, p);
  if (line.charCodeAt(p) !== 0x3a) return badTime(lineNumber, which, p, 'expected ":"');
  const minutesStart = ++p;
  p = skipDigits(line, p);
  if (p - minutesStart !== 2) return badTime(lineNumber, which, minutesStart, 'minutes need exactly 2 digits');
  if (line.charCodeAt(p) !== 0x3a) return badTime(lineNumber, which, p, 'expected ":"');
  const secondsStart = ++p;
  p = skipDigits(line, p);
  if (p - secondsStart !== 2) return badTime(lineNumber, which, secondsStart, 'seconds need exactly 2 digits');
  const separator = line[p];
  if (separator !== ',' && separator !== '.') return badTime(lineNumber, which, p, 'expected "," and 3 digits of milliseconds');
  const fractionStart = ++p;
  p = skipDigits(line, p);
  const digits = p - fractionStart;
  if (digits === 0 || digits > 3) return badTime(lineNumber, which, fractionStart, 'milliseconds need 3 digits');
  const minutes = digitsValue(line, minutesStart, minutesStart + 2);
  const seconds = digitsValue(line, secondsStart, secondsStart + 2);
  if (minutes > 59) return badTime(lineNumber, which, minutesStart, 'minutes must be 00–59');
  if (seconds > 59) return badTime(lineNumber, which, secondsStart, 'seconds must be 00–59');
  const millis = digitsValue(line, fractionStart, p) * 10 ** (3 - digits);
  const total = hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
  if (total > Number.MAX_SAFE_INTEGER) return badTime(lineNumber, which, from, 'the time is too large');
  if (separator === '.') {
    warnings.push(problem(lineNumber, fractionStart, 'nonstandard_timestamp', 'warning', `SRT writes "," before the milliseconds, not "." (${which} time).`));
  }
  if (digits < 3) {
    warnings.push(problem(lineNumber, fractionStart + 1, 'nonstandard_timestamp', 'warning',
      `Milliseconds need 3 digits: "${line.slice(fractionStart - 1, p)}" is read as "${separator}${String(millis).padStart(3, '0')}" (${which} time).`));
  }
  return { ok: true, seconds: total / 1000, end: p };
}

function badTime(lineNumber: number, which: string, at: number, reason: string): Timestamp {
  return { ok: false, problem: problem(lineNumber, at + 1, 'bad_timestamp', 'error', `Bad ${which} time: ${reason}. Times look like 00:01:02,500; this cue is skipped.`) };
}

/** Options for writeSRT: the line break (SubRip files from Windows tools use CRLF). */
export interface SRTWriteOptions {
  newline?: '\n' | '\r\n';
}

/** Writes cues as SubRip, numbered from 1; blank lines inside cue text are dropped (they would end the cue). */
export function writeSRT(cues: readonly Cue[], options: SRTWriteOptions = {}): string {
  const out: string[] = [];
  cues.forEach((cue, index) => {
    out.push(String(index + 1), `${formatTimestamp(cue.startTime, ',')} --> ${formatTimestamp(cue.endTime, ',')}`);
    for (const line of textLines(cue.text)) if (line.trim() !== '') out.push(line);
    out.push('');
  });
  return out.join(options.newline ?? '\n');
}
