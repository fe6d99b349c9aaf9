import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { renderToString } from 'preact-render-to-string';
import { bcp47 } from '../../src/domain/languages/languages.ts';
import { defaultCueSettings } from '../../src/domain/subtitles/index.ts';
import type { PageContext } from '../../src/http/views/context.ts';
import { credits } from '../../src/http/views/components/credits.ts';
import { createCatalog, createUser, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Coverage and credit through the real routes, with the page cache on (as for visitors): the matrix
// of stories by languages, its filters and per-language progress, the credits of a story, and the
// monthly contributors' board, on every engine.

const BODY = 'Students meet every week. They write articles together. Teachers help them.';
const HOSTILE = '<img src=x onerror=alert(1)>';

/** Text of a piece of HTML as a reader sees it: tags gone, line breaks as " | ", bidi isolates dropped. */
const visible = (markup: string) =>
  markup
    .replace(/<br\s*\/?>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/[\u2068\u2069]/g, '')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The coverage matrix of a page: per story slug, per language code (from the column's lang), the cell's text. */
function matrixOf(body: string): Map<string, Record<string, string>> {
  const table = body.slice(body.indexOf('<caption id="coverage-matrix-caption"'));
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(table)![1]!;
  const columns = [...head.matchAll(/<th scope="col">([\s\S]*?)<\/th>/g)]
    .slice(1)
    .map((match) => /lang="([^"]+)"/.exec(match[1]!)![1]!);
  const rows = new Map<string, Record<string, string>>();
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  for (const row of tbody.split('<tr>').slice(1)) {
    const slug = /<th scope="row"><a href="\/[a-z-]+\/stories\/([^"]+)"/.exec(row)![1]!;
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => visible(match[1]!));
    rows.set(slug, Object.fromEntries(columns.map((code, index) => [code, cells[index]!])));
  }
  return rows;
}

/** The per-language progress table: per language code, [per cent, "n of m"]. */
function progressOf(body: string): Map<string, [string, string]> {
  const table = body.slice(body.indexOf('<caption id="coverage-progress-caption"'));
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  const rows = new Map<string, [string, string]>();
  for (const row of tbody.split('<tr>').slice(1)) {
    const code = /lang="([^"]+)"/.exec(row)![1]!;
    const [percent, units] = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => visible(match[1]!));
    rows.set(code, [percent!, units!]);
  }
  return rows;
}

/** The contributors' board: per username, [translated, reviewed, subtitle revisions, total], in page order. */
function boardOf(body: string): Array<[string, number[]]> {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? '';
  return tbody
    .split('<tr>')
    .slice(1)
    .map((row) => [
      visible(/<th scope="row">([\s\S]*?)<\/th>/.exec(row)![1]!),
      [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => Number(visible(match[1]!))),
    ]);
}

