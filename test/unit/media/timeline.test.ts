import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildLevels,
  decodePeaks,
  encodePeaks,
  levelFor,
  peaksBuilder,
  peaksDuration,
} from '../../../src/domain/media/peaks.ts';
import { parseFrameRate, parseShotChanges } from '../../../src/domain/media/shots.ts';

const s16 = (samples: number[]) => {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  samples.forEach((sample, i) => view.setInt16(i * 2, sample, true));
  return bytes;
};

describe('peaks', () => {
  test('min and max per window, from samples split across chunks at any byte', () => {
    const samples = [0, 1000, -2000, 300, 32767, -32768, 256, -256, 5, 5];
    const whole = peaksBuilder(10, 4);
    whole.push(s16(samples));
    const bytes = s16(samples);
    const split = peaksBuilder(10, 4);
    split.push(bytes.subarray(0, 3));
    split.push(bytes.subarray(3, 7));
    split.push(bytes.subarray(7));
    for (const peaks of [whole.finish(), split.finish()]) {
      const finest = peaks.levels[0]!;
      assert.deepEqual([...finest.min], [-2000 >> 8, -32768 >> 8, 5 >> 8]);
      assert.deepEqual([...finest.max], [1000 >> 8, 32767 >> 8, 5 >> 8]);
      assert.equal(finest.windowSeconds, 0.4);
      assert.ok(Math.abs(peaksDuration(peaks) - 1.2) < 1e-9);
    }
  });

  test('coarser levels hold the extremes of four windows below, and a round trip keeps every value', () => {
    const min = Int8Array.from([-1, -5, -2, -3, -128, 0]);
    const max = Int8Array.from([1, 5, 2, 3, 127, 0]);
    const peaks = buildLevels(8000, 160, min, max);
    assert.equal(peaks.levels.length, 4);
    assert.deepEqual([...peaks.levels[1]!.min], [-5, -128]);
    assert.deepEqual([...peaks.levels[1]!.max], [5, 127]);
    assert.deepEqual([...peaks.levels[3]!.max], [127]);
    const decoded = decodePeaks(encodePeaks(peaks));
    assert.equal(decoded.sampleRate, 8000);
    for (const [i, level] of peaks.levels.entries()) {
      assert.deepEqual([...decoded.levels[i]!.min], [...level.min]);
      assert.deepEqual([...decoded.levels[i]!.max], [...level.max]);
      assert.equal(decoded.levels[i]!.windowSamples, level.windowSamples);
    }
    assert.equal(levelFor(decoded, 0.001), decoded.levels[0]);
    assert.equal(levelFor(decoded, 0.1), decoded.levels[1]);
    assert.equal(levelFor(decoded, 10), decoded.levels[3]);
  });

  test('ten minutes of sound make a file of tens of kilobytes', () => {
    const windows = 10 * 60 * 50;
    const bytes = encodePeaks(buildLevels(8000, 160, new Int8Array(windows), new Int8Array(windows)));
    assert.ok(bytes.length > 10_000 && bytes.length < 100_000, `${bytes.length} bytes`);
  });

  test('a file that is not peaks, of an unknown version or cut short is refused with what is wrong', () => {
    const good = encodePeaks(buildLevels(8000, 160, new Int8Array(40), new Int8Array(40)));
    assert.throws(() => decodePeaks(new TextEncoder().encode('WEBVTT\n\n')), /not a peaks file/);
    const version = good.slice();
    version[4] = 9;
    assert.throws(() => decodePeaks(version), /version 9/);
    assert.throws(() => decodePeaks(good.subarray(0, 20)), /cut short in its header/);
    assert.throws(() => decodePeaks(good.subarray(0, good.length - 1)), /cut short: \d+ of \d+ bytes/);
    assert.throws(() => decodePeaks(new Uint8Array(0)), /not a peaks file/);
  });
});

describe('shot changes', () => {
  test('read from metadata=print output, numbered in frames of the video, each once and in order', () => {
    const output = [
      'frame:0    pts:46080   pts_time:3.6',
      'lavfi.scene_score=0.400000',
      'frame:1    pts:25600   pts_time:2',
      'lavfi.scene_score=1.000000',
      'frame:2    pts:25610   pts_time:2.0004',
      'lavfi.scene_score=0.900000',
      'frame:3    pts:0   pts_time:0',
      'garbage pts_time:nan',
      '',
    ].join('\n');
    assert.deepEqual(parseShotChanges(output, 25), [
      { time: 2, frame: 50 },
      { time: 3.6, frame: 90 },
    ]);
    assert.deepEqual(parseShotChanges('', 25), []);
    const ntsc = parseShotChanges('frame:0 pts:1 pts_time:1.001', 30000 / 1001);
    assert.equal(ntsc[0]!.frame, 30);
  });

  test('frame rates from ffprobe fractions; missing or absurd ones are null', () => {
    assert.equal(parseFrameRate('25/1'), 25);
    assert.ok(Math.abs(parseFrameRate('30000/1001')! - 29.97) < 0.001);
    assert.equal(parseFrameRate('0/0'), null);
    assert.equal(parseFrameRate(undefined), null);
    assert.equal(parseFrameRate('90000/1'), null);
  });
});
