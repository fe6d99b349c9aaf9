import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { defaultCueSettings, type Cue } from '../../src/domain/subtitles/index.ts';
import { splicesBetween } from '../../src/domain/subtitles/changes.ts';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Saving tracks from the editor (compare-and-set), the review workflow, history, diff, rollback
// and translation progress, through the real routes on every engine.

const cue = (startTime: number, endTime: number, text: string): Cue => ({
  id: '',
  startTime,
  endTime,
  text,
  settings: defaultCueSettings(),
});
const ENGLISH = [cue(0, 2, 'First words'), cue(2, 4, 'Second words'), cue(4, 6, 'Third words')];

for (const engine of testEngines()) {
  describe(`saving and reviewing subtitle tracks (${engine})`, () => {
    let site: TestSite;
    let editor: { cookie: string; csrf: string };
    // Many people sign in here within a minute: more than the site's sign-in limit allows one address.
    before(async () => {
      site = await startTestSite(engine, { SIGN_IN_RATE_LIMIT: '100' });
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      await createCatalog(site.services, [{ slug: 'told', texts: { en: { title: 'A told story' } } }]);
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      await createUser(site.services, 'Translator', [{ role: 'translator', language: 'ar' }]);
      await createUser(site.services, 'Reviewer', [{ role: 'reviewer', language: 'ar' }]);
      await createUser(site.services, 'FrenchReviewer', [{ role: 'reviewer', language: 'fr' }]);
      editor = await signIn(site.app, 'Editor');
    });

    const save = (session: { cookie: string; csrf: string }, language: string, body: object) =>
      site.app.inject({
        method: 'PUT',
        url: `/api/v1/stories/told/subtitles/${language}`,
        payload: body,
        headers: { cookie: session.cookie, 'csrf-token': session.csrf, 'content-type': 'application/json' },
      });
    const change = (session: { cookie: string; csrf: string }, language: string, body: object) =>
      site.app.inject({
        method: 'PATCH',
        url: `/api/v1/stories/told/subtitles/${language}`,
        payload: body,
        headers: { cookie: session.cookie, 'csrf-token': session.csrf, 'content-type': 'application/json' },
      });
    const track = async (language: string) => (await site.services.subtitles.editorState(1, language)).track;
    async function review(session: { cookie: string }, language: string, decision: string, comment = '') {
      const page = await site.app.inject({
        method: 'GET',
        url: `/en/edit/stories/told/subtitles/${language}`,
        headers: { cookie: session.cookie },
      });
      const revision = /name="revision" value="(\d+)"/.exec(page.body)?.[1] ?? '0';
      return site.app.inject(
        form(
          `/en/edit/stories/told/subtitles/${language}/review`,
          { decision, revision, comment, _csrf: csrfFrom(page.body) },
          session.cookie,
        ),
      );
    }

    test('two saves from the same revision: the second is refused with both versions, nothing is overwritten', async () => {
      assert.equal((await save(editor, 'en', { baseRevision: 0, cues: ENGLISH })).statusCode, 200);
      const mine = await save(editor, 'en', {
        baseRevision: 1,
        cues: ENGLISH.map((c, i) => (i === 0 ? { ...c, text: 'Mine' } : c)),
      });
      assert.equal(mine.statusCode, 200);
      assert.equal(mine.json().revision, 2);
      const theirs = await save(editor, 'en', {
        baseRevision: 1,
        cues: ENGLISH.map((c, i) => (i === 1 ? { ...c, text: 'Theirs' } : c)),
      });
      assert.equal(theirs.statusCode, 409);
      assert.equal(theirs.json().error.code, 'edit_conflict');
      assert.equal(theirs.json().current.revision, 2);
      assert.equal(theirs.json().current.cues[0].text, 'Mine');
      assert.equal(theirs.json().current.userName, 'Editor');
      assert.equal(theirs.json().current.bot, false, 'saved by a person');
      // Saved by an account marked as a bot's: the conflict says so, for the editor to label the name.
      const { accounts, repositories } = site.services;
      await accounts.setBot((await repositories.users.findByUsername('Editor'))!.id, true);
      const fromBot = await save(editor, 'en', { baseRevision: 1, cues: ENGLISH });
      assert.equal(fromBot.statusCode, 409);
      assert.deepEqual([fromBot.json().current.userName, fromBot.json().current.bot], ['Editor', true]);
      assert.deepEqual(
        (await track('en'))!.cues.map((c) => c.text),
        ['Mine', 'Second words', 'Third words'],
      );
      const again = await save(editor, 'en', { baseRevision: 0, cues: ENGLISH });
      assert.equal(again.statusCode, 409, 'creating a track that exists is a conflict too');
    });

    test('ten saves at once from one revision: exactly one wins', async () => {
      await save(editor, 'en', { baseRevision: 0, cues: ENGLISH });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => save(editor, 'en', { baseRevision: 1, cues: [cue(0, 1, `Save ${i}`)] })),
      );
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, ...Array(9).fill(409)]);
      const history = await site.services.subtitles.history(1, 'en');
      assert.deepEqual(
        history!.revisions.map((r) => r.revision),
        [2, 1],
      );
    });

    test('invalid cues are refused naming the cue and the field; bad bodies and missing rights get clear errors', async () => {
      const bad = await save(editor, 'en', { baseRevision: 0, cues: [cue(0, 2, 'ok'), cue(5, 3, 'backwards')] });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'invalid_cues');
      assert.deepEqual(
        bad.json().error.problems.map((p: { cue: number; field: string }) => [p.cue, p.field]),
        [[1, 'endTime']],
      );
      assert.equal(
        (await save(editor, 'en', { baseRevision: 0, cues: [{ startTime: 'soon', endTime: 1, text: 'x' }] }))
          .statusCode,
        400,
      );
      const long = await save(editor, 'en', {
        baseRevision: 0,
        cues: [cue(0, 1, 'ok'), cue(1, 2, 'x'.repeat(2001)), { ...cue(2, 3, 'ok'), id: 'i'.repeat(201) }],
      });
      assert.equal(long.statusCode, 400);
      assert.deepEqual(
        long.json().error.problems.map((p: { cue: number; field: string }) => [p.cue, p.field]),
        [
          [1, 'text'],
          [2, 'id'],
        ],
      );
      const tooMany = await save(editor, 'en', {
        baseRevision: 0,
        cues: Array.from({ length: 100_001 }, (_, i) => ({ startTime: i, endTime: i + 1, text: '' })),
      });
      assert.equal(tooMany.statusCode, 400);
      assert.equal(tooMany.json().error.problems[0].code, 'too_many_cues');
      assert.equal(await track('en'), null, 'nothing partial is stored');
      const noToken = await site.app.inject({
        method: 'PUT',
        url: '/api/v1/stories/told/subtitles/en',
        payload: { baseRevision: 0, cues: ENGLISH },
        headers: { cookie: editor.cookie },
      });
      assert.equal(noToken.statusCode, 403);
      const anonymous = await site.app.inject({
        method: 'PUT',
        url: '/api/v1/stories/told/subtitles/en',
        payload: { baseRevision: 0, cues: ENGLISH },
      });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().error.code, 'not_signed_in');
      const translator = await signIn(site.app, 'Translator');
      assert.equal(
        (await save(translator, 'fr', { baseRevision: 0, cues: ENGLISH })).statusCode,
        403,
        'an Arabic translator cannot write French',
      );
      assert.equal(
        (await save(translator, 'ar', { baseRevision: 0, cues: ENGLISH, sourceLanguage: 'en' })).statusCode,
        200,
      );
      assert.equal((await save(editor, 'xx', { baseRevision: 0, cues: ENGLISH })).statusCode, 404);
    });

    test('review: submitted, sent back with a comment the translator reads, approved; an approved track edited again goes back to review while viewers keep the approved cues', async () => {
      await save(editor, 'en', { baseRevision: 0, cues: ENGLISH });
      const translator = await signIn(site.app, 'Translator');
      const reviewer = await signIn(site.app, 'Reviewer');
      const arabic = ENGLISH.map((c, i) => ({ ...c, text: ['الكلمات الأولى', 'الكلمات الثانية', ''][i]! }));
      assert.equal(
        (await save(translator, 'ar', { baseRevision: 0, cues: arabic, sourceLanguage: 'en' })).statusCode,
        200,
      );
      const progressOf = async (language: string) =>
        (await site.services.subtitles.progress(1)).find((t) => t.language === language)!;
      let progress = await progressOf('ar');
      assert.deepEqual([progress!.language, progress!.percent, progress!.sourceChanged], ['ar', 66, false]);

      assert.equal((await review(translator, 'ar', 'approved')).statusCode, 403, 'a translator cannot approve');
      assert.equal(
        (await review(await signIn(site.app, 'FrenchReviewer'), 'ar', 'approved')).statusCode,
        403,
        'a French reviewer cannot review Arabic',
      );
      assert.equal((await review(translator, 'ar', 'submitted')).statusCode, 303);
      assert.equal((await track('ar'))!.status, 'in_review');
      assert.equal((await review(reviewer, 'ar', 'sent_back')).statusCode, 400, 'sending back needs a comment');
      assert.equal(
        (await review(reviewer, 'ar', 'sent_back', 'The third cue is empty <script>alert(1)</script>')).statusCode,
        303,
      );
      assert.equal((await track('ar'))!.status, 'draft');
      const editorPage = await site.app.inject({
        method: 'GET',
        url: '/ar/edit/stories/told/subtitles/ar/edit',
        headers: { cookie: translator.cookie },
      });
      assert.match(editorPage.body, /The third cue is empty &lt;script>/);
      assert.doesNotMatch(editorPage.body, /<script>alert/);
      // The reviewer, a person, is named without the bot label; once the account is a bot's, with it.
      const reviewPanel = (body: string) => /class="[^"]*subtitle-editor__review[\s\S]*?<\/p>/.exec(body)?.[0] ?? '';
      assert.match(reviewPanel(editorPage.body), /<bdi>Reviewer<\/bdi>/);
      assert.doesNotMatch(reviewPanel(editorPage.body), /bot-label/);
      const sentBackPage = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/told/subtitles/ar',
        headers: { cookie: translator.cookie },
      });
      assert.match(
        sentBackPage.body.replace(/[\u2068\u2069]/g, ''),
        /Sent back with a comment by <bdi>Reviewer<\/bdi> \(revision 1\)/,
      );
      assert.doesNotMatch(sentBackPage.body, /class="bot-label"/);
      const reviewerId = (await site.services.repositories.users.findByUsername('Reviewer'))!.id;
      await site.services.accounts.setBot(reviewerId, true);
      const botEditorPage = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/told/subtitles/ar/edit',
        headers: { cookie: translator.cookie },
      });
      assert.match(
        reviewPanel(botEditorPage.body),
        /<bdi>Reviewer<\/bdi> <span class="bot-label">bot<\/span> sent this track back with a comment:/,
      );

      const complete = arabic.map((c, i) => (i === 2 ? { ...c, text: 'الكلمات الثالثة' } : c));
      assert.equal((await save(translator, 'ar', { baseRevision: 1, cues: complete })).statusCode, 200);
      assert.equal((await review(reviewer, 'ar', 'approved')).statusCode, 303);
      let vtt = await site.app.inject({ method: 'GET', url: '/subtitles/told/ar.vtt' });
      assert.match(vtt.body, /الكلمات الثالثة/);

      assert.equal(
        (
          await save(translator, 'ar', {
            baseRevision: 2,
            cues: complete.map((c, i) => (i === 0 ? { ...c, text: 'مسودة' } : c)),
          })
        ).statusCode,
        200,
      );
      assert.equal((await track('ar'))!.status, 'in_review');
      const trackPage = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/told/subtitles/ar',
        headers: { cookie: reviewer.cookie },
      });
      assert.match(
        trackPage.body.replace(/[\u2068\u2069]/g, ''),
        /href="\/en\/edit\/stories\/told\/subtitles\/ar\/diff\?from=2&amp;to=3">What changed since the last review \(revision 2\)</,
        'the reviewer sees what changed since they approved',
      );
      assert.match(
        trackPage.body.replace(/[\u2068\u2069]/g, ''),
        /Approved and published by <bdi>Reviewer<\/bdi> <span class="bot-label">bot<\/span> \(revision 2\)/,
        'the last review names the bot as a bot',
      );
      vtt = await site.app.inject({ method: 'GET', url: '/subtitles/told/ar.vtt' });
      assert.match(vtt.body, /الكلمات الأولى/);
      assert.doesNotMatch(vtt.body, /مسودة/);

      await save(editor, 'en', { baseRevision: 1, cues: ENGLISH.map((c) => ({ ...c, text: `${c.text}!` })) });
      progress = await progressOf('ar');
      assert.equal(progress!.sourceChanged, true, 'the source changed since the translation started');
      assert.equal(
        (await save(translator, 'ar', { baseRevision: 3, cues: complete, sourceLanguage: 'en', sourceRevision: 1 }))
          .statusCode,
        200,
      );
      assert.equal((await progressOf('ar')).sourceChanged, true, 'a save beside the old source leaves the flag');
      assert.equal(
        (await save(translator, 'ar', { baseRevision: 4, cues: complete, sourceLanguage: 'en' })).statusCode,
        200,
      );
      progress = await progressOf('ar');
      assert.deepEqual(
        [progress.sourceChanged, progress.sourceRevision, progress.percent],
        [false, 2, 100],
        'a save beside the newer source clears it',
      );
      const state = await site.app.inject({
        method: 'GET',
        url: '/api/v1/stories/told/subtitles/ar',
        headers: { cookie: translator.cookie },
      });
      assert.equal(state.statusCode, 200);
      assert.deepEqual(
        [
          state.json().track.revision,
          state.json().source.language,
          state.json().source.revision,
          state.json().review.decision,
          state.json().review.userName,
          state.json().review.bot,
        ],
        [5, 'en', 2, 'approved', 'Reviewer', true],
      );
    });

    test('each decision applies only where the workflow allows it, and only once when two reviewers act at once', async () => {
      await save(editor, 'ar', { baseRevision: 0, cues: ENGLISH });
      const reviewer = await signIn(site.app, 'Reviewer');
      const sendBackDraft = await review(reviewer, 'ar', 'sent_back', 'Not submitted yet');
      assert.equal(sendBackDraft.statusCode, 409, 'a draft is not in review, so it cannot be sent back');
      assert.match(sendBackDraft.body, /Someone saved or reviewed this track meanwhile/);
      assert.equal((await review(editor, 'ar', 'submitted')).statusCode, 303);
      assert.equal((await review(editor, 'ar', 'submitted')).statusCode, 409, 'already in review');
      const pages = await Promise.all(
        [reviewer, editor].map((session) =>
          site.app.inject({
            method: 'GET',
            url: '/en/edit/stories/told/subtitles/ar',
            headers: { cookie: session.cookie },
          }),
        ),
      );
      const approvals = await Promise.all(
        [reviewer, editor].map((session, i) =>
          site.app.inject(
            form(
              '/en/edit/stories/told/subtitles/ar/review',
              { decision: 'approved', revision: '1', _csrf: csrfFrom(pages[i]!.body) },
              session.cookie,
            ),
          ),
        ),
      );
      assert.deepEqual(approvals.map((r) => r.statusCode).sort(), [303, 409]);
      const history = await site.services.subtitles.history(1, 'ar');
      assert.equal(history!.track.status, 'published');
      assert.equal(history!.review!.decision, 'approved');
    });

    test('history lists every revision, two revisions compare cue by cue, and a rollback is a new revision', async () => {
      await save(editor, 'en', { baseRevision: 0, cues: ENGLISH });
      await save(editor, 'en', {
        baseRevision: 1,
        cues: [
          ENGLISH[0]!,
          { ...ENGLISH[1]!, text: 'Changed <img src=x onerror=alert(1)>' },
          ENGLISH[2]!,
          cue(6, 8, 'Added'),
        ],
        summary: 'Fixed <b onmouseover=alert(1)>typos</b>',
      });
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/told/subtitles/en',
        headers: { cookie: editor.cookie },
      });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<td>2<\/td>/);
      assert.match(page.body, /Fixed &lt;b onmouseover=alert\(1\)>typos&lt;\/b>/, 'the summary is shown as text');
      assert.doesNotMatch(page.body, /<b onmouseover/);
      const diff = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/told/subtitles/en/diff?from=1&to=2',
        headers: { cookie: editor.cookie },
      });
      assert.equal(diff.statusCode, 200);
      assert.match(diff.body, /Changed &lt;img src=x onerror=alert\(1\)>/);
      assert.doesNotMatch(diff.body, /<img src=x/);
      assert.equal((diff.body.match(/<tr class="subtitle-diff__changed"/g) ?? []).length, 1);
      assert.equal((diff.body.match(/<tr class="subtitle-diff__added"/g) ?? []).length, 1);
      assert.match(diff.body, /Unchanged cues not shown: 2\./);
      assert.equal(
        (
          await site.app.inject({
            method: 'GET',
            url: '/en/edit/stories/told/subtitles/en/diff?from=1&to=9',
            headers: { cookie: editor.cookie },
          })
        ).statusCode,
        404,
      );

      const rollback = await site.app.inject(
        form(
          '/en/edit/stories/told/subtitles/en/rollback',
          { revision: '1', _csrf: csrfFrom(page.body) },
          editor.cookie,
        ),
      );
      assert.equal(rollback.statusCode, 303);
      const rolled = (await track('en'))!;
      assert.equal(rolled.revision, 3);
      assert.deepEqual(rolled.cues, ENGLISH);
      const history = await site.services.subtitles.history(1, 'en');
      assert.deepEqual(
        history!.revisions.map((r) => [r.revision, r.changedCues]),
        [
          [3, 2],
          [2, 2],
          [1, 3],
        ],
      );
    });

    test('a save of only what changed (PATCH): applied to the revision it names, refused when stale or when it does not fit', async () => {
      assert.equal(
        (await change(editor, 'en', { baseRevision: 0, splices: [{ at: 0, remove: 0, insert: ENGLISH }] })).statusCode,
        200,
      );
      const one = await change(editor, 'en', {
        baseRevision: 1,
        splices: [{ at: 1, remove: 1, insert: [{ startTime: 2, endTime: 4, text: 'Second, edited' }] }],
      });
      assert.equal(one.statusCode, 200);
      assert.equal(one.json().revision, 2);
      assert.deepEqual(
        (await track('en'))!.cues.map((c) => c.text),
        ['First words', 'Second, edited', 'Third words'],
      );
      const stale = await change(editor, 'en', { baseRevision: 1, splices: [{ at: 0, remove: 1, insert: [] }] });
      assert.equal(stale.statusCode, 409);
      assert.deepEqual(
        stale.json().current.cues.map((c: Cue) => c.text),
        ['First words', 'Second, edited', 'Third words'],
      );
      const outside = await change(editor, 'en', { baseRevision: 2, splices: [{ at: 2, remove: 5, insert: [] }] });
      assert.equal(outside.statusCode, 400);
      assert.equal(outside.json().error.code, 'invalid_changes');
      assert.equal(outside.json().error.message, 'Change 1 names cues 3 to 7 of a track of 3');
      const backwards = await change(editor, 'en', {
        baseRevision: 2,
        splices: [{ at: 3, remove: 0, insert: [cue(9, 8, 'Ends before it starts')] }],
      });
      assert.equal(backwards.statusCode, 400);
      assert.deepEqual(
        backwards.json().error.problems.map((p: { cue: number; field: string }) => [p.cue, p.field]),
        [[3, 'endTime']],
        'the cue is named by its place in the saved track',
      );
      assert.equal(
        (await change(editor, 'en', { baseRevision: 2, splices: [{ at: 'first', remove: 0, insert: [] }] })).statusCode,
        400,
      );
      assert.equal((await track('en'))!.revision, 2, 'nothing partial is stored');
    });

    test('a save still lands when the track changed under the copy the server keeps (a review), and conflicts when another server saved meanwhile', async () => {
      await change(editor, 'en', { baseRevision: 0, splices: [{ at: 0, remove: 0, insert: ENGLISH }] });
      assert.equal((await review(editor, 'en', 'submitted')).statusCode, 303);
      const afterReview = await change(editor, 'en', {
        baseRevision: 1,
        splices: [{ at: 0, remove: 1, insert: [cue(0, 2, 'Reworded')] }],
      });
      assert.equal(afterReview.statusCode, 200, 'a review changes the row, not the cues: the save applies');
      const { subtitles } = site.services.repositories;
      // Another server (with its own memory) saves revision 3 straight into the database.
      await subtitles.saveIfCurrent(
        { storyId: 1, language: 'en', cues: [cue(0, 1, 'From elsewhere')], userId: null, summary: '', changedCues: 3 },
        2,
      );
      const stale = await change(editor, 'en', {
        baseRevision: 2,
        splices: [{ at: 0, remove: 1, insert: [cue(0, 2, 'Mine')] }],
      });
      assert.equal(stale.statusCode, 409);
      assert.deepEqual(
        stale.json().current.cues.map((c: Cue) => c.text),
        ['From elsewhere'],
      );
      const merged = await change(editor, 'en', {
        baseRevision: 3,
        splices: [{ at: 1, remove: 0, insert: [cue(2, 3, 'Mine')] }],
      });
      assert.equal(merged.statusCode, 200);
      assert.deepEqual(
        (await track('en'))!.cues.map((c) => c.text),
        ['From elsewhere', 'Mine'],
      );
    });

    test('a long history of small saves is kept as changes, and every revision reads back exactly as it was saved', async () => {
      const first = Array.from({ length: 12 }, (_, i) => cue(i * 2, i * 2 + 1, `Line ${i}`));
      const versions: Cue[][] = [first];
      await change(editor, 'en', { baseRevision: 0, splices: [{ at: 0, remove: 0, insert: first }] });
      for (let revision = 2; revision <= 60; revision++) {
        const last = versions.at(-1)!;
        const next =
          revision === 40
            ? Array.from({ length: 12 }, (_, i) => cue(i * 2, i * 2 + 1, `Rewritten ${i}`)) // most cues replaced: kept whole
            : last.map((c, i) =>
                i === revision % last.length ? { ...c, text: `${c.text.split(' #')[0]} #${revision}` } : c,
              );
        if (revision % 7 === 0) next.push(cue(100 + revision, 101 + revision, `Added in ${revision}`));
        versions.push(next);
        const body =
          revision % 2
            ? { baseRevision: revision - 1, cues: next }
            : { baseRevision: revision - 1, splices: splicesBetween(last, next) };
        const response = 'cues' in body ? await save(editor, 'en', body) : await change(editor, 'en', body);
        assert.equal(response.statusCode, 200, response.body);
      }
      const { rows } = await sql<{ whole: number; changes: number }>`
        SELECT count(*) FILTER (WHERE cues IS NOT NULL)::int AS whole, count(*) FILTER (WHERE cues IS NULL)::int AS changes FROM subtitle_revisions`.execute(
        site.database.db,
      );
      assert.deepEqual(
        rows[0],
        { whole: 4, changes: 56 },
        'whole copies at revisions 1, 26, 40 and 51; changes for the rest',
      );
      for (const revision of [1, 2, 25, 26, 27, 39, 40, 41, 50, 51, 60]) {
        assert.deepEqual(
          await site.services.repositories.subtitles.revisionCues(1, revision),
          versions[revision - 1],
          `revision ${revision}`,
        );
      }
      const diff = await site.services.subtitles.diff(1, 'en', 58, 60);
      const edited = versions[59]!.filter((c) => !versions[57]!.includes(c)).map((c) => ['changed', c.text]);
      assert.equal(edited.length, 2);
      assert.deepEqual(
        diff!.filter((op) => op.kind !== 'same').map((op) => [op.kind, op.after?.text]),
        edited,
      );
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/told/subtitles/en',
        headers: { cookie: editor.cookie },
      });
      assert.equal(
        (
          await site.app.inject(
            form(
              '/en/edit/stories/told/subtitles/en/rollback',
              { revision: '33', _csrf: csrfFrom(page.body) },
              editor.cookie,
            ),
          )
        ).statusCode,
        303,
      );
      assert.deepEqual(
        (await track('en'))!.cues,
        versions[32],
        'a rollback to a revision stored as changes restores it whole',
      );
    });

    test("a translator's list: story texts and subtitles to translate into their language, what waits for them first, the reviewer's comment, one link to go on", async () => {
      const translator = await signIn(site.app, 'Translator');
      // The page's text with the marks that isolate each inserted value (a title, a language name) left out.
      const list = async (session: { cookie: string }, query = '') => {
        const response = await site.app.inject({
          method: 'GET',
          url: `/en/edit/subtitles${query}`,
          headers: { cookie: session.cookie },
        });
        return { statusCode: response.statusCode, body: response.body.replace(/[\u2068\u2069]/g, '') };
      };
      const [region] = await site.services.repositories.catalog.regions();
      await site.services.repositories.stories.create(
        {
          slug: 'quiet',
          regionId: region!.id,
          sourceLanguage: 'en',
          featured: false,
          themeIds: [],
          storytellerIds: [],
          text: {
            language: 'en',
            title: 'A story without subtitles',
            summary: '',
            blocks: [{ type: 'paragraph', text: '' }],
          },
        },
        null,
      );
      const first = await list(translator);
      assert.doesNotMatch(first.body, /subtitles\/ar\/edit/, 'no subtitles to translate yet');
      assert.match(first.body, /<bdi>A told story<\/bdi>/, 'the story by its title');
      assert.match(first.body, /href="\/en\/translate\/told\/ar"[^>]*>Start translating</, 'the story text is');
      await save(editor, 'en', { baseRevision: 0, cues: [...ENGLISH, cue(6, 7, '')] });
      assert.doesNotMatch(
        (await list(translator)).body,
        /subtitles\/ar\/edit/,
        'a track with empty cues is not complete enough to translate from',
      );
      await save(editor, 'en', { baseRevision: 1, cues: ENGLISH });
      let page = await list(translator);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<bdi>A told story<\/bdi>/);
      assert.match(page.body, /From English \(3 cues\)/);
      assert.match(page.body, /Not started/);
      assert.match(page.body, /href="\/en\/edit\/stories\/told\/subtitles\/ar\/edit\?from=en"[^>]*>Start translating</);
      assert.doesNotMatch(page.body, /quiet\/subtitles/, 'a story without subtitles has only its text to translate');
      assert.match(page.body, /href="\/en\/edit\/subtitles">Translate</, 'the list is in the main navigation');

      const translated = [cue(0, 2, 'الكلمات الأولى'), cue(2, 4, ''), cue(4, 6, '')];
      assert.equal(
        (
          await change(translator, 'ar', {
            baseRevision: 0,
            sourceLanguage: 'en',
            splices: [{ at: 0, remove: 0, insert: translated }],
          })
        ).statusCode,
        200,
      );
      page = await list(translator);
      assert.match(page.body, /<strong>Draft<\/strong> · 33% translated/);
      assert.match(page.body, /href="\/en\/edit\/stories\/told\/subtitles\/ar\/edit"[^>]*>Continue in the editor</);
      await review(translator, 'ar', 'submitted');
      const reviewer = await signIn(site.app, 'Reviewer');
      await review(reviewer, 'ar', 'sent_back', 'Finish cues 2 and 3 <script>alert(1)</script>');
      page = await list(translator);
      assert.match(page.body, /Sent back with a comment/);
      assert.match(page.body, /Finish cues 2 and 3 &lt;script>alert\(1\)&lt;\/script>/, 'the comment is shown as text');
      assert.doesNotMatch(page.body, /<script>alert/);
      const french = (await list(translator, '?language=fr')).body;
      assert.match(french, /into français/, 'every signed-in person may translate story texts into any language');
      assert.doesNotMatch(french, /subtitles\/fr\/edit/, 'but subtitles only in the languages they may subtitle');
      assert.match((await list(editor, '?language=fr')).body, /Not started/, 'editors choose any language');
      assert.equal((await site.app.inject({ method: 'GET', url: '/en/edit/subtitles' })).statusCode, 401);
    });
  });
}
