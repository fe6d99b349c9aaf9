import type { ParseResult, SubtitleProblem, SubtitleProblemCode } from './cue.ts';

// Helpers the WebVTT and SRT readers and writers share: walking lines, problems, timestamps.

const LINE_BREAK = /\r\n?|\n/;

// The readers walk lines with a cursor instead of splitting the text, and slice only the lines they
// need. A leading byte order mark is skipped; a final line break ends the last line.

/** Walks the lines of a text (ended by CRLF, LF or CR) without splitting it. */
export class LineCursor {
  readonly text: string;
  readonly hasCR: boolean;
  /** Offset of the current line's first character. */
  start = 0;
  /** Offset just after the current line's last character (before its line break). */
  end = 0;
  /** 0-based number of the current line. */
  index = -1;
  #next: number;
  #lf = -1;
  #cr = -1;
  #arrow = -1;
  #repeat = false;

  constructor(text: string) {
    this.text = text;
    this.hasCR = text.includes('\r');
    this.#next = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Moves to the next line; false when the text has no more lines. */
  advance(): boolean {
    if (this.#repeat) {
      this.#repeat = false;
      return true;
    }
    const { text } = this;
    const from = this.#next;
    if (from > text.length || (from === text.length && this.index >= 0)) return false;
    if (this.#lf < from) this.#lf = found(text.indexOf('\n', from));
    let end = this.#lf;
    if (this.hasCR) {
      if (this.#cr < from) this.#cr = found(text.indexOf('\r', from));
      if (this.#cr < end) end = this.#cr;
    }
    if (end > text.length) end = text.length;
    this.start = from;
    this.end = end;
    this.index++;
    this.#next =
      end === text.length
        ? end + 1
        : end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
    return true;
  }

  /** Makes the next advance() stay on the current line, so that the caller reads it again. */
  rewind(): void {
    this.#repeat = true;
  }

  /** True when the current line is empty. */
  isEmpty(): boolean {
    return this.start === this.end;
  }

  /** True when the current line is empty or only whitespace. */
  isBlank(): boolean {
    if (this.start === this.end) return true;
    return isTrimmed(this.text.charCodeAt(this.start)) && this.line().trim() === '';
  }

  /** True when the current line contains "-->". */
  hasArrow(): boolean {
    if (this.#arrow < this.start) this.#arrow = found(this.text.indexOf('-->', this.start));
    return this.#arrow + 3 <= this.end;
  }

  /** The current line's text. */
  line(): string {
    return this.text.slice(this.start, this.end);
  }

  /** The text from offset `from` to `to`, with its line breaks as LF. */
  range(from: number, to: number): string {
    const text = this.text.slice(from, to);
    return this.hasCR && text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  }
}

/** True for the characters String.prototype.trim removes (whitespace and line terminators). */
export function isTrimmed(code: number): boolean {
  if (code < 0x80) return code <= 0x20 && (code === 0x20 || (code >= 0x09 && code <= 0x0d));
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function found(index: number): number {
  return index < 0 ? Infinity : index;
}

/** Splits cue text into its lines (any line break). */
export function textLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

/** A problem at a 1-based line and column. */
export function problem(
  line: number,
  column: number,
  code: SubtitleProblemCode,
  severity: 'error' | 'warning',
  message: string,
): SubtitleProblem {
  return { line, column, code, message, severity };
}

/** Orders problems by line, then column, keeping the order of problems at the same place. */
export function sortProblems(problems: SubtitleProblem[]): SubtitleProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** True for the ASCII whitespace the WebVTT spec skips: space, tab, LF, FF and CR. */
export function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

/** The index of the first character at or after `from` (and before `to`) that is not ASCII whitespace. */
export function skipSpaces(line: string, from: number, to = line.length): number {
  let i = from;
  while (i < to && isSpace(line.charCodeAt(i))) i++;
  return i;
}

/** The index just after the ASCII digits starting at `from`. */
export function skipDigits(line: string, from: number): number {
  let i = from;
  while (i < line.length) {
    const code = line.charCodeAt(i);
    if (code < 0x30 || code > 0x39) break;
    i++;
  }
  return i;
}

/** The integer the ASCII digits from `from` to `to` spell (without slicing the string when short). */
export function digitsValue(line: string, from: number, to: number): number {
  if (to - from > 15) return Number(line.slice(from, to));
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + line.charCodeAt(i) - 0x30;
  return value;
}

/** Calls `visit` with each whitespace-separated token of `line` from index `from`, and the token's index. */
export function forEachToken(line: string, from: number, visit: (token: string, index: number) => void): void {
  let i = skipSpaces(line, from);
  while (i < line.length) {
    const start = i;
    while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
    visit(line.slice(start, i), start);
    i = skipSpaces(line, i);
  }
}

/** Formats seconds as hh:mm:ss plus the separator and milliseconds; negative or non-finite times become 0. */
export function formatTimestamp(seconds: number, separator: '.' | ','): string {
  const total =
    Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.round(seconds * 1000), Number.MAX_SAFE_INTEGER) : 0;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const secs = Math.floor(total / 1000) % 60;
  const millis = total % 1000;
  // Written out by hand: this runs twice per cue when a track is written.
  return `${hours < 10 ? '0' : ''}${hours}:${minutes < 10 ? '0' : ''}${minutes}:${secs < 10 ? '0' : ''}${secs}${separator}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}`;
}

/** True when a cue's text can be written as it is: no line break other than single LFs inside, no "-->". */
export function isPlainCueText(text: string): boolean {
  return (
    text !== '' &&
    !text.includes('\r') &&
    !text.includes('\n\n') &&
    text.charCodeAt(0) !== 0x0a &&
    text.charCodeAt(text.length - 1) !== 0x0a &&
    !text.includes('-->')
  );
}

const TIMING_START = /^\s*\d+:\d/;

/** The error for a skipped block without "-->": missing_arrow if one of its first two lines looks like timing, else missing_timing. */
export function blockWithoutTiming(
  firstIndex: number,
  first: string,
  second: string | null,
  example: string,
): SubtitleProblem {
  for (const [i, line] of [
    [firstIndex, first],
    [firstIndex + 1, second ?? ''],
  ] as const) {
    if (!TIMING_START.test(line)) continue;
    let at = skipSpaces(line, 0);
    while (at < line.length && !isSpace(line.charCodeAt(at))) at++;
    at = skipSpaces(line, at);
    return problem(
      i + 1,
      at + 1,
      'missing_arrow',
      'error',
      `Expected "-->" between the start and end times (like "${example}"); this cue is skipped.`,
    );
  }
  return problem(
    firstIndex + 1,
    1,
    'missing_timing',
    'error',
    `This text has no timing line and is skipped. A cue starts with a line like "${example}" and ends at a blank line, so cue text cannot contain blank lines.`,
  );
}

/**
 * Adds the error of a file that holds no cue (empty, only whitespace, only a header or notes) at
 * its last line (1-based), unless an error already says why no cue was read.
 */
export function reportNoCues(result: ParseResult, lastLine: number, example?: string): ParseResult {
  if (result.cues.length > 0 || result.problems.some((known) => known.severity === 'error')) return result;
  result.problems.push(
    problem(
      Math.max(1, lastLine),
      1,
      'no_cues',
      'error',
      `The file has no cues: it ends here without a single one.${example ? ` A cue is a timing line like "${example}" followed by its text.` : ''}`,
    ),
  );
  return result;
}

/** The warning for a line with "-->" that starts a new cue without a blank line before it. */
export function missingBlankLine(lineIndex: number): SubtitleProblem {
  return problem(
    lineIndex + 1,
    1,
    'missing_blank_line',
    'warning',
    'A line with "-->" starts a new cue, so it ends the text above it. Put a blank line before each cue.',
  );
}

/** Warns when a cue ends before it starts or starts before an earlier cue; returns the latest start so far. */
export function checkTiming(
  problems: SubtitleProblem[],
  line: number,
  startTime: number,
  endTime: number,
  startColumn: number,
  endColumn: number,
  latestStart: number,
): number {
  if (endTime <= startTime) {
    problems.push(
      problem(
        line,
        endColumn,
        'end_before_start',
        'warning',
        `The cue ends (${formatTimestamp(endTime, '.')}) ${endTime === startTime ? 'when' : 'before'} it starts (${formatTimestamp(startTime, '.')}), so it is never shown.`,
      ),
    );
  }
  if (startTime >= latestStart) return startTime;
  problems.push(
    problem(
      line,
      startColumn,
      'cue_out_of_order',
      'warning',
      `This cue starts before an earlier cue (${formatTimestamp(latestStart, '.')}); cues must be in order of start time.`,
    ),
  );
  return latestStart;
}

/** The value of the ASCII digit at `index`, or -1000 (which makes any sum of digits negative) for another character. */
function digitAt(text: string, index: number): number {
  const value = text.charCodeAt(index) - 0x30;
  return value >= 0 && value <= 9 ? value : -1000;
}

/** The length of the timestamp readFixedTimestamp reads. */
export const FIXED_TIMESTAMP_LENGTH = 12;

/**
 * Reads the common timestamp shape hh:mm:ss.mmm (with `separator`, "." or ",", before the
 * milliseconds) by its fixed positions, without loops: seconds, or -1 for any other shape or an
 * invalid value, which a reader's general timestamp reader then reads or says why not. The sum is
 * the general readers', so both give the same number.
 */
export function readFixedTimestamp(text: string, from: number, separator: number): number {
  if (
    text.charCodeAt(from + 2) !== 0x3a ||
    text.charCodeAt(from + 5) !== 0x3a ||
    text.charCodeAt(from + 8) !== separator
  )
    return -1;
  const hours = digitAt(text, from) * 10 + digitAt(text, from + 1);
  const minutes = digitAt(text, from + 3) * 10 + digitAt(text, from + 4);
  const seconds = digitAt(text, from + 6) * 10 + digitAt(text, from + 7);
  const millis = digitAt(text, from + 9) * 100 + digitAt(text, from + 10) * 10 + digitAt(text, from + 11);
  if (
    hours < 0 ||
    minutes < 0 ||
    minutes > 59 ||
    seconds < 0 ||
    seconds > 59 ||
    millis < 0 ||
    digitAt(text, from + 12) >= 0
  )
    return -1;
  return (hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis) / 1000;
}
