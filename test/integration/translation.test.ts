import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';
import { defaultCueSettings } from '../../src/domain/subtitles/index.ts';

// Stories translated unit by unit through the real routes: saves with compare-and-set and checks,
// review and publication, reading with fallback sentence by sentence, outdated units after a source
// edit (and none after a typo fix), the memory fed by approvals, on every engine.

const BODY =
  'Volunteers met in *Kisumu* on 12 May. They photographed 40 chapels.\n\n## What came next\n\nThe photos went to [Commons](https://commons.wikimedia.org).';

for (const engine of testEngines()) {
  describe(`translating stories unit by unit (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine, { SIGN_IN_RATE_LIMIT: '100' });
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      await createCatalog(site.services, [
        { slug: 'chapels', texts: { en: { title: 'Chapels of the lake', summary: 'A photo walk.', body: BODY } } },
      ]);
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      await createUser(site.services, 'Reviewer', [{ role: 'reviewer', language: 'ar' }]);
      await createUser(site.services, 'Member');
    });

    const api = async (
      method: 'GET' | 'PUT' | 'POST',
      url: string,
      session?: { cookie: string; csrf: string },
      payload?: object,
    ) => {
      const response = await site.app.inject({
        method,
        url,
        headers: session ? { cookie: session.cookie, 'csrf-token': session.csrf } : {},
        ...(payload ? { payload } : {}),
      });
      return { status: response.statusCode, json: response.json() as any };
    };
    const units = async (language: string) =>
      (await api('GET', `/api/v1/stories/chapels/translations/${language}`)).json.units as Array<Record<string, any>>;
    const save = (
      session: { cookie: string; csrf: string },
      language: string,
      unit: Record<string, any>,
      text: string,
      state = 'review',
    ) =>
      api('PUT', `/api/v1/stories/chapels/translations/${language}/units/${unit.id}`, session, {
        baseRevision: unit.revision,
        sourceVersion: unit.sourceVersion,
        text,
        state,
      });

    test('the source is cut into units at sentences, with inline markup as placeholders', async () => {
      const list = await units('ar');
      assert.deepEqual(
        list.map((unit) => [unit.part, unit.source.replace(/\uE000(\d+)\uE001/g, '{$1}')]),
        [
          ['title', 'Chapels of the lake'],
          ['summary', 'A photo walk.'],
          ['body', 'Volunteers met in {0}Kisumu{1} on 12 May.'],
          ['body', 'They photographed 40 chapels.'],
          ['body', 'What came next'],
          ['body', 'The photos went to {0}Commons{1}.'],
        ],
      );
      assert.ok(list.every((unit) => unit.state === 'untranslated' && unit.revision === 0));
      assert.equal(new Set(list.map((unit) => unit.id)).size, list.length, 'ids are distinct');
    });

    test('a new member translates, a reviewer approves, and the page reads in Arabic with the rest in English', async () => {
      const member = await signIn(site.app, 'Member');
      const list = await units('ar');
      const title = list[0]!;
      const first = list[2]!;
      const saved = await save(member, 'ar', title, 'كنائس البحيرة');
      assert.equal(saved.status, 200, JSON.stringify(saved.json));
      assert.equal(saved.json.unit.state, 'review');
      const placeholders = first.source.match(/\uE000\d\uE001/g);
      const withMarkup = `التقى المتطوعون في ${placeholders[0]}كيسومو${placeholders[1]} يوم 12 مايو.`;
      assert.equal((await save(member, 'ar', first, withMarkup)).status, 200);

      const before = await site.app.inject({ method: 'GET', url: '/ar/stories/chapels' });
      assert.doesNotMatch(before.body, /كنائس البحيرة/, 'nothing is published before review');

      const own = await api('POST', '/api/v1/stories/chapels/translations/ar/review', member, {
        units: [title.id],
        decision: 'approve',
      });
      assert.equal(own.status, 403, 'a member without the reviewer role cannot approve');

      const reviewer = await signIn(site.app, 'Reviewer');
      const review = await api('POST', '/api/v1/stories/chapels/translations/ar/review', reviewer, {
        units: [title.id, first.id],
        decision: 'approve',
      });
      assert.equal(review.status, 200);
      assert.deepEqual(review.json.approved, [title.id, first.id]);

      const page = await site.app.inject({ method: 'GET', url: '/ar/stories/chapels' });
      assert.match(page.body, /<h1>كنائس البحيرة<\/h1>/, 'the approved title, in the page language');
      assert.match(page.body, /التقى المتطوعون في <em>كيسومو<\/em> يوم 12 مايو\./, 'markup carried by placeholders');
      assert.match(
        page.body,
        /<span class="story__untranslated" lang="en" dir="ltr"><span class="visually-hidden" lang="ar" dir="rtl">[^<]+<\/span>They photographed 40 chapels\.<\/span>/,
        'an untranslated sentence in English, said so to screen readers',
      );
      assert.match(page.body, /story__translation-note[^]*?(33|٣٣)/, 'says how much is translated (in Arabic digits)');
      const search = await site.app.inject({ method: 'GET', url: `/en/search?q=${encodeURIComponent('البحيرة')}` });
      assert.match(search.body, /chapels/, 'search indexes the published translation');
    });

    test('an approved translation saved again leaves the page until it is approved again; a draft save changes no page', async () => {
      const member = await signIn(site.app, 'Member');
      const reviewer = await signIn(site.app, 'Reviewer');
      const [title, summary] = await units('ar');
      await save(member, 'ar', title!, 'كنائس البحيرة');
      await api('POST', '/api/v1/stories/chapels/translations/ar/review', reviewer, {
        units: [title!.id],
        decision: 'approve',
      });
      assert.match(
        (await site.app.inject({ method: 'GET', url: '/ar/stories/chapels' })).body,
        /<h1>كنائس البحيرة<\/h1>/,
      );
      const announced: unknown[] = [];
      const stop = site.services.changes.subscribe((change) => announced.push(change));
      await save(member, 'ar', summary!, 'نزهة تصوير.', 'draft');
      assert.deepEqual(announced, [], 'a draft of an unpublished unit changes no public page');
      const [approved] = await units('ar');
      await save(member, 'ar', approved!, 'كنائس البحيرة الكبيرة');
      stop();
      assert.equal(announced.length, 1, 'taking a published translation off is announced');
      const page = (await site.app.inject({ method: 'GET', url: '/ar/stories/chapels' })).body;
      assert.doesNotMatch(page, /كنائس البحيرة/, 'awaiting review again: the source shows');
      assert.match(page, /Chapels of the lake/);
    });

    test('nobody approves their own translation', async () => {
      const reviewer = await signIn(site.app, 'Reviewer');
      const [title] = await units('ar');
      assert.equal((await save(reviewer, 'ar', title!, 'كنائس البحيرة')).status, 200);
      const review = await api('POST', '/api/v1/stories/chapels/translations/ar/review', reviewer, {
        units: [title!.id],
        decision: 'approve',
      });
      assert.deepEqual(review.json.refused, [{ unitId: title!.id, reason: 'own-translation' }]);
    });

    test('a reviewer sends a unit back with a comment that the translator sees', async () => {
      const member = await signIn(site.app, 'Member');
      const [title] = await units('ar');
      await save(member, 'ar', title!, 'كنائس');
      const reviewer = await signIn(site.app, 'Reviewer');
      const missingComment = await api('POST', '/api/v1/stories/chapels/translations/ar/review', reviewer, {
        units: [title!.id],
        decision: 'send-back',
      });
      assert.equal(missingComment.status, 400);
      const sent = await api('POST', '/api/v1/stories/chapels/translations/ar/review', reviewer, {
        units: [title!.id],
        decision: 'send-back',
        comment: 'The lake is missing.',
      });
      assert.deepEqual(sent.json.sentBack, [title!.id]);
      const [after] = await units('ar');
      assert.equal(after!.state, 'draft');
      assert.equal(after!.feedback, 'The lake is missing.');
      assert.equal(after!.reviewer, 'Reviewer');
      assert.deepEqual([after!.translatorBot, after!.reviewerBot], [false, false], 'both are people');

      // Once the accounts are marked as bots', every unit they worked on says so.
      const { accounts, repositories } = site.services;
      for (const name of ['Member', 'Reviewer'])
        await accounts.setBot((await repositories.users.findByUsername(name))!.id, true);
      const [marked] = await units('ar');
      assert.deepEqual([marked!.translator, marked!.translatorBot], ['Member', true]);
      assert.deepEqual([marked!.reviewer, marked!.reviewerBot], ['Reviewer', true]);
      const saved = await save(member, 'ar', marked!, 'كنائس البحيرة');
      assert.equal(saved.status, 200);
      assert.deepEqual([saved.json.unit.translator, saved.json.unit.translatorBot], ['Member', true]);
    });

    test('a stale save is refused with the current translation, never overwriting it', async () => {
      const member = await signIn(site.app, 'Member');
      const reviewer = await signIn(site.app, 'Reviewer');
      const [title] = await units('ar');
      assert.equal((await save(member, 'ar', title!, 'النص الأول')).status, 200);
      const stale = await save(reviewer, 'ar', title!, 'النص الثاني');
      assert.equal(stale.status, 409);
      assert.equal(stale.json.error.code, 'edit_conflict');
      assert.equal(stale.json.current.text, 'النص الأول');
      assert.deepEqual([stale.json.current.translator, stale.json.current.translatorBot], ['Member', false]);
      const [after] = await units('ar');
      assert.equal(after!.text, 'النص الأول');
      assert.equal(after!.revision, 1);
    });

    test('placeholders removed or invented, and hostile text, are refused or kept as text', async () => {
      const member = await signIn(site.app, 'Member');
      const list = await units('ja');
      const first = list[2]!;
      const lost = await save(member, 'ja', first, '12日にボランティアが集まりました。');
      assert.equal(lost.status, 400);
      assert.equal(lost.json.error.code, 'invalid_translation');
      assert.ok(lost.json.error.problems.some((problem: { code: string }) => problem.code === 'placeholder_missing'));
      const invented = await save(member, 'ja', list[3]!, '40の\uE0007\uE001礼拝堂\uE0008\uE001を撮影しました。');
      assert.ok(
        invented.json.error.problems.some((problem: { code: string }) => problem.code === 'placeholder_invented'),
      );
      const hostile = '<script>alert(1)</script>湖の礼拝堂';
      assert.equal((await save(member, 'ja', list[0]!, hostile)).status, 200);
      await createUser(site.services, 'JaReviewer', [{ role: 'reviewer', language: 'ja' }]);
      const reviewer = await signIn(site.app, 'JaReviewer');
      await api('POST', '/api/v1/stories/chapels/translations/ja/review', reviewer, {
        units: [list[0]!.id],
        decision: 'approve',
      });
      const page = await site.app.inject({ method: 'GET', url: '/ja/stories/chapels' });
      assert.match(page.body, /&lt;script>alert\(1\)&lt;\/script>湖の礼拝堂/);
      assert.doesNotMatch(page.body, /<script>alert/);
    });

    test('editing one source sentence outdates exactly that unit in every language, with its diff; a typo fix outdates none', async () => {
      const member = await signIn(site.app, 'Member');
      await createUser(site.services, 'FrReviewer', [{ role: 'reviewer', language: 'fr' }]);
      const arReviewer = await signIn(site.app, 'Reviewer');
      const frReviewer = await signIn(site.app, 'FrReviewer');
      for (const [language, reviewer, text] of [
        ['ar', arReviewer, 'صوروا 40 كنيسة.'],
        ['fr', frReviewer, 'Ils ont photographié 40 chapelles.'],
      ] as const) {
        const unit = (await units(language))[3]!;
        await save(member, language, unit, text);
        await api('POST', `/api/v1/stories/chapels/translations/${language}/review`, reviewer, {
          units: [unit.id],
          decision: 'approve',
        });
      }
      const editor = await signIn(site.app, 'Editor');
      const edit = async (body: string, typoFix: boolean) => {
        const page = await site.app.inject({
          method: 'GET',
          url: '/en/edit/stories/chapels',
          headers: { cookie: editor.cookie },
        });
        const revision = /name="revision" value="(\d+)"/.exec(page.body)![1]!;
        const response = await site.app.inject(
          form(
            '/en/edit/stories/chapels',
            {
              slug: 'chapels',
              region: '1',
              sourceLanguage: 'en',
              themes: ['1'],
              storytellers: ['1'],
              title: 'Chapels of the lake',
              summary: 'A photo walk.',
              body,
              revision,
              ...(typoFix ? { typoFix: 'on' } : {}),
              _csrf: csrfFrom(page.body),
            },
            editor.cookie,
          ),
        );
        assert.equal(response.statusCode, 303, response.body.slice(0, 200));
      };
      const ids = (await units('ar')).map((unit) => unit.id);
      await edit(BODY.replace('40 chapels', '41 chapels'), false);
      for (const language of ['ar', 'fr']) {
        const list = await units(language);
        assert.deepEqual(
          list.map((unit) => unit.id),
          ids,
          'ids are kept',
        );
        assert.deepEqual(
          list.filter((unit) => unit.state === 'outdated').map((unit) => unit.id),
          [ids[3]],
          `only the edited sentence is outdated in ${language}`,
        );
        assert.deepEqual(
          list[3]!.diff.filter((change: { kind: string }) => change.kind !== 'same'),
          [
            { kind: 'removed', text: '40' },
            { kind: 'added', text: '41' },
          ],
        );
      }
      const arabic = await site.app.inject({ method: 'GET', url: '/ar/stories/chapels' });
      assert.match(arabic.body, /They photographed 41 chapels\./, 'an outdated translation gives way to the source');

      // The translator confirms the translation still holds by saving it against the new source.
      const outdated = (await units('fr'))[3]!;
      assert.equal((await save(member, 'fr', outdated, 'Ils ont photographié 41 chapelles.')).status, 200);

      await edit(BODY.replace('40 chapels', '41 chapels').replace('photographed', 'photographied'), true);
      const afterTypo = await units('ar');
      assert.equal(afterTypo.filter((unit) => unit.state === 'outdated').length, 1, 'a typo fix outdates nothing more');
      assert.match(afterTypo[3]!.source, /photographied/);

      // A sentence added at the start moves every one after it: they keep their ids, order and states.
      const current = BODY.replace('40 chapels', '41 chapels').replace('photographed', 'photographied');
      const state = (list: typeof afterTypo) => list.map((unit) => [unit.id, unit.source, unit.state]);
      await edit(`A new first sentence. ${current}`, false);
      const afterInsert = await units('ar');
      const added = afterInsert.filter((unit) => !ids.includes(unit.id));
      assert.deepEqual(
        added.map((unit) => unit.source),
        ['A new first sentence.'],
      );
      assert.equal(afterInsert.indexOf(added[0]!), 2, 'after the title and the summary');
      assert.deepEqual(state(afterInsert.filter((unit) => unit !== added[0])), state(afterTypo));
      const english = await site.app.inject({ method: 'GET', url: '/en/stories/chapels' });
      assert.match(
        english.body,
        /A new first sentence\. Volunteers met[\s\S]*41 chapels[\s\S]*What came next[\s\S]*Commons/,
      );
      // Taken out again: the rest move back up, as they were.
      await edit(current, false);
      assert.deepEqual(state(await units('ar')), state(afterTypo));
    });

    test('an approved translation goes into the memory and is offered for the same sentence elsewhere', async () => {
      await createCatalog(site.services, []);
      const member = await signIn(site.app, 'Member');
      const reviewer = await signIn(site.app, 'Reviewer');
      const [title] = await units('ar');
      await save(member, 'ar', title!, 'كنائس البحيرة');
      await api('POST', '/api/v1/stories/chapels/translations/ar/review', reviewer, {
        units: [title!.id],
        decision: 'approve',
      });
      const exact = await api('GET', `/api/v1/stories/chapels/translations/ar/units/${title!.id}/memory`);
      assert.equal(exact.json.matches[0].score, 100);
      assert.equal(exact.json.matches[0].target, 'كنائس البحيرة');
      const second = await site.services.repositories.stories.findBySlug('chapels');
      assert.ok(second);
    });

    test('an approved subtitle translation feeds the memory cue by cue, offered for a cue elsewhere', async () => {
      const { subtitles, repositories } = site.services;
      const storyId = (await repositories.stories.findBySlug('chapels'))!.id;
      const editor = (await repositories.users.findByUsername('Editor'))!.id;
      const settings = defaultCueSettings();
      const cues = (texts: string[]) =>
        texts.map((text, index) => ({ id: '', startTime: index * 2, endTime: index * 2 + 2, text, settings }));
      await subtitles.save({
        storyId,
        language: 'en',
        baseRevision: 0,
        cues: cues(['Good morning.', 'We start here.']),
        userId: editor,
      });
      await subtitles.save({
        storyId,
        language: 'ar',
        baseRevision: 0,
        cues: cues(['صباح الخير.', 'نبدأ هنا.']),
        sourceLanguage: 'en',
        userId: editor,
      });
      const reviewer = (await repositories.users.findByUsername('Reviewer'))!.id;
      assert.equal(await subtitles.approve(storyId, 'ar', 1, reviewer), 'done');
      const found = await api('GET', `/api/v1/memory?from=en&to=ar&q=${encodeURIComponent('We start here.')}`);
      assert.equal(found.status, 200);
      assert.deepEqual(
        found.json.matches.map((match: { score: number; target: string }) => [match.score, match.target]),
        [[100, 'نبدأ هنا.']],
      );
      const near = await api('GET', `/api/v1/memory?from=en&to=ar&q=${encodeURIComponent('We start there.')}`);
      assert.ok(near.json.matches[0].score >= 75 && near.json.matches[0].score < 100, 'a fuzzy match has its per cent');
    });
  });
}
