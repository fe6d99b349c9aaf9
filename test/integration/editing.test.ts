import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices } from '../../src/services/index.ts';

for (const engine of testEngines()) {
  describe(`accounts and story editing (${engine})`, () => {
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

    async function editorSession() {
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      return signIn(site.app, 'Editor');
    }
    async function openEditor(cookie: string, slug: string, text = 'en') {
      const page = await site.app.inject({
        method: 'GET',
        url: `/en/edit/stories/${slug}?text=${text}`,
        headers: { cookie },
      });
      assert.equal(page.statusCode, 200);
      const field = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page.body)?.[1] ?? '';
      return { csrf: csrfFrom(page.body), revision: field('revision'), body: page.body };
    }

    test('sign-up creates an account; bad input is explained and kept', async () => {
      const page = await site.app.inject({ method: 'GET', url: '/en/sign-up' });
      const cookie = String(page.headers['set-cookie']).split(';')[0]!;
      const bad = await site.app.inject(
        form(
          '/en/sign-up',
          { username: 'x', password: 'short', displayName: 'Ana <b>', _csrf: csrfFrom(page.body) },
          cookie,
        ),
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Use 3 to 40 letters/);
      assert.match(bad.body, /Use at least 10 characters/);
      assert.match(bad.body, /value="Ana &lt;b>"/, 'keeps what was typed, escaped');
      const good = await site.app.inject(
        form(
          '/en/sign-up',
          { username: 'Ana Volunteer', password: 'a long enough password', _csrf: csrfFrom(page.body) },
          cookie,
        ),
      );
      assert.equal(good.statusCode, 303);
      const again = await site.app.inject({ method: 'GET', url: '/en/sign-up' });
      const againCookie = String(again.headers['set-cookie']).split(';')[0]!;
      const taken = await site.app.inject(
        form(
          '/en/sign-up',
          { username: 'ana volunteer', password: 'a long enough password', _csrf: csrfFrom(again.body) },
          againCookie,
        ),
      );
      assert.match(taken.body, /already taken/);
    });

    test('sign-in checks the password, needs a CSRF token, and is rate limited', async () => {
      await createUser(site.services, 'Ana');
      const page = await site.app.inject({ method: 'GET', url: '/en/sign-in', remoteAddress: '10.0.0.1' });
      const cookie = String(page.headers['set-cookie']).split(';')[0]!;
      const csrf = csrfFrom(page.body);
      const noToken = await site.app.inject({
        ...form('/en/sign-in', { username: 'Ana', password: 'x' }, cookie),
        remoteAddress: '10.0.0.1',
      });
      assert.equal(noToken.statusCode, 403);
      assert.match(noToken.body, /This form has expired/);
      const wrong = await site.app.inject({
        ...form('/en/sign-in', { username: 'Ana', password: 'wrong password', _csrf: csrf }, cookie),
        remoteAddress: '10.0.0.1',
      });
      assert.equal(wrong.statusCode, 401);
      assert.match(wrong.body, /do not match/);
      assert.match(wrong.body, /value="Ana"/);
      let status = 0;
      for (let attempt = 0; attempt < 12 && status !== 429; attempt++) {
        status = (
          await site.app.inject({
            ...form('/en/sign-in', { username: 'Ana', password: 'wrong password', _csrf: csrf }, cookie),
            remoteAddress: '10.0.0.1',
          })
        ).statusCode;
      }
      assert.equal(status, 429, 'too many attempts are refused');
      const ok = await site.app.inject({
        ...form('/en/sign-in', { username: 'Ana', password: 'correct horse battery staple', _csrf: csrf }, cookie),
        remoteAddress: '10.0.0.2',
      });
      assert.equal(ok.statusCode, 303, 'another address is not affected');
    });

    test('sign-in attempts through two processes on one database are counted together', async () => {
      // A second app on the same database, as a second `storyhub serve` behind a proxy would be.
      const config = loadConfig({ PAGE_CACHE_SECONDS: '0', SIGN_IN_RATE_LIMIT: '4' });
      const first = await buildApp(config, site.services);
      const second = await buildApp(config, await createServices(site.database, config));
      try {
        const attempt = async (app: typeof first) => {
          const page = await app.inject({ method: 'GET', url: '/en/sign-in', remoteAddress: '10.0.0.9' });
          const cookie = String(page.headers['set-cookie']).split(';')[0]!;
          const fields = { username: 'Nobody', password: 'wrong password', _csrf: csrfFrom(page.body) };
          return (await app.inject({ ...form('/en/sign-in', fields, cookie), remoteAddress: '10.0.0.9' })).statusCode;
        };
        const statuses = [];
        for (const app of [first, second, first, second, first]) statuses.push(await attempt(app));
        assert.deepEqual(statuses, [401, 401, 401, 401, 429], 'the fifth attempt is refused, whichever process has it');
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });

    test('an editor creates a story as a draft, edits it, publishes it, and every save is a revision', async () => {
      await createCatalog(site.services, []);
      const { cookie } = await editorSession();
      const newPage = await site.app.inject({ method: 'GET', url: '/en/edit/stories/new', headers: { cookie } });
      assert.equal(newPage.statusCode, 200);
      const { region, theme, person } = { region: 1, theme: 1, person: 1 };
      const fields = {
        slug: 'river-school',
        region: String(region),
        sourceLanguage: 'en',
        themes: [String(theme)],
        storytellers: [String(person)],
        title: 'River school',
        summary: 'A school by the river.',
        body: 'First *paragraph*, see [the wiki](https://meta.wikimedia.org/wiki/Main_Page).\n\n## A heading\n\n> A quote',
        revision: '0',
        _csrf: csrfFrom(newPage.body),
      };
      const created = await site.app.inject(form('/en/edit/stories/new?text=en', fields, cookie));
      assert.equal(created.statusCode, 303);
      assert.equal(
        (await site.app.inject({ method: 'GET', url: '/en/stories/river-school' })).statusCode,
        404,
        'a new story is a draft',
      );
      const editor = await openEditor(cookie, 'river-school');
      const edited = await site.app.inject(
        form(
          '/en/edit/stories/river-school?text=en',
          { ...fields, title: 'River school, renamed', revision: editor.revision, _csrf: editor.csrf },
          cookie,
        ),
      );
      assert.equal(edited.statusCode, 303);
      const french = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/river-school?text=fr',
        headers: { cookie },
      });
      assert.equal(french.statusCode, 303, 'other languages are translated unit by unit');
      assert.equal(french.headers.location, '/en/translate/river-school/fr');
      const beforePublish = await openEditor(cookie, 'river-school');
      const published = await site.app.inject(
        form(
          '/en/edit/stories/river-school/status',
          { status: 'published', revision: beforePublish.revision, _csrf: beforePublish.csrf },
          cookie,
        ),
      );
      assert.equal(published.statusCode, 303);
      const story = await site.app.inject({ method: 'GET', url: '/en/stories/river-school' });
      assert.match(story.body, /River school, renamed/);
      assert.match(story.body, /<h2>A heading<\/h2>/);
      assert.match(story.body, /<blockquote><p>A quote<\/p><\/blockquote>/);
      const history = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/river-school/history',
        headers: { cookie },
      });
      assert.match(history.body, /Editor/);
      assert.match(
        story.body,
        /First <em>paragraph<\/em>, see <a href="https:\/\/meta\.wikimedia\.org\/wiki\/Main_Page">the wiki<\/a>\./,
      );
      assert.equal((history.body.match(/<tr>/g) ?? []).length - 1, 3, 'created, edited en, published');
    });

    test('a stale form never overwrites a newer revision and keeps what was typed', async () => {
      await createCatalog(site.services, [
        { slug: 'shared', texts: { en: { title: 'Shared story', body: 'Original.' } } },
      ]);
      const { cookie } = await editorSession();
      const first = await openEditor(cookie, 'shared');
      const second = await openEditor(cookie, 'shared');
      const base = {
        slug: 'shared',
        region: '1',
        sourceLanguage: 'en',
        themes: ['1'],
        storytellers: ['1'],
        summary: '',
      };
      const saved = await site.app.inject(
        form(
          '/en/edit/stories/shared?text=en',
          { ...base, title: 'First editor title', body: 'First.', revision: first.revision, _csrf: first.csrf },
          cookie,
        ),
      );
      assert.equal(saved.statusCode, 303);
      const stale = await site.app.inject(
        form(
          '/en/edit/stories/shared?text=en',
          { ...base, title: 'Second editor title', body: 'Second.', revision: second.revision, _csrf: second.csrf },
          cookie,
        ),
      );
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Someone else saved this story/);
      assert.match(stale.body, /value="Second editor title"/, 'the second editor keeps their text');
      assert.match(stale.body, /First editor title/, 'and sees the other version');
      const story = await site.services.repositories.stories.findBySlug('shared');
      assert.equal(story!.texts.en!.title, 'First editor title');
    });

    test('bad story input gets field messages and keeps the text', async () => {
      await createCatalog(site.services, [{ slug: 'kept', texts: { en: { title: 'Kept' } } }]);
      const { cookie } = await editorSession();
      const editor = await openEditor(cookie, 'kept');
      const body = 'x'.repeat(100_001);
      const response = await site.app.inject(
        form(
          '/en/edit/stories/kept?text=en',
          {
            slug: 'Not A Slug!',
            region: '999',
            sourceLanguage: 'en',
            title: '',
            summary: '<script>alert(1)</script>',
            body,
            revision: editor.revision,
            _csrf: editor.csrf,
          },
          cookie,
        ),
      );
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /Use lower-case letters/);
      assert.match(response.body, /This field is required/);
      assert.match(response.body, /Choose one of the options/);
      assert.match(response.body, /This is too long/);
      assert.match(response.body, /value="Not A Slug!"/);
      assert.match(response.body, /&lt;script>alert\(1\)&lt;\/script><\/textarea>/);
      const huge = await site.app.inject(
        form('/en/edit/stories/kept?text=en', { body: 'x'.repeat(2_000_000), _csrf: editor.csrf }, cookie),
      );
      assert.equal(huge.statusCode, 413);
      assert.match(huge.body, /larger than this site accepts/);
    });
  });
}
