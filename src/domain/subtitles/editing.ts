import { defaultCueSettings, type Cue } from './cue.ts';

// What the subtitle editor does to a list of cues, as pure functions: each returns a new list and
// leaves the one it was given alone, so the editor can keep an undo-free, always-consistent state
// and the same rules are unit-tested here. Times are kept to the millisecond.

/** The shortest cue the editor makes when it has to choose a length itself (seconds). */
export const MIN_CUE_LENGTH = 0.1;
/** How long a newly inserted cue lasts when there is room (seconds). */
export const NEW_CUE_LENGTH = 2;

const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;
const cueWith = (cue: Cue, change: Partial<Cue>): Cue => ({ ...cue, ...change });

/** Splits a cue at a position in its text; the split time is `atTime` when inside the cue, else in proportion to the text. */
export function splitCue(cues: readonly Cue[], index: number, textOffset: number, atTime?: number): Cue[] {
  const cue = cues[index];
  if (!cue) return [...cues];
  const offset = Math.max(0, Math.min(textOffset, cue.text.length));
  const before = cue.text.slice(0, offset).replace(/\s+$/, '');
  const after = cue.text.slice(offset).replace(/^\s+/, '');
  const length = cue.endTime - cue.startTime;
  const inside =
    atTime !== undefined && atTime > cue.startTime + MIN_CUE_LENGTH / 2 && atTime < cue.endTime - MIN_CUE_LENGTH / 2;
  const share = cue.text.length ? offset / cue.text.length : 0.5;
  const middle = ms(inside ? atTime : cue.startTime + length * Math.min(0.9, Math.max(0.1, share)));
  const first = cueWith(cue, { endTime: middle, text: before });
  const second: Cue = { id: '', startTime: middle, endTime: cue.endTime, text: after, settings: { ...cue.settings } };
  return [...cues.slice(0, index), first, second, ...cues.slice(index + 1)];
}

/** Joins a cue with the one after it: from the earlier start to the later end, texts on separate lines. */
export function mergeWithNext(cues: readonly Cue[], index: number): Cue[] {
  const cue = cues[index];
  const next = cues[index + 1];
  if (!cue || !next) return [...cues];
  const text = [cue.text, next.text].filter((part) => part.trim() !== '').join('\n');
  const merged = cueWith(cue, {
    startTime: Math.min(cue.startTime, next.startTime),
    endTime: Math.max(cue.endTime, next.endTime),
    text,
  });
  return [...cues.slice(0, index), merged, ...cues.slice(index + 2)];
}

/** Inserts an empty cue after `index` (-1: first), in the gap before the next cue when there is one. */
export function insertCueAfter(cues: readonly Cue[], index: number, at?: number): Cue[] {
  const previous = cues[index];
  const next = cues[index + 1];
  const start = ms(at ?? (previous ? previous.endTime : 0));
  const room = next && next.startTime > start ? next.startTime - start : NEW_CUE_LENGTH;
  const end = ms(start + Math.max(MIN_CUE_LENGTH, Math.min(NEW_CUE_LENGTH, room)));
  const cue: Cue = { id: '', startTime: start, endTime: end, text: '', settings: defaultCueSettings() };
  return [...cues.slice(0, index + 1), cue, ...cues.slice(index + 1)];
}

/** Removes one cue. */
export function removeCue(cues: readonly Cue[], index: number): Cue[] {
  return cues.filter((_, position) => position !== index);
}

/** Moves cues `from`..`to` (inclusive) by `delta` seconds; nothing moves before zero, lengths are kept. */
export function shiftCues(cues: readonly Cue[], from: number, to: number, delta: number): Cue[] {
  const low = Math.max(0, Math.min(from, to));
  const high = Math.min(cues.length - 1, Math.max(from, to));
  let earliest = Infinity;
  for (let i = low; i <= high; i++) earliest = Math.min(earliest, cues[i]!.startTime);
  const move = Math.max(delta, -earliest);
  return cues.map((cue, i) =>
    i < low || i > high ? cue : cueWith(cue, { startTime: ms(cue.startTime + move), endTime: ms(cue.endTime + move) }),
  );
}

/** Sets a cue's start or end; a start at or past the end moves the end to keep the cue's length, an end at or before the start is kept just after it. */
export function setCueTime(cues: readonly Cue[], index: number, edge: 'start' | 'end', time: number): Cue[] {
  const cue = cues[index];
  if (!cue || !Number.isFinite(time)) return [...cues];
  const value = ms(Math.max(0, time));
  let changed: Cue;
  if (edge === 'start') {
    const length = Math.max(MIN_CUE_LENGTH, cue.endTime - cue.startTime);
    changed = cueWith(cue, { startTime: value, endTime: value < cue.endTime ? cue.endTime : ms(value + length) });
  } else {
    changed = cueWith(cue, { endTime: value > cue.startTime ? value : ms(cue.startTime + MIN_CUE_LENGTH) });
  }
  return cues.map((other, i) => (i === index ? changed : other));
}

/** Replaces a cue's text. */
export function setCueText(cues: readonly Cue[], index: number, text: string): Cue[] {
  return cues.map((cue, i) => (i === index ? cueWith(cue, { text }) : cue));
}

