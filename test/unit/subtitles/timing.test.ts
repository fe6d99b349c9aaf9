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
    // A cut inside the gap does not pull the edge into it.
    const cutInGap = { ...timing, shotChanges: [2.96] };
    assert.equal(moveEdge(track, 0, 'end', 2.95, cutInGap)[0]!.endTime, 2.92);
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
      'An edge is 2 frames from the shot change at frame 50: put it on the cut, or further away.',
    );
    assert.ok(
      checkCues([cue(2.08, 4, 'Hello')], defaultSubtitleLimits('en'), 'en', 10).every(
        (p) => p.rule !== 'near_shot_change',
      ),
    );
  });
});
