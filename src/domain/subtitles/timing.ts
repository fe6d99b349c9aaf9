import { defaultCueSettings, type Cue } from './cue.ts';

// Timing cues on a timeline as subtitlers do: times fall on whole frames of the video, edges snap
// to shot changes, and to a neighbouring cue when close to it, leaving the language's minimum gap
// before it (an edge snapped flush against a neighbour would break the quality check's min_gap
// rule); a cue never runs over its neighbours: with snapping off a dragged edge or cue stops at the
// next cue's edge (the rule the editor states on its page). Around a cut, as broadcasters time it
// (BBC and Netflix guidelines): a start goes on the cut, an end on it or the minimum gap before
// it, so two cues either side of a cut read "ends at cut − gap, starts at cut"; a start snapped to
// a cut the previous cue ends too close to takes the cut and moves that end back to cut − gap (an
// end likewise moves the next start onto the cut), when the neighbour stays a frame long. Pure
// functions over immutable cue lists, like editing.ts; standard JavaScript only.

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

// Less than this apart, two times are the same (cue times have millisecond precision).
const SAME = 0.0005;

/** Where an end sits the minimum gap before the cut at `shot`: the other place broadcasters end a cue. */
const gapBeforeCut = (shot: number, options: TimingOptions) =>
  frameTime(toFrame(shot, options.frameRate) - options.minGapFrames, options.frameRate);

/**
 * The place nearest to `time` within the snapping distance where an edge sits on a shot change: the
 * cut itself, and for an end also the frame the minimum gap before it; with the cut it belongs to.
 */
function nearCut(
  time: number,
  shots: readonly number[],
  edge: 'start' | 'end',
  options: TimingOptions,
): { at: number; cut: number } | null {
  const { frameRate, minGapFrames } = options;
  const reach = (options.snapFrames ?? 0) / frameRate + 1e-6;
  let best: { at: number; cut: number } | null = null;
  for (const shot of shots) {
    const places = [shot];
    if (edge === 'end' && minGapFrames > 0) places.push(gapBeforeCut(shot, options));
    for (const at of places) {
      const distance = Math.abs(at - time);
      if (distance <= reach && (!best || distance < Math.abs(best.at - time))) best = { at, cut: shot };
    }
  }
  return best;
}

/** Where a snapped edge goes, and where a neighbour's edge moves to make room for it on a cut. */
interface Snapped {
  at: number;
  /** The previous cue's new end (for a start put on a cut). */
  previousEnd?: number;
  /** The next cue's new start (for an end put the minimum gap before a cut). */
  nextStart?: number;
}

/**
 * Where a start dragged to `time` snaps, or null with snapping off: onto a cut near it; if the
 * previous cue ends on that cut or less than the minimum gap before it, the previous end moves back
 * to the gap before the cut, unless that would leave the previous cue shorter than a frame (then,
 * as without `neighbours`, the start stops the gap after the previous end). `extra`: more targets.
 */
function snapStart(
  time: number,
  previous: Cue | undefined,
  shots: readonly number[],
  options: TimingOptions,
  extra: readonly number[] = [],
  neighbours = true,
): Snapped | null {
  const plain = () => {
    const at = snapEdge(time, [...shots, ...extra], stopAfter(previous, options), options);
    return at === null ? null : { at };
  };
  const near = (options.snapFrames ?? 0) > 0 && previous && neighbours ? nearCut(time, shots, 'start', options) : null;
  if (!previous || !near) return plain();
  const { frameRate, minGapFrames } = options;
  const cut = toFrame(near.cut, frameRate);
  const previousEndFrame = Math.ceil(previous.endTime * frameRate - 1e-6);
  // Past the cut the start cannot reach it; the gap or more before it, nothing has to move.
  if (previousEndFrame > cut || previousEndFrame + minGapFrames <= cut) return plain();
  const previousEnd = frameTime(cut - minGapFrames, frameRate);
  if (previousEnd - previous.startTime < 1 / frameRate - SAME) return plain();
  return { at: near.at, previousEnd };
}

/**
 * Where an end dragged to `time` snaps, or null with snapping off: onto the nearer of a cut and the
 * frame the minimum gap before it; if the next cue starts on that cut or within the gap after it,
 * the gap before the cut; if it starts within the gap before the cut, the gap before the cut too,
 * the next start moving onto the cut, unless that would leave the next cue shorter than a frame
 * (then, as without `neighbours`, the end stops the gap before the next start).
 */
