import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { defaultCueSettings, type Cue } from '../../src/domain/subtitles/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices } from '../../src/services/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

for (const engine of testEngines()) {
  describe(`page cache for anonymous visitors (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine, { PAGE_CACHE_SECONDS: '60' });
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      await createCatalog(site.services, [
        { slug: 'cached', texts: { en: { title: 'Cached story' } } },
        { slug: 'other', texts: { en: { title: 'Another story' } } },
      ]);
    });
    const get = (url: string, headers: Record<string, string> = {}) => site.app.inject({ method: 'GET', url, headers });

    test('a repeated public page comes from the cache with the same bytes and security headers', async () => {
      const first = await get('/en/stories/cached');
      assert.equal(first.headers['x-cache'], 'miss');
      const second = await get('/en/stories/cached');
      assert.equal(second.headers['x-cache'], 'hit');
      assert.equal(second.body, first.body);
      assert.equal(second.headers['content-security-policy'], first.headers['content-security-policy']);
      assert.match(String(second.headers['content-type']), /text\/html/);
      const gzipped = await get('/en/stories/cached', { 'accept-encoding': 'gzip' });
      assert.equal(gzipped.headers['content-encoding'], 'gzip');
      assert.equal(gunzipSync(gzipped.rawPayload).toString(), first.body);
    });

    test('signed-in visitors, other save-data choices and saved changes are never served a stale page', async () => {
      await get('/en/stories/cached');
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      const { cookie } = await signIn(site.app, 'Editor');
      const signedIn = await get('/en/stories/cached', { cookie });
      assert.notEqual(signedIn.headers['x-cache'], 'hit');
      assert.match(signedIn.body, /Edit this story/);
      const saving = await get('/en/stories/cached', { cookie: 'storyhub_save_data=1' });
      assert.equal(saving.headers['x-cache'], 'miss', 'save-data pages are cached apart');
      const story = (await site.services.repositories.stories.findBySlug('cached'))!;
      // A save through the site empties the cache.
      const page = await site.app.inject({ method: 'GET', url: '/en/edit/stories/cached', headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const body = new URLSearchParams({
        slug: 'cached',
        region: '1',
        sourceLanguage: 'en',
        themes: '1',
        storytellers: '1',
        title: 'Renamed story',
        summary: '',
        body: '',
        revision: String(story.revision),
        _csrf: csrf,
      });
      const saved = await site.app.inject({
        method: 'POST',
        url: '/en/edit/stories/cached?text=en',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      });
      assert.equal(saved.statusCode, 303);
      const after = await get('/en/stories/cached');
      assert.equal(after.headers['x-cache'], 'miss');
      assert.match(after.body, /Renamed story/);
    });

    const cue = (startTime: number, text: string): Cue => ({
      id: '',
      startTime,
      endTime: startTime + 2,
      text,
      settings: defaultCueSettings(),
    });
    /** Every cacheable kind of page: the lists, both stories' pages and transcripts, and their subtitle files. */
    const PAGES = [
      '/en/',
      '/en/stories',
      '/en/search?q=story',
      '/en/regions/africa',
      '/en/stories/cached',
      '/en/stories/cached/transcript',
      '/subtitles/cached/en.vtt',
      '/en/stories/other',
      '/en/stories/other/transcript',
      '/subtitles/other/en.vtt',
    ];
    /** Which of PAGES are served from the cache now (each is asked for once). */
    async function hits() {
      const found = new Set<string>();
      for (const url of PAGES) if ((await get(url)).headers['x-cache'] === 'hit') found.add(url);
      return found;
    }
    async function publishedTracks(editor: { cookie: string; csrf: string }) {
      for (const slug of ['cached', 'other']) {
        const saved = await site.app.inject({
          method: 'PUT',
          url: `/api/v1/stories/${slug}/subtitles/en`,
          payload: { baseRevision: 0, cues: [cue(0, `First words of ${slug}`)] },
          headers: { cookie: editor.cookie, 'csrf-token': editor.csrf, 'content-type': 'application/json' },
        });
        assert.equal(saved.statusCode, 200);
        assert.equal(await review(editor, slug, 'approved'), 303);
      }
    }
    async function review(session: { cookie: string }, slug: string, decision: string, comment = '') {
      const page = await site.app.inject({
        method: 'GET',
        url: `/en/edit/stories/${slug}/subtitles/en`,
        headers: { cookie: session.cookie },
      });
      const revision = /name="revision" value="(\d+)"/.exec(page.body)?.[1] ?? '0';
      return (
        await site.app.inject(
          form(
            `/en/edit/stories/${slug}/subtitles/en/review`,
            { decision, revision, comment, _csrf: csrfFrom(page.body) },
            session.cookie,
          ),
        )
      ).statusCode;
    }
    const change = (session: { cookie: string; csrf: string }, slug: string, baseRevision: number, text: string) =>
      site.app.inject({
        method: 'PATCH',
        url: `/api/v1/stories/${slug}/subtitles/en`,
        payload: { baseRevision, splices: [{ at: 0, remove: 1, insert: [cue(0, text)] }] },
        headers: { cookie: session.cookie, 'csrf-token': session.csrf, 'content-type': 'application/json' },
      });

    test('over a real connection a cached page is answered before the framework, with the same bytes and headers', async () => {
      await site.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = site.app.server.address() as { port: number };
      const fetchPage = (headers: Record<string, string> = {}) =>
        fetch(`http://127.0.0.1:${port}/en/stories/cached`, { headers });
      const first = await fetchPage();
      assert.equal(first.headers.get('x-cache'), 'miss');
      const firstBody = await first.text();
      const second = await fetchPage();
      assert.equal(second.headers.get('x-cache'), 'hit');
      assert.equal(await second.text(), firstBody, 'decompressed by fetch: the same page');
      for (const name of ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy']) {
        assert.equal(second.headers.get(name), first.headers.get(name), name);
      }
      assert.match(String(second.headers.get('content-encoding')), /^(br|gzip)$/);
      const signedIn = await fetchPage({ cookie: 'storyhub_session=whatever' });
      assert.notEqual(signedIn.headers.get('x-cache'), 'hit', 'a session cookie is never answered from the cache');
      await signedIn.text();
      const plain = await fetchPage({ 'accept-encoding': 'identity' });
      assert.equal(plain.headers.get('content-encoding'), null);
      assert.equal(await plain.text(), firstBody);
    });

    test('a sign-in, a draft save and a review comment leave every cached page cached', async () => {
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      await publishedTracks(await signIn(site.app, 'Editor'));
      await hits();
      assert.deepEqual(await hits(), new Set(PAGES), 'all cached to begin with');
      const translator = await createUser(site.services, 'Translator', [{ role: 'translator', language: 'en' }]);
      assert.ok(translator);
      const session = await signIn(site.app, 'Translator');
      const editor = await signIn(site.app, 'Editor');
      assert.equal((await change(session, 'cached', 1, 'A draft nobody sees yet')).statusCode, 200);
      assert.equal(await review(editor, 'cached', 'sent_back', 'Please check the <b>timing</b>'), 303);
      assert.deepEqual(await hits(), new Set(PAGES), 'nothing public changed');
      assert.doesNotMatch((await get('/subtitles/cached/en.vtt')).body, /A draft nobody sees/);
    });

    test("publishing a track refreshes its story's page, transcript and files and the lists (coverage shows subtitles), never another story's pages; a story edit refreshes its pages and the lists", async () => {
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      const editor = await signIn(site.app, 'Editor');
      await publishedTracks(editor);
      await hits();
      assert.equal((await change(editor, 'cached', 1, 'Now approved words')).statusCode, 200);
      assert.equal(await review(editor, 'cached', 'approved'), 303);
      const ownPages = ['/en/stories/cached', '/en/stories/cached/transcript', '/subtitles/cached/en.vtt'];
      const listPages = ['/en/', '/en/stories', '/en/search?q=story', '/en/regions/africa'];
      assert.deepEqual(
        await hits(),
        new Set(PAGES.filter((url) => !ownPages.includes(url) && !listPages.includes(url))),
      );
      assert.match((await get('/subtitles/cached/en.vtt')).body, /Now approved words/);
      assert.match((await get('/en/stories/cached/transcript')).body, /Now approved words/);

      await hits();
      const story = (await site.services.repositories.stories.findBySlug('other'))!;
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/other',
        headers: { cookie: editor.cookie },
      });
      const body = {
        slug: 'other',
        region: '1',
        sourceLanguage: 'en',
        themes: '1',
        storytellers: '1',
        title: 'A renamed story',
        summary: '',
        body: '',
        revision: String(story.revision),
        _csrf: csrfFrom(page.body),
      };
      assert.equal(
        (await site.app.inject(form('/en/edit/stories/other?text=en', body, editor.cookie))).statusCode,
        303,
      );
      const lists = ['/en/', '/en/stories', '/en/search?q=story', '/en/regions/africa'];
      const otherPages = ['/en/stories/other', '/en/stories/other/transcript', '/subtitles/other/en.vtt'];
      assert.deepEqual(await hits(), new Set(PAGES.filter((url) => !lists.includes(url) && !otherPages.includes(url))));
      assert.match((await get('/en/stories')).body, /A renamed story/);
    });

    test('subtitle files come from the cache with their ETag, and a matching If-None-Match gets 304', async () => {
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      await publishedTracks(await signIn(site.app, 'Editor'));
      const first = await get('/subtitles/cached/en.vtt');
      const second = await get('/subtitles/cached/en.vtt');
      assert.equal(second.headers['x-cache'], 'hit');
      assert.equal(second.body, first.body);
      assert.equal(second.headers.etag, first.headers.etag);
      assert.match(String(second.headers['content-type']), /text\/vtt/);
      const unchanged = await get('/subtitles/cached/en.vtt', { 'if-none-match': String(first.headers.etag) });
      assert.equal(unchanged.statusCode, 304);
      assert.equal(unchanged.body, '');
    });

    test('many visitors asking for a page that is not cached: it is rendered once, and all get it', async () => {
      let renders = 0;
      const { catalog } = site.services;
      const story = catalog.story;
      catalog.story = async (...args) => {
        renders += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return story(...args);
      };
      try {
        const answers = await Promise.all(Array.from({ length: 20 }, () => get('/en/stories/cached')));
        assert.equal(renders, 1);
        assert.ok(answers.every((answer) => answer.statusCode === 200 && answer.body === answers[0]!.body));
        assert.equal(answers.filter((answer) => answer.headers['x-cache'] === 'miss').length, 1);
      } finally {
        catalog.story = story;
      }
    });

    test('a page rendered from what was read before a change is not kept', async () => {
      const { catalog } = site.services;
      const story = catalog.story;
      let release!: () => void;
      const reading = new Promise<void>((resolve) => {
        release = resolve;
      });
      catalog.story = async (...args) => {
        const found = await story(...args);
        await reading;
        return found;
      };
      const stale = get('/en/stories/cached');
      await new Promise((resolve) => setTimeout(resolve, 20));
      catalog.story = story;
      const record = (await site.services.repositories.stories.findBySlug('cached'))!;
      await site.services.repositories.stories.setStatus(record.id, record.revision, 'published', null);
      release();
      assert.equal((await stale).statusCode, 200);
      assert.equal((await get('/en/stories/cached')).headers['x-cache'], 'miss', 'rendered again after the change');
    });

    test('after a change the next request renders the page again; visitors asking meanwhile get the older copy at once', async () => {
      const catalogPage = await get('/en/stories');
      assert.match(catalogPage.body, /Cached story/);
      const record = (await site.services.repositories.stories.findBySlug('other'))!;
      // Unpublishing a story changes every list it was on.
      await site.services.repositories.stories.setStatus(record.id, record.revision, 'draft', null);
      const { catalog } = site.services;
      const browse = catalog.browse;
      let renders = 0;
      catalog.browse = async (...args) => {
        renders += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return browse(...args);
      };
      try {
        const renderer = get('/en/stories');
        await new Promise((resolve) => setTimeout(resolve, 10));
        const meanwhile = await Promise.all(Array.from({ length: 5 }, () => get('/en/stories')));
        assert.ok(
          meanwhile.every((answer) => answer.headers['x-cache'] === 'hit' && answer.body === catalogPage.body),
          'not kept waiting behind the render',
        );
        const rendered = await renderer;
        assert.equal(rendered.headers['x-cache'], 'miss');
        assert.doesNotMatch(rendered.body, /Another story/, 'the request after the change sees it');
        assert.equal(renders, 1);
      } finally {
        catalog.browse = browse;
      }
      const after = await get('/en/stories');
      assert.equal(after.headers['x-cache'], 'hit');
      assert.doesNotMatch(after.body, /Another story/);
    });

    test('while two outdated pages are being rendered again, other outdated pages are given out as they were', async () => {
      const lists = ['/en/stories', '/fr/stories', '/ar/stories'];
      const before = await Promise.all(lists.map((url) => get(url)));
      const record = (await site.services.repositories.stories.findBySlug('other'))!;
      await site.services.repositories.stories.setStatus(record.id, record.revision, 'draft', null);
      const { catalog } = site.services;
      const browse = catalog.browse;
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      catalog.browse = async (...args) => {
        await held;
        return browse(...args);
      };
      try {
        const rendering = [get(lists[0]!), get(lists[1]!)];
        await new Promise((resolve) => setTimeout(resolve, 20));
        const third = await get(lists[2]!);
        assert.equal(third.headers['x-cache'], 'hit', 'not queued behind the renders');
        assert.equal(third.body, before[2]!.body);
        release();
        for (const answer of await Promise.all(rendering)) {
          assert.equal(answer.headers['x-cache'], 'miss');
          assert.doesNotMatch(answer.body, /Another story/);
        }
      } finally {
        release();
        catalog.browse = browse;
      }
      const third = await get(lists[2]!);
      assert.equal(third.headers['x-cache'], 'miss', 'rendered again once a render was free');
      assert.doesNotMatch(third.body, /Another story/);
    });

    test('a page that no longer exists after a change is not given out again', async () => {
      assert.equal((await get('/en/stories/other')).statusCode, 200);
      const record = (await site.services.repositories.stories.findBySlug('other'))!;
      await site.services.repositories.stories.setStatus(record.id, record.revision, 'draft', null);
      assert.equal((await get('/en/stories/other')).statusCode, 404);
      assert.equal((await get('/en/stories/other')).statusCode, 404);
    });
  });
}

