import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultCueSettings, type Cue } from '../../src/domain/subtitles/index.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Burned-in subtitle exports with the real ffmpeg and libass: the MP4 is H.264/AAC of the video's
// length, and white text is drawn in the lower part of the picture exactly while a cue is on.

const work = mkdtempSync(path.join(tmpdir(), 'storyhub-burn-test-'));
const clip = path.join(work, 'clip.mp4');
execFileSync('ffmpeg', [
  '-v',
  'error',
  '-f',
  'lavfi',
  '-i',
  'color=c=0x3050a0:s=640x360:r=25:d=4',
  '-f',
  'lavfi',
  '-i',
  'sine=frequency=440:duration=4',
  '-c:v',
  'libx264',
  '-pix_fmt',
  'yuv420p',
  '-c:a',
  'aac',
  '-shortest',
  clip,
]);
const cue = (startTime: number, endTime: number, text: string): Cue => ({
  id: '',
  startTime,
  endTime,
  text,
  settings: defaultCueSettings(),
});

/** Near-white pixels of the frame at `seconds` in its lower third (the subtitle area); the background is a mid blue. */
function brightPixelsBelow(file: string, seconds: number): number {
  const frame = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-ss',
    String(seconds),
    '-i',
    file,
    '-frames:v',
    '1',
    '-vf',
    'scale=640:360,format=gray',
    '-f',
    'rawvideo',
    'pipe:1',
  ]);
  let bright = 0;
  for (let i = 240 * 640; i < frame.length; i++) if (frame[i]! > 180) bright++;
  return bright;
}

