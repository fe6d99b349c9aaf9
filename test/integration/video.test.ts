import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startWorker } from '../../src/jobs/worker.ts';
import {
  createCatalog,
  createUser,
  csrfFrom,
  multipart,
  signIn,
  startTestSite,
  type TestSite,
} from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'storyhub-video-'));
const clip = path.join(scratch, 'clip.mp4');
execFileSync('ffmpeg', [
  '-v',
  'error',
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
  '-preset',
  'ultrafast',
  '-c:a',
  'aac',
  '-shortest',
  clip,
]);

function filesIn(directory: string): string[] {
  try {
    return readdirSync(directory, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

for (const engine of testEngines()) {
  describe(`video upload and processing (${engine})`, () => {
    let site: TestSite;
    let session: { cookie: string; csrf: string };
    before(async () => {
      site = await startTestSite(engine, { MAX_UPLOAD_BYTES: String(2 * 1024 * 1024) });
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      await createCatalog(site.services, [{ slug: 'filmed', texts: { en: { title: 'A filmed story' } } }]);
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      session = await signIn(site.app, 'Editor');
    });

    async function upload(fileName: string, content: Buffer) {
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/filmed/video',
        headers: { cookie: session.cookie },
      });
      const { payload, contentType } = multipart({}, { field: 'video', name: fileName, content });
      return site.app.inject({
        method: 'POST',
        url: `/en/edit/stories/filmed/video?_csrf=${encodeURIComponent(csrfFrom(page.body))}`,
        headers: { cookie: session.cookie, 'content-type': contentType },
        payload,
      });
    }

    test('an uploaded video gets a poster and renditions in the background; the story page plays them with seeking', async () => {
      const response = await upload('interview.mp4', readFileSync(clip));
      assert.equal(response.statusCode, 303);
      const waiting = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/filmed/video?uploaded=1',
        headers: { cookie: session.cookie },
      });
      assert.match(waiting.body, /Uploaded\. The video is being processed/);
      assert.match(waiting.body, /<progress max="100" value="0"/);
      // It reloads itself while processing: without script by a refresh in <noscript>, with script by
      // the upload script (data-refresh), which waits while an upload is in flight; never a Refresh
      // header, which no script could hold back.
      assert.match(waiting.body, /<noscript><meta http-equiv="refresh" content="3"\/?><\/noscript>/);
      assert.match(waiting.body, /<form [^>]*data-refresh="3"/);
      assert.equal(waiting.headers.refresh, undefined);

      const worker = startWorker({
        jobs: site.services.repositories.jobs,
        handlers: site.services.video.handlers,
        pollMs: 50,
      });
      const deadline = Date.now() + 120_000;
      let state = 'queued';
      while (Date.now() < deadline && state !== 'done' && state !== 'failed') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        state = (await site.services.video.jobs(1))[0]!.state;
      }
      await worker.stop();
      assert.equal(state, 'done');

      const files = await site.services.video.files(1);
      assert.deepEqual(files.map((file) => file.label || file.role).sort(), [
        '240p-webm',
        '360',
        '360p-mp4',
        '360p-webm',
        '640',
        'audio-webm',
        'peaks',
        'poster',
        'source',
        'timeline',
      ]);
      const story = await site.app.inject({ method: 'GET', url: '/en/stories/filmed' });
      assert.match(story.body, /<video id="story-video" class="story-video__player" controls preload="none"/);
      // The poster shown before the video loads: the widest card thumbnail (WebP).
      assert.match(story.body, /poster="\/media\/stories\/1\/\d+-1\/thumbnail-640\.webp"/);
      assert.match(
        story.body,
        /<source src="\/media\/stories\/1\/\d+-1\/360p-webm\.webm" type="video\/webm"\/><source src="[^"]+360p-mp4\.mp4" type="video\/mp4"\/>/,
      );
      const webm = /src="(\/media\/[^"]+360p-webm\.webm)"/.exec(story.body)![1]!;
      const ranged = await site.app.inject({ method: 'GET', url: webm, headers: { range: 'bytes=100-199' } });
      assert.equal(ranged.statusCode, 206);
      assert.match(String(ranged.headers['content-range']), /^bytes 100-199\/\d+$/);
      assert.equal(ranged.rawPayload.length, 100);
      assert.match(String(ranged.headers['cache-control']), /max-age=31536000/);
      assert.equal(ranged.headers['cross-origin-resource-policy'], 'cross-origin', 'other sites may play it');
      const whole = await site.app.inject({ method: 'GET', url: webm });
      assert.equal(whole.headers['content-type'], 'video/webm');
      const size = Number(whole.headers['content-length']);
      assert.equal(whole.rawPayload.length, size);
      const head = await site.app.inject({ method: 'HEAD', url: webm });
      assert.equal(head.statusCode, 200);
      assert.equal(Number(head.headers['content-length']), size);
      assert.equal(head.rawPayload.length, 0);
      const again = await site.app.inject({
        method: 'GET',
        url: webm,
        headers: { 'if-none-match': String(whole.headers.etag) },
      });
      assert.equal(again.statusCode, 304, 'a browser that has it is told so');
      const past = await site.app.inject({ method: 'GET', url: webm, headers: { range: `bytes=${size + 10}-` } });
      assert.equal(past.statusCode, 416);
      assert.equal(past.headers['content-range'], `bytes */${size}`);
      // Only the shape of a stored file's address is served: no other spelling, no way out of the directory.
      for (const other of [
        webm.replace('360p-webm', '360P-WEBM'),
        webm.replace('/360p-webm.webm', '/..%2F..%2F..%2Fsecret'),
        webm.replace('/360p-webm.webm', '/.hidden'),
        '/media/stories/1',
        '/media/',
      ])
        assert.equal((await site.app.inject({ method: 'GET', url: other })).statusCode, 404, other);
      // Saving data, chosen on the page (remembered) or asked for by the browser: the smallest plays first.
      const choose = await site.app.inject({ method: 'GET', url: '/save-data?on=1&to=%2Fen%2Fstories%2Ffilmed' });
      assert.equal(choose.headers.location, '/en/stories/filmed');
      const cookie = String(choose.headers['set-cookie']).split(';')[0]!;
      for (const headers of [{ cookie }, { 'save-data': 'on' }]) {
        const saving = await site.app.inject({ method: 'GET', url: '/en/stories/filmed', headers });
        assert.match(saving.body, /<video[^>]*><source src="[^"]+240p-webm\.webm"/);
        assert.match(saving.body, /Saving data: the smallest version plays first/);
        assert.match(saving.body, /href="[^"]+audio-webm\.webm"/);
      }
      const source = files.find((file) => file.role === 'source')!;
      assert.equal(
        (await site.app.inject({ method: 'GET', url: `/media/${source.storageKey}` })).statusCode,
        404,
        'the original upload is never served',
      );
    });

    test('a file that is not a video, an empty file or a cut-off video is refused with a clear message and nothing is kept', async () => {
      const cases: Array<[string, Buffer]> = [
        ['notes.mp4', Buffer.from('This is a text file with a video name.\n'.repeat(20))],
        ['empty.mp4', Buffer.alloc(0)],
        ['cut.mp4', readFileSync(clip).subarray(0, 2048)],
      ];
      for (const [name, content] of cases) {
        const response = await upload(name, content);
        assert.equal(response.statusCode, 400, name);
        assert.match(response.body, /This file is not a video that can be read/, name);
      }
      assert.deepEqual(filesIn(site.app.config.mediaDir), []);
      assert.deepEqual(await site.services.video.jobs(1), []);
    });

    test('an upload cut off half way is refused and nothing is kept', async () => {
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/filmed/video',
        headers: { cookie: session.cookie },
      });
      const { payload, contentType } = multipart(
        {},
        { field: 'video', name: 'interview.mp4', content: readFileSync(clip) },
      );
      const response = await site.app.inject({
        method: 'POST',
        url: `/en/edit/stories/filmed/video?_csrf=${encodeURIComponent(csrfFrom(page.body))}`,
        headers: { cookie: session.cookie, 'content-type': contentType },
        payload: payload.subarray(0, payload.length / 2),
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /The upload was cut off/);
      assert.deepEqual(filesIn(site.app.config.mediaDir), []);
      assert.deepEqual(await site.services.video.jobs(1), []);
    });

    test('an upload over the size limit is refused with the limit named, and nothing is kept', async () => {
      const response = await upload('huge.mp4', Buffer.alloc(2 * 1024 * 1024 + 10, 1));
      assert.equal(response.statusCode, 413);
      assert.match(response.body, /larger than the limit of 2 MB/);
      assert.deepEqual(filesIn(site.app.config.mediaDir), []);
    });

    test('only editors may upload', async () => {
      await createUser(site.services, 'Translator', [{ role: 'translator', language: 'fr' }]);
      const translator = await signIn(site.app, 'Translator');
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/filmed/video',
        headers: { cookie: translator.cookie },
      });
      assert.equal(page.statusCode, 403);
    });
  });
}

after(() => rmSync(scratch, { recursive: true, force: true }));
