import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { defaultSchedule, type CycleForm } from '../../src/domain/celebration/cycle.ts';
import { loadConfig } from '../../src/config.ts';
import { cookieHeader, csrfFrom, form } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';
import { celebrationPages, REASONS } from '../helpers/celebration.ts';

// The celebration's pages through app.inject(), on every engine: nominating through the form
// (problems shown with what was typed kept), seconds and anecdotes and their moderation, consent by
// link (used, expired, forged) and as an account, the vote and its results, an editor's cycle
// form and "next phase", refusals for members, hostile text, and forms without their CSRF token.
// Assertions stay off the English wording of the pages' own new messages (merged later).

// Far enough ahead that the dates never move the cycle: only the editor's moves do.
const MONTH = '2031-03';
const dates = defaultSchedule(MONTH);
const cycleForm = (overrides: Partial<CycleForm> = {}): Record<string, string> => ({
  month: MONTH,
  opensAt: dates.opensAt.toISOString().slice(0, 16),
  secondingAt: dates.secondingAt.toISOString().slice(0, 16),
  consentAt: dates.consentAt.toISOString().slice(0, 16),
  choiceAt: dates.choiceAt.toISOString().slice(0, 16),
  closesAt: dates.closesAt.toISOString().slice(0, 16),
  choiceMode: 'community',
  committee: '',
  ...overrides,
});
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const CYCLE = `/en/celebration/${MONTH}`;

