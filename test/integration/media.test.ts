import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { renditionsFor, type Rendition } from '../../src/domain/media/renditions.ts';
import { AppError } from '../../src/errors.ts';
import { ffmpegMediaTool } from '../../src/providers/media/ffmpeg.ts';
import { localFileStorage } from '../../src/providers/storage/local.ts';

const isCode = (code: string) => (error: unknown) => {
  assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
  assert.equal(error.code, code);
  return true;
};

describe('media tool (ffmpeg)', () => {
  const media = ffmpegMediaTool();
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  let clip: string;
  let renditions: Rendition[];
  const rendition = (label: string) => renditions.find((r) => r.label === label)!;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-media-'));
    clip = file('clip.mp4');
    const made = spawnSync(
      'ffmpeg',
      [
        '-v',
        'error',
        '-nostdin',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=640x360:rate=25',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440',
        '-t',
        '2',
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        clip,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);
    renditions = renditionsFor(await media.probe(clip));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('probes a generated clip', async () => {
    const probe = await media.probe(clip);
    assert.ok(Math.abs(probe.duration - 2) < 0.1, `duration ${probe.duration}`);
    assert.equal(probe.width, 640);
    assert.equal(probe.height, 360);
    assert.equal(probe.videoCodec, 'h264');
    assert.equal(probe.audioCodec, 'aac');
    assert.equal(probe.hasVideo, true);
    assert.equal(probe.hasAudio, true);
  });

  test('refuses files that are not video with not_a_video, never crashing', async () => {
    writeFileSync(file('notes.mp4'), 'These are meeting notes, not a video.\n'.repeat(20));
    writeFileSync(file('empty.mp4'), '');
    writeFileSync(file('truncated.mp4'), readFileSync(clip).subarray(0, 2048));
    const still = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240',
      '-frames:v',
      '1',
      file('still.png'),
    ]);
    assert.equal(still.status, 0);
    for (const name of ['notes.mp4', 'empty.mp4', 'truncated.mp4', 'still.png', 'missing.mp4']) {
      await assert.rejects(
        media.probe(file(name)),
        (error: unknown) => {
          isCode('not_a_video')(error);
          const appError = error as AppError;
          assert.equal(appError.status, 400);
          assert.equal(appError.message, 'ffprobe found no video stream in this file');
          assert.ok(
            !JSON.stringify(appError.details).includes(dir),
            `${name}: no server path in ${JSON.stringify(appError.details)}`,
          );
          return true;
        },
        name,
      );
    }
  });

  test('transcodes to 240p WebM with rising progress up to 100', async (t) => {
    const out = file('240p.webm');
    const seen: number[] = [];
    const started = performance.now();
    await media.transcode(clip, out, rendition('240p-webm'), (percent) => {
      seen.push(percent);
    });
    t.diagnostic(`240p WebM of a 2 s clip: ${(2000 / (performance.now() - started)).toFixed(1)}× real time`);
    assert.equal(seen.at(-1), 100);
    assert.ok(seen.length >= 2, `progress reported more than once: ${seen.join(', ')}`);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
      'never goes back',
    );
    const probe = await media.probe(out);
    assert.equal(probe.videoCodec, 'vp9');
    assert.equal(probe.audioCodec, 'opus');
    assert.equal(probe.height, 240);
    assert.equal(probe.width, 426);
    assert.equal(probe.width, rendition('240p-webm').width);
    assert.ok(Math.abs(probe.duration - 2) < 0.15);
  });

  test('transcodes to 360p MP4 and audio-only Opus', async (t) => {
    const started = performance.now();
    await media.transcode(clip, file('360p.webm'), rendition('360p-webm'), () => {});
    t.diagnostic(`360p WebM of a 2 s clip: ${(2000 / (performance.now() - started)).toFixed(1)}× real time`);
    await media.transcode(clip, file('360p.mp4'), rendition('360p-mp4'), () => {});
    const mp4 = await media.probe(file('360p.mp4'));
    assert.deepEqual([mp4.videoCodec, mp4.audioCodec, mp4.width, mp4.height], ['h264', 'aac', 640, 360]);
    await media.transcode(clip, file('audio.webm'), rendition('audio-webm'), () => {});
    const audio = spawnSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file('audio.webm')], {
      encoding: 'utf8',
    });
    const streams = (JSON.parse(audio.stdout) as { streams: Array<{ codec_type: string; codec_name: string }> })
      .streams;
    assert.deepEqual(
      streams.map((s) => `${s.codec_type}:${s.codec_name}`),
      ['audio:opus'],
    );
  });

  test('an aborted transcode kills ffmpeg and leaves no output', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the test'));
    const out = file('aborted.webm');
    await assert.rejects(
      media.transcode(clip, out, rendition('360p-webm'), () => {}, { signal: controller.signal }),
      /stopped by the test/,
    );
    assert.equal(existsSync(out), false);
    const late = new AbortController();
    setTimeout(() => late.abort(new Error('stopped while running')), 30);
    await assert.rejects(
      media.transcode(clip, out, rendition('360p-webm'), () => {}, { durationSeconds: 2, signal: late.signal }),
      /stopped while running/,
    );
    assert.equal(existsSync(out), false, 'the partial output is removed');
  });

  test('the poster is a JPEG of the video frame size', async () => {
    const out = file('poster.jpg');
    assert.deepEqual(await media.poster(clip, out, 0.2), { width: 640, height: 360 });
    const bytes = readFileSync(out);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG magic number');
    assert.deepEqual(
      await media.poster(clip, file('late.jpg'), 60),
      { width: 640, height: 360 },
      'a time past the end is clamped',
    );
    assert.ok(readFileSync(file('late.jpg')).length > 0);
  });
});