for (const engine of testEngines()) {
  describe(`page cache limits (${engine})`, () => {
    test('an expired page is rendered again by one request while the others still get the older copy', async () => {
      const site = await startTestSite(engine, { PAGE_CACHE_SECONDS: '1' });
      try {
        await createCatalog(site.services, [{ slug: 'aging', texts: { en: { title: 'An aging page' } } }]);
        const get = () => site.app.inject({ method: 'GET', url: '/en/stories/aging' });
        assert.equal((await get()).headers['x-cache'], 'miss');
        await new Promise((resolve) => setTimeout(resolve, 1100));
        let renders = 0;
        const { catalog } = site.services;
        const story = catalog.story;
        catalog.story = async (...args) => {
          renders += 1;
          await new Promise((resolve) => setTimeout(resolve, 100));
          return story(...args);
        };
        const renderer = get();
        await new Promise((resolve) => setTimeout(resolve, 10));
        const others = await Promise.all(Array.from({ length: 5 }, get));
        assert.ok(
          others.every((answer) => answer.statusCode === 200 && answer.headers['x-cache'] === 'hit'),
          'not kept waiting',
        );
        assert.equal((await renderer).headers['x-cache'], 'miss');
        assert.equal(renders, 1);
        catalog.story = story;
        assert.equal((await get()).headers['x-cache'], 'hit', 'the new copy is kept');
      } finally {
        await site.close();
      }
    });

    test('past its memory budget the cache lets the least recently read pages go first', async () => {
      const site = await startTestSite(engine, { PAGE_CACHE_SECONDS: '60', PAGE_CACHE_MB: '0.05' });
      try {
        const slugs = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
        // Text that does not compress much, so each page holds several KB in the cache.
        const noise = (seed: number) =>
          Array.from({ length: 3000 }, (_, i) => ((i * 7919 + seed * 104_729) % 65_521).toString(36)).join(' ');
        await createCatalog(
          site.services,
          slugs.map((slug, index) => ({ slug, texts: { en: { title: `Story ${slug}`, body: noise(index) } } })),
        );
        const get = (slug: string, encoding = 'br') =>
          site.app.inject({ method: 'GET', url: `/en/stories/${slug}`, headers: { 'accept-encoding': encoding } });
        const held = (await get('one')).rawPayload.length + (await get('one', 'gzip')).rawPayload.length;
        const fits = Math.floor((0.05 * 1024 * 1024) / held);
        assert.ok(fits >= 2 && fits < slugs.length, `${fits} pages of ${held} bytes fit`);
        for (const slug of slugs.slice(1, fits)) await get(slug);
        assert.equal((await get('one')).headers['x-cache'], 'hit', 'read again: now the most recent');
        await get(slugs[fits]!);
        assert.equal((await get('one')).headers['x-cache'], 'hit', 'kept: it was read recently');
        assert.equal((await get('two')).headers['x-cache'], 'miss', 'the least recently read went');
      } finally {
        await site.close();
      }
    });
  });
}

