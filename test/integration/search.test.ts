import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { startTestSite, type TestSite } from '../helpers/app.ts';
import { createTestDatabase, testEngines } from '../helpers/database.ts';
import { openDatabase, type Database, type Engine } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { parseQuery } from '../../src/domain/search/query.ts';
import { defaultCueSettings } from '../../src/domain/subtitles/cue.ts';
import { searchRepository } from '../../src/store/repositories/search.ts';
import { publishTranslations } from '../../src/store/repositories/story-units.ts';
import type { Services } from '../../src/services/index.ts';

// Search through the page and the service, on every engine: a table of queries and the story each
// must find (typos, accents, Arabic spellings, Chinese and Japanese substrings, Hindi and Nepali),
// filters, ranking, hostile queries, the index kept in step with edits, the plans' indexes, and an
// existing site's stories indexed by the migration.

interface StoryFixture {
  slug: string;
  region: string;
  themes: string[];
  people: string[];
  publishedAt: string;
  status?: 'draft';
  texts: Record<string, { title: string; summary?: string; body?: string }>;
}

const STORIES: StoryFixture[] = [
  {
    slug: 'screen',
    region: 'africa',
    themes: ['heritage'],
    people: ['Amani'],
    publishedAt: '2026-01-10',
    texts: {
      en: {
        title: 'Behind the Screen in Kisumu',
        summary: 'Village ledgers and wiki clubs.',
        body: 'Volunteers kept the ledgers of the lending library.\n\nPhotographs of the community were uploaded with careful descriptions.',
      },
      ar: {
        title: 'خلف الشاشة في كيسومو',
        summary: 'سجلات القرية ونوادي الويكي.',
        body: 'احتفظ المتطوعون بسجلات المكتبة.',
      },
    },
  },
  {
    slug: 'bogota',
    region: 'latin-america',
    themes: ['gender-gap'],
    people: ['Lucia'],
    publishedAt: '2026-02-10',
    texts: {
      es: {
        title: 'Mujeres editoras de Bogotá',
        summary: 'Un taller de edición en la biblioteca pública.',
        body: 'Las voluntarias escribieron artículos sobre la ciudad y sus canciones.',
      },
      en: { title: 'Women editors of Bogotá', summary: 'An editing workshop at the public library.' },
    },
  },
  {
    slug: 'lodz',
    region: 'europe',
    themes: ['heritage'],
    people: ['Amani'],
    publishedAt: '2026-03-10',
    texts: { pl: { title: 'Łódź i jej archiwa', body: 'Wolontariusze opisali archiwum miejskie i żółte tramwaje.' } },
  },
  {
    slug: 'tokyo',
    region: 'east-asia',
    themes: ['education'],
    people: ['Kenji'],
    publishedAt: '2026-04-10',
    texts: {
      ja: {
        title: '東京都の図書館',
        summary: 'ボランティアは毎週土曜日に図書館に集まった。',
        body: '漁村の写真もウィキメディア・コモンズに載せた。',
      },
    },
  },
  {
    slug: 'beijing',
    region: 'east-asia',
    themes: ['education'],
    people: ['Kenji'],
    publishedAt: '2026-04-11',
    texts: { 'zh-hans': { title: '幕后的志愿者', body: '志愿者在北京的图书馆工作。' } },
  },
  {
    slug: 'school',
    region: 'south-asia',
    themes: ['education'],
    people: ['Priya'],
    publishedAt: '2026-05-10',
    texts: {
      hi: {
        title: 'गाँव का विद्यालय',
        summary: 'बच्चों ने मिलकर पढ़ाई की।',
        body: 'स्वयंसेवकों ने पुस्तकालय खोला।',
      },
      ne: { title: 'गाउँको विद्यालय', summary: 'केटाकेटीहरूले सँगै पढे।', body: 'स्वयंसेवकहरूले पुस्तकालय खोले।' },
    },
  },
  {
    slug: 'amman',
    region: 'middle-east',
    themes: ['education'],
    people: ['Rania'],
    publishedAt: '2026-06-10',
    texts: {
      ar: {
        title: 'مُتَطَوِّعُونَ في عَمّان',
        summary: 'مدرسة للفتيات قرب المستشفى.',
        body: 'أسّس المتطوعون مكتبةً صغيرة، وقرأ أحمد مع الأطفال.',
      },
    },
  },
  {
    slug: 'paris',
    region: 'europe',
    themes: ['education'],
    people: ['Camille'],
    publishedAt: '2026-07-10',
    texts: {
      fr: {
        title: "Les bénévoles de l'École normale",
        summary: 'Des éditions numériques pour tous.',
        body: 'Les étudiantes ont créé une bibliothèque en ligne.',
      },
    },
  },
  {
    slug: 'radio',
    region: 'africa',
    themes: ['heritage'],
    people: ['Amani'],
    publishedAt: '2026-08-10',
    texts: {
      en: {
        title: 'Community radio archive',
        summary: 'Forty years of interviews, digitised.',
        body: 'Translators and archivists listened to every tape. The broadcasters remembered the harbour.',
      },
    },
  },
  {
    slug: 'harbour-lights',
    region: 'africa',
    themes: ['heritage'],
    people: ['Amani'],
    publishedAt: '2025-01-10',
    texts: { en: { title: 'Harbour lights', summary: 'Fishers mapped the bay.' } },
  },
  {
    slug: 'horse',
    region: 'europe',
    themes: ['heritage'],
    people: ['Camille'],
    publishedAt: '2025-02-10',
    texts: { en: { title: 'Horse riders of the steppe' } },
  },
  {
    slug: 'house',
    region: 'europe',
    themes: ['heritage'],
    people: ['Camille'],
    publishedAt: '2026-09-10',
    texts: { en: { title: 'House builders of the valley' } },
  },
  {
    slug: 'dakar-en',
    region: 'africa',
    themes: ['tools'],
    people: ['Amani'],
    publishedAt: '2026-10-10',
    texts: { en: { title: 'Dakar mappers', summary: 'Mapping parties.' } },
  },
  {
    slug: 'dakar-fr',
    region: 'africa',
    themes: ['tools'],
    people: ['Amani'],
    publishedAt: '2025-10-10',
    texts: { fr: { title: 'Cartographes de Dakar', summary: 'Des soirées de cartographie.' } },
  },
  {
    slug: 'draft',
    region: 'africa',
    themes: ['tools'],
    people: ['Amani'],
    publishedAt: '2026-01-01',
    status: 'draft',
    texts: { en: { title: 'Unpublished zeppelin notes' } },
  },
];

