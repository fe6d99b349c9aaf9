import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { notAVideo } from '../../src/errors.ts';
import type { MediaTool } from '../../src/providers/media/media.ts';
import { createServices } from '../../src/services/index.ts';
import { createCatalog } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

// Services take their providers as parameters: the video service with a fake media tool, which
// decides what is a video without ffmpeg (the tests of video.test.ts use the real one).

test('the video service checks an upload with the media tool it is given', async () => {
  const mediaDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-fake-media-'));
  const seen: string[] = [];
  const media: MediaTool = {
    async probe(file) {
      seen.push(path.basename(file));
      if (file.endsWith('.txt')) throw notAVideo('text');
      return {
        duration: 12,
        width: 1280,
        height: 720,
        videoCodec: 'h264',
        audioCodec: 'aac',
        hasVideo: true,
        hasAudio: true,
      };
    },
    poster: () => Promise.reject(new Error('not asked for here')),
    thumbnail: () => Promise.reject(new Error('not asked for here')),
    transcode: () => Promise.reject(new Error('not asked for here')),
    peaks: () => Promise.reject(new Error('not asked for here')),
    shotChanges: () => Promise.reject(new Error('not asked for here')),
  };
  const database = await createTestDatabase('embedded');
  try {
    const services = await createServices(database, loadConfig({ MEDIA_DIR: mediaDir }), { media });
    const { stories } = await createCatalog(services, [{ slug: 'filmed', texts: { en: { title: 'Filmed' } } }]);
    const storyId = stories[0]!.id;
    await assert.rejects(services.video.upload(storyId, Readable.from([Buffer.from('not a video')]), 'notes.txt'), {
      code: 'not_a_video',
    });
    const job = await services.video.upload(storyId, Readable.from([Buffer.from('pretend video bytes')]), 'clip.mp4');
    assert.equal(job.kind, 'process-video');
    assert.deepEqual((job.payload as { probe: { width: number; height: number } }).probe, {
      duration: 12,
      width: 1280,
      height: 720,
      videoCodec: 'h264',
      audioCodec: 'aac',
      hasVideo: true,
      hasAudio: true,
    });
    assert.equal(seen.length, 2, 'both uploads went to the fake tool');
    const kept = readdirSync(path.join(mediaDir, 'stories', String(storyId)));
    assert.equal(kept.length, 1, 'the refused upload was removed, the video kept');
    assert.ok(kept[0]!.endsWith('.mp4'));
  } finally {
    await database.close();
    if (existsSync(mediaDir)) rmSync(mediaDir, { recursive: true, force: true });
  }
});