/** The index of the cue showing at `time` (the latest-starting one when several overlap), or -1. */
export function cueAt(cues: readonly Cue[], time: number): number {
  let found = -1;
  for (let i = 0; i < cues.length; i++) {
    const cue = cues[i]!;
    if (cue.startTime <= time && time < cue.endTime && (found < 0 || cue.startTime >= cues[found]!.startTime))
      found = i;
  }
  return found;
}

/** Starts a translation: the source's cues with their timings and settings, the text left to the translator. */
export function translationFrom(source: readonly Cue[]): Cue[] {
  return source.map((cue) => ({
    id: cue.id,
    startTime: cue.startTime,
    endTime: cue.endTime,
    text: '',
    settings: { ...cue.settings },
  }));
}

/** How far a translation is: cues with text out of all cues, in whole per cent (0 for an empty list, as the server counts). */
export function translatedPercent(cues: readonly Cue[]): number {
  return percentFilled(
    cues.reduce((count, cue) => count + (cue.text.trim() === '' ? 0 : 1), 0),
    cues.length,
  );
}

/** `filled` of `total` cues in whole per cent, rounded down (100 only when every cue has text; an empty track is at 0). */
export function percentFilled(filled: number, total: number): number {
  return total === 0 ? 0 : Math.floor((filled / total) * 100);
}

/** A time for people to read and type: "1:02.500", or "1:02:03.040" past an hour. */
export function formatCueTime(seconds: number): string {
  const total = Math.round(Math.max(0, seconds) * 1000);
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const rest = ((total % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** Reads a typed time ("62.5", "1:02.5", "0:01:02,500"); null when it is not one. */
export function parseCueTime(text: string): number | null {
  const match = /^\s*(?:(?:(\d+):)?(\d+):)?(\d+(?:[.,]\d*)?)\s*$/.exec(text);
  if (!match) return null;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  if ((match[1] !== undefined || match[2] !== undefined) && Number(seconds.replace(',', '.')) >= 60) return null;
  const value = Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds.replace(',', '.'));
  return Number.isFinite(value) ? ms(value) : null;
}

/** For each cue of a translation, the source cue it overlaps most in time (null when none), so splits and merges keep their pairing. */
export function pairWithSource(target: readonly Cue[], source: readonly Cue[]): (Cue | null)[] {
  const sorted = [...source].sort((a, b) => a.startTime - b.startTime);
  return target.map((cue) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle]!.endTime <= cue.startTime) low = middle + 1;
      else high = middle;
    }
    let best: Cue | null = null;
    let bestOverlap = 0;
    for (let i = low; i < sorted.length && sorted[i]!.startTime < cue.endTime; i++) {
      const overlap = Math.min(cue.endTime, sorted[i]!.endTime) - Math.max(cue.startTime, sorted[i]!.startTime);
      if (overlap > bestOverlap) [best, bestOverlap] = [sorted[i]!, overlap];
    }
    return best;
  });
}

/** Limits on a cue list sent by an editor: beyond these a save is refused with the cue and field named. */
export const CUE_LIST_LIMITS = { cues: 100_000, textLength: 2000, idLength: 200, lastTime: 86_400 } as const;

/** A cue list problem: which cue (0-based), which field, a stable code and an English message. */
export interface CueListProblem {
  cue: number;
  field: 'startTime' | 'endTime' | 'text' | 'id' | 'cues';
  code: string;
  message: string;
}

/** Checks a cue list sent by an editor before it is stored: finite ordered times within a day, bounded text and ids. */
export function checkCueList(cues: readonly Cue[]): CueListProblem[] {
  const problems: CueListProblem[] = [];
  if (cues.length > CUE_LIST_LIMITS.cues)
    return [{ cue: 0, field: 'cues', code: 'too_many_cues', message: `At most ${CUE_LIST_LIMITS.cues} cues` }];
  cues.forEach((cue, index) => {
    if (!Number.isFinite(cue.startTime) || cue.startTime < 0 || cue.startTime > CUE_LIST_LIMITS.lastTime) {
      problems.push({
        cue: index,
        field: 'startTime',
        code: 'bad_time',
        message: 'The start time must be between 0 and 24 hours',
      });
    } else if (!Number.isFinite(cue.endTime) || cue.endTime > CUE_LIST_LIMITS.lastTime) {
      problems.push({
        cue: index,
        field: 'endTime',
        code: 'bad_time',
        message: 'The end time must be within 24 hours',
      });
    } else if (cue.endTime <= cue.startTime) {
      problems.push({
        cue: index,
        field: 'endTime',
        code: 'end_before_start',
        message: 'The end time must come after the start time',
      });
    }
    if (cue.text.length > CUE_LIST_LIMITS.textLength)
      problems.push({
        cue: index,
        field: 'text',
        code: 'text_too_long',
        message: `At most ${CUE_LIST_LIMITS.textLength} characters`,
      });
    if (cue.id.length > CUE_LIST_LIMITS.idLength || /[\n\r]|-->/.test(cue.id))
      problems.push({ cue: index, field: 'id', code: 'bad_id', message: 'An id is one line without "-->"' });
  });
  return problems;
}