/** Query → the stories it must find (all of them, in any order); [] for none. */
const CASES: Array<[string, string[], string]> = [
  ['screen', ['screen'], 'a whole English word'],
  ['Sceen', ['screen'], 'a letter dropped (issue 13)'],
  ['ledgres', ['screen'], 'two letters swapped (issue 13)'],
  ['Scren', ['screen'], 'a letter dropped'],
  ['screean', ['screen'], 'a letter added'],
  ['scraen', ['screen'], 'a letter replaced'],
  ['ledger', ['screen'], 'stemming: singular finds plural'],
  ['photograph', ['screen'], 'stemming'],
  ['comunity', ['screen', 'radio'], 'one letter dropped in an eight-letter word'],
  ['communtiy radio', ['radio'], 'a swap in a nine-letter word, with a second word'],
  ['comminuty radio', ['radio'], 'two edits in a nine-letter word'],
  ['transltaors', ['radio'], 'a swap in an eleven-letter word'],
  ['archivsts', ['radio'], 'a letter dropped in a ten-letter word'],
  ['broadcastres', ['radio'], 'two letters swapped'],
  ['lendi', ['screen'], 'the last word typed is a prefix'],
  ['lending libr', ['screen'], 'a prefix after a whole word'],
  ['digitis', ['radio'], 'a prefix of a word whose stem is shorter'],
  ['Bogota', ['bogota'], 'without the accent'],
  ['BOGOTÁ', ['bogota'], 'with it, in capitals'],
  ['biblioteca', ['bogota'], 'Spanish'],
  ['edicion', ['bogota'], 'Spanish without accent'],
  ['Lodz', ['lodz'], 'Polish ł, ó and ź folded'],
  ['zolte', ['lodz'], 'Polish ż and ó folded'],
  ['ecole', ['paris'], 'French without accents'],
  ['bénévoles', ['paris'], 'French with accents'],
  ['benevole', ['paris'], 'French stem, no accents'],
  ['bibliotheque', ['paris'], 'French'],
  ['متطوعون', ['amman', 'screen'], 'Arabic without diacritics finds a text with them'],
  ['مُتَطَوِّعُونَ', ['amman', 'screen'], 'Arabic with diacritics'],
  ['مكتبة', ['screen', 'amman'], 'Arabic without the article'],
  ['مدرسه', ['amman'], 'taa marbuta written as haa'],
  ['المستشفي', ['amman'], 'alef maksura written as yeh'],
  ['اسس', ['amman'], 'hamza on alef left out'],
  ['احمد', ['amman'], 'bare alef for alef with hamza'],
  ['عمان', ['amman'], 'shadda left out'],
  ['الشاشه', ['screen'], 'an Arabic translation'],
  ['المكتبة', ['screen', 'amman'], 'Arabic stemming: the article and a case ending'],
  ['図書館', ['tokyo'], 'Japanese word'],
  ['東京', ['tokyo'], 'Japanese, two characters'],
  ['京都', ['tokyo'], 'Japanese, two characters inside a word'],
  ['漁村', ['tokyo'], 'Japanese in the body'],
  ['ウィキメディア', ['tokyo'], 'katakana'],
  ['幕后', ['beijing'], 'Chinese, two characters'],
  ['图书馆', ['beijing'], 'Chinese, three characters'],
  ['विद्यालय', ['school'], 'Hindi and Nepali'],
  ['पुस्तकालय', ['school'], 'Devanagari in the body'],
  ['स्वयंसेवकहरूले', ['school'], 'Nepali inflected'],
  ['गांव', ['school'], 'Hindi with anusvara for candrabindu'],
  ['Amani', ['screen', 'lodz', 'radio', 'harbour-lights', 'dakar-en', 'dakar-fr'], 'a storyteller'],
  ['Afrique', ['screen', 'radio', 'harbour-lights', 'dakar-en', 'dakar-fr'], "a region's name in another language"],
  ['أفريقيا', ['screen', 'radio', 'harbour-lights', 'dakar-en', 'dakar-fr'], "a region's Arabic name"],
  ['Patrimoine', ['screen', 'lodz', 'radio', 'harbour-lights', 'horse', 'house'], "a theme's French name"],
  ['zeppelin', [], 'a draft is never found'],
  ['zebra', [], 'nothing'],
  ['lo', [], 'two letters are no prefix'],
];