function snapEnd(
  time: number,
  next: Cue | undefined,
  shots: readonly number[],
  options: TimingOptions,
  extra: readonly number[] = [],
  neighbours = true,
): Snapped | null {
  const { frameRate, minGapFrames } = options;
  const beforeCuts = minGapFrames > 0 ? shots.map((shot) => gapBeforeCut(shot, options)) : [];
  const plain = () => {
    const at = snapEdge(time, [...shots, ...beforeCuts, ...extra], stopBefore(next, options), options);
    return at === null ? null : { at };
  };
  const near = (options.snapFrames ?? 0) > 0 && next ? nearCut(time, shots, 'end', options) : null;
  if (!next || !near) return plain();
  const cut = toFrame(near.cut, frameRate);
  const nextStartFrame = Math.floor(next.startTime * frameRate + 1e-6);
  // The gap or more after the cut, nothing is in the way; at or before the gap before it, the cut is out of reach.
  if (nextStartFrame >= cut + minGapFrames || nextStartFrame <= cut - minGapFrames) return plain();
  const at = frameTime(cut - minGapFrames, frameRate);
  if (nextStartFrame >= cut) return { at };
  const nextStart = frameTime(cut, frameRate);
  if (!neighbours || next.endTime - nextStart < 1 / frameRate - SAME) return plain();
  return { at, nextStart };
}

/** The cues with the previous cue's end or the next cue's start moved as a snap asked. */
function withNeighbours(cues: Cue[], index: number, snapped: Omit<Snapped, 'at'> | null): Cue[] {
  let moved = cues;
  if (snapped?.previousEnd !== undefined)
    moved = replace(moved, index - 1, { ...moved[index - 1]!, endTime: snapped.previousEnd });
  if (snapped?.nextStart !== undefined)
    moved = replace(moved, index + 1, { ...moved[index + 1]!, startTime: snapped.nextStart });
  return moved;
}

/**
 * Moves one edge of cue `index` to `time`: snapped, on a whole frame, kept between zero, the video's
 * end and the neighbours, and at least one frame long. A start snapped onto a cut may move the
 * previous cue's end back, an end the next cue's start onto the cut (see snapStart and snapEnd):
 * one change of the list, like any move.
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
  // A neighbour moves only for an edge that lands where it snapped.
  const lands = (snapped: Snapped | null, placed: number) =>
    (snapped?.previousEnd === undefined && snapped?.nextStart === undefined) ||
    placed === ms(onFrame(snapped.at, options.frameRate));
  if (edge === 'start') {
    const place = (snapped: Snapped | null) =>
      Math.max(0, ms(clamp(onFrame(snapped?.at ?? time, options.frameRate), low, cue.endTime - frame)));
    let snapped = snapStart(time, cues[index - 1], shots, options);
    if (!lands(snapped, place(snapped))) snapped = snapStart(time, cues[index - 1], shots, options, [], false);
    return withNeighbours(replace(cues, index, { ...cue, startTime: place(snapped) }), index, snapped);
  }
  const place = (snapped: Snapped | null) =>
    ms(clamp(onFrame(snapped?.at ?? time, options.frameRate), cue.startTime + frame, high));
  let snapped = snapEnd(time, cues[index + 1], shots, options);
  if (!lands(snapped, place(snapped))) snapped = snapEnd(time, cues[index + 1], shots, options, [], false);
  return withNeighbours(replace(cues, index, { ...cue, endTime: place(snapped) }), index, snapped);
}

/**
 * Moves the whole cue so it starts at `startTime`, keeping its length: the edge nearer its snap
 * target snaps (moving a neighbour's edge as moveEdge does), and the cue stops at its neighbours,
 * zero and the video's end. A cue longer than the room it has does not move.
 */
