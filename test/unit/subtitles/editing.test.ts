import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCueSettings, type Cue } from '../../../src/domain/subtitles/index.ts';
import {
  cueAt,
  formatCueTime,
  insertCueAfter,
  mergeWithNext,
  pairWithSource,
  parseCueTime,
  removeCue,
  setCueTime,
  shiftCues,
  splitCue,
  translatedPercent,
  translationFrom,
} from '../../../src/domain/subtitles/editing.ts';

const cue = (startTime: number, endTime: number, text: string, id = ''): Cue => ({
  id,
  startTime,
  endTime,
  text,
  settings: defaultCueSettings(),
});
const track = () => [cue(1, 4, 'Hello there, my friends', 'a'), cue(5, 7, 'Second line'), cue(8, 9.5, 'Third')];
const times = (cues: Cue[]) => cues.map((c) => [c.startTime, c.endTime]);

test('split at the caret divides the text, and the time at the playing position when it is inside the cue', () => {
  const cues = track();
  const split = splitCue(cues, 0, 12, 2.25);
  assert.deepEqual(
    split.map((c) => c.text),
    ['Hello there,', 'my friends', 'Second line', 'Third'],
  );
  assert.deepEqual(times(split).slice(0, 2), [
    [1, 2.25],
    [2.25, 4],
  ]);
  assert.equal(split[0]!.id, 'a');
  assert.equal(split[1]!.id, '');
  assert.equal(cues.length, 3, 'the list given is left alone');
});

test('split with the video elsewhere divides the time in proportion to the text', () => {
  const split = splitCue([cue(0, 10, 'abcdefghij')], 0, 3, 20);
  assert.deepEqual(times(split), [
    [0, 3],
    [3, 10],
  ]);
  assert.deepEqual(
    split.map((c) => c.text),
    ['abc', 'defghij'],
  );
});

test('merge joins a cue and the next on two lines, from the earlier start to the later end', () => {
  const merged = mergeWithNext(track(), 0);
  assert.equal(merged.length, 2);
  assert.deepEqual(merged[0], { ...track()[0]!, endTime: 7, text: 'Hello there, my friends\nSecond line' });
  assert.deepEqual(mergeWithNext(track(), 2), track(), 'the last cue has nothing to merge with');
});

test('insert fits a new cue into the gap after a cue; remove takes one out', () => {
  const inserted = insertCueAfter(track(), 0);
  assert.deepEqual(times(inserted), [
    [1, 4],
    [4, 5],
    [5, 7],
    [8, 9.5],
  ]);
  assert.equal(inserted[1]!.text, '');
  assert.deepEqual(times(insertCueAfter(track(), 2)).at(-1), [9.5, 11.5]);
  assert.deepEqual(times(insertCueAfter([], -1)), [[0, 2]]);
  assert.deepEqual(
    removeCue(track(), 1).map((c) => c.text),
    ['Hello there, my friends', 'Third'],
  );
});

test('shift moves a range and never before zero, keeping lengths', () => {
  assert.deepEqual(times(shiftCues(track(), 1, 2, 0.5)), [
    [1, 4],
    [5.5, 7.5],
    [8.5, 10],
  ]);
  assert.deepEqual(times(shiftCues(track(), 0, 2, -3)), [
    [0, 3],
    [4, 6],
    [7, 8.5],
  ]);
});

test('setting start or end from the video keeps the cue the right way round', () => {
  assert.deepEqual(times(setCueTime(track(), 0, 'start', 2)).at(0), [2, 4]);
  assert.deepEqual(times(setCueTime(track(), 0, 'start', 6)).at(0), [6, 9], 'a start past the end keeps the length');
  assert.deepEqual(
    times(setCueTime(track(), 0, 'end', 0.5)).at(0),
    [1, 1.1],
    'an end before the start stays just after it',
  );
  assert.deepEqual(times(setCueTime(track(), 0, 'end', 3.3333)).at(0), [1, 3.333]);
});

test('the cue at a time, translation start and progress', () => {
  assert.equal(cueAt(track(), 5.5), 1);
  assert.equal(cueAt(track(), 4.5), -1);
  const started = translationFrom(track());
  assert.deepEqual(times(started), times(track()));
  assert.ok(started.every((c) => c.text === ''));
  assert.equal(translatedPercent(started), 0);
  started[0] = { ...started[0]!, text: 'مرحبا' };
  assert.equal(translatedPercent(started), 33);
  assert.equal(translatedPercent([]), 0, 'an empty track is not translated, as the server counts it');
});

test('times are written and read back as people type them', () => {
  assert.equal(formatCueTime(62.5), '1:02.500');
  assert.equal(formatCueTime(3723.04), '1:02:03.040');
  assert.equal(parseCueTime('1:02.5'), 62.5);
  assert.equal(parseCueTime('0:01:02,500'), 62.5);
  assert.equal(parseCueTime('62.5'), 62.5);
  assert.equal(parseCueTime(formatCueTime(3723.04)), 3723.04);
  assert.equal(parseCueTime('1:75.0'), null);
  assert.equal(parseCueTime('soon'), null);
});

test('a translated cue stays paired with the source cue it overlaps most, also after a split', () => {
  const source = track();
  const target = splitCue(translationFrom(source), 0, 0, 2);
  const pairs = pairWithSource(target, source);
  assert.deepEqual(
    pairs.map((c) => c?.text),
    ['Hello there, my friends', 'Hello there, my friends', 'Second line', 'Third'],
  );
  assert.deepEqual(pairWithSource([cue(20, 21, 'x')], source), [null]);
});
