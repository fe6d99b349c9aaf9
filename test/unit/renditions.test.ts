import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  thumbnailSizes,
  posterSecond,
  posterSize,
  renditionsFor,
  scaledSize,
  type Rendition,
} from '../../src/domain/media/renditions.ts';

const labels = (renditions: Rendition[]) => renditions.map((r) => r.label);
const sizes = (renditions: Rendition[]) => renditions.map((r) => `${r.label} ${r.width}x${r.height}`);
const valueAfter = (args: readonly string[], option: string) => args[args.indexOf(option) + 1];

test('a 360p source gets 240p and 360p WebM, 360p MP4 and audio; no 720p', () => {
  const renditions = renditionsFor({ width: 640, height: 360, hasAudio: true });
  assert.deepEqual(sizes(renditions), [
    '240p-webm 426x240',
    '360p-webm 640x360',
    '360p-mp4 640x360',
    'audio-webm nullxnull',
  ]);
  const webm = renditions[1]!;
  assert.equal(webm.mime, 'video/webm');
  assert.equal(valueAfter(webm.args, '-c:v'), 'libvpx-vp9');
  assert.equal(valueAfter(webm.args, '-crf'), '36');
  assert.equal(valueAfter(webm.args, '-c:a'), 'libopus');
  assert.equal(valueAfter(webm.args, '-vf'), 'scale=-2:360');
  const mp4 = renditions[2]!;
  assert.equal(valueAfter(mp4.args, '-c:v'), 'libx264');
  assert.equal(valueAfter(mp4.args, '-profile:v'), 'main');
  assert.equal(valueAfter(mp4.args, '-movflags'), '+faststart');
  assert.equal(valueAfter(mp4.args, '-c:a'), 'aac');
  const audio = renditions[3]!;
  assert.equal(audio.role, 'audio');
  assert.equal(audio.mime, 'audio/webm');
  assert.ok(audio.args.includes('-vn'));
  assert.equal(valueAfter(audio.args, '-b:a'), '32k');
});

test('a 1080p source also gets 720p WebM; a 720p source does not', () => {
  assert.deepEqual(sizes(renditionsFor({ width: 1920, height: 1080, hasAudio: true })), [
    '240p-webm 426x240',
    '360p-webm 640x360',
    '360p-mp4 640x360',
    '720p-webm 1280x720',
    'audio-webm nullxnull',
  ]);
  assert.ok(!labels(renditionsFor({ width: 1280, height: 720, hasAudio: true })).includes('720p-webm'));
});

test('never upscales: a 200p source gets one WebM size, at its own height', () => {
  const renditions = renditionsFor({ width: 356, height: 200, hasAudio: false });
  assert.deepEqual(sizes(renditions), ['200p-webm 356x200', '200p-mp4 356x200']);
  assert.equal(valueAfter(renditions[0]!.args, '-vf'), 'scale=-2:200');
  const between = renditionsFor({ width: 534, height: 300, hasAudio: false });
  assert.deepEqual(labels(between), ['240p-webm', '300p-webm', '300p-mp4']);
});

test('no rendition is larger than its source, and every side is even', () => {
  for (const [width, height] of [
    [640, 360],
    [1920, 1080],
    [3840, 2160],
    [355, 199],
    [1081, 1921],
    [720, 480],
    [100, 100],
    [2, 2],
    [1440, 1080],
  ] as const) {
    for (const rendition of renditionsFor({ width, height, hasAudio: true })) {
      if (rendition.role === 'audio') continue;
      assert.ok(
        rendition.width! <= width + 1 && rendition.height! <= height,
        `${rendition.label} of ${width}x${height}`,
      );
      assert.equal(rendition.width! % 2, 0, `${rendition.label} of ${width}x${height}: even width`);
      assert.equal(rendition.height! % 2, 0, `${rendition.label} of ${width}x${height}: even height`);
    }
  }
});

test('portrait videos are sized by their short side (the width)', () => {
  const renditions = renditionsFor({ width: 1080, height: 1920, hasAudio: true });
  assert.deepEqual(sizes(renditions).slice(0, 4), [
    '240p-webm 240x426',
    '360p-webm 360x640',
    '360p-mp4 360x640',
    '720p-webm 720x1280',
  ]);
  assert.equal(valueAfter(renditions[0]!.args, '-vf'), 'scale=240:-2');
});

test('a silent video gets no audio rendition; labels are unique', () => {
  const renditions = renditionsFor({ width: 640, height: 360, hasAudio: false });
  assert.ok(!renditions.some((r) => r.role === 'audio'));
  assert.equal(new Set(labels(renditions)).size, renditions.length);
});

test('scaledSize rounds like ffmpeg scale=-2 and the poster is at most 720 on its short side', () => {
  assert.deepEqual(scaledSize({ width: 640, height: 360 }, 240), { width: 426, height: 240, filter: 'scale=-2:240' });
  assert.deepEqual(scaledSize({ width: 1000, height: 750 }, 240), { width: 320, height: 240, filter: 'scale=-2:240' });
  assert.deepEqual(posterSize({ width: 1920, height: 1080 }), { width: 1280, height: 720, filter: 'scale=-2:720' });
  assert.deepEqual(posterSize({ width: 640, height: 360 }), { width: 640, height: 360, filter: 'scale=-2:360' });
});

test('the poster frame is a tenth into the video, at most 5 s in', () => {
  assert.equal(posterSecond(2), 0.2);
  assert.equal(posterSecond(600), 5);
  assert.equal(posterSecond(0), 0);
  assert.equal(posterSecond(Number.NaN), 0);
});

test('card thumbnails are 360 and 720 wide by the poster’s aspect, never wider than the poster', () => {
  assert.deepEqual(thumbnailSizes({ width: 1280, height: 720 }), [
    { width: 360, height: 202 },
    { width: 720, height: 406 },
  ]);
  // A portrait poster: tall thumbnails (cards crop them to their box).
  assert.deepEqual(thumbnailSizes({ width: 720, height: 1280 }), [
    { width: 360, height: 640 },
    { width: 720, height: 1280 },
  ]);
  // A small video's poster: one thumbnail at its own width, none upscaled.
  assert.deepEqual(thumbnailSizes({ width: 320, height: 240 }), [{ width: 320, height: 240 }]);
  assert.deepEqual(thumbnailSizes({ width: 640, height: 360 }), [
    { width: 360, height: 202 },
    { width: 640, height: 360 },
  ]);
});
