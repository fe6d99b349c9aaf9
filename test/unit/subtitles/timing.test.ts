import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultCueSettings, type Cue } from '../../../src/domain/subtitles/cue.ts';
import { checkCues, defaultSubtitleLimits, minGapFramesAt } from '../../../src/domain/subtitles/quality.ts';
import {
  createCue,
  moveCue,
  moveEdge,
  nearShotChange,
  onFrame,
  snapTime,
  toFrame,
  type TimingOptions,
} from '../../../src/domain/subtitles/timing.ts';

const cue = (startTime: number, endTime: number, text = 'x'): Cue => ({
  id: '',
  startTime,
  endTime,
  text,
  settings: defaultCueSettings(),
});
const times = (cues: Cue[]) => cues.map((c) => [c.startTime, c.endTime]);
const options: TimingOptions = { frameRate: 25, duration: 10, shotChanges: [2, 6], snapFrames: 3, minGapFrames: 2 };

describe('frames and snapping', () => {
  test('times fall on whole frames', () => {
    assert.equal(toFrame(2.02, 25), 51);
    assert.equal(onFrame(2.03, 25), 2.04);
    assert.equal(onFrame(1.001, 30000 / 1001), 1.001);
  });

  test('a time within the reach of a target takes it; farther, or with snapping off, it only rounds to a frame', () => {
    assert.equal(snapTime(2.1, [2], 25, 3), 2);
    assert.equal(snapTime(2.12, [2], 25, 3), 2);
    assert.equal(snapTime(2.13, [2], 25, 3), 2.12);
    assert.equal(snapTime(2.09, [2], 25, 0), 2.08);
    assert.equal(snapTime(2.05, [2, 2.08], 25, 3), 2.08, 'the nearer of two targets');
  });
});

describe('moving cues on the timeline', () => {
  const cues = [cue(1, 1.9), cue(3, 4), cue(5, 5.5)];

  test('an edge snaps to a shot change, or to the neighbour leaving the gap, and not with snapping off', () => {
    assert.deepEqual(times(moveEdge(cues, 0, 'end', 2.07, options))[0], [1, 2]);
    assert.deepEqual(times(moveEdge(cues, 0, 'end', 2.07, { ...options, snapFrames: 0 }))[0], [1, 2.08]);
    assert.deepEqual(times(moveEdge(cues, 1, 'end', 4.95, options))[1], [3, 4.92], 'two frames before the next cue');
  });

  test('an edge stops at zero, at the end of the video and at its neighbours, and a cue stays a frame long', () => {
    const free = { ...options, snapFrames: 0 };
    assert.deepEqual(times(moveEdge(cues, 0, 'start', -3, options))[0], [0, 1.9]);
    assert.deepEqual(times(moveEdge(cues, 2, 'end', 99, options))[2], [5, 10]);
    assert.deepEqual(times(moveEdge(cues, 1, 'start', 0.5, free))[1], [1.9, 4]);
    assert.deepEqual(times(moveEdge(cues, 1, 'end', 9, free))[1], [3, 5]);
    assert.deepEqual(times(moveEdge(cues, 1, 'start', 0.5, options))[1], [2, 4], 'snapping: the gap after 1.9 s');
    assert.deepEqual(times(moveEdge(cues, 1, 'end', 9, options))[1], [3, 4.92], 'snapping: the gap before 5 s');
    assert.deepEqual(times(moveEdge(cues, 1, 'start', 4.5, options))[1], [3.96, 4]);
  });

  test('a whole cue keeps its length, snaps by the nearer edge and stops at its neighbours', () => {
    assert.deepEqual(times(moveCue(cues, 1, 2.06, options))[1], [2, 3], 'its start snaps to the cut at 2 s');
    assert.deepEqual(
      times(moveCue(cues, 1, 0, { ...options, snapFrames: 0 }))[1],
      [1.9, 2.9],
      'stopped by the cue before',
    );
    assert.deepEqual(times(moveCue(cues, 1, 0, options))[1], [2, 3], 'snapping: the gap after the cue before');
    assert.deepEqual(times(moveCue(cues, 1, 3.95, options))[1], [3.92, 4.92], 'its end two frames before the next cue');
    assert.deepEqual(times(moveCue(cues, 2, 20, options))[2], [9.5, 10], 'stopped by the end of the video');
    const tight = [cue(1, 2), cue(2, 3), cue(3, 4)];
    assert.deepEqual(moveCue(tight, 1, 2.5, options), tight, 'no room: it stays');
  });

  test('a cue made by dragging over empty time fits the gap; from inside a cue or shorter than a frame it is not made', () => {
    const made = createCue(cues, 4.5, 2.1, options)!;
    assert.equal(made.index, 1);
    assert.deepEqual(times(made.cues)[1], [2, 2.92], 'snapped to the cut and cut back to the gap before the next cue');
    assert.equal(createCue(cues, 3.5, 4.5, options), null);
    assert.equal(createCue(cues, 8, 8.01, options), null);
    assert.deepEqual(times(createCue([], 9, 12, options)!.cues), [[9, 10]]);
  });
});