export function moveCue(cues: readonly Cue[], index: number, startTime: number, options: TimingOptions): Cue[] {
  const cue = cues[index];
  if (!cue || !Number.isFinite(startTime)) return [...cues];
  const length = cue.endTime - cue.startTime;
  const { low, high } = room(cues, index, options);
  if (high - low < length - SAME) return [...cues];
  const shots = options.shotChanges ?? [];
  const fit = (neighbours: boolean) => {
    const byStart = snapStart(startTime, cues[index - 1], shots, options, [], neighbours);
    const byEnd = snapEnd(startTime + length, cues[index + 1], shots, options, [], neighbours);
    const endFirst = byEnd === null ? null : byEnd.at - length;
    const useEnd =
      endFirst !== null && (byStart === null || Math.abs(endFirst - startTime) < Math.abs(byStart.at - startTime));
    const snapped = useEnd ? byEnd : byStart;
    const start = useEnd && endFirst !== null ? endFirst : (byStart?.at ?? onFrame(startTime, options.frameRate));
    const placed = ms(clamp(start, low, high - length));
    const moves = snapped?.previousEnd !== undefined || snapped?.nextStart !== undefined;
    return moves && placed !== ms(start) ? null : { placed, snapped };
  };
  const { placed, snapped } = fit(true) ?? fit(false)!;
  return withNeighbours(
    replace(cues, index, { ...cue, startTime: placed, endTime: ms(placed + length) }),
    index,
    snapped,
  );
}

/**
 * A new empty cue from `from` to `to` (in either order) dragged over empty time: cut back to the
 * gap it starts in, snapped (leaving the minimum gap to the cues either side, or moving a
 * neighbour's edge as moveEdge does around a cut) and on whole frames, inserted in time order.
 * Returns the list and the new cue's index, or null when it starts inside a cue or would be
 * shorter than a frame.
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
  const room = Math.min(next?.startTime ?? Infinity, end(options));
  // Zero and the video's end are targets like the shot changes; the neighbours stop the edges.
  const shots = options.shotChanges ?? [];
  const startExtra = previous ? [] : [0];
  const endExtra = next || !Number.isFinite(room) ? [] : [room];
  const last = Math.max(from, to);
  const make = (neighbours: boolean) => {
    const startSnap = snapStart(anchor, previous, shots, options, startExtra, neighbours);
    const endSnap = snapEnd(last, next, shots, options, endExtra, neighbours);
    const low = startSnap?.previousEnd ?? previous?.endTime ?? 0;
    const high = endSnap?.nextStart === undefined ? room : Math.min(endSnap.nextStart, end(options));
    const place = (time: number, snapped: Snapped | null) =>
      ms(clamp(onFrame(snapped?.at ?? time, options.frameRate), low, high));
    const startTime = place(anchor, startSnap);
    const endTime = place(last, endSnap);
    if (endTime - startTime < 1 / options.frameRate - SAME) return null;
    // A neighbour moves only for an edge that lands where it snapped.
    if (startSnap?.previousEnd !== undefined && startTime !== ms(onFrame(startSnap.at, options.frameRate))) return null;
    if (endSnap?.nextStart !== undefined && endTime !== ms(onFrame(endSnap.at, options.frameRate))) return null;
    return { startTime, endTime, moved: { previousEnd: startSnap?.previousEnd, nextStart: endSnap?.nextStart } };
  };
  const made = make(true) ?? make(false);
  if (!made) return null;
  const cue: Cue = {
    id: '',
    startTime: made.startTime,
    endTime: made.endTime,
    text: '',
    settings: defaultCueSettings(),
  };
  return { cues: withNeighbours([...cues.slice(0, at), cue, ...cues.slice(at)], at, made.moved), index: at };
}

/**
 * The nearest shot change within `frames` frames of `time` but not on it, or null, also when `time`
 * is on a cut. With `gapBefore` (for an end: the minimum gap in frames), a time exactly that many
 * frames before a cut counts as on it, as broadcasters end a cue before a cut the next one starts on.
 */
export function nearShotChange(
  time: number,
  shotFrames: readonly number[],
  frameRate: number,
  frames: number,
  gapBefore = 0,
): { frame: number; distance: number } | null {
  const at = toFrame(time, frameRate);
  let best: { frame: number; distance: number } | null = null;
  for (const shot of shotFrames) {
    const distance = Math.abs(shot - at);
    if (distance === 0 || (gapBefore > 0 && shot - at === gapBefore)) return null;
    if (distance <= frames && (!best || distance < best.distance)) best = { frame: shot, distance };
  }
  return best;
}
