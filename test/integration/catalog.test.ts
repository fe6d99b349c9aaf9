import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createCatalog, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

for (const engine of testEngines()) {
  describe(`public catalog (${engine})`, () => {
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
    const get = (url: string, headers: Record<string, string> = {}) => site.app.inject({ method: 'GET', url, headers });

    test('the home page speaks the language of its address, right-to-left for Arabic', async () => {
      await createCatalog(site.services, [
        { slug: 'wiki-clubs', texts: { en: { title: 'School wiki clubs' }, ar: { title: 'نوادي الويكي المدرسية' } } },
      ]);
      const english = await get('/en/');
      assert.equal(english.statusCode, 200);
      assert.match(english.body, /<html lang="en" dir="ltr">/);
      assert.match(english.body, /School wiki clubs/);
      const arabic = await get('/ar/');
      assert.match(arabic.body, /<html lang="ar" dir="rtl">/);
      assert.match(arabic.body, /نوادي الويكي المدرسية/);
      // The right-to-left Codex rules: only those the pages use once built, all of Codex otherwise.
      assert.match(arabic.body, /codex(?:\.style|-pages)-rtl\.css/);
      assert.doesNotMatch(english.body, /-rtl\.css/);
      const japanese = await get('/ja/');
      assert.match(japanese.body, /<html lang="ja" dir="ltr">/);
      assert.doesNotMatch(japanese.body, />Latest stories</, 'the Japanese page is not in English');
      const chinese = await get('/zh-hans/');
      assert.match(chinese.body, /<html lang="zh-Hans" dir="ltr">/);
    });

    test('/ picks the language from a remembered choice, then Accept-Language', async () => {
      const byHeader = await get('/', { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' });
      assert.equal(byHeader.statusCode, 302);
      assert.equal(byHeader.headers.location, '/fr/');
      assert.equal((await get('/', { 'accept-language': 'zh-CN' })).headers.location, '/zh-hans/');
      assert.equal((await get('/', { 'accept-language': 'tlh' })).headers.location, '/en/');
      const choose = await get('/language/ar?to=%2Fstories');
      assert.equal(choose.headers.location, '/ar/stories');
      const cookie = String(choose.headers['set-cookie']).split(';')[0]!;
      assert.equal((await get('/', { cookie, 'accept-language': 'fr' })).headers.location, '/ar/');
      assert.equal(
        (await get('/language/ar?to=%2F%2Fevil.example')).headers.location,
        '/ar/',
        'never redirects off the site',
      );
    });

    test('a language switcher lists every language by its own name', async () => {
      const page = await get('/en/');
      for (const autonym of ['العربية', '日本語', 'français', 'हिन्दी', 'српски', 'srpski', 'Kiswahili', 'українська']) {
        assert.ok(page.body.includes(autonym), `switcher has ${autonym}`);
      }
    });

    test('an unknown language gets a 404 page, an upper-case code is redirected', async () => {
      const unknown = await get('/xx/stories');
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /Language not available/);
      assert.doesNotMatch(unknown.body, /at .*\.ts:\d+/, 'no stack trace');
      const upper = await get('/FR/stories');
      assert.equal(upper.statusCode, 301);
      assert.equal(upper.headers.location, '/fr/stories');
      const missing = await get('/fr/nothing-here');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /<html lang="fr"/);
    });

    test('a story missing in the reader language shows the source, marked with its language', async () => {
      await createCatalog(site.services, [
        {
          slug: 'photo-contest',
          texts: {
            en: { title: 'Andean photo contest', body: 'Photos of chapels.' },
            es: { title: 'Concurso de fotos andino', body: 'Fotos de capillas.' },
          },
        },
      ]);
      const japanese = await get('/ja/stories/photo-contest');
      assert.equal(japanese.statusCode, 200);
      assert.match(
        japanese.body,
        /<h1 class="story__untranslated-block" lang="en" dir="ltr"><span class="visually-hidden" lang="ja" dir="ltr">[^<]+<\/span>Andean photo contest<\/h1>/,
        'in the source, with its language, and said to be untranslated',
      );
      assert.match(japanese.body, /cdx-message--notice/);
      assert.match(japanese.body, /href="\/es\/stories\/photo-contest"/, 'lists the languages it exists in');
      const spanish = await get('/es/stories/photo-contest');
      assert.match(spanish.body, /<h1>Concurso de fotos andino<\/h1>/);
      assert.doesNotMatch(spanish.body, /cdx-message--notice/);
    });

    test('drafts stay hidden from the public', async () => {
      await createCatalog(site.services, [
        { slug: 'secret', status: 'draft', texts: { en: { title: 'Unpublished story' } } },
      ]);
      assert.equal((await get('/en/stories/secret')).statusCode, 404);
      assert.doesNotMatch((await get('/en/stories')).body, /Unpublished story/);
    });

    test('the catalog filters by region, theme and "available in my language"', async () => {
      await createCatalog(site.services, [
        { slug: 'one', texts: { en: { title: 'Story one' }, fr: { title: 'Histoire un' } } },
        { slug: 'two', texts: { en: { title: 'Story two' } } },
      ]);
      const all = await get('/fr/stories');
      assert.match(all.body, /Histoire un/);
      assert.match(all.body, /Story two/);
      const inFrench = await get('/fr/stories?inlang=1');
      assert.match(inFrench.body, /Histoire un/);
      assert.doesNotMatch(inFrench.body, /Story two/);
      assert.match((await get('/en/stories?region=africa&theme=education')).body, /Story two/);
      assert.match((await get('/en/regions/africa')).body, /Story one/);
      assert.match((await get('/en/themes/education')).body, /Story two/);
      assert.match((await get('/en/people/Amani')).body, /sw\.wikipedia\.org/);
      assert.equal((await get('/en/regions/atlantis')).statusCode, 404);
    });

    test('search finds stemmed words, other scripts, substrings of Chinese and Japanese, and typos', async () => {
      await createCatalog(site.services, [
        {
          slug: 'libraries',
          texts: {
            en: { title: 'Community libraries', body: 'Volunteers opened libraries in villages.' },
            fr: { title: 'Bibliothèques', body: 'Les bénévoles ont ouvert des bibliothèques dans les villages.' },
            ar: { title: 'المكتبات', body: 'افتتح المتطوعون مكتبات في القرى' },
          },
        },
        {
          slug: 'coast',
          texts: {
            en: { title: 'Mangrove coast', body: 'Fishing villages plant mangroves.' },
            ja: { title: '海岸の物語', body: '漁村の人々がマングローブを植えました。' },
            'zh-hans': { title: '幕后故事', body: '志愿者在幕后工作。' },
          },
        },
      ]);
      const titles = async (q: string) => {
        const body = (await get(`/en/search?q=${encodeURIComponent(q)}`)).body;
        return ['libraries', 'coast'].filter((slug) => body.includes(`/stories/${slug}"`));
      };
      assert.deepEqual(await titles('library'), ['libraries'], 'English stemming');
      assert.deepEqual(await titles('bibliothèque'), ['libraries'], 'French stemming');
      assert.deepEqual(await titles('漁村'), ['coast'], 'Japanese substring');
      assert.deepEqual(await titles('幕后'), ['coast'], 'Chinese substring');
      assert.deepEqual(await titles('mangrovs'), ['coast'], 'a misspelling');
      assert.deepEqual(await titles('zebra'), []);
      const tooLong = await get(`/en/search?q=${'a'.repeat(201)}`);
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /at most 200 characters/);
      assert.match(tooLong.body, new RegExp(`value="${'a'.repeat(201)}"`), 'keeps what was typed');
    });

    test('hostile text is shown as text, never as markup', async () => {
      const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
      await createCatalog(site.services, [
        { slug: 'xss', texts: { en: { title: payload, summary: payload, body: payload } } },
      ]);
      for (const url of ['/en/', '/en/stories', '/en/stories/xss', `/en/search?q=${encodeURIComponent(payload)}`]) {
        const page = await get(url);
        assert.doesNotMatch(page.body, /<script>alert|<img src=x/, url);
      }
      assert.match((await get('/en/stories/xss')).body, /&lt;script>alert\(1\)&lt;\/script>/);
    });

    test('the JSON API lists and shows stories and answers errors with a stable code', async () => {
      await createCatalog(site.services, [
        { slug: 'api-story', texts: { en: { title: 'API story' }, fr: { title: 'Histoire API' } } },
      ]);
      const list = await get('/api/v1/stories?lang=fr');
      assert.equal(list.statusCode, 200);
      assert.equal(list.json().stories[0].title, 'Histoire API');
      assert.equal((await get('/api/v1/stories/api-story')).json().languages.length, 2);
      const missing = await get('/api/v1/stories/nope');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'not_found');
      assert.equal((await get('/api/v1/stories?lang=xx')).json().error.code, 'unknown_language');
      assert.equal((await get('/api/v1/stories?page=abc')).json().error.code, 'bad_request');
    });

    test('dates and numbers follow the page language', async () => {
      await createCatalog(site.services, [{ slug: 'dated', texts: { en: { title: 'Dated' } } }]);
      assert.match((await get('/en/stories/dated')).body, /May 1, 2026/);
      assert.match((await get('/ar/stories/dated')).body, /مايو/);
      assert.match((await get('/ja/stories/dated')).body, /2026年5月1日/);
    });
  });
}