describe('snapping to a neighbour leaves the minimum gap the quality check asks for', () => {
  const limits = { ...defaultSubtitleLimits('en'), frameRate: 25 };
  const timing: TimingOptions = {
    frameRate: 25,
    duration: 20,
    snapFrames: 3,
    minGapFrames: minGapFramesAt(limits, 25),
  };
  const track = [cue(1, 2.48, 'One line.'), cue(3, 4.48, 'Another line.'), cue(8, 9.48, 'A third line.')];
  const gaps = (cues: Cue[], check = limits) =>
    checkCues(cues, check, 'en').filter((problem) => problem.rule === 'min_gap');

  test("the gap is the limits' frames, in whole frames of the video, never shorter", () => {
    assert.equal(minGapFramesAt(limits, 25), 2);
    assert.equal(minGapFramesAt(defaultSubtitleLimits('en'), 24), 2);
    assert.equal(minGapFramesAt(defaultSubtitleLimits('en'), 30), 3, '2 frames at 24 fps are 2.5 at 30');
    assert.equal(minGapFramesAt({ minGapFrames: 0, frameRate: 24 }, 25), 0);
  });

  test('an end dragged within the snapping distance of the next start lands the gap before it: no min_gap', () => {
    assert.deepEqual(gaps(track), []);
    for (const dragged of [2.9, 2.95, 3, 3.04, 3.5]) {
      const moved = moveEdge(track, 0, 'end', dragged, timing);
      assert.equal(moved[0]!.endTime, 2.92, `dragged to ${dragged} s`);
      assert.equal(toFrame(moved[1]!.startTime, 25) - toFrame(moved[0]!.endTime, 25), 2);
      assert.deepEqual(gaps(moved), [], `dragged to ${dragged} s`);
    }
    assert.equal(moveEdge(track, 0, 'end', 2.76, timing)[0]!.endTime, 2.76, 'farther than the snapping distance');
  });

  test('a start dragged near the previous end lands the gap after it; a moved cue keeps it on both sides', () => {
    const started = moveEdge(track, 1, 'start', 2.52, timing);
    assert.equal(started[1]!.startTime, 2.56);
    assert.deepEqual(gaps(started), []);
    const moved = moveCue(track, 2, 4.6, timing);
    assert.deepEqual(times(moved)[2], [4.56, 6.04]);
    assert.deepEqual(gaps(moved), []);
  });

  test("a video at another frame rate than the limits' keeps a gap the check accepts", () => {
    const limits24 = defaultSubtitleLimits('en');
    const at30: TimingOptions = { ...timing, frameRate: 30, minGapFrames: minGapFramesAt(limits24, 30) };
    const moved = moveEdge(track, 0, 'end', 3, at30);
    assert.equal(moved[0]!.endTime, 2.9);
    assert.deepEqual(gaps(moved, limits24), []);
  });

  test('a cue made in a gap leaves the gap on both sides', () => {
    const made = createCue(track, 4.55, 7.97, timing)!;
    assert.equal(made.index, 2);
    assert.deepEqual(times(made.cues)[2], [4.56, 7.92]);
    const filled = made.cues.map((c, i) => (i === 2 ? { ...c, text: 'New words.' } : c));
    assert.deepEqual(gaps(filled), []);
  });

  test('with snapping off an edge may still go anywhere up to the neighbour, never over it', () => {
    const free = { ...timing, snapFrames: 0 };
    assert.equal(moveEdge(track, 0, 'end', 2.96, free)[0]!.endTime, 2.96);
    assert.equal(moveEdge(track, 0, 'end', 3, free)[0]!.endTime, 3);
    assert.equal(moveEdge(track, 0, 'end', 3.6, free)[0]!.endTime, 3);
    assert.equal(moveEdge(track, 1, 'start', 2.44, free)[1]!.startTime, 2.48);
    assert.deepEqual(times(createCue(track, 4.48, 8, free)!.cues)[2], [4.48, 8]);
  });

  test('an edge near a shot change away from the neighbours still goes on the cut', () => {
    const withShot = { ...timing, shotChanges: [6] };
    assert.equal(moveEdge(track, 1, 'end', 6.08, withShot)[1]!.endTime, 6);
    // A cut inside the gap does not pull the edge into it: the end leaves the gap before the cut,
    // which the next cue starts just after.
    const cutInGap = { ...timing, shotChanges: [2.96] };
    assert.equal(moveEdge(track, 0, 'end', 2.95, cutInGap)[0]!.endTime, 2.88);
    assert.deepEqual(times(moveEdge(track, 0, 'end', 2.95, cutInGap)).slice(1), times(track).slice(1));
  });
});

