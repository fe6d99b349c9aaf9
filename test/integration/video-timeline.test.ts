import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { decodePeaks, peaksDuration } from '../../src/domain/media/peaks.ts';
import { ffmpegMediaTool } from '../../src/providers/media/ffmpeg.ts';
import type { Services } from '../../src/services/index.ts';
import { VIDEO_TIMELINE } from '../../src/services/video.ts';
import * as mediaPeaks from '../../src/store/migrations/2026-12-06T1640-media-peaks.ts';
import { createCatalog, startTestSite, type TestSite } from '../helpers/app.ts';
import { processVideoJobs, SHOT_CLIP, threeShotClip } from '../helpers/clips.ts';
import { testEngines } from '../helpers/database.ts';

// The processing job's timeline: a generated clip of three solid-colour shots of known lengths
// (cuts at 2.0 s and 3.6 s, frames 50 and 90 at 25 fps) with a tone; its shot changes, its peaks,
// a video without sound, a detection that fails, and the remaking of an older video's timeline.

const scratch = mkdtempSync(path.join(os.tmpdir(), 'storyhub-timeline-'));
const { fps: FPS, cuts: CUTS, seconds: LENGTH } = SHOT_CLIP;

const withSound = threeShotClip(path.join(scratch, 'shots.mp4'));
const silent = threeShotClip(path.join(scratch, 'silent.mp4'), true);

async function process(services: Services, storyId: number) {
  await processVideoJobs(services, [storyId]);
  const states = (await services.video.jobs(storyId)).map((job) => job.state);
  assert.deepEqual(
    states,
    states.map(() => 'done'),
  );
}

after(() => rmSync(scratch, { recursive: true, force: true }));

for (const engine of testEngines()) {
  describe(`the timeline of a processed video (${engine})`, () => {
    let site: TestSite;
    let storyId: number;
    before(async () => {
      site = await startTestSite(engine);
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      const { stories } = await createCatalog(site.services, [{ slug: 'cuts', texts: { en: { title: 'Cuts' } } }]);
      storyId = stories[0]!.id;
    });

    test('finds the shot changes within a frame of the cuts and stores peaks of the video’s length, served with the media', async () => {
      await site.services.video.upload(storyId, createReadStream(withSound), 'shots.mp4');
      await process(site.services, storyId);
      const timeline = (await site.services.video.timeline(storyId))!;
      assert.equal(timeline.frameRate, FPS);
      assert.equal(timeline.shotDetection, 'done');
      assert.equal(timeline.waveform, 'done');
      assert.equal(timeline.shotChanges.length, CUTS.length, JSON.stringify(timeline.shotChanges));
      for (const [i, cut] of CUTS.entries()) {
        assert.ok(Math.abs(timeline.shotChanges[i]!.frame - cut * FPS) <= 1, `cut ${i + 1} at frame ${cut * FPS}`);
        assert.ok(Math.abs(timeline.shotChanges[i]!.time - cut) <= 1 / FPS + 1e-9);
      }
      const response = await site.app.inject({ method: 'GET', url: timeline.peaksUrl! });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['cache-control']), /max-age=31536000/);
      const peaks = decodePeaks(response.rawPayload);
      assert.ok(Math.abs(peaksDuration(peaks) - LENGTH) < 0.1, `peaks last ${peaksDuration(peaks)} s`);
      // 50 windows a second (AAC's encoder delay may add one).
      const windows = peaks.levels[0]!.min.length;
      assert.ok(Math.abs(windows - LENGTH * 50) <= 2, `${windows} windows`);
      assert.equal(peaks.levels[1]!.min.length, Math.ceil(windows / 4));
      // ffmpeg's sine source is at an eighth of full scale: ±16 of ±128 in the middle of the clip.
      const middle = peaks.levels[0]!.max[150]!;
      assert.ok(middle >= 12 && middle <= 17, `peak ${middle}`);
      assert.ok(peaks.levels[0]!.min[150]! <= -12);
    });

    test('a video without sound has no peaks and says so; a shot detection that fails leaves the job done', async () => {
      await site.services.video.upload(storyId, createReadStream(silent), 'silent.mp4');
      await process(site.services, storyId);
      const timeline = (await site.services.video.timeline(storyId))!;
      assert.equal(timeline.waveform, 'no-audio');
      assert.equal(timeline.peaksUrl, null);
      assert.equal(timeline.shotChanges.length, 2);

      // A media tool whose scene detection breaks: the video is still processed.
      const real = ffmpegMediaTool();
      const { createServices } = await import('../../src/services/index.ts');
      const broken = await createServices(site.database, site.app.config, {
        media: { ...real, shotChanges: () => Promise.reject(new Error('scene filter crashed')) },
      });
      await broken.video.upload(storyId, createReadStream(withSound), 'shots.mp4');
      await process(broken, storyId);
      const after = (await broken.video.timeline(storyId))!;
      assert.equal(after.shotDetection, 'failed');
      assert.deepEqual(after.shotChanges, []);
      assert.equal(after.waveform, 'done');
    });

    test('an older video gains its timeline from the job the migration queues, and the old files go', async () => {
      await site.services.video.upload(storyId, createReadStream(withSound), 'shots.mp4');
      await process(site.services, storyId);
      await site.services.repositories.media.removeForStory(storyId, 'timeline');
      // Nor thumbnails, which came later (that migration's role check does not know them).
      await site.services.repositories.media.removeForStory(storyId, 'thumbnail');
      assert.equal(await site.services.video.timeline(storyId), null);
      // As the migration runs on a site whose videos were processed before timelines existed.
      await mediaPeaks.up(site.database.db as never);
      assert.deepEqual(
        (await site.services.video.jobs(storyId)).filter((job) => job.state === 'queued').map((job) => job.kind),
        [VIDEO_TIMELINE],
      );
      await process(site.services, storyId);
      const timeline = (await site.services.video.timeline(storyId))!;
      assert.equal(timeline.shotChanges.length, 2);
      assert.ok(timeline.peaksUrl);
      const after = (await site.services.video.files(storyId)).filter((file) => file.role === 'timeline');
      assert.equal(after.length, 2);
      // Remade again on demand: the files are swapped, the previous ones removed from storage.
      await site.services.video.remakeTimeline(storyId);
      await process(site.services, storyId);
      const remade = (await site.services.video.files(storyId)).filter((file) => file.role === 'timeline');
      assert.equal(remade.length, 2);
      assert.notDeepEqual(
        remade.map((file) => file.storageKey),
        after.map((file) => file.storageKey),
      );
      for (const file of after) assert.equal(await site.services.storage.exists(file.storageKey), false);
    });
  });
}