async function seed(services: Services) {
  const { catalog, stories, translations, media, subtitles } = services.repositories;
  const regions = {
    africa: { en: 'Africa', fr: 'Afrique', ar: 'أفريقيا' },
    'latin-america': { en: 'Latin America', es: 'América Latina' },
    europe: { en: 'Europe' },
    'east-asia': { en: 'East Asia', ja: '東アジア' },
    'south-asia': { en: 'South Asia' },
    'middle-east': { en: 'Middle East', ar: 'الشرق الأوسط' },
  };
  for (const [slug, names] of Object.entries(regions)) await catalog.saveRegion({ slug, names });
  const themes = {
    heritage: { en: 'Heritage', fr: 'Patrimoine' },
    'gender-gap': { en: 'Gender gap' },
    education: { en: 'Education' },
    tools: { en: 'Tools' },
  };
  for (const [slug, names] of Object.entries(themes)) await catalog.saveTheme({ slug, names });
  for (const name of ['Amani', 'Lucia', 'Kenji', 'Priya', 'Rania', 'Camille'])
    await catalog.savePerson({ username: name, displayName: `${name} K.`, homeWiki: '', bios: {}, photoUrl: null });
  const regionIds = new Map((await catalog.regions()).map((r) => [r.slug, r.id]));
  const themeIds = new Map((await catalog.themes()).map((t) => [t.slug, t.id]));
  const personIds = new Map((await catalog.people()).map((p) => [p.username, p.id]));
  const ids = new Map<string, number>();
  for (const story of STORIES) {
    const [[source, first], ...rest] = Object.entries(story.texts) as [
      [string, StoryFixture['texts'][string]],
      ...Array<[string, StoryFixture['texts'][string]]>,
    ];
    const text = (language: string, value: StoryFixture['texts'][string]) => ({
      language,
      title: value.title,
      summary: value.summary ?? '',
      blocks: (value.body ?? '')
        .split('\n\n')
        .filter(Boolean)
        .map((paragraph) => ({ type: 'paragraph' as const, text: paragraph })),
    });
    const record = (await stories.create(
      {
        slug: story.slug,
        regionId: regionIds.get(story.region)!,
        sourceLanguage: source,
        featured: false,
        themeIds: story.themes.map((t) => themeIds.get(t)!),
        storytellerIds: story.people.map((p) => personIds.get(p)!),
        text: text(source, first),
      },
      null,
    ))!;
    for (const [language, value] of rest) await translations.importWholeText(record.id, text(language, value));
    if (story.status !== 'draft') await stories.setPublished(record.id, new Date(story.publishedAt));
    ids.set(story.slug, record.id);
  }
  await media.add({
    storyId: ids.get('radio')!,
    role: 'rendition',
    label: '360p-webm',
    storageKey: 'radio/360p.webm',
    mime: 'video/webm',
    bytes: 1000,
  });
  await subtitles.save({
    storyId: ids.get('screen')!,
    language: 'ar',
    cues: [{ id: '', startTime: 0, endTime: 2, text: 'مرحبا', settings: defaultCueSettings() }],
    userId: null,
    summary: 'test',
    changedCues: 1,
  });
  await subtitles.publishCurrent(ids.get('screen')!, 'ar');
  return ids;
}

