import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runDatabaseCommand } from '../../src/cli/database-commands.ts';
import { defaultCueSettings } from '../../src/domain/subtitles/index.ts';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Work done through the API is told apart from work done in the site, and a bot's from a person's:
// every history a token can write to names the token beside its owner, a bot account is labelled
// wherever its name is shown, and the single-story answer says how far each language is.

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
// Names put into a message are isolated (U+2068 … U+2069) for right-to-left pages.
const viaToken = (name: string) => new RegExp(`\\(via token \u2068?${name}\u2069?\\)`);
const BOT_LABEL = /<span class="bot-label">bot<\/span>/;
const cue = (startTime: number, endTime: number, text: string) => ({
  id: '',
  startTime,
  endTime,
  text,
  settings: defaultCueSettings(),
});

for (const engine of testEngines()) {
  describe(`who made a change: tokens and bots (${engine})`, () => {
    let site: TestSite;
    let storyId: number;
    let units: Array<{ id: string; sourceVersion: number }>;
    const ids: Record<string, number> = {};

    async function tokenFor(username: string, name: string, scopes: Array<'translate' | 'subtitle'>) {
      const made = await site.services.tokens.create(ids[username]!, { name, scopes });
      assert.ok('secret' in made);
      return { secret: made.secret, id: made.token.id };
    }
    function saveUnit(secret: string, unit: { id: string; sourceVersion: number }, text: string, state = 'review') {
      return site.app.inject({
        method: 'PUT',
        url: `/api/v1/stories/credits/translations/fr/units/${unit.id}`,
        headers: bearer(secret),
        payload: { baseRevision: 0, sourceVersion: unit.sourceVersion, text, state },
      });
    }

    before(async () => {
      site = await startTestSite(engine);
      await site.reset();
      const { stories } = await createCatalog(site.services, [
        {
          slug: 'credits',
          texts: { en: { title: 'Credit story', body: 'The first sentence is here. The second one follows it.' } },
        },
      ]);
      storyId = stories[0]!.id;
      ids.amina = (await createUser(site.services, 'amina', [{ role: 'translator', language: 'fr' }])).id;
      ids.rev = (await createUser(site.services, 'rev', [{ role: 'reviewer', language: 'fr' }])).id;
      ids.syncbot = (await createUser(site.services, 'syncbot', [{ role: 'translator', language: 'fr' }])).id;
      ids.admin = (await createUser(site.services, 'admin', [{ role: 'admin' }])).id;
      units = (await site.app.inject({ url: '/api/v1/stories/credits/translations/fr' })).json().units;
      assert.ok(units.length >= 3, 'title and two sentences');
    });
    after(() => site.close());

    test('a subtitle save through a token is recorded with the token\u2019s name, which outlives the token', async () => {
      const { secret, id } = await tokenFor('amina', 'subtitle-sync', ['subtitle']);
      const url = '/api/v1/stories/credits/subtitles/fr';
      const first = await site.app.inject({
        method: 'PUT',
        url,
        headers: bearer(secret),
        payload: { baseRevision: 0, cues: [{ startTime: 0, endTime: 2, text: 'Bonjour' }] },
      });
      assert.equal(first.statusCode, 200, first.body);
      // The same person saves again in the site (no token).
      const inSite = await site.services.subtitles.save({
        storyId,
        language: 'fr',
        baseRevision: 1,
        userId: ids.amina!,
        cues: [cue(0, 2, 'Bonjour'), cue(2.5, 4, 'Salut')],
      });
      assert.ok(inSite.ok);

      const history = await site.app.inject({ url: `${url}/history`, headers: bearer(secret) });
      assert.equal(history.statusCode, 200, history.body);
      assert.deepEqual(
        history
          .json()
          .revisions.map((r: { revision: number; user: string; viaToken: string | null; bot: boolean }) => [
            r.revision,
            r.user,
            r.viaToken,
            r.bot,
          ]),
        [
          [2, 'amina', null, false],
          [1, 'amina', 'subtitle-sync', false],
        ],
      );
      const session = await signIn(site.app, 'amina');
      const page = await site.app.inject({
        url: '/en/edit/stories/credits/subtitles/fr',
        headers: { cookie: session.cookie },
      });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, viaToken('subtitle-sync'));
      assert.equal(page.body.match(/via token/g)?.length, 1, 'only the revision made with the token says so');

      // Revoked, then gone altogether: the history still names it as it was.
      await site.services.tokens.revoke(ids.amina!, id);
      await site.database.db.deleteFrom('api_tokens').where('id', '=', id).execute();
      const stored = await site.database.db
        .selectFrom('subtitle_revisions')
        .select(['api_token_id', 'api_token_name'])
        .where('revision', '=', 1)
        .executeTakeFirstOrThrow();
      assert.deepEqual(stored, { api_token_id: null, api_token_name: 'subtitle-sync' });
      const later = await site.app.inject({
        url: '/en/edit/stories/credits/subtitles/fr',
        headers: { cookie: session.cookie },
      });
      assert.match(later.body, viaToken('subtitle-sync'));
    });

    test('unit saves, reviews and comments through tokens carry the token\u2019s name in the API\u2019s answers', async () => {
      const translator = await tokenFor('amina', 'translate-script', ['translate']);
      const reviewer = await tokenFor('rev', 'review-script', ['translate']);
      const unit = units[0]!;
      assert.equal((await saveUnit(translator.secret, unit, 'Histoire de crédits')).statusCode, 200);
      const reviewed = await site.app.inject({
        method: 'POST',
        url: '/api/v1/stories/credits/translations/fr/review',
        headers: bearer(reviewer.secret),
        payload: { units: [unit.id], decision: 'approve' },
      });
      assert.deepEqual(reviewed.json().approved, [unit.id]);
      const commented = await site.app.inject({
        method: 'POST',
        url: `/api/v1/stories/credits/translations/fr/units/${unit.id}/comments`,
        headers: bearer(translator.secret),
        payload: { body: 'Relu par le script.' },
      });
      assert.equal(commented.statusCode, 200, commented.body);
      assert.equal(commented.json().comments[0].viaToken, 'translate-script');

      const history = (
        await site.app.inject({ url: `/api/v1/stories/credits/translations/fr/units/${unit.id}/history` })
      ).json().history as Array<{ action: string; user: string; viaToken: string | null; bot: boolean }>;
      assert.deepEqual(
        history.map((entry) => [entry.action, entry.user, entry.viaToken, entry.bot]),
        [
          ['approved', 'rev', 'review-script', false],
          ['saved', 'amina', 'translate-script', false],
        ],
      );
      // A comment written in the site names no token.
      const session = await signIn(site.app, 'amina');
      const page = await site.app.inject({ url: '/en/account', headers: { cookie: session.cookie } });
      const inSite = await site.app.inject({
        method: 'POST',
        url: `/api/v1/stories/credits/translations/fr/units/${unit.id}/comments`,
        headers: { cookie: session.cookie, 'csrf-token': csrfFrom(page.body) },
        payload: { body: 'Et par moi.' },
      });
      assert.equal(inSite.statusCode, 200, inSite.body);
      assert.equal(inSite.json().comments[1].viaToken, null);
    });

    test('an admin marks a bot account; its work is labelled as a bot\u2019s in histories, credits and answers', async () => {
      const admin = await signIn(site.app, 'admin');
      const usersPage = await site.app.inject({ url: '/en/admin/users', headers: { cookie: admin.cookie } });
      assert.match(usersPage.body, new RegExp(`action="/en/admin/users/${ids.syncbot}/bot"`));
      const marked = await site.app.inject(
        form(`/en/admin/users/${ids.syncbot}/bot`, { bot: '1', _csrf: csrfFrom(usersPage.body) }, admin.cookie),
      );
      assert.equal(marked.statusCode, 303);
      const usersAfter = await site.app.inject({ url: '/en/admin/users', headers: { cookie: admin.cookie } });
      const row = usersAfter.body.slice(usersAfter.body.indexOf(`id="user-${ids.syncbot}"`));
      assert.match(row.slice(0, row.indexOf('</tr>')), BOT_LABEL);
      assert.match(row, /Mark as a person/);
      assert.equal((await site.services.accounts.find(ids.syncbot!))!.isBot, true);
      // A bot gets no more and no less than its roles: a French translator may not review.
      const bot = await tokenFor('syncbot', 'bot-token', ['translate']);
      const unit = units[1]!;
      assert.equal((await saveUnit(bot.secret, unit, 'La deuxième phrase.')).statusCode, 200);
      const notAReviewer = await site.app.inject({
        method: 'POST',
        url: '/api/v1/stories/credits/translations/fr/review',
        headers: bearer(bot.secret),
        payload: { units: [unit.id], decision: 'approve' },
      });
      assert.equal(notAReviewer.json().error.code, 'forbidden');

      const history = (
        await site.app.inject({ url: `/api/v1/stories/credits/translations/fr/units/${unit.id}/history` })
      ).json().history;
      assert.deepEqual([history[0].user, history[0].bot, history[0].viaToken], ['syncbot', true, 'bot-token']);

      // Approved by a person, the bot is credited on the story page and the contributors' board, as a bot.
      const reviewer = await tokenFor('rev', 'review-again', ['translate']);
      await site.app.inject({
        method: 'POST',
        url: '/api/v1/stories/credits/translations/fr/review',
        headers: bearer(reviewer.secret),
        payload: { units: [unit.id], decision: 'approve' },
      });
      const story = await site.app.inject({ url: '/fr/stories/credits' });
      const credits = story.body.slice(story.body.indexOf('story__credits'));
      assert.match(credits, /<bdi>syncbot<\/bdi> <span class="bot-label">bot<\/span>/);
      assert.doesNotMatch(credits, /<bdi>rev<\/bdi> <span class="bot-label">/);
      const board = await site.app.inject({ url: '/en/contributors' });
      assert.match(board.body, /<bdi>syncbot<\/bdi> <span class="bot-label">bot<\/span>/);
      assert.doesNotMatch(board.body, /<bdi>amina<\/bdi> <span class="bot-label">/);

      // The subtitle history shows the label too; marking the account back removes it.
      const subtitle = await tokenFor('syncbot', 'bot-subtitles', ['subtitle']);
      await site.services.accounts.grant(ids.syncbot!, 'translator', 'es', null);
      const saved = await site.app.inject({
        method: 'PUT',
        url: '/api/v1/stories/credits/subtitles/es',
        headers: bearer(subtitle.secret),
        payload: { baseRevision: 0, cues: [{ startTime: 0, endTime: 2, text: 'Hallo' }] },
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const editor = await createUser(site.services, 'editor', [{ role: 'editor' }]);
      assert.ok(editor);
      const editorSession = await signIn(site.app, 'editor');
      const track = await site.app.inject({
        url: '/en/edit/stories/credits/subtitles/es',
        headers: { cookie: editorSession.cookie },
      });
      assert.match(
        track.body,
        /<bdi>syncbot<\/bdi> <span class="bot-label">bot<\/span> <span class="history-via-token">/,
      );
      const back = await site.app.inject(
        form(`/en/admin/users/${ids.syncbot}/bot`, { bot: '0', _csrf: csrfFrom(usersAfter.body) }, admin.cookie),
      );
      assert.equal(back.statusCode, 303);
      const trackAgain = await site.app.inject({
        url: '/en/edit/stories/credits/subtitles/es',
        headers: { cookie: editorSession.cookie },
      });
      assert.doesNotMatch(trackAgain.body, BOT_LABEL);
    });

    test('the command line adds a bot account, and lists it as one', async () => {
      const lines: string[] = [];
      const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
      const code = await runDatabaseCommand(
        site.services,
        ['user', 'add', 'importer', '--bot', '--role', 'translator', '--language', 'fr'],
        output,
      );
      assert.equal(code, 0, lines.join('\n'));
      assert.match(lines[0]!, /^Added the bot importer with the password /);
      const importer = await site.services.repositories.users.findByUsername('importer');
      assert.equal(importer?.isBot, true);
      assert.deepEqual(importer?.grants, [{ role: 'translator', language: 'fr' }]);
      lines.length = 0;
      await runDatabaseCommand(site.services, ['user', 'list'], output);
      assert.ok(lines.includes('importer\ttranslator:fr\t(bot)'), lines.join('\n'));
      assert.ok(lines.includes('amina\ttranslator:fr'), 'a person is listed without the mark');
    });

    test('the single-story answer carries its coverage, counted as the coverage matrix counts it', async () => {
      const story = (await site.app.inject({ url: '/api/v1/stories/credits' })).json();
      const total = units.length;
      // Two units approved in French (by the tests above), none elsewhere.
      assert.deepEqual(story.coverage.translations.fr, {
        approved: 2,
        units: total,
        percent: Math.floor((2 * 100) / total),
      });
      assert.deepEqual(story.coverage.translations.ar, { approved: 0, units: total, percent: 0 });
      assert.equal(story.coverage.translations.en, undefined, 'the story\u2019s own language is the source');
      const matrix = await site.services.contributions.coverage({ chain: ['en'], languages: ['fr', 'ar'], page: 1 });
      assert.equal(matrix.rows[0]!.cells.fr!.text, story.coverage.translations.fr.percent);
      assert.equal(story.translated.fr, story.coverage.translations.fr.percent);

      // French subtitles: two cues, both with text, still a draft; Spanish one cue; none in English.
      assert.deepEqual(story.coverage.subtitles.fr, {
        state: 'draft',
        published: false,
        cues: 2,
        filled: 2,
        percent: 100,
      });
      assert.deepEqual(story.coverage.subtitles.en, { state: null, published: false, cues: 0, filled: 0, percent: 0 });
      await site.services.subtitles.approve(storyId, 'fr', 2, ids.rev!);
      const approved = (await site.app.inject({ url: '/api/v1/stories/credits' })).json();
      assert.equal(approved.coverage.subtitles.fr.state, 'published');
      assert.equal(approved.coverage.subtitles.fr.published, true);
      const matrixAfter = await site.services.contributions.coverage({ chain: ['en'], languages: ['fr'], page: 1 });
      assert.equal(matrixAfter.rows[0]!.cells.fr!.subtitles, 100);
    });
  });
}
