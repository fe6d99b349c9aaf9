import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parseStoryMarkup } from '../../src/domain/stories/markup.ts';
import { AppError } from '../../src/errors.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { createUser, csrfFrom, multipart, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';
import { celebrationAt, MONTH, runCycleToAnnouncement } from '../helpers/celebration.ts';

// The announcement on every engine: the honoree's story made once by the phase job (and again by
// nobody), in the celebration theme, published, its typed parts escaped; the archive by month with
// its GET filters; the honoree's photo checked by content, stored, credited on the story page.
// New messages may still render as their keys here: nothing below depends on their English.

/** A PNG's first bytes: its signature and an IHDR of 4 × 3 pixels (enough for a type check). */
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 4, 0, 0, 0, 3, 8, 2, 0, 0, 0]),
  Buffer.alloc(64, 1),
]);

for (const engine of testEngines()) {
  describe(`the celebration's announcement (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine);
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
    });

    test('the phase job publishes the honoree story once, in the celebration theme, with escaped text', async () => {
      const run = celebrationAt(site.services);
      const { cycle, amani } = await runCycleToAnnouncement(site.services, run);
      const storyId = await site.services.repositories.celebrationAnnouncements.storyOf(cycle.id);
      assert.ok(storyId, 'the cycle keeps its story');
      const story = (await site.services.repositories.stories.findById(storyId))!;
      assert.equal(story.slug, `celebration-${MONTH}`);
      assert.equal(story.status, 'published');
      assert.equal(story.featured, true);
      assert.equal(story.sourceLanguage, 'en');
      const theme = (await site.services.repositories.catalog.themes()).find((each) => each.slug === 'celebration');
      assert.ok(theme && story.themeIds.includes(theme.id), 'filed under the celebration theme');
      const text = story.texts.en!;
      const t = site.services.messages.forLanguage('en');
      assert.equal(text.title, t('celebration-story-title', 'Lucía', 'December 2026'));
      const types = text.blocks.map((block) => block.type);
      assert.ok(types.includes('heading') && types.includes('quote') && types.includes('paragraph'));
      const body = text.blocks.map((block) => block.text).join('\n\n');
      assert.ok(!('problems' in parseStoryMarkup(body)), 'the body is in the Markdown subset');
      assert.ok(
        text.blocks.some((block) => block.type === 'quote' && block.text.includes('taught')),
        'the seconding is quoted',
      );
      assert.ok(text.blocks.some((block) => block.type === 'quote' && block.text.includes('Always patient')));
      assert.ok(
        text.blocks.some((block) => block.text.includes('(https://es.wikipedia.org/wiki/Especial:Contribuciones/Luc')),
        'the evidence is a link',
      );
      assert.ok(!body.includes('javascript:alert'.replace(':', '](')), 'no link nobody wrote');

      // Again (a second run of the job, or an editor): nothing changes.
      const again = await run.celebration.announce('system', cycle.id);
      assert.deepEqual([again.storyId, again.created], [storyId, false]);
      await run.at('2026-12-29T00:00:00Z');
      const stories = await site.services.repositories.stories.list({ limit: 10 });
      assert.equal(stories.total, 1, 'one story');
      await assert.rejects(
        run.celebration.announce(amani, cycle.id),
        (error) => (error as AppError).code === 'forbidden',
      );

      const page = await site.app.inject({ url: `/en/stories/celebration-${MONTH}` });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /&lt;script>alert\(1\)&lt;\/script>/, 'hostile text shown as text');
      assert.doesNotMatch(page.body, /<script>alert/);
      assert.doesNotMatch(page.body, /<(ol|ul) class="[^"]*"?>\s*<li>with newcomers/);
    });

    test('a cycle not announced has no story', async () => {
      const run = celebrationAt(site.services);
      const editor = await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      const actor = (await site.services.repositories.users.findById(editor.id))!;
      const created = await run.celebration.createCycle(actor, {
        month: '2027-01',
        opensAt: '2027-01-01',
        secondingAt: '2027-01-11',
        consentAt: '2027-01-16',
        choiceAt: '2027-01-21',
        closesAt: '2027-01-28',
        choiceMode: 'community',
        committee: '',
      });
      assert.ok(created.ok);
      await assert.rejects(
        run.celebration.announce(actor, created.cycle.id),
        (error) => (error as AppError).code === 'celebration_not_announced',
      );
    });

    test('the archive lists honorees by month with their stories, filtered by a plain GET form', async () => {
      await runCycleToAnnouncement(site.services, celebrationAt(site.services));
      const archive = await site.app.inject({ url: '/en/celebration/archive' });
      assert.equal(archive.statusCode, 200);
      assert.match(archive.body, new RegExp(`href="/en/stories/celebration-${MONTH}"`));
      assert.match(archive.body, /<form[^>]*method="get"[^>]*action="\/en\/celebration\/archive"/);
      assert.match(archive.body, /<time datetime="2026-12">/);
      const arabic = await site.app.inject({ url: '/ar/celebration/archive' });
      assert.match(arabic.body, new RegExp(`href="/ar/stories/celebration-${MONTH}"`), "in the reader's language");
      const link = (query: string) =>
        site.app
          .inject({ url: `/en/celebration/archive?${query}` })
          .then((response) => response.body.includes(`/en/stories/celebration-${MONTH}`));
      assert.equal(await link('kind=bot'), false);
      assert.equal(await link('kind=human'), true);
      assert.equal(await link('category=organiser'), true);
      assert.equal(await link('category=technical'), false);
      assert.equal(await link('region=africa'), true);
      assert.equal(await link('region=nowhere&kind=nonsense'), true, 'an unknown choice is no filter');
      assert.match(
        (await site.app.inject({ url: '/en/celebration/archive?kind=bot' })).body,
        /<option value="bot" selected>/,
      );
    });

    test("editors upload the honoree's photo, checked by content, credited on the story page", async () => {
      const { cycle } = await runCycleToAnnouncement(site.services, celebrationAt(site.services));
      await site.services.accounts.signUp({ username: 'Photographer', password: 'correct horse battery staple' });
      const member = await signIn(site.app, 'Photographer');
      const url = `/en/admin/celebration/${MONTH}/photo`;
      assert.equal((await site.app.inject({ url, headers: { cookie: member.cookie } })).statusCode, 403);

      await createUser(site.services, 'PhotoEditor', [{ role: 'editor' }]);
      const session = await signIn(site.app, 'PhotoEditor');
      const form = await site.app.inject({ url, headers: { cookie: session.cookie } });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /enctype="multipart\/form-data"/);
      const post = (fields: Record<string, string>, name: string, content: Buffer | string) => {
        const body = multipart(fields, { field: 'photo', name, content });
        return site.app.inject({
          method: 'POST',
          url: `${url}?_csrf=${encodeURIComponent(csrfFrom(form.body))}`,
          headers: { cookie: session.cookie, 'content-type': body.contentType },
          payload: body.payload,
        });
      };
      const credit = {
        licence: 'CC BY-SA 4.0',
        author: 'Ana <b>Photographer</b>',
        source: 'https://commons.wikimedia.org/wiki/File:Lucia.png',
      };
      const fake = await post(credit, 'lucia.png', 'not an image at all, whatever its name says');
      assert.equal(fake.statusCode, 415);
      assert.equal(await site.services.repositories.celebrationAnnouncements.photo(cycle.id), undefined);
      const noLicence = await post({ ...credit, licence: ' ' }, 'lucia.png', png);
      assert.equal(noLicence.statusCode, 400);
      const badSource = await post({ ...credit, source: 'javascript:alert(1)' }, 'lucia.png', png);
      assert.equal(badSource.statusCode, 400);

      const saved = await post(credit, 'lucia.jpg', png);
      assert.equal(saved.statusCode, 303);
      const photo = (await site.services.repositories.celebrationAnnouncements.photo(cycle.id))!;
      assert.equal(photo.mime, 'image/png', 'the type comes from the bytes, not the name');
      assert.deepEqual([photo.width, photo.height], [4, 3]);
      assert.match(photo.storageKey, /\.png$/);
      const file = await site.app.inject({ url: `/media/${photo.storageKey}` });
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers['content-type'], 'image/png');

      const page = await site.app.inject({ url: `/en/stories/celebration-${MONTH}` });
      assert.match(page.body, new RegExp(`<img[^>]*src="/media/${photo.storageKey}"`));
      assert.match(page.body, /CC BY-SA 4\.0/);
      assert.match(page.body, /Ana &lt;b>Photographer&lt;\/b>/);
      assert.match(page.body, /href="https:\/\/commons\.wikimedia\.org\/wiki\/File:Lucia\.png"/);
      const storyId = (await site.services.repositories.celebrationAnnouncements.storyOf(cycle.id))!;
      const media = await site.services.video.files(storyId);
      assert.ok(
        media.some((each) => each.role === 'poster' && each.storageKey === photo.storageKey),
        "the story's picture",
      );

      // A new photo replaces the old one, file and all.
      assert.equal((await post(credit, 'second.png', png)).statusCode, 303);
      const replaced = (await site.services.repositories.celebrationAnnouncements.photo(cycle.id))!;
      assert.notEqual(replaced.storageKey, photo.storageKey);
      assert.equal(await site.services.storage.exists(photo.storageKey), false);

      // A video processed for the story later takes over as its poster; the photo keeps its file and credit.
      const clip = path.join(mkdtempSync(path.join(os.tmpdir(), 'storyhub-honoree-')), 'clip.mp4');
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x180:rate=25',
        '-t',
        '1',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        clip,
      ]);
      const honoreeStory = (await site.services.repositories.stories.findBySlug(`celebration-${MONTH}`))!.id;
      await site.services.video.upload(honoreeStory, createReadStream(clip), 'clip.mp4');
      const worker = startWorker({
        jobs: site.services.repositories.jobs,
        handlers: site.services.video.handlers,
        pollMs: 50,
      });
      const deadline = Date.now() + 120_000;
      while (
        Date.now() < deadline &&
        !(await site.services.video.jobs(honoreeStory)).every((job) => job.state === 'done')
      )
        await new Promise((resolve) => setTimeout(resolve, 200));
      await worker.stop();
      rmSync(path.dirname(clip), { recursive: true, force: true });
      const posters = (await site.services.video.files(honoreeStory)).filter((file) => file.role === 'poster');
      assert.equal(posters.length, 1);
      assert.notEqual(posters[0]!.storageKey, replaced.storageKey, "the video's poster");
      assert.equal(await site.services.storage.exists(replaced.storageKey), true, "the photo's file is kept");
      assert.match(
        (await site.app.inject({ url: `/en/stories/celebration-${MONTH}` })).body,
        new RegExp(`<img[^>]*src="/media/${replaced.storageKey}"`),
      );
    });
  });
}