for (const engine of testEngines()) {
  describe(`search (${engine})`, () => {
    let site: TestSite;
    let ids: Map<string, number>;
    before(async () => {
      site = await startTestSite(engine);
      await site.reset();
      ids = await seed(site.services);
    });
    after(async () => {
      await site.close();
    });
    const get = (url: string) => site.app.inject({ method: 'GET', url });
    /** The slugs of the stories a search page lists, in order. */
    const slugs = (body: string) =>
      [...body.matchAll(/<h2 class="search-result__title">\s*<a href="\/\w[\w-]*\/stories\/([^"]+)"/g)].map(
        (m) => m[1]!,
      );
    const find = async (q: string, extra = '', language = 'en') => {
      const page = await get(`/${language}/search?q=${encodeURIComponent(q)}${extra}`);
      assert.equal(page.statusCode, 200, `${q}: ${page.statusCode}`);
      return slugs(page.body);
    };

    test(`a table of ${CASES.length} queries finds the stories it should`, async () => {
      const wrong: string[] = [];
      for (const [q, expected, why] of CASES) {
        const found = await find(q);
        if (JSON.stringify([...found].sort()) !== JSON.stringify([...expected].sort()))
          wrong.push(`${q} (${why}): found [${found.join(', ')}], expected [${expected.join(', ')}]`);
      }
      assert.deepEqual(wrong, []);
    });

    test('matches are marked in the title and in a snippet of the text, in the language that matched', async () => {
      const page = await get(`/en/search?q=${encodeURIComponent('ledgres photographs')}`);
      assert.match(page.body, /Village <mark>ledgers<\/mark> and wiki clubs\./);
      const body = await get(`/en/search?q=${encodeURIComponent('careful descriptions')}`);
      assert.match(body.body, /search-result__excerpt">[^<]*<mark>careful<\/mark> <mark>descriptions<\/mark>/);
      const arabic = await get(`/en/search?q=${encodeURIComponent('عمان')}`);
      assert.match(
        arabic.body,
        /<a href="\/en\/stories\/amman" lang="ar" dir="rtl">مُتَطَوِّعُونَ في <mark>عَمّان<\/mark><\/a>/,
      );
      const japanese = await get(`/ja/search?q=${encodeURIComponent('京都')}`);
      assert.match(japanese.body, />東<mark>京都<\/mark>の図書館</);
    });

    test('ranking: title matches first, exact words before corrected ones, the reader’s language before others', async () => {
      assert.deepEqual(await find('harbour'), ['harbour-lights', 'radio'], 'the title match, though older');
      assert.deepEqual((await find('horse')).slice(0, 2), ['horse', 'house'], 'the exact word before a correction');
      assert.deepEqual(await find('dakar', '', 'en'), ['dakar-en', 'dakar-fr']);
      assert.deepEqual(await find('dakar', '', 'fr'), ['dakar-fr', 'dakar-en'], 'French first for a French reader');
      const french = await get(`/fr/search?q=${encodeURIComponent('bogota')}`);
      assert.match(
        french.body,
        /<a href="\/fr\/stories\/bogota" lang="en" dir="ltr">Women editors of <mark>Bogotá<\/mark>/,
      );
      const spanish = await get(`/es/search?q=${encodeURIComponent('bogota')}`);
      assert.match(
        spanish.body,
        /<a href="\/es\/stories\/bogota">Mujeres editoras de <mark>Bogotá<\/mark>/,
        'each reader sees their own language’s text',
      );
    });

    test('filters: region, theme, language, has a video, has subtitles in my language; also without words', async () => {
      assert.deepEqual((await find('amani', '&region=europe')).sort(), ['lodz']);
      assert.deepEqual((await find('amani', '&theme=tools')).sort(), ['dakar-en', 'dakar-fr']);
      assert.deepEqual(await find('biblioteca', '&language=es'), ['bogota']);
      assert.deepEqual(await find('library', '&language=es'), [], 'the English text does not count');
      assert.deepEqual(await find('archive', '&video=1'), ['radio']);
      assert.deepEqual(await find('amani', '&video=1'), ['radio']);
      assert.deepEqual(await find('amani', '&subtitles=1', 'ar'), ['screen'], 'Arabic subtitles, for an Arabic reader');
      assert.deepEqual(await find('amani', '&subtitles=1', 'en'), [], 'no English subtitles anywhere');
      assert.deepEqual((await find('', '&region=south-asia')).sort(), ['school'], 'filters alone list their stories');
      const page = await get('/en/search?q=amani&region=europe&video=1');
      assert.match(page.body, /<option value="europe" selected>/, 'the form keeps the filters');
      assert.match(page.body, /name="video" value="1" checked/);
    });

    test('results come a page at a time', async () => {
      const all = await site.services.search.search('amani', ['en'], {}, 1, 4);
      assert.equal(all.total, 6);
      assert.equal(all.pages, 2);
      const second = await site.services.search.search('amani', ['en'], {}, 2, 4);
      assert.equal(second.results.length, 2);
      assert.equal(new Set([...all.results, ...second.results].map((r) => r.slug)).size, 6);
    });

    test('a broad query ranks the texts of the newest stories and says there are more', async () => {
      const narrow = searchRepository(site.database.db, { broadAfter: 3 });
      const request = { words: parseQuery('amani '), chain: ['en'], limit: 2, offset: 0 };
      const found = await narrow.search(request);
      assert.equal(found.more, true, 'more than were ranked');
      assert.equal(found.total, 2, 'the two newest of the six');
      assert.deepEqual(
        found.hits.map((hit) => hit.slug),
        ['dakar-en', 'dakar-fr'],
        'ranked as ever: the reader’s language first',
      );
      const all = await site.services.repositories.search.search({ ...request, limit: 10 });
      assert.deepEqual([all.more, all.total], [false, 6]);
      const later = await narrow.search({ ...request, offset: 4 });
      assert.equal(later.hits.length, 2, 'a later page widens the window until it is filled');
      assert.equal(later.more, false);
    });

    test('hostile queries give a page, never an error', async () => {
      const hostile = [
        "'; DROP TABLE stories; --",
        'screen & !ledgers | (a <-> b) :* ',
        '<script>alert(1)</script>',
        '\\\\ %_ "quoted" (((',
        ':* & | ! <2> ',
        'a'.repeat(199),
        `${'ledgers '.repeat(24)}`.slice(0, 200),
      ];
      for (const q of hostile) {
        const page = await get(`/en/search?q=${encodeURIComponent(q)}`);
        assert.equal(page.statusCode, 200, q);
        assert.doesNotMatch(page.body, /<script>alert/);
      }
      assert.equal((await get(`/en/search?q=${encodeURIComponent("'; DROP TABLE stories; --")}`)).statusCode, 200);
      assert.deepEqual(await find('screen'), ['screen'], 'the stories are still there');
      const long = await get(`/en/search?q=${'x'.repeat(10_000)}`);
      assert.equal(long.statusCode, 400, '10 KB: too long, said on the page');
      assert.match(long.body, /search-error-too-long|at most 200 characters/);
      const longer = await get(`/en/search?q=${'x'.repeat(10_001)}`);
      assert.ok(longer.statusCode >= 400 && longer.statusCode < 500, `past the schema: ${longer.statusCode}`);
      for (const raw of ['%ED%A0%80ledgers', '%00ledgers', '%C0%AF', '%F4%90%80%80', 'ledgers%E2%80']) {
        const page = await get(`/en/search?q=${raw}`);
        assert.ok(page.statusCode < 500, `${raw}: ${page.statusCode}`);
      }
      const lone = await site.services.search.search('\uD800ledgers\uDFFF \u0000', ['en']);
      assert.deepEqual(
        lone.results.map((r) => r.slug),
        ['screen'],
        'lone surrogates and NUL are not words',
      );
    });

    test('the index follows edits: a story’s words, its storytellers and a renamed region', async () => {
      const { stories, catalog, search } = site.services.repositories;
      const house = (await stories.findById(ids.get('house')!))!;
      const edited = await stories.update(
        house.id,
        house.revision,
        {
          slug: 'house',
          regionId: house.regionId,
          sourceLanguage: 'en',
          featured: false,
          themeIds: house.themeIds,
          storytellerIds: [(await catalog.personByUsername('Priya'))!.id],
          text: { language: 'en', title: 'Cottage builders of the valley', summary: '', blocks: [] },
        },
        null,
      );
      assert.ok(edited?.ok);
      assert.deepEqual(await find('cottage'), ['house']);
      assert.deepEqual(await find('priya', '&region=europe'), ['house'], 'the new storyteller');
      assert.ok(!(await find('camille')).includes('house'), 'the old one is gone');
      const words = async () =>
        (await sql<{ word: string }>`SELECT word FROM search_words`.execute(site.database.db)).rows.map((r) => r.word);
      assert.ok(!(await words()).includes('house'), 'a word no text holds any more leaves the word list');
      assert.ok((await words()).includes('cottage'));

      const europe = (await catalog.regionBySlug('europe'))!;
      await catalog.saveRegion({ id: europe.id, slug: 'europe', names: { en: 'Europa Centralis' } });
      assert.deepEqual((await find('centralis')).sort(), ['horse', 'house', 'lodz', 'paris']);
      const found = await search.search({ words: parseQuery('centralis '), chain: ['en'], limit: 10, offset: 0 });
      assert.equal(found.total, 4);
    });

    test('a translation taken off the page leaves search', async () => {
      assert.deepEqual(await find('Mujeres'), ['bogota']);
      const english = await find('editing workshop');
      assert.deepEqual(english, ['bogota']);
      await sql`UPDATE unit_translations SET state = 'draft' WHERE story_id = ${ids.get('bogota')!} AND language = 'en'`.execute(
        site.database.db,
      );
      await publishTranslations(site.database.db, ids.get('bogota')!, ['en']);
      assert.deepEqual(await find('editing workshop'), [], 'the English translation is no longer published');
      assert.deepEqual(await find('Mujeres'), ['bogota'], 'the Spanish source still is');
    });

    test('the plans use the indexes: the word list by range and trigrams, documents by GIN', async () => {
      const { search } = site.services.repositories;
      const plans = await search.explain(
        { words: parseQuery('comminuty ledgres lendi'), chain: ['en'], limit: 20, offset: 0 },
        { indexesOnly: true },
      );
      const names = (plan: unknown) => [...JSON.stringify(plan).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]!);
      const words = names(plans.words);
      for (const index of ['search_words_pkey', 'search_words_reversed', 'search_words_trgm'])
        assert.ok(words.includes(index), `${index} in ${words.join(', ')}`);
      assert.ok(names(plans.match).includes('search_documents_vector'), names(plans.match).join(', '));
      assert.doesNotMatch(
        JSON.stringify(plans.match),
        /"Relation Name":"search_documents","Alias":"d"[^}]*"Node Type":"Seq Scan"/,
      );
    });
  });

  describe(`search migration (${engine})`, () => {
    let database: Database;
    before(async () => {
      database = engine === 'embedded' ? await openDatabase({}) : await createTestDatabase(engine as Engine);
    });
    after(async () => {
      await database.close();
    });

    test('an existing site’s stories are indexed by the migration', async () => {
      const names = Object.keys(migrations);
      const previous = names[names.indexOf('2026-12-06T1500-search') - 1]!;
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo(previous);
      assert.equal(before.error, undefined);
      const db = database.db;
      await sql`INSERT INTO languages (code, autonym, dir, search_config) VALUES ('en', 'English', 'ltr', 'english'),
        ('ar', 'العربية', 'rtl', 'arabic')`.execute(db);
      await sql`INSERT INTO regions (slug, names) VALUES ('africa', '{"en": "Africa"}')`.execute(db);
      await sql`INSERT INTO stories (slug, region_id, source_language, status, published_at)
        VALUES ('old-story', 1, 'en', 'published', now())`.execute(db);
      await sql`INSERT INTO story_texts (story_id, language, title, summary, blocks, search_text) VALUES
        (1, 'en', 'Village ledgers', 'Kept by the clerk.', '[]', 'Village ledgers Kept by the clerk. Volunteers photographed the harbour.'),
        (1, 'ar', 'سجلات القرية', '', '[]', 'سجلات القرية  المتطوعون في المكتبة')`.execute(db);
      const after = await migrator.migrateToLatest();
      assert.equal(after.error, undefined);
      const search = searchRepository(database.db);
      const slugsOf = async (q: string) =>
        (await search.search({ words: parseQuery(q), chain: ['en'], limit: 10, offset: 0 })).hits.map((h) => h.slug);
      assert.deepEqual(await slugsOf('harbour'), ['old-story'], 'the body, from the old plain copy');
      assert.deepEqual(await slugsOf('ledgres'), ['old-story'], 'with the word list for typos');
      assert.deepEqual(await slugsOf('المكتبه'), ['old-story']);
      assert.deepEqual(await slugsOf('africa'), ['old-story'], 'with its catalog names');
      const body = await sql<{ body: string }>`SELECT body FROM search_texts WHERE language = 'en'`.execute(db);
      assert.equal(body.rows[0]!.body, 'Volunteers photographed the harbour.');
    });
  });
}