describe('the quality rule for edges near a shot change', () => {
  const shots = { frameRate: 25, frames: [50, 150], withinFrames: 3 };
  test('an edge one to three frames off a cut is named with the frames; on it or farther is not', () => {
    assert.deepEqual(nearShotChange(2.08, [50], 25, 3), { frame: 50, distance: 2 });
    assert.equal(nearShotChange(2, [50], 25, 3), null);
    assert.equal(nearShotChange(2.2, [50], 25, 3), null);
    const problems = checkCues(
      [cue(2.08, 4, 'Hello'), cue(6, 7, 'There')],
      defaultSubtitleLimits('en'),
      'en',
      10,
      shots,
    );
    const near = problems.filter((problem) => problem.rule === 'near_shot_change');
    assert.equal(near.length, 1);
    assert.equal(near[0]!.cue, 0);
    assert.equal(near[0]!.severity, 'warning');
    assert.equal(
      near[0]!.message,
      'An edge is 2 frames from the shot change at frame 50: start on the cut; end on it, 3 frames before it, or further away.',
    );
    assert.equal(near[0]!.gapFrames, 3, "the limits' 2 frames at 24 fps are 3 of this 25 fps video");
    assert.ok(
      checkCues([cue(2.08, 4, 'Hello')], defaultSubtitleLimits('en'), 'en', 10).every(
        (p) => p.rule !== 'near_shot_change',
      ),
    );
  });
});

