import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { testEngines } from '../helpers/database.ts';
import { celebrationPages, REASONS } from '../helpers/celebration.ts';

// "Written in": the language a nomination's reasons, a seconding's reason and an anecdote are written
// in, chosen on their forms (the page's language unless another is chosen, one of the site's enabled
// languages), stored, and put on every page that shows the text as its `lang` and `dir`, so an English
// reason on an Arabic page reads left to right with its full stop where it belongs.

const MONTH = '2031-05';
const CYCLE = `celebration/${MONTH}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The element holding `text`, with its `lang` and `dir` (or `dir` alone). */
const marked = (text: string, lang: string | null, dir: string) =>
  new RegExp(`class="celebration-text"${lang === null ? '' : ` lang="${lang}"`} dir="${dir}">${escape(text)}<`);
const selected = (body: string, id: string) =>
  new RegExp(`<select id="${id}" name="language"[^>]*>[^]*?<option value="([^"]+)"[^>]* selected[^]*?</select>`).exec(
    body,
  )?.[1];

for (const engine of testEngines()) {
  describe(`the language a celebration text is written in (${engine})`, () => {
    const pages = celebrationPages(engine, {
      month: MONTH,
      region: { slug: 'mena', names: { en: 'Middle East' } },
      members: ['Amani', 'Kofi', 'Harej', 'Lucía'],
    });
    const { get, post, move } = pages;

    before(pages.start);
    after(pages.close);
    beforeEach(async () => {
      await pages.reset();
      await pages.openCycle();
    });

    const nominateFrom = (language: string, fields: Record<string, string>) =>
      pages.nominate('Amani', fields, language);

    test('the forms offer the site’s languages, the page’s language chosen unless another is', async () => {
      const arabic = await get(`/ar/${CYCLE}`, 'Amani');
      assert.equal(arabic.statusCode, 200);
      assert.equal(selected(arabic.body, 'language'), 'ar');
      assert.match(arabic.body, /<option value="ja" lang="ja" dir="ltr"[^>]*>日本語<\/option>/, 'by their own names');
      assert.match(arabic.body, /<label class="cdx-label__label" for="language">/, 'labelled');
      assert.equal(selected((await get(`/ja/${CYCLE}`, 'Amani')).body, 'language'), 'ja');

      const nomination = await nominateFrom('ar', { language: 'en' });
      const page = await get(`/ar/celebration/nominations/${nomination.id}`, 'Kofi');
      assert.equal(selected(page.body, 'second-language'), 'ar');
      assert.equal(selected(page.body, 'anecdote-language'), 'ar');
      const edit = await get(`/ar/celebration/nominations/${nomination.id}/edit`, 'Amani');
      assert.equal(selected(edit.body, 'language'), 'en', 'the edit form shows the language chosen');
    });

    test('an English reason on an Arabic page is marked lang="en" dir="ltr", wherever it is shown', async () => {
      const nomination = await nominateFrom('ar', { language: 'en' });
      assert.equal(nomination.language, 'en', 'stored');
      const url = `/ar/celebration/nominations/${nomination.id}`;
      const second = 'She answered every question on the village pump.';
      assert.equal((await post(`${url}/second`, { reason: second, language: 'en' }, 'Kofi')).statusCode, 303);
      const anecdote = 'علّمتني كيف أستشهد بالمصادر.';
      assert.equal((await post(`${url}/anecdote`, { body: anecdote, language: 'ar' }, 'Harej')).statusCode, 303);
      const detail = (await pages.site.services.celebration.detail(nomination.id, pages.editor))!;
      assert.deepEqual(
        [detail.seconds[0]?.language, detail.anecdotes[0]?.language],
        ['en', 'ar'],
        'the seconding’s and the anecdote’s languages are stored',
      );

      const queue = await get(`/en/admin/celebration/${MONTH}`, 'Editor');
      assert.match(queue.body, marked(anecdote, 'ar', 'rtl'), 'the moderators’ queue');
      const anecdoteId = /\/admin\/celebration\/anecdotes\/(\d+)/.exec(queue.body)![1];
      await post(`/en/admin/celebration/anecdotes/${anecdoteId}`, { decision: 'approved', month: MONTH }, 'Editor');

      const page = await get(url, 'Kofi');
      assert.match(page.body, /<html[^>]* lang="ar" dir="rtl"/);
      assert.match(page.body, marked(REASONS, 'en', 'ltr'), 'the reasons');
      assert.match(page.body, marked(second, 'en', 'ltr'), 'the seconding');
      assert.match(page.body, marked(anecdote, 'ar', 'rtl'), 'the anecdote');

      await move('nominations', 'seconding');
      await move('seconding', 'consent');
      const requests = await get('/ar/celebration/consent', 'Lucía');
      assert.match(requests.body, marked(REASONS, 'en', 'ltr'), 'the nominee’s consent requests');
      const link = await pages.site.services.celebration.issueConsentLink('system', nomination.id);
      const linked = await get(`/ar/celebration/consent/${link.token}`);
      assert.equal(linked.statusCode, 200);
      assert.match(linked.body, marked(REASONS, 'en', 'ltr'), 'the page of the private consent link');
    });

    test('an Arabic reason on an English page is right to left; a bot’s tasks are marked too', async () => {
      const reasons = 'نظّمت اثنتي عشرة ورشة تحرير هذا العام ودرّبت ستين وافدًا جديدًا.';
      const tasks = 'يصلح الروابط المعطلة بنسخ مؤرشفة.';
      const nomination = await nominateFrom('en', {
        nominee: 'LinkBot',
        kind: 'bot',
        operators: 'Harej',
        botTasks: tasks,
        reasons,
        language: 'ar',
      });
      const page = await get(`/en/celebration/nominations/${nomination.id}`, 'Kofi');
      assert.match(page.body, marked(reasons, 'ar', 'rtl'));
      assert.match(page.body, marked(tasks, 'ar', 'rtl'));
    });

    test('a language the site does not offer is refused, naming the field; what was typed is kept', async () => {
      const refused = await post(
        `/en/${CYCLE}/nominate`,
        pages.nominationFields({ language: 'de', reasons: `${REASONS} Kept as typed.` }),
        'Amani',
      );
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /id="language"[^>]*aria-invalid="true"/);
      assert.match(refused.body, /“Written in” must be one of this site's languages/);
      assert.match(refused.body, new RegExp(`${escape(REASONS)} Kept as typed.</textarea>`));
      assert.deepEqual(
        await pages.site.services.celebration.list(pages.cycleId, pages.editor),
        [],
        'nothing was filed',
      );

      // A language the site has but an admin switched off is refused as well.
      assert.equal(await pages.site.services.languages.setEnabled('sw', false), 'done');
      const off = await get(`/en/${CYCLE}`, 'Amani');
      assert.doesNotMatch(off.body, /<option value="sw"/, 'not offered');
      assert.equal(
        (await post(`/en/${CYCLE}/nominate`, pages.nominationFields({ language: 'sw' }), 'Amani')).statusCode,
        400,
      );

      const nomination = await nominateFrom('en', { language: 'en' });
      const url = `/ar/celebration/nominations/${nomination.id}`;
      const second = await post(`${url}/second`, { reason: 'Yes, she did.', language: 'sw' }, 'Kofi');
      assert.equal(second.statusCode, 400);
      assert.match(second.body, /id="second-language"[^>]*aria-invalid="true"/);
      assert.match(second.body, />Yes, she did.<\/textarea>/);
      const anecdote = await post(`${url}/anecdote`, { body: 'Once…', language: '<script>' }, 'Harej');
      assert.equal(anecdote.statusCode, 400);
      assert.match(anecdote.body, /id="anecdote-language"[^>]*aria-invalid="true"/);
      assert.doesNotMatch(anecdote.body, /<script>/);
      const detail = (await pages.site.services.celebration.detail(nomination.id, pages.editor))!;
      assert.deepEqual([detail.seconds.length, detail.anecdotes.length], [0, 0]);
    });

    test('a text whose language nobody gave takes its direction from its own letters', async () => {
      const nomination = await nominateFrom('ar', { language: 'en' });
      const url = `/ar/celebration/nominations/${nomination.id}`;
      // A form from before the field existed sends none: kept as unknown, as the rows written before.
      assert.equal((await post(`${url}/second`, { reason: 'Yes, she did.' }, 'Kofi')).statusCode, 303);
      assert.equal(
        (await pages.site.services.celebration.detail(nomination.id, pages.editor))!.seconds[0]?.language,
        null,
      );
      assert.match((await get(url, 'Kofi')).body, marked('Yes, she did.', null, 'auto'));
    });
  });
}