if (testEngines().includes('postgres')) {
  describe('page caches of several processes on one PostgreSQL server', () => {
    test('a change saved through one site drops the pages that show it in the other, at once', async () => {
      const first = await startTestSite('postgres', { PAGE_CACHE_SECONDS: '3600' });
      const database = await openDatabase({ url: first.database.url });
      const services = await createServices(database, loadConfig({ PAGE_CACHE_SECONDS: '3600' }));
      const second = await buildApp(loadConfig({ PAGE_CACHE_SECONDS: '3600' }), services);
      try {
        const { stories } = await createCatalog(first.services, [
          { slug: 'shared', texts: { en: { title: 'Shared story' } } },
          { slug: 'untouched', texts: { en: { title: 'Untouched story' } } },
        ]);
        const get = (url: string) => second.inject({ method: 'GET', url });
        await get('/en/stories/shared');
        await get('/en/stories/untouched');
        assert.equal((await get('/en/stories/shared')).headers['x-cache'], 'hit');
        const story = stories[0]!;
        await first.services.repositories.stories.update(
          story.id,
          story.revision,
          {
            slug: 'shared',
            regionId: story.regionId,
            sourceLanguage: 'en',
            featured: false,
            themeIds: story.themeIds,
            storytellerIds: story.storytellerIds,
            text: { language: 'en', title: 'Renamed in the other process', summary: '', blocks: [] },
          },
          null,
        );
        let page = await get('/en/stories/shared');
        for (let attempt = 0; attempt < 50 && page.headers['x-cache'] === 'hit'; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          page = await get('/en/stories/shared');
        }
        assert.match(page.body, /Renamed in the other process/);
        assert.equal((await get('/en/stories/untouched')).headers['x-cache'], 'hit', 'other stories stay cached');
      } finally {
        await second.close();
        await database.close();
        await first.close();
      }
    });
  });
}
