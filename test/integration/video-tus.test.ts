import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createCatalog, createUser, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';
import { processVideoJobs, threeShotClip } from '../helpers/clips.ts';

// The tus protocol spoken with plain requests, as any tus client would.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'storyhub-tus-'));
const clip = readFileSync(threeShotClip(path.join(scratch, 'clip.mp4')));
after(() => rmSync(scratch, { recursive: true, force: true }));

const TUS = { 'tus-resumable': '1.0.0' };
const metadata = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');

for (const engine of testEngines()) {
  describe(`resumable video uploads over tus (${engine})`, () => {
    let site: TestSite;
    let session: { cookie: string; csrf: string };
    before(async () => {
      site = await startTestSite(engine, { MAX_UPLOAD_BYTES: String(1024 * 1024) });
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

    function create(
      length: number,
      options: { app?: FastifyInstance; cookie?: string; csrf?: string; story?: string } = {},
    ) {
      return (options.app ?? site.app).inject({
        method: 'POST',
        url: '/uploads/video',
        headers: {
          ...TUS,
          cookie: options.cookie ?? session.cookie,
          'csrf-token': options.csrf ?? session.csrf,
          'upload-length': String(length),
          'upload-metadata': metadata({ story: options.story ?? 'filmed', filename: 'interview.mp4' }),
        },
      });
    }
    function patch(location: string, offset: number, chunk: Buffer, app = site.app, cookie = session.cookie) {
      return app.inject({
        method: 'PATCH',
        url: location,
        headers: { ...TUS, cookie, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        payload: chunk,
      });
    }
    function head(location: string, app = site.app, cookie = session.cookie) {
      return app.inject({ method: 'HEAD', url: location, headers: { ...TUS, cookie } });
    }
    const partialUploads = (app: FastifyInstance) => {
      const directory = path.join(app.config.mediaDir, 'uploads');
      return existsSync(directory) ? readdirSync(directory) : [];
    };

    test('an upload sent in chunks, its offset asked in between, becomes the story video like a form upload', async () => {
      const created = await create(clip.length);
      assert.equal(created.statusCode, 201, created.body);
      const location = created.headers.location as string;
      assert.match(location, /^\/uploads\/video\/[0-9a-f]+$/);
      const half = Math.floor(clip.length / 2);
      const first = await patch(location, 0, clip.subarray(0, half));
      assert.equal(first.statusCode, 204);
      assert.equal(first.headers['upload-offset'], String(half));
      const offset = await head(location);
      assert.equal(offset.statusCode, 200);
      assert.equal(offset.headers['upload-offset'], String(half));
      assert.equal(offset.headers['upload-length'], String(clip.length));

      const forged = await patch(location, half + 100, clip.subarray(half + 100));
      assert.equal(forged.statusCode, 409, 'an offset that is not the one stored is refused');
      assert.equal((await head(location)).headers['upload-offset'], String(half), 'nothing was written');

      const last = await patch(location, half, clip.subarray(half));
      assert.equal(last.statusCode, 204, last.body);
      const [job] = await site.services.video.jobs(1);
      assert.equal(job?.kind, 'process-video');
      assert.equal(job?.state, 'queued');
      const sourceKey = (job?.payload as { sourceKey: string }).sourceKey;
      assert.match(sourceKey, /^stories\/1\/source-[0-9a-f]+\.mp4$/);
      assert.deepEqual(readFileSync(path.join(site.app.config.mediaDir, sourceKey)), clip, 'the same bytes');
      assert.deepEqual(partialUploads(site.app), [], 'the tus copy is removed');
      assert.equal((await head(location)).statusCode, 404);

      await processVideoJobs(site.services, [1]);
      assert.equal((await site.services.video.jobs(1))[0]?.state, 'done');
      const files = await site.services.video.files(1);
      const made = files.map((file) => file.label || file.role);
      for (const kind of ['poster', 'source', 'peaks']) assert.ok(made.includes(kind), kind);
      assert.ok(
        files.some((file) => file.mime.startsWith('video/')),
        'a rendition',
      );
    });

    test('after a server restart between chunks the upload resumes where it was', async () => {
      const created = await create(clip.length);
      const location = created.headers.location as string;
      const half = Math.floor(clip.length / 2);
      assert.equal((await patch(location, 0, clip.subarray(0, half))).statusCode, 204);
      const restarted = await buildApp(site.app.config, site.services);
      try {
        await restarted.ready();
        const offset = await head(location, restarted);
        assert.equal(offset.headers['upload-offset'], String(half));
        assert.equal((await patch(location, half, clip.subarray(half), restarted)).statusCode, 204);
      } finally {
        await restarted.close();
      }
      const [job] = await site.services.video.jobs(1);
      assert.deepEqual(
        readFileSync(path.join(site.app.config.mediaDir, (job!.payload as { sourceKey: string }).sourceKey)),
        clip,
      );
    });

    test('a file larger than the limit is refused with 413 before a byte is sent', async () => {
      const response = await create(1024 * 1024 + 1);
      assert.equal(response.statusCode, 413);
      assert.deepEqual(partialUploads(site.app), []);
    });

    test('a finished upload that is not a video is refused, and nothing is kept', async () => {
      const text = Buffer.from('not a video at all\n'.repeat(100));
      const location = (await create(text.length)).headers.location as string;
      const response = await patch(location, 0, text);
      assert.equal(response.statusCode, 422);
      assert.match(response.body, /not_a_video/);
      assert.deepEqual(await site.services.video.jobs(1), []);
      assert.deepEqual(partialUploads(site.app), []);
      assert.equal(
        existsSync(path.join(site.app.config.mediaDir, 'stories'))
          ? readdirSync(path.join(site.app.config.mediaDir, 'stories'), { recursive: true }).filter((name) =>
              String(name).includes('source'),
            ).length
          : 0,
        0,
      );
    });

    test('a partial upload left for more than a day is removed, and one still going is kept', async () => {
      const abandoned = (await create(clip.length)).headers.location as string;
      const recent = (await create(clip.length)).headers.location as string;
      const info = path.join(site.app.config.mediaDir, 'uploads', `${abandoned.split('/').pop()}.json`);
      const stored = JSON.parse(readFileSync(info, 'utf8')) as { creation_date: string };
      stored.creation_date = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString();
      writeFileSync(info, JSON.stringify(stored));
      const restarted = await buildApp(site.app.config, site.services);
      try {
        await restarted.ready();
        assert.equal((await head(abandoned, restarted)).statusCode, 404);
        assert.equal((await head(recent, restarted)).statusCode, 200);
      } finally {
        await restarted.close();
      }
    });

    test('only a signed-in editor, with the CSRF token, for an existing story, may create; only its creator continues', async () => {
      const anonymous = await create(clip.length, { cookie: '', csrf: '' });
      assert.equal(anonymous.statusCode, 403);
      const noToken = await create(clip.length, { csrf: '' });
      assert.equal(noToken.statusCode, 403);
      const unknownStory = await create(clip.length, { story: 'nowhere' });
      assert.equal(unknownStory.statusCode, 403);
      await createUser(site.services, 'Reader');
      const reader = await signIn(site.app, 'Reader');
      assert.equal((await create(clip.length, reader)).statusCode, 403);

      const location = (await create(clip.length)).headers.location as string;
      assert.equal((await patch(location, 0, clip, site.app, '')).statusCode, 403, 'not signed in');
      await createUser(site.services, 'Colleague', [{ role: 'editor' }]);
      const other = await signIn(site.app, 'Colleague');
      assert.equal((await head(location, site.app, other.cookie)).statusCode, 404, "another editor's upload");
      assert.equal((await patch(location, 0, clip, site.app, other.cookie)).statusCode, 404);
      assert.equal((await head(location)).headers['upload-offset'], '0');
    });
  });
}