for (const engine of testEngines()) {
  describe(`burned-in subtitle exports (${engine})`, () => {
    let site: TestSite;
    let storyId: number;
    before(async () => {
      site = await startTestSite(engine);
      await createCatalog(site.services, [
        { slug: 'river', texts: { en: { title: 'River' } } },
        { slug: 'silent', texts: { en: { title: 'No video' } } },
      ]);
      storyId = (await site.services.repositories.stories.findBySlug('river'))!.id;
      const editor = await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      await createUser(site.services, 'ArabicTranslator', [{ role: 'translator', language: 'ar' }]);
      await createUser(site.services, 'ArabicReviewer', [{ role: 'reviewer', language: 'ar' }]);
      await site.services.video.upload(storyId, createReadStream(clip), 'clip.mp4');
      for (const [language, text] of [
        ['ar', 'مرحبا بكم في قصة النهر'],
        ['ja', '川の学校は夜明けに開きます'],
      ] as const) {
        await site.services.subtitles.save({
          storyId,
          language,
          baseRevision: 0,
          cues: [cue(0.5, 2.5, text)],
          userId: editor.id,
        });
      }
    });
    after(async () => {
      await site.close();
    });

    async function runJobs() {
      const worker = startWorker({
        jobs: site.services.repositories.jobs,
        handlers: site.services.jobHandlers,
        pollMs: 50,
      });
      const deadline = Date.now() + 240_000;
      while (
        Date.now() < deadline &&
        !(await site.services.video.jobs(storyId)).every((job) => job.state === 'done' || job.state === 'failed')
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await worker.stop();
    }

    test('an editor asks for Arabic and Japanese MP4s; libass draws each language’s text only while its cue is on', async () => {
      await runJobs();
      const session = await signIn(site.app, 'Editor');
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/river/video',
        headers: { cookie: session.cookie },
      });
      for (const language of ['ar', 'ja']) {
        const asked = await site.app.inject(
          form(`/en/edit/stories/river/subtitles/${language}/burn-in`, { _csrf: csrfFrom(page.body) }, session.cookie),
        );
        assert.equal(asked.statusCode, 303);
        assert.match(String(asked.headers.location), /burnIn=queued/);
      }
      const queued = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/river/video?burnIn=queued&track=ar',
        headers: { cookie: session.cookie },
      });
      assert.match(queued.body, /The MP4 with the subtitles in .*العربية.* is being made/);
      assert.match(queued.body, /Burning in subtitles \(ar\)/);
      await runJobs();
      const jobs = await site.services.video.jobs(storyId);
      assert.deepEqual(
        jobs.filter((job) => job.kind === 'burn-in').map((job) => [job.state, job.error]),
        [
          ['done', null],
          ['done', null],
        ],
      );

      for (const language of ['ar', 'ja']) {
        const made = (await site.services.burnIn.exports(storyId)).find((file) => file.label === language)!;
        const file = site.services.storage.path(made.storageKey);
        const probe = JSON.parse(
          execFileSync('ffprobe', [
            '-v',
            'error',
            '-show_entries',
            'stream=codec_name:format=duration',
            '-of',
            'json',
            file,
          ]).toString(),
        );
        assert.deepEqual(probe.streams.map((s: { codec_name: string }) => s.codec_name).sort(), ['aac', 'h264']);
        assert.ok(Math.abs(Number(probe.format.duration) - 4) < 0.2, `${language}: ${probe.format.duration} s`);
        assert.ok(
          brightPixelsBelow(file, 1.5) > 100,
          `${language}: text drawn while the cue is on (${brightPixelsBelow(file, 1.5)} bright pixels)`,
        );
        assert.ok(
          brightPixelsBelow(file, 3.5) < 20,
          `${language}: nothing drawn after the cue (${brightPixelsBelow(file, 3.5)})`,
        );
        assert.ok(brightPixelsBelow(clip, 1.5) < 20, 'the source has no bright pixels there');
      }

      const download = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/river/exports/ar.mp4',
        headers: { cookie: session.cookie },
      });
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'video/mp4');
      assert.match(String(download.headers['content-disposition']), /attachment; filename="river-ar.mp4"/);
      const videoPage = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/river/video',
        headers: { cookie: session.cookie },
      });
      assert.match(videoPage.body, /href="\/en\/edit\/stories\/river\/exports\/ar\.mp4"/);
    });

    test('rights, missing video and missing exports get clear answers', async () => {
      const reviewer = await signIn(site.app, 'ArabicReviewer');
      const translator = await signIn(site.app, 'ArabicTranslator');
      assert.equal(
        (
          await site.app.inject({
            method: 'GET',
            url: '/en/edit/stories/river/exports/ar.mp4',
            headers: { cookie: translator.cookie },
          })
        ).statusCode,
        403,
      );
      assert.equal(
        (await site.app.inject({ method: 'GET', url: '/en/edit/stories/river/exports/ar.mp4' })).statusCode,
        401,
      );
      assert.equal(
        (
          await site.app.inject({
            method: 'GET',
            url: '/en/edit/stories/river/exports/fr.mp4',
            headers: { cookie: reviewer.cookie },
          })
        ).statusCode,
        403,
        'an Arabic reviewer has no French rights',
      );
      const trackPage = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/river/subtitles/ar',
        headers: { cookie: reviewer.cookie },
      });
      const asked = await site.app.inject(
        form('/en/edit/stories/river/subtitles/ar/burn-in', { _csrf: csrfFrom(trackPage.body) }, reviewer.cookie),
      );
      assert.equal(asked.statusCode, 303, 'a reviewer of the language may ask for one');
      const editor = await signIn(site.app, 'Editor');
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/silent/video',
        headers: { cookie: editor.cookie },
      });
      const silent = await site.app.inject(
        form('/en/edit/stories/silent/subtitles/ar/burn-in', { _csrf: csrfFrom(page.body) }, editor.cookie),
      );
      assert.match(String(silent.headers.location), /burnIn=no_track/);
      assert.equal(
        (
          await site.app.inject({
            method: 'GET',
            url: '/en/edit/stories/river/exports/fr.mp4',
            headers: { cookie: editor.cookie },
          })
        ).statusCode,
        404,
      );
      assert.equal(
        (
          await site.app.inject({
            method: 'GET',
            url: '/en/edit/stories/river/exports/../../etc.mp4',
            headers: { cookie: editor.cookie },
          })
        ).statusCode,
        404,
      );
    });
  });
}

process.on('exit', () => rmSync(work, { recursive: true, force: true }));