for (const engine of testEngines()) {
  describe(`coverage and credit (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine, { PAGE_CACHE_SECONDS: '60' });
    });
    after(async () => {
      await site.close();
    });
    let storyIds: Record<string, number>;
    beforeEach(async () => {
      await site.reset();
      const { stories } = await createCatalog(site.services, [
        { slug: 'wiki-clubs', texts: { en: { title: 'School wiki clubs', body: BODY } } },
        {
          slug: 'photo-walk',
          // A title alone: one unit, published in French by a whole-text import.
          texts: { en: { title: 'A photo walk' }, fr: { title: 'Une promenade photo' } },
        },
        { slug: 'draft-story', texts: { en: { title: 'Not yet', body: BODY } }, status: 'draft' },
      ]);
      storyIds = Object.fromEntries(stories.map((story) => [story.slug, story.id]));
    });
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    /** Saves translations of some units (all by default) for review as `translator`; `reviewer` then approves them. */
    async function translate(
      slug: string,
      language: string,
      translator: { id: number },
      reviewer?: { id: number },
      count?: number,
    ) {
      const { translations } = site.services.repositories;
      const storyId = storyIds[slug]!;
      const rows = (await translations.rows(storyId, language)).slice(0, count);
      for (const row of rows) {
        const saved = await translations.save({
          storyId,
          unitId: row.id,
          language,
          baseRevision: row.revision,
          sourceVersion: row.sourceVersion,
          text: `[${language}] ${row.source}`,
          state: 'review',
          origin: 'human',
          userId: translator.id,
        });
        assert.ok(saved.ok, `unit ${row.id} saved`);
      }
      if (reviewer) {
        const outcome = await translations.review({
          storyId,
          language,
          unitIds: rows.map((row) => row.id),
          decision: 'approve',
          comment: '',
          reviewerId: reviewer.id,
        });
        assert.equal(outcome.approved.length, rows.length);
      }
    }

    /** A subtitle track saved by `author` (one revision per text), published at its first revision when `approver` is given. */
    async function subtitle(
      slug: string,
      language: string,
      author: { id: number },
      texts: string[],
      approver?: { id: number },
    ) {
      const { subtitles } = site.services;
      const storyId = storyIds[slug]!;
      for (const [index, text] of texts.entries()) {
        const cues = [{ id: '', startTime: 0, endTime: 2, text, settings: defaultCueSettings() }];
        const saved = await subtitles.save({ storyId, language, baseRevision: index, cues, userId: author.id });
        assert.ok(saved.ok);
        if (index === 0 && approver) {
          await subtitles.submitForReview(storyId, language, 1, author.id);
          await subtitles.approve(storyId, language, 1, approver.id);
        }
      }
    }

    test('the matrix shows per story and language the text and subtitles published, in per cent', async () => {
      const translator = await createUser(site.services, 'Nadia');
      const reviewer = await createUser(site.services, 'Rami', [{ role: 'reviewer', language: 'ar' }]);
      await translate('wiki-clubs', 'ar', translator, reviewer, 1);
      await subtitle('photo-walk', 'fr', translator, ['Bonjour'], reviewer);
      await subtitle('photo-walk', 'ar', translator, ['مرحبا']);

      const page = await get('/en/translations');
      assert.equal(page.statusCode, 200);
      const matrix = matrixOf(page.body);
      assert.deepEqual([...matrix.keys()].sort(), ['photo-walk', 'wiki-clubs'], 'published stories only');
      assert.equal(matrix.get('wiki-clubs')!.ar, 'Text 25% | Subtitles 0%', 'one unit of four, floored');
      assert.equal(matrix.get('wiki-clubs')!.fr, 'Text 0% | Subtitles 0%');
      assert.equal(matrix.get('wiki-clubs')!.en, 'Source text | Subtitles 0%');
      assert.equal(matrix.get('photo-walk')!.fr, 'Text 100% | Subtitles 100%', 'a published track');
      assert.equal(matrix.get('photo-walk')!.ar, 'Text 0% | Subtitles 0%', 'a draft track is not published');
      const enabled = (await site.services.languages.list()).filter((language) => language.enabled);
      assert.deepEqual(
        Object.keys(matrix.get('photo-walk')!),
        enabled.map((language) => bcp47(language.code)),
        'a column per enabled language',
      );
      assert.match(page.body, /<a href="\/en\/translate\/wiki-clubs\/ar">Text\s25%<\/a>/, 'a cell opens the editor');
      assert.doesNotMatch(page.body, /\/translate\/wiki-clubs\/en"/, 'no editor for the source language');
      assert.match(page.body, /<th scope="row"><a href="\/en\/stories\/photo-walk">A photo walk<\/a><\/th>/);
      assert.match(page.body, /<caption id="coverage-matrix-caption">/);
      assert.match(page.body, /role="region" aria-labelledby="coverage-matrix-caption" tabindex="0"/);

      // Above the matrix: sentences published per language across the stories listed (4 units and 1).
      const progress = progressOf(page.body);
      assert.deepEqual(progress.get('fr'), ['20%', '1 of 5']);
      assert.deepEqual(progress.get('ar'), ['20%', '1 of 5']);
      assert.deepEqual(progress.get('en'), ['100%', '5 of 5'], 'the source counts whole');
      assert.deepEqual(progress.get('ja'), ['0%', '0 of 5']);
    });

    test('titles follow the reader, and every word of the page is in its language', async () => {
      const french = await get('/fr/translations');
      assert.match(french.body, /<a href="\/fr\/stories\/photo-walk">Une promenade photo<\/a>/);
      assert.match(french.body, /<a href="\/fr\/stories\/wiki-clubs" lang="en" dir="ltr">School wiki clubs<\/a>/);
      assert.match(french.body, /Couverture des traductions/);
      assert.equal(matrixOf(french.body).get('photo-walk')!.fr, 'Texte 100 % | Sous-titres 0 %');
      const arabic = await get('/ar/translations');
      assert.match(arabic.body, /<html lang="ar" dir="rtl">/);
      assert.match(arabic.body, /تغطية الترجمة/);
      assert.equal(matrixOf(arabic.body).get('wiki-clubs')!.en, 'النص الأصلي | الترجمة المرئية 0٪');
      for (const english of ['Translation coverage', 'Source text', 'Subtitles', 'Sentences'])
        assert.ok(!visible(arabic.body).includes(english), `no "${english}" on the Arabic page`);
    });

    test('filters by region and theme narrow the rows, with a plain GET form', async () => {
      const { catalog, stories } = site.services.repositories;
      await catalog.saveRegion({ slug: 'asia', names: { en: 'Asia' } });
      await catalog.saveTheme({ slug: 'archives', names: { en: 'Archives' } });
      const asia = (await catalog.regions()).find((region) => region.slug === 'asia')!;
      const archives = (await catalog.themes()).find((theme) => theme.slug === 'archives')!;
      const created = (await stories.create(
        {
          slug: 'old-maps',
          regionId: asia.id,
          sourceLanguage: 'en',
          featured: false,
          themeIds: [archives.id],
          storytellerIds: [],
          text: { language: 'en', title: 'Old maps', summary: '', blocks: [{ type: 'paragraph', text: 'Maps.' }] },
        },
        null,
      ))!;
      await stories.setPublished(created.id, new Date('2026-06-01T00:00:00Z'));

      const slugs = async (query: string) => [...matrixOf((await get(`/en/translations${query}`)).body).keys()].sort();
      assert.deepEqual(await slugs(''), ['old-maps', 'photo-walk', 'wiki-clubs']);
      assert.deepEqual(await slugs('?region=asia'), ['old-maps']);
      assert.deepEqual(await slugs('?region=africa'), ['photo-walk', 'wiki-clubs']);
      assert.deepEqual(await slugs('?theme=education'), ['photo-walk', 'wiki-clubs']);
      assert.deepEqual(await slugs('?theme=archives&region=asia'), ['old-maps']);
      assert.deepEqual(await slugs('?region=nowhere'), ['old-maps', 'photo-walk', 'wiki-clubs'], 'unknown: no filter');
      const filtered = await get('/en/translations?region=asia');
      assert.match(filtered.body, /<form class="catalog-filters" method="get" action="\/en\/translations">/);
      assert.match(filtered.body, /<option value="asia" selected>Asia<\/option>/);
      assert.deepEqual(progressOf(filtered.body).get('en'), ['100%', '2 of 2'], 'progress follows the filter');
      const none = await get('/en/translations?region=asia&theme=education');
      assert.match(none.body, /No stories match these filters/);
      assert.doesNotMatch(none.body, /coverage-matrix-caption/);
    });

    test('an approval reaches a cached matrix and board at once', async () => {
      const translator = await createUser(site.services, 'Nadia');
      const reviewer = await createUser(site.services, 'Rami', [{ role: 'reviewer', language: 'ar' }]);
      await translate('wiki-clubs', 'ar', translator, undefined, 2);
      assert.equal((await get('/en/translations')).headers['x-cache'], 'miss');
      const cached = await get('/en/translations');
      assert.equal(cached.headers['x-cache'], 'hit');
      assert.equal(matrixOf(cached.body).get('wiki-clubs')!.ar, 'Text 0% | Subtitles 0%', 'awaiting review');
      await get('/en/contributors');
      assert.equal((await get('/en/contributors')).headers['x-cache'], 'hit');

      const storyId = storyIds['wiki-clubs']!;
      const rows = await site.services.repositories.translations.rows(storyId, 'ar');
      await site.services.repositories.translations.review({
        storyId,
        language: 'ar',
        unitIds: rows.filter((row) => row.state === 'review').map((row) => row.id),
        decision: 'approve',
        comment: '',
        reviewerId: reviewer.id,
      });
      const after = await get('/en/translations');
      assert.notEqual(after.headers['x-cache'], 'hit');
      assert.equal(matrixOf(after.body).get('wiki-clubs')!.ar, 'Text 50% | Subtitles 0%');
      assert.deepEqual(boardOf((await get('/en/contributors')).body), [
        ['Nadia', [2, 0, 0, 2]],
        ['Rami', [0, 2, 0, 2]],
      ]);
    });

    test('a subtitle approval reaches a cached matrix at once', async () => {
      const author = await createUser(site.services, 'Nadia');
      const reviewer = await createUser(site.services, 'Rami');
      await get('/en/translations');
      await subtitle('photo-walk', 'fr', author, ['Bonjour'], reviewer);
      assert.equal(matrixOf((await get('/en/translations')).body).get('photo-walk')!.fr, 'Text 100% | Subtitles 100%');
    });

    test('credits name the people whose work is published, with their languages', async () => {
      const nadia = await createUser(site.services, 'Nadia');
      const zoe = await createUser(site.services, 'zoé');
      const rami = await createUser(site.services, 'Rami');
      const drafter = await createUser(site.services, 'Drafter');
      const late = await createUser(site.services, 'Latecomer');
      await translate('wiki-clubs', 'ar', nadia, rami, 2);
      await translate('wiki-clubs', 'fr', nadia, zoe);
      await translate('wiki-clubs', 'es', zoe, rami);
      await translate('wiki-clubs', 'ja', drafter);
      await subtitle('wiki-clubs', 'sw', zoe, ['Habari'], rami);
      // A revision after the published one is not what viewers see yet.
      await site.services.subtitles.save({
        storyId: storyIds['wiki-clubs']!,
        language: 'sw',
        baseRevision: 1,
        cues: [{ id: '', startTime: 0, endTime: 2, text: 'Habari zenu', settings: defaultCueSettings() }],
        userId: late.id,
      });

      const found = await site.services.contributions.credits(storyIds['wiki-clubs']!);
      assert.deepEqual(found, {
        translators: [
          { username: 'Nadia', bot: false, languages: ['ar', 'fr'] },
          { username: 'zoé', bot: false, languages: ['es'] },
        ],
        reviewers: [
          { username: 'Rami', bot: false, languages: ['ar', 'es'] },
          { username: 'zoé', bot: false, languages: ['fr'] },
        ],
        subtitlers: [{ username: 'zoé', bot: false, languages: ['sw'] }],
      });
      const section = visible(renderToString(credits(await pageContext('en'), found)!).replace(/></g, '> <'));
      assert.equal(
        section,
        'Translated and subtitled by Translation Nadia (العربية and français) zoé (español) ' +
          'Review Rami (العربية and español) zoé (français) Subtitles zoé (Kiswahili)',
      );
      assert.deepEqual(await site.services.contributions.credits(storyIds['photo-walk']!), {
        translators: [],
        reviewers: [],
        subtitlers: [],
      });
      assert.equal(credits(await pageContext('en'), { translators: [], reviewers: [], subtitlers: [] }), null);
    });

    test('the board counts each person’s work in the month asked, the most active first', async () => {
      const nadia = await createUser(site.services, 'Nadia');
      const rami = await createUser(site.services, 'Rami');
      const omar = await createUser(site.services, 'Omar');
      await translate('wiki-clubs', 'ar', nadia, rami);
      await translate('photo-walk', 'ar', nadia, undefined, 1);
      // Saved twice: still one unit translated.
      await translate('photo-walk', 'ar', nadia, undefined, 1);
      await subtitle('wiki-clubs', 'sw', omar, ['Habari', 'Habari zenu', 'Habari zenu nyote']);
      // Rami's review and Omar's revisions happened in March 2025.
      await sql`UPDATE unit_history SET created_at = '2025-03-15T12:00:00Z' WHERE user_id = ${rami.id}`.execute(
        site.database.db,
      );
      await sql`UPDATE subtitle_revisions SET created_at = '2025-03-31T23:59:59Z' WHERE user_id = ${omar.id}`.execute(
        site.database.db,
      );

      const now = await get('/en/contributors');
      assert.equal(now.statusCode, 200);
      assert.deepEqual(boardOf(now.body), [['Nadia', [5, 0, 0, 5]]]);
      assert.doesNotMatch(now.body, /rel="next"/, 'no month after the current one');
      const month = new Date().toISOString().slice(0, 7);
      assert.equal(boardOf((await get(`/en/contributors?month=${month}`)).body).length, 1);

      const march = await get('/en/contributors?month=2025-03');
      assert.match(visible(march.body), /Contributors: March 2025/);
      assert.deepEqual(boardOf(march.body), [
        ['Rami', [0, 4, 0, 4]],
        ['Omar', [0, 0, 3, 3]],
      ]);
      const link = (body: string, rel: string) =>
        new RegExp(`<a rel="${rel}" href="([^"]+)">([^<]+)</a>`).exec(body)?.slice(1).map(visible);
      assert.deepEqual(link(march.body, 'prev'), ['/en/contributors?month=2025-02', 'Previous month: February 2025']);
      assert.deepEqual(link(march.body, 'next'), ['/en/contributors?month=2025-04', 'Next month: April 2025']);
      const empty = await get('/en/contributors?month=2025-02');
      assert.match(visible(empty.body), /Nobody has contributed in February 2025 yet\./);
      const arabic = await get('/ar/contributors?month=2025-03');
      assert.match(visible(arabic.body), /المساهمون: مارس 2025/);
      assert.equal((await get('/en/contributors?month=2025-13')).statusCode, 400);
      assert.equal((await get('/en/contributors?month=march')).statusCode, 400);
      assert.equal((await get('/en/contributors?month=1969-12')).statusCode, 404);
    });

    test('usernames are shown as text, never as markup', async () => {
      const hostile = await site.services.repositories.users.create({
        username: HOSTILE,
        displayName: HOSTILE,
        passwordHash: 'not-a-hash',
      });
      const reviewer = await createUser(site.services, 'Rami');
      await translate('wiki-clubs', 'ar', hostile!, reviewer, 1);
      const board = await get('/en/contributors');
      assert.ok(!board.body.includes(HOSTILE));
      assert.match(board.body, /<bdi>&lt;img src=x onerror=alert\(1\)><\/bdi>/);
      const rendered = renderToString(
        credits(await pageContext('en'), await site.services.contributions.credits(storyIds['wiki-clubs']!))!,
      );
      assert.ok(!rendered.includes(HOSTILE));
      assert.match(rendered, /<bdi>&lt;img src=x onerror=alert\(1\)><\/bdi>/);
    });

    /** What a page template is given, for rendering a component on its own. */
    async function pageContext(code: string): Promise<PageContext> {
      const languages = (await site.services.languages.list()).filter((language) => language.enabled);
      const language = languages.find((candidate) => candidate.code === code)!;
      return {
        language,
        chain: [code, ...language.fallbacks],
        languages,
        t: site.services.messages.forLanguage(code),
        user: null,
        can: () => false,
        csrfToken: undefined,
        path: '/',
        saveData: false,
        formatDate: (date) => date.toISOString(),
        formatNumber: (value) => String(value),
      };
    }
  });
}
