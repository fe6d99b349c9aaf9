import { defaultCueSettings, type Cue } from './cue.ts';

// Timing cues on a timeline as subtitlers do: times fall on whole frames of the video, edges snap
// to shot changes, and to a neighbouring cue when close to it, leaving the language's minimum gap
// before it (an edge snapped flush against a neighbour would break the quality check's min_gap
// rule); a cue never runs over its neighbours: with snapping off a dragged edge or cue stops at the
// next cue's edge (the rule the editor states on its page). Pure functions over immutable cue
// lists, like editing.ts; standard JavaScript only.

/** How close (in frames) an edge must come to a shot change or a neighbour to snap to it. */
export const DEFAULT_SNAP_FRAMES = 3;

export interface TimingOptions {
  frameRate: number;
  /** The video's length: nothing moves past it. Null when unknown. */
  duration: number | null;
  /** Times an edge may snap to (shot changes); the neighbours' edges are added by each function. */
  shotChanges?: readonly number[];
  /** 0 turns snapping off (the editor does so while a modifier key is held). */
  snapFrames?: number;
  /**
   * Frames of the video left free between an edge snapped to a neighbour and that neighbour: the
   * language's minimum gap (quality.ts's minGapFramesAt gives it from the limits the check uses).
   */
  minGapFrames: number;
}

const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** The number of the frame showing at `time` (the nearest frame boundary). */
export function toFrame(time: number, frameRate: number): number {
  return Math.round(time * frameRate + 1e-6);
}

/** The time of a frame boundary, to the millisecond. */
export function frameTime(frame: number, frameRate: number): number {
  return ms(frame / frameRate);
}

/** `time` moved onto the nearest whole frame. */
export function onFrame(time: number, frameRate: number): number {
  return frameTime(toFrame(time, frameRate), frameRate);
}

/** The target nearest to `time` within `frames` frames of it, or null. */
export function snapTarget(time: number, targets: readonly number[], frameRate: number, frames: number): number | null {
  let best: number | null = null;
  const reach = frames / frameRate + 1e-6;
  for (const target of targets) {
    const distance = Math.abs(target - time);
    if (distance <= reach && (best === null || distance < Math.abs(best - time))) best = target;
  }
  return best;
}

/** The target nearest to `time` if it is within `frames` frames, else `time` on its nearest frame. */
export function snapTime(time: number, targets: readonly number[], frameRate: number, frames: number): number {
  return onFrame(snapTarget(time, targets, frameRate, frames) ?? time, frameRate);
}

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
const end = (options: TimingOptions) => (options.duration && options.duration > 0 ? options.duration : Infinity);

// Where cue `index` may lie: after the previous cue's end, before the next one's start (or where it
// is already, for cues that overlapped before: a move never makes that worse, nor refuses to help).
function room(cues: readonly Cue[], index: number, options: TimingOptions): { low: number; high: number } {
  const cue = cues[index]!;
  const previous = cues[index - 1];
  const next = cues[index + 1];
  return {
    low: previous ? Math.min(previous.endTime, cue.startTime) : 0,
    high: Math.min(next ? Math.max(next.startTime, cue.endTime) : Infinity, end(options)),
  };
}

// Where a neighbour stops an edge when snapping: the last whole frame `minGapFrames` frames before
// the next cue's start, or the first that many after the previous cue's end.
interface Stop {
  at: number;
  /** Where the neighbour lies: after the edge (the next cue) or before it (the previous one). */
  neighbour: 'after' | 'before';
}

function stopBefore(next: Cue | undefined, options: TimingOptions): Stop | null {
  if (!next) return null;
  const frame = Math.floor(next.startTime * options.frameRate + 1e-6) - options.minGapFrames;
  return { at: frameTime(frame, options.frameRate), neighbour: 'after' };
}

function stopAfter(previous: Cue | undefined, options: TimingOptions): Stop | null {
  if (!previous) return null;
  const frame = Math.ceil(previous.endTime * options.frameRate - 1e-6) + options.minGapFrames;
  return { at: frameTime(frame, options.frameRate), neighbour: 'before' };
}

/**
 * Where an edge dragged to `time` snaps, or null: the nearest of `targets` within the snapping
 * distance, or the neighbour's stop from that distance short of it onwards (an edge that would
 * touch, cross or come closer than the gap to the neighbour goes to the stop; the stop wins there
 * over a shot change, which would leave the edge in the gap).
 */
function snapEdge(time: number, targets: readonly number[], stop: Stop | null, options: TimingOptions): number | null {
  const frames = options.snapFrames ?? 0;
  if (frames <= 0) return null;
  const target = snapTarget(time, targets, options.frameRate, frames);
  if (!stop) return target;
  const short = stop.neighbour === 'after' ? stop.at - time : time - stop.at;
  if (short > frames / options.frameRate + 1e-6) return target;
  return target !== null && Math.abs(target - time) < Math.max(0, short) ? target : stop.at;
}

