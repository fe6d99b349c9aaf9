import { defaultCueSettings, type Cue, type ParseResult, type SubtitleProblem } from './cue.ts';
import { LineCursor, checkTiming, missingBlankLine, problem, sortProblems, textLines } from './lines.ts';

// YouTube's SubViewer format (.sbv): blocks of a timing line "0:00:01.000,0:00:04.000" (hours of
// one or more digits) and text up to a blank line. No numbers, no settings, no markup. The reader
// recovers from a missing blank line before a timing line and skips (reporting where) a block
// whose timing it cannot read.

const TIMING = /^\s*(\d+):([0-5]\d):([0-5]\d)[.,](\d{1,3})\s*,\s*(\d+):([0-5]\d):([0-5]\d)[.,](\d{1,3})\s*$/d;
const LOOKS_LIKE_TIMING = /^\s*\d+:\d/;
const EXAMPLE = '0:00:01.000,0:00:04.000';

const seconds = (h: string, m: string, s: string, ms: string) =>
  (Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000 + Number(ms.padEnd(3, '0'))) / 1000;

/** Reads SBV text, keeping every cue it can read and reporting every problem with its position. */
export function parseSBV(text: string): ParseResult {
  const cursor = new LineCursor(text);
  const cues: Cue[] = [];
  const problems: SubtitleProblem[] = [];
  let latestStart = -Infinity;
  while (cursor.advance()) {
    if (cursor.isBlank()) continue;
    const line = cursor.line();
    const lineNumber = cursor.index + 1;
    const timing = TIMING.exec(line);
    if (!timing) {
      problems.push(
        LOOKS_LIKE_TIMING.test(line)
          ? problem(
              lineNumber,
              1,
              'bad_timestamp',
              'error',
              `This timing line cannot be read; SBV timings look like "${EXAMPLE}". This cue is skipped.`,
            )
          : problem(
              lineNumber,
              1,
              'missing_timing',
              'error',
              `This text has no timing line and is skipped. An SBV cue starts with a line like "${EXAMPLE}" and ends at a blank line.`,
            ),
      );
      while (cursor.advance() && !cursor.isBlank()) {
        if (TIMING.test(cursor.line())) {
          cursor.rewind();
          break;
        }
      }
      continue;
    }
    const [, h1, m1, s1, f1, h2, m2, s2, f2] = timing;
    const startTime = seconds(h1!, m1!, s1!, f1!);
    const endTime = seconds(h2!, m2!, s2!, f2!);
    if (f1!.length !== 3 || f2!.length !== 3) {
      problems.push(
        problem(
          lineNumber,
          1,
          'nonstandard_timestamp',
          'warning',
          `Milliseconds should have three digits, like "${EXAMPLE}"; read as ${startTime}s and ${endTime}s.`,
        ),
      );
    }
    latestStart = checkTiming(
      problems,
      lineNumber,
      startTime,
      endTime,
      timing.indices![1]![0] + 1,
      timing.indices![5]![0] + 1,
      latestStart,
    );
    const lines: string[] = [];
    while (cursor.advance() && !cursor.isBlank()) {
      if (TIMING.test(cursor.line())) {
        problems.push(missingBlankLine(cursor.index));
        cursor.rewind();
        break;
      }
      // SBV is plain text: a "<" or "&" in it is text, not markup.
      lines.push(cursor.line().replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    }
    if (lines.length === 0) problems.push(problem(lineNumber, 1, 'empty_cue', 'warning', 'This cue has no text.'));
    cues.push({ id: '', startTime, endTime, text: lines.join('\n'), settings: defaultCueSettings() });
  }
  return { format: 'sbv', cues, problems: sortProblems(problems) };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };

/** The cue text as plain text: markup tags removed, the common character references decoded. */
export function plainCueText(text: string): string {
  return text.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|nbsp|lrm|rlm);/g, (_, name: string) => ENTITIES[name]!);
}

function sbvTime(value: number): string {
  const total = Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : 0;
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(total % 1000).padStart(3, '0')}`;
}

/** Writes cues as SBV: plain text (SBV has no markup), blank lines inside a cue dropped. */
export function writeSBV(cues: readonly Cue[]): string {
  const out: string[] = [];
  for (const cue of cues) {
    out.push(`${sbvTime(cue.startTime)},${sbvTime(cue.endTime)}`);
    for (const line of textLines(plainCueText(cue.text))) if (line.trim() !== '') out.push(line);
    out.push('');
  }
  return out.join('\n');
}