describe('local file storage', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-storage-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const filesIn = (root: string) =>
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);

  test('puts, reads ranges, and removes', async () => {
    const storage = localFileStorage(dir);
    assert.deepEqual(
      await storage.put('stories/1/source.mp4', Readable.from([Buffer.from('0123456789')]), { maxBytes: 10 }),
      { bytes: 10 },
    );
    assert.equal(await storage.exists('stories/1/source.mp4'), true);
    assert.equal(await text(storage.open('stories/1/source.mp4', { start: 2, end: 4 })), '234');
    assert.equal(await text(storage.open('stories/1/source.mp4')), '0123456789');
    assert.equal(storage.path('stories/1/source.mp4'), path.join(dir, 'stories', '1', 'source.mp4'));
    await storage.remove('stories/1/source.mp4');
    await storage.remove('stories/1/source.mp4');
    assert.equal(await storage.exists('stories/1/source.mp4'), false);
  });

  test('a file over maxBytes, or a failing upload, leaves nothing behind', async () => {
    const storage = localFileStorage(dir);
    const big = Readable.from(
      (function* () {
        for (let i = 0; i < 100; i++) yield Buffer.alloc(64 * 1024, i);
      })(),
    );
    await assert.rejects(storage.put('stories/2/big.mp4', big, { maxBytes: 1024 * 1024 }), (error: unknown) => {
      isCode('too_large')(error);
      assert.equal((error as AppError).status, 413);
      return true;
    });
    const broken = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error('connection reset'));
      },
    });
    await assert.rejects(storage.put('stories/2/broken.mp4', broken, { maxBytes: 1e6 }), /connection reset/);
    assert.equal(await storage.exists('stories/2/big.mp4'), false);
    assert.deepEqual(filesIn(dir), [], 'no temporary files either');
  });

  test('refuses keys that could leave the directory', async () => {
    const storage = localFileStorage(dir);
    for (const key of [
      '../escape.mp4',
      'a/../../b',
      '/etc/passwd',
      '.hidden',
      'a//b',
      'a\\b',
      '',
      'a/./b',
      'stories/1/',
    ]) {
      assert.throws(() => storage.path(key), isCode('invalid_storage_key'), key);
      await assert.rejects(
        storage.put(key, Readable.from(['x']), { maxBytes: 10 }),
        isCode('invalid_storage_key'),
        key,
      );
      await assert.rejects(storage.exists(key), isCode('invalid_storage_key'), key);
    }
    assert.deepEqual(
      filesIn(path.dirname(dir)).filter((name) => name === 'escape.mp4'),
      [],
    );
  });
});