for (const engine of testEngines()) {
  describe(`the celebration's pages (${engine})`, () => {
    const pages = celebrationPages(engine, {
      month: MONTH,
      region: { slug: 'africa', names: { en: 'Africa' } },
      members: ['Amani', 'Kofi', 'Mei', 'Lucía', 'Harej'],
    });
    const { get, post, move, nominationFields, nominate } = pages;

    before(pages.start);
    after(pages.close);
    beforeEach(pages.reset);

    /** The cycle made through the service from this file's form, open for nominations. */
    const createCycle = () => pages.openCycle(cycleForm() as unknown as CycleForm);
    const inputValue = (body: string, name: string) =>
      new RegExp(`name="${name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="${name}"`).exec(body);
    const invalid = (body: string, id: string) => new RegExp(`id="${id}"[^>]*aria-invalid="true"`).test(body);

    test('the front page lists the current cycle and the past ones; an unknown month is a 404', async () => {
      const empty = await get('/en/celebration');
      assert.equal(empty.statusCode, 200);
      await createCycle();
      const earlier = await pages.site.services.celebration.createCycle(pages.editor, {
        ...(cycleForm() as unknown as CycleForm),
        ...Object.fromEntries(
          Object.entries(defaultSchedule('2031-01')).map(([key, date]) => [key, date.toISOString()]),
        ),
        month: '2031-01',
      });
      assert.ok(earlier.ok);
      const page = await get('/en/celebration');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /href="\/en\/celebration\/2031-03"/);
      assert.match(page.body, /href="\/en\/celebration\/2031-01"/);
      assert.match(page.body, /March 2031/, 'the month in the reader’s language');
      assert.match((await get('/ar/celebration')).body, /مارس/);
      assert.match(page.body, /href="\/en\/celebration"/, 'linked from the footer');
      assert.match(page.headers['cache-control'] as string, /no-store/);
      assert.equal((await get('/en/celebration/2029-02')).statusCode, 404);
    });

    test('a month in an address that is no month is the site’s “not found” page, in the page’s language', async () => {
      await createCycle();
      const notFoundTitle = (language: string) =>
        JSON.parse(readFileSync(`i18n/${language}.json`, 'utf8'))['error-not-found-title'] as string;
      const shapes = ['2026-13', '2026-00', 'abcd', '9999-99', '2031-3', '2031-03-01', '203103', '%3Cscript%3E'];
      const answers = [
        ...shapes.map((month) => ['GET', `/ar/celebration/${month}`, 'ar', undefined] as const),
        ...shapes.map((month) => ['GET', `/ja/admin/celebration/${month}`, 'ja', 'Editor'] as const),
        ['GET', '/en/admin/celebration/2026-13/photo', 'en', 'Editor'] as const,
        ['POST', '/es/celebration/2026-13/vote', 'es', 'Kofi'] as const,
        ['POST', '/en/celebration/abcd/nominate', 'en', 'Kofi'] as const,
        ['POST', '/en/admin/celebration/9999-99', 'en', 'Editor'] as const,
      ];
      for (const [method, url, language, who] of answers) {
        const response =
          method === 'GET' ? await get(url, who) : await post(url, who === 'Kofi' ? { nomination: '1' } : {}, who!);
        assert.equal(response.statusCode, 404, `${method} ${url}`);
        assert.match(response.body, new RegExp(`<html[^>]* lang="${language}"`), url);
        assert.ok(response.body.includes(notFoundTitle(language)), `${url}: the site’s 404 page`);
      }
      assert.equal((await get(CYCLE)).statusCode, 200, 'a real month still opens');
    });

    test('nominating through the form: problems shown with what was typed; self, duplicate and stale forms', async () => {
      await createCycle();
      const anonymous = await get(CYCLE);
      assert.equal(anonymous.statusCode, 200);
      assert.doesNotMatch(anonymous.body, /name="nominee"/, 'no form for visitors');
      assert.match(anonymous.body, /sign-in\?returnTo=%2Fen%2Fcelebration%2F2031-03/);
      const page = await get(CYCLE, 'Amani');
      for (const field of [
        'nominee',
        'homeWiki',
        'kind',
        'operators',
        'botTasks',
        'region',
        'category',
        'reasons',
        'evidence',
      ])
        assert.match(page.body, new RegExp(`name="${field}"`), field);

      const bad = await post(
        `${CYCLE}/nominate`,
        nominationFields({ reasons: 'Too short', evidence: 'javascript:alert(1)', nominee: 'Zawadi' }),
        'Amani',
      );
      assert.equal(bad.statusCode, 400);
      assert.ok(invalid(bad.body, 'reasons') && invalid(bad.body, 'evidence'));
      assert.equal(inputValue(bad.body, 'nominee')?.[1], 'Zawadi', 'the name typed is kept');
      assert.match(bad.body, />Too short<\/textarea>/);
      assert.match(bad.body, />javascript:alert\(1\)<\/textarea>/);

      const self = await post(`${CYCLE}/nominate`, nominationFields({ nominee: 'amani' }), 'Amani');
      assert.equal(self.statusCode, 400);
      assert.ok(invalid(self.body, 'nominee'));
      assert.match(self.body, /You cannot nominate yourself/);

      const stale = await post(`${CYCLE}/nominate`, nominationFields({ reasons: `${REASONS} kept` }), 'Amani', {
        csrf: false,
      });
      assert.equal(stale.statusCode, 403);
      assert.match(stale.body, new RegExp(`${REASONS} kept</textarea>`), 'nothing typed is lost');
      assert.deepEqual(
        await pages.site.services.celebration.list(pages.cycleId, pages.editor),
        [],
        'nothing was filed',
      );

      const nomination = await nominate('Amani');
      const joined = await post(`${CYCLE}/nominate`, nominationFields({ nominee: 'LUCÍA' }), 'Mei');
      assert.equal(joined.statusCode, 303);
      assert.match(joined.headers.location as string, /done=joined/);
      const again = await post(`${CYCLE}/nominate`, nominationFields(), 'Amani');
      assert.equal(again.statusCode, 409, 'her own nomination again');
      assert.match(again.body, new RegExp(REASONS), 'the form comes back as typed');
      const detail = await pages.site.services.celebration.detail(nomination.id, pages.editor);
      assert.equal(detail!.nomination.seconds, 1);

      // Nothing before consent is public.
      assert.equal((await get(`/en/celebration/nominations/${nomination.id}`)).statusCode, 404);
      const member = await get(`/en/celebration/nominations/${nomination.id}`, 'Kofi');
      assert.equal(member.statusCode, 200);
      assert.match(member.body, /rel="nofollow ugc noopener"/);
    });

    test('the nominator edits until nominations close; a stale revision is a conflict', async () => {
      await createCycle();
      const nomination = await nominate('Amani');
      const editUrl = `/en/celebration/nominations/${nomination.id}/edit`;
      assert.equal((await get(editUrl, 'Kofi')).statusCode, 403);
      const page = await get(editUrl, 'Amani');
      assert.equal(page.statusCode, 200);
      assert.equal(inputValue(page.body, 'revision')?.[1], '1');
      const saved = await post(editUrl, { ...nominationFields({ category: 'lifetime' }), revision: '1' }, 'Amani');
      assert.equal(saved.statusCode, 303);
      const stale = await post(
        editUrl,
        { ...nominationFields({ reasons: `${REASONS} again` }), revision: '1' },
        'Amani',
      );
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, new RegExp(`${REASONS} again</textarea>`));
      await move('nominations', 'seconding');
      assert.equal((await post(editUrl, { ...nominationFields(), revision: '2' }, 'Amani')).statusCode, 409);

      // Only its nominator (or the nominee, or a moderator) withdraws it; kept, never deleted.
      const withdrawUrl = `/en/celebration/nominations/${nomination.id}/withdraw`;
      assert.equal((await post(withdrawUrl, {}, 'Kofi')).statusCode, 403);
      assert.equal((await post(withdrawUrl, {}, 'Amani')).statusCode, 303);
      assert.equal(
        (await pages.site.services.celebration.detail(nomination.id, pages.editor))?.nomination.state,
        'withdrawn',
      );
      assert.equal((await get(`/en/celebration/nominations/${nomination.id}`, 'Amani')).statusCode, 200);
    });

    test('seconds, anecdotes moderated before they show, hiding; hostile text stays text', async () => {
      await createCycle();
      const nomination = await nominate('Amani', { reasons: `${REASONS} ${HOSTILE}` });
      const url = `/en/celebration/nominations/${nomination.id}`;
      const seconded = await post(`${url}/second`, { reason: `Taught me to cite ${HOSTILE}` }, 'Kofi');
      assert.equal(seconded.statusCode, 303);
      const twice = await post(`${url}/second`, { reason: 'Once more' }, 'Kofi');
      assert.equal(twice.statusCode, 409);
      assert.match(twice.body, />Once more<\/textarea>/);
      assert.match(twice.body, /You have already seconded this nomination/);
      const empty = await post(`${url}/second`, { reason: ' ' }, 'Mei');
      assert.equal(empty.statusCode, 400);
      assert.ok(invalid(empty.body, 'second-reason'));
      assert.equal((await post(`${url}/second`, { reason: 'Mine' }, 'Amani')).statusCode, 409);

      const told = await post(`${url}/anecdote`, { body: `She fixed my references ${HOSTILE}` }, 'Harej');
      assert.equal(told.statusCode, 303);
      assert.match(told.headers.location as string, /done=anecdote/);
      assert.doesNotMatch((await get(url, 'Kofi')).body, /She fixed my references/, 'not before moderation');
      const queue = await get(`/en/admin/celebration/${MONTH}`, 'Editor');
      assert.equal(queue.statusCode, 200);
      const anecdoteId = /\/admin\/celebration\/anecdotes\/(\d+)/.exec(queue.body)?.[1];
      assert.ok(anecdoteId);
      assert.equal(
        (await post(`/en/admin/celebration/anecdotes/${anecdoteId}`, { decision: 'approved', month: MONTH }, 'Kofi'))
          .statusCode,
        403,
      );
      const approved = await post(
        `/en/admin/celebration/anecdotes/${anecdoteId}`,
        { decision: 'approved', month: MONTH },
        'Editor',
      );
      assert.equal(approved.statusCode, 303);

      const shown = await get(url, 'Kofi');
      assert.match(shown.body, /She fixed my references/);
      for (const body of [shown.body, queue.body]) {
        assert.doesNotMatch(body, /<script>alert|<img src=x/);
        assert.match(body, /&lt;script>alert\(1\)&lt;\/script>|&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      }

      assert.equal((await post(`${url}/hide`, { reason: 'Spam' }, 'Kofi')).statusCode, 403);
      const hidden = await post(`${url}/hide`, { reason: 'Asked by the nominee' }, 'Editor');
      assert.equal(hidden.statusCode, 303);
      assert.equal((await get(url, 'Kofi')).statusCode, 404, 'hidden from members');
      assert.equal((await get(url, 'Editor')).statusCode, 200, 'kept for moderators');
    });

    test('an account that is a bot has the bot label beside its name where it nominated, seconded, told or moved the cycle; a person has none', async () => {
      await createCycle();
      const { accounts, repositories } = pages.site.services;
      for (const username of ['Amani', 'Harej', 'Editor'])
        await accounts.setBot((await repositories.users.findByUsername(username))!.id, true);
      const labelled = (username: string) => new RegExp(`<bdi>${username}</bdi> <span class="bot-label">[^<]+</span>`);
      const bare = (username: string) => new RegExp(`<bdi>${username}</bdi>(?! <span class="bot-label">)`);

      const byBot = await nominate('Amani');
      const byPerson = await nominate('Kofi', { nominee: 'Nour', homeWiki: 'ar.wikipedia.org' });
      const url = `/en/celebration/nominations/${byBot.id}`;
      for (const [who, reason] of [
        ['Harej', 'Archived every link she cited'],
        ['Kofi', 'Taught me to cite'],
      ] as const)
        assert.equal((await post(`${url}/second`, { reason }, who)).statusCode, 303);
      for (const [who, body] of [
        ['Harej', 'Answered my question at midnight'],
        ['Mei', 'Fixed my references'],
      ] as const)
        assert.equal((await post(`${url}/anecdote`, { body }, who)).statusCode, 303);

      const queue = (await get(`/en/admin/celebration/${MONTH}`, 'Editor')).body;
      const pending = queue.slice(queue.indexOf('id="queue-heading"'), queue.indexOf('id="history-heading"'));
      assert.match(pending, labelled('Harej'), 'a bot that told an anecdote, in the moderators’ queue');
      assert.match(pending, bare('Mei'));
      const history = queue.slice(queue.indexOf('id="history-heading"'));
      assert.match(history, labelled('Editor'), 'a bot account that moved the cycle');
      for (const [, id] of queue.matchAll(/\/admin\/celebration\/anecdotes\/(\d+)/g))
        await post(`/en/admin/celebration/anecdotes/${id}`, { decision: 'approved', month: MONTH }, 'Editor');

      const page = (await get(url, 'Mei')).body;
      assert.match(page, new RegExp(`<dd>${labelled('Amani').source}</dd>`), 'a bot that nominated');
      const seconds = page.slice(page.indexOf('id="seconds-heading"'), page.indexOf('id="anecdotes-heading"'));
      assert.match(seconds, labelled('Harej'), 'a bot that seconded');
      assert.match(seconds, bare('Kofi'), 'a person who seconded');
      const anecdotes = page.slice(page.indexOf('id="anecdotes-heading"'));
      assert.match(anecdotes, /Answered my question at midnight/);
      assert.match(anecdotes, labelled('Harej'), 'a bot that told an anecdote');
      assert.match(anecdotes, bare('Mei'), 'a person who told one');
      const other = (await get(`/en/celebration/nominations/${byPerson.id}`, 'Mei')).body;
      assert.match(other, new RegExp(`<dd>${bare('Kofi').source}</dd>`), 'a person who nominated');
      assert.doesNotMatch(other, /class="bot-label"/);
    });

    test('consent through the private link: used, expired and forged links get a page of their own', async () => {
      await createCycle();
      const human = await nominate('Amani');
      const bot = await nominate('Kofi', {
        nominee: 'LinkBot',
        kind: 'bot',
        operators: 'Harej',
        botTasks: 'Rescues dead links with archived copies.',
        category: 'technical',
      });
      await move('nominations', 'seconding');
      await move('seconding', 'consent');

      // An editor makes a link for a nominee without an account here.
      const made = await post(`/en/celebration/nominations/${human.id}/consent-link`, {}, 'Editor');
      assert.equal(made.statusCode, 200);
      const address = /\/en\/celebration\/consent\/([A-Za-z0-9_-]{20,})/.exec(made.body);
      assert.ok(address, 'the link is shown');
      assert.equal((await post(`/en/celebration/nominations/${human.id}/consent-link`, {}, 'Amani')).statusCode, 403);

      const linkUrl = `/en/celebration/consent/${address[1]}`;
      const page = await get(linkUrl);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(REASONS), 'what the nominee is nominated for');
      assert.match(page.body, /name="decision" value="consent"/);
      assert.match(page.body, /name="decision" value="refuse"/);
      const cookie = cookieHeader(page.headers['set-cookie']);
      const noToken = await pages.site.app.inject(form(linkUrl, { decision: 'consent' }, cookie));
      assert.equal(noToken.statusCode, 403, 'a form without its CSRF token is refused');
      const answered = await pages.site.app.inject(
        form(linkUrl, { decision: 'consent', _csrf: csrfFrom(page.body) }, cookie),
      );
      assert.equal(answered.statusCode, 200);
      assert.equal((await pages.site.services.celebration.detail(human.id, null))?.nomination.state, 'consented');

      const used = await get(linkUrl);
      assert.equal(used.statusCode, 410);
      assert.match(used.body, /This link has already been used/);
      const forged = await get(`/en/celebration/consent/${'A'.repeat(43)}`);
      assert.equal(forged.statusCode, 404);
      assert.match(forged.body, /This link is not valid/);
      const expiring = await pages.site.services.celebration.issueConsentLink('system', bot.id);
      await pages.site.database.db
        .updateTable('consent_tokens')
        .set({ expires_at: new Date('2020-01-01T00:00:00Z') })
        .execute();
      const expired = await get(`/en/celebration/consent/${expiring.token}`);
      assert.equal(expired.statusCode, 410);
      assert.match(expired.body, /This link has expired/);

      // The bot's operator answers as their account.
      const requests = await get('/en/celebration/consent', 'Harej');
      assert.equal(requests.statusCode, 200);
      assert.match(requests.body, /LinkBot/);
      assert.equal(
        (await post('/en/celebration/consent', { nomination: String(bot.id), decision: 'consent' }, 'Mei')).statusCode,
        403,
      );
      const yes = await post('/en/celebration/consent', { nomination: String(bot.id), decision: 'consent' }, 'Harej');
      assert.equal(yes.statusCode, 303);
      assert.equal((await get('/en/celebration/consent', 'Harej')).body.includes('LinkBot'), false);
    });

    test('notices: linked from the header while unread, read in the reader’s language, marked read', async () => {
      await createCycle();
      await nominate('Amani');
      await move('nominations', 'seconding');
      await move('seconding', 'consent');
      const home = await get('/en/celebration', 'Lucía');
      assert.match(home.body, /href="\/en\/notices"/);
      const notices = await get('/en/notices', 'Lucía');
      assert.equal(notices.statusCode, 200);
      assert.match(notices.body, /You have been nominated for the monthly celebration of .?March 2031/);
      assert.match((await get('/ar/notices', 'Lucía')).body, /lang="ar"/);
      const ids = /name="ids" value="([^"]+)"/.exec(notices.body)?.[1];
      assert.ok(ids);
      assert.equal((await post('/en/notices/read', { ids }, 'Lucía')).statusCode, 303);
      assert.doesNotMatch((await get('/en/celebration', 'Lucía')).body, /href="\/en\/notices"/);
      assert.equal((await get('/en/notices')).statusCode, 401);
    });

    test('the vote: once per account (again: a page, not a 500), results hidden until the editor closes it', async () => {
      await createCycle();
      const human = await nominate('Amani');
      const other = await nominate('Mei', { nominee: 'Nour', homeWiki: 'ar.wikipedia.org' });
      await move('nominations', 'seconding');
      await move('seconding', 'consent');
      for (const nomination of [human, other]) {
        const link = await pages.site.services.celebration.issueConsentLink('system', nomination.id);
        await pages.site.services.celebration.answerWithLink(link.token, 'consent');
      }
      await move('consent', 'choice');

      const ballot = await get(CYCLE, 'Kofi');
      assert.match(ballot.body, new RegExp(`name="nomination" value="${human.id}"`));
      assert.doesNotMatch(ballot.body, /id="results-heading"/, 'no tallies while the vote is open');
      assert.doesNotMatch((await get(CYCLE)).body, /name="nomination"/, 'visitors get no ballot');
      assert.equal((await post(`${CYCLE}/vote`, {}, 'Kofi')).statusCode, 400);
      const voted = await post(`${CYCLE}/vote`, { nomination: String(human.id) }, 'Kofi');
      assert.equal(voted.statusCode, 303);
      const after = await get(CYCLE, 'Kofi');
      assert.doesNotMatch(after.body, /name="nomination" value=/, 'the ballot is gone');
      assert.match(after.body, /Lucía/);
      const twice = await post(`${CYCLE}/vote`, { nomination: String(other.id) }, 'Kofi');
      assert.equal(twice.statusCode, 409);
      assert.match(twice.body, /You have already voted/);
      assert.equal(
        (await post(`${CYCLE}/vote`, { nomination: String(other.id) }, 'Harej', { csrf: false })).statusCode,
        403,
      );
      assert.equal(await pages.site.services.celebration.voterCount(pages.cycleId), 1);

      // The editor's "next phase" on the page closes the vote.
      assert.equal((await post(`${CYCLE}/advance`, { from: 'choice', to: 'announced' }, 'Kofi')).statusCode, 403);
      const editorPage = await get(CYCLE, 'Editor');
      assert.match(editorPage.body, /name="to" value="announced"/);
      const closed = await post(`${CYCLE}/advance`, { from: 'choice', to: 'announced' }, 'Editor');
      assert.equal(closed.statusCode, 303);
      const again = await post(`${CYCLE}/advance`, { from: 'choice', to: 'announced' }, 'Editor');
      assert.equal(again.statusCode, 409, 'a page that is out of date is told so');
      assert.match(again.body, /moved on since you opened this page/);
      const results = await get(CYCLE);
      assert.match(results.body, /id="results-heading"/);
      assert.match(results.body, /The nomination with the most votes is chosen/, 'the written rule');
      assert.match(results.body, /Chosen by the most votes/);
    });

    test('votes are limited per account to VOTE_RATE_LIMIT a minute, answered with a page that says to wait', async () => {
      await pages.withSite({ VOTE_RATE_LIMIT: '3', NOMINATION_RATE_LIMIT: '1000' }, ['Kofi', 'Mei'], async () => {
        await createCycle();
        await move('nominations', 'seconding');
        await move('seconding', 'consent');
        await move('consent', 'choice');
        const statuses: number[] = [];
        for (let attempt = 0; attempt < 5; attempt++)
          statuses.push((await post(`${CYCLE}/vote`, { nomination: '999999' }, 'Kofi')).statusCode);
        assert.ok(!statuses.includes(500));
        assert.deepEqual(
          statuses.map((status) => status === 429),
          [false, false, false, true, true],
          `the fourth vote is refused: ${statuses.join()}`,
        );
        const limited = await post(`${CYCLE}/vote`, { nomination: '1' }, 'Kofi');
        assert.match(limited.body, /Too many attempts in a short time/);
        assert.notEqual((await post(`${CYCLE}/vote`, { nomination: '999999' }, 'Mei')).statusCode, 429, 'per account');
      });
    });

    test('nominations are limited per account to NOMINATION_RATE_LIMIT a minute', async () => {
      await pages.withSite({ NOMINATION_RATE_LIMIT: '2' }, ['Kofi', 'Mei'], async () => {
        await createCycle();
        const statuses: number[] = [];
        for (let attempt = 0; attempt < 4; attempt++)
          statuses.push((await post(`${CYCLE}/nominate`, { nominee: '' }, 'Kofi')).statusCode);
        assert.deepEqual(statuses, [400, 400, 429, 429], 'the third nomination is refused');
        assert.equal((await post(`${CYCLE}/nominate`, { nominee: '' }, 'Mei')).statusCode, 400, 'per account');
      });
    });

    test('the rate limits are read from the environment and refused when they are not whole numbers', () => {
      const config = loadConfig({ NOMINATION_RATE_LIMIT: '4', VOTE_RATE_LIMIT: '6' });
      assert.equal(config.nominationRateLimit, 4);
      assert.equal(config.voteRateLimit, 6);
      assert.equal(loadConfig({}).nominationRateLimit, 20);
      assert.equal(loadConfig({}).voteRateLimit, 10);
      for (const bad of ['0', '-1', '2.5', 'ten', '1e3'])
        assert.throws(() => loadConfig({ VOTE_RATE_LIMIT: bad }), /VOTE_RATE_LIMIT must be a whole number/);
      assert.throws(() => loadConfig({ NOMINATION_RATE_LIMIT: 'x' }), /NOMINATION_RATE_LIMIT/);
    });

    test('an editor creates a cycle through the form and moves its phase; members are refused', async () => {
      assert.equal((await get('/en/admin/celebration')).statusCode, 401);
      assert.equal((await get('/en/admin/celebration', 'Amani')).statusCode, 403);
      assert.equal((await post('/en/admin/celebration', cycleForm(), 'Amani')).statusCode, 403);
      const list = await get('/en/admin/celebration', 'Editor');
      assert.equal(list.statusCode, 200);
      for (const field of [
        'month',
        'opensAt',
        'secondingAt',
        'consentAt',
        'choiceAt',
        'closesAt',
        'choiceMode',
        'committee',
      ])
        assert.match(list.body, new RegExp(`name="${field}"`), field);

      const bad = await post(
        '/en/admin/celebration',
        cycleForm({ consentAt: '2031-03-05', choiceMode: 'committee', committee: 'Nobody Here' }),
        'Editor',
      );
      assert.equal(bad.statusCode, 400);
      assert.ok(invalid(bad.body, 'consentAt'));
      assert.equal(inputValue(bad.body, 'consentAt')?.[1], '2031-03-05');
      assert.match(bad.body, />Nobody Here<\/textarea>/);
      const stale = await post('/en/admin/celebration', cycleForm(), 'Editor', { csrf: false });
      assert.equal(stale.statusCode, 403);
      assert.equal(inputValue(stale.body, 'month')?.[1], MONTH);

      const created = await post(
        '/en/admin/celebration',
        cycleForm({ choiceMode: 'committee', committee: 'Mei, Kofi' }),
        'Editor',
      );
      assert.equal(created.statusCode, 303);
      assert.equal(created.headers.location, `/en/admin/celebration/${MONTH}?saved=1`);
      const taken = await post('/en/admin/celebration', cycleForm(), 'Editor');
      assert.equal(taken.statusCode, 400);
      assert.ok(invalid(taken.body, 'month'));

      const edit = await get(`/en/admin/celebration/${MONTH}`, 'Editor');
      assert.match(edit.body, />Kofi\nMei<\/textarea>/);
      const revision = inputValue(edit.body, 'revision')?.[1];
      const updated = await post(
        `/en/admin/celebration/${MONTH}`,
        { ...cycleForm({ choiceMode: 'community' }), revision: revision! },
        'Editor',
      );
      assert.equal(updated.statusCode, 303);
      const conflict = await post(`/en/admin/celebration/${MONTH}`, { ...cycleForm(), revision: revision! }, 'Editor');
      assert.equal(conflict.statusCode, 409);

      const cycle = await get(CYCLE, 'Editor');
      assert.match(cycle.body, /name="from" value="upcoming"/);
      const moved = await post(`${CYCLE}/advance`, { from: 'upcoming', to: 'nominations' }, 'Editor');
      assert.equal(moved.statusCode, 303);
      assert.equal((await pages.site.services.celebration.cycleByMonth(MONTH))!.phase, 'nominations');
      assert.match((await get(CYCLE, 'Amani')).body, /name="nominee"/, 'the form opens with the phase');
      const history = (await get(`/en/admin/celebration/${MONTH}`, 'Editor')).body;
      assert.match(history, /Moved by <bdi>Editor<\/bdi>/);
      assert.doesNotMatch(history, /class="bot-label"/, 'a person who moved the cycle has no bot label');
      const illegal = await post(`${CYCLE}/advance`, { from: 'nominations', to: 'choice' }, 'Editor');
      assert.equal(illegal.statusCode, 409);
      assert.equal((await get('/en/admin', 'Editor')).body.includes('/en/admin/celebration'), true);
    });
  });
}
