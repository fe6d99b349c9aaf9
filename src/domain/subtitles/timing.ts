import { defaultCueSettings, type Cue } from './cue.ts';

// Timing cues on a timeline as subtitlers do: times fall on whole frames of the video, edges snap
// to shot changes and to the neighbouring cues when close, and a cue never runs over its
// neighbours: a dragged edge or cue stops at the next cue's edge (the rule the editor states on
// its page). Pure functions over immutable cue lists, like editing.ts; standard JavaScript only.

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

function targetsFor(cues: readonly Cue[], index: number, options: TimingOptions): number[] {
  const targets = [...(options.shotChanges ?? [])];
  const previous = cues[index - 1];
  const next = cues[index + 1];
  if (previous) targets.push(previous.endTime);
  if (next) targets.push(next.startTime);
  return targets;
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
  const snapped = snapTime(time, targetsFor(cues, index, options), options.frameRate, options.snapFrames ?? 0);
  if (edge === 'start') {
    const startTime = ms(clamp(snapped, low, cue.endTime - frame));
    return replace(cues, index, { ...cue, startTime: Math.max(0, startTime) });
  }
  const endTime = ms(clamp(snapped, cue.startTime + frame, high));
  return replace(cues, index, { ...cue, endTime });
}

/**
 * Moves the whole cue so it starts at `startTime`, keeping its length: the edge nearer a snap
 * target snaps, and the cue stops at its neighbours, zero and the video's end. A cue longer than
 * the room it has does not move.
 */
export function moveCue(cues: readonly Cue[], index: number, startTime: number, options: TimingOptions): Cue[] {
  const cue = cues[index];
  if (!cue || !Number.isFinite(startTime)) return [...cues];
  const length = cue.endTime - cue.startTime;
  const { low, high } = room(cues, index, options);
  if (high - low < length - 0.0005) return [...cues];
  const targets = targetsFor(cues, index, options);
  const frames = options.snapFrames ?? 0;
  const byStart = snapTarget(startTime, targets, options.frameRate, frames);
  const endTarget = snapTarget(startTime + length, targets, options.frameRate, frames);
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
 * gap it starts in, snapped and on whole frames, inserted in time order. Returns the list and the
 * new cue's index, or null when it starts inside a cue or would be shorter than a frame.
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
  const low = cues[at - 1]?.endTime ?? 0;
  const high = Math.min(cues[at]?.startTime ?? Infinity, end(options));
  const targets = [...(options.shotChanges ?? []), low, ...(Number.isFinite(high) ? [high] : [])];
  const frames = options.snapFrames ?? 0;
  const startTime = ms(clamp(snapTime(anchor, targets, options.frameRate, frames), low, high));
  const endTime = ms(clamp(snapTime(Math.max(from, to), targets, options.frameRate, frames), low, high));
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