describe('around a cut, cues are timed as broadcasters do: the previous ends the gap before it, the next starts on it', () => {
  // The limits at the video's 25 fps: a minimum gap of 2 frames (0.08 s); the cut at 2 s is frame 50.
  const limits = { ...defaultSubtitleLimits('en'), frameRate: 25 };
  const shots = { frameRate: 25, frames: [50], withinFrames: 3 };
  const timing: TimingOptions = {
    frameRate: 25,
    duration: 20,
    shotChanges: [2],
    snapFrames: 3,
    minGapFrames: minGapFramesAt(limits, 25),
  };
  const problems = (cues: Cue[], rule: string) =>
    checkCues(cues, limits, 'en', 20, shots).filter((problem) => problem.rule === rule);

  test('the check accepts an end exactly the gap before a cut, and still flags an end a frame before it and a start off it', () => {
    assert.deepEqual(problems([cue(0.5, 1.92, 'One line.'), cue(2, 3.5, 'Another line.')], 'near_shot_change'), []);
    assert.deepEqual(problems([cue(0.5, 2, 'One line.'), cue(2.6, 3.5, 'Another line.')], 'near_shot_change'), []);
    const endOneBefore = problems([cue(0.5, 1.96, 'One line.')], 'near_shot_change');
    assert.deepEqual(
      endOneBefore.map((problem) => [problem.cue, problem.value, problem.limit, problem.gapFrames]),
      [[0, 1, 50, 2]],
    );
    assert.equal(
      endOneBefore[0]!.message,
      'An edge is 1 frame from the shot change at frame 50: start on the cut; end on it, 2 frames before it, or further away.',
    );
    const startOff = problems([cue(2.08, 3.5, 'Another line.')], 'near_shot_change');
    assert.deepEqual(
      startOff.map((problem) => [problem.value, problem.limit]),
      [[2, 50]],
    );
    // The gap before the cut is an end's place, not a start's.
    assert.equal(problems([cue(1.92, 3.5, 'Another line.')], 'near_shot_change').length, 1);
  });

  test('an end near a cut snaps to the nearer of the cut and the gap before it', () => {
    const alone = [cue(0.5, 1.5, 'One line.')];
    assert.equal(moveEdge(alone, 0, 'end', 1.95, timing)[0]!.endTime, 1.92);
    assert.equal(moveEdge(alone, 0, 'end', 1.98, timing)[0]!.endTime, 2);
    assert.equal(moveEdge(alone, 0, 'end', 1.95, { ...timing, snapFrames: 0 })[0]!.endTime, 1.96);
    assert.equal(
      moveEdge([cue(2.5, 3, 'Another line.')], 0, 'start', 1.95, timing)[0]!.startTime,
      2,
      'a start: the cut',
    );
  });

  test('a start snapped to the cut the previous cue ends on takes the cut and moves that end back by the gap', () => {
    const track = [cue(0.5, 2, 'One line.'), cue(2.6, 3.5, 'Another line.')];
    for (const dragged of [1.96, 2, 2.06, 2.12]) {
      const moved = moveEdge(track, 1, 'start', dragged, timing);
      assert.deepEqual(
        times(moved),
        [
          [0.5, 1.92],
          [2, 3.5],
        ],
        `dragged to ${dragged} s`,
      );
      assert.deepEqual(problems(moved, 'near_shot_change'), []);
      assert.deepEqual(problems(moved, 'min_gap'), []);
      assert.deepEqual(problems(moved, 'overlap'), []);
    }
    // Stopped the gap after the previous end instead (as it was, and is still with no cut to snap
    // to), the start sits two frames off the cut, where the check flags it.
    const free = moveEdge(track, 1, 'start', 2.08, { ...timing, shotChanges: [] });
    assert.deepEqual(times(free), [
      [0.5, 2],
      [2.08, 3.5],
    ]);
    assert.equal(problems(free, 'near_shot_change').length, 1);
    // The list given is left as it was.
    assert.deepEqual(times(track), [
      [0.5, 2],
      [2.6, 3.5],
    ]);
  });

  test('a whole cue moved, or a new cue made, onto the cut moves the previous end back the same way', () => {
    const track = [cue(0.5, 2, 'One line.'), cue(3, 4, 'Another line.')];
    assert.deepEqual(times(moveCue(track, 1, 2.06, timing)), [
      [0.5, 1.92],
      [2, 3],
    ]);
    const made = createCue([track[0]!], 2.1, 3.28, timing)!;
    assert.deepEqual(times(made.cues), [
      [0.5, 1.92],
      [2, 3.28],
    ]);
  });

  test('an end snapped to a cut the next cue starts within the gap of ends the gap before the cut', () => {
    const before = moveEdge([cue(0.5, 1.5, 'One line.'), cue(1.96, 3, 'Another line.')], 0, 'end', 2.02, timing);
    assert.deepEqual(
      times(before),
      [
        [0.5, 1.92],
        [2, 3],
      ],
      'the next start, a frame before the cut, moves onto it',
    );
    const after = moveEdge([cue(0.5, 1.5, 'One line.'), cue(2.04, 3, 'Another line.')], 0, 'end', 2.02, timing);
    assert.deepEqual(times(after), [
      [0.5, 1.92],
      [2.04, 3],
    ]);
  });

  test('a neighbour that would be left shorter than a frame does not move: the edge stops the gap from it, as before', () => {
    const short = [cue(1.92, 2, 'Oh!'), cue(2.6, 3.5, 'Another line.')];
    assert.deepEqual(times(moveEdge(short, 1, 'start', 2.04, timing)), [
      [1.92, 2],
      [2.08, 3.5],
    ]);
    const shortNext = [cue(0.5, 1.5, 'One line.'), cue(1.96, 1.98, 'Oh!')];
    assert.deepEqual(times(moveEdge(shortNext, 0, 'end', 2.02, timing)), [
      [0.5, 1.88],
      [1.96, 1.98],
    ]);
  });

  test('with snapping off nothing but the dragged edge moves', () => {
    const track = [cue(0.5, 2, 'One line.'), cue(2.6, 3.5, 'Another line.')];
    const free = { ...timing, snapFrames: 0 };
    assert.deepEqual(times(moveEdge(track, 1, 'start', 1.9, free)), [
      [0.5, 2],
      [2, 3.5],
    ]);
    assert.deepEqual(times(moveEdge(track, 1, 'start', 2.05, free)), [
      [0.5, 2],
      [2.04, 3.5],
    ]);
  });
});