const replace = (cues: readonly Cue[], index: number, cue: Cue) => cues.map((other, i) => (i === index ? cue : other));

/**
 * Moves one edge of cue `index` to `time`: snapped, on a whole frame, kept between zero, the video's
 * end and the neighbours, and at least one frame long.
 */
export function moveEdge(
  cues: readonly Cue[],
  index: number,
  edge: 'start' | 'end',
  time: number,
  options: TimingOptions,
): Cue[] {
  const cue = cues[index];
  if (!cue || !Number.isFinite(time)) return [...cues];
  const frame = 1 / options.frameRate;
  const { low, high } = room(cues, index, options);
  const shots = options.shotChanges ?? [];
  if (edge === 'start') {
    const snapped = snapEdge(time, shots, stopAfter(cues[index - 1], options), options);
    const startTime = ms(clamp(onFrame(snapped ?? time, options.frameRate), low, cue.endTime - frame));
    return replace(cues, index, { ...cue, startTime: Math.max(0, startTime) });
  }
  const snapped = snapEdge(time, shots, stopBefore(cues[index + 1], options), options);
  const endTime = ms(clamp(onFrame(snapped ?? time, options.frameRate), cue.startTime + frame, high));
  return replace(cues, index, { ...cue, endTime });
}

/**
 * Moves the whole cue so it starts at `startTime`, keeping its length: the edge nearer its snap
 * target snaps, and the cue stops at its neighbours, zero and the video's end. A cue longer than
 * the room it has does not move.
 */
export function moveCue(cues: readonly Cue[], index: number, startTime: number, options: TimingOptions): Cue[] {
  const cue = cues[index];
  if (!cue || !Number.isFinite(startTime)) return [...cues];
  const length = cue.endTime - cue.startTime;
  const { low, high } = room(cues, index, options);
  if (high - low < length - 0.0005) return [...cues];
  const shots = options.shotChanges ?? [];
  const byStart = snapEdge(startTime, shots, stopAfter(cues[index - 1], options), options);
  const endTarget = snapEdge(startTime + length, shots, stopBefore(cues[index + 1], options), options);
  const byEnd = endTarget === null ? null : endTarget - length;
  const start =
    byEnd !== null && (byStart === null || Math.abs(byEnd - startTime) < Math.abs(byStart - startTime))
      ? byEnd
      : (byStart ?? onFrame(startTime, options.frameRate));
  const placed = ms(clamp(start, low, high - length));
  return replace(cues, index, { ...cue, startTime: placed, endTime: ms(placed + length) });
}

/**
 * A new empty cue from `from` to `to` (in either order) dragged over empty time: cut back to the
 * gap it starts in, snapped (leaving the minimum gap to the cues either side) and on whole frames,
 * inserted in time order. Returns the list and the new cue's index, or null when it starts inside
 * a cue or would be shorter than a frame.
 */
export function createCue(
  cues: readonly Cue[],
  from: number,
  to: number,
  options: TimingOptions,
): { cues: Cue[]; index: number } | null {
  const anchor = clamp(Math.min(from, to), 0, end(options));
  if (cues.some((cue) => anchor >= cue.startTime && anchor < cue.endTime)) return null;
  const index = cues.findIndex((cue) => cue.startTime >= anchor);
  const at = index === -1 ? cues.length : index;
  const previous = cues[at - 1];
  const next = cues[at];
  const low = previous?.endTime ?? 0;
  const high = Math.min(next?.startTime ?? Infinity, end(options));
  // Zero and the video's end are targets like the shot changes; the neighbours stop the edges.
  const shots = options.shotChanges ?? [];
  const startTargets = previous ? shots : [...shots, 0];
  const endTargets = next || !Number.isFinite(high) ? shots : [...shots, high];
  const place = (time: number, snapped: number | null) =>
    ms(clamp(onFrame(snapped ?? time, options.frameRate), low, high));
  const startTime = place(anchor, snapEdge(anchor, startTargets, stopAfter(previous, options), options));
  const last = Math.max(from, to);
  const endTime = place(last, snapEdge(last, endTargets, stopBefore(next, options), options));
  if (endTime - startTime < 1 / options.frameRate - 0.0005) return null;
  const cue: Cue = { id: '', startTime, endTime, text: '', settings: defaultCueSettings() };
  return { cues: [...cues.slice(0, at), cue, ...cues.slice(at)], index: at };
}

/** The shot change frames within `frames` frames of `time` but not on it, nearest first. */
export function nearShotChange(
  time: number,
  shotFrames: readonly number[],
  frameRate: number,
  frames: number,
): { frame: number; distance: number } | null {
  const at = toFrame(time, frameRate);
  let best: { frame: number; distance: number } | null = null;
  for (const shot of shotFrames) {
    const distance = Math.abs(shot - at);
    if (distance === 0) return null;
    if (distance <= frames && (!best || distance < best.distance)) best = { frame: shot, distance };
  }
  return best;
}
