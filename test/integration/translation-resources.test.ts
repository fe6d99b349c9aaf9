import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { writeTmx } from '../../src/domain/translation/tmx.ts';
import { createCatalog, createUser, form, multipart, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// The glossary and memory of a language pair: reviewers keep terms, which the translation checks
// use (a term's approved translation missing, a forbidden variant used: warnings, not errors); TBX
// and TMX files out and in, a broken file storing nothing.

for (const engine of testEngines()) {
  describe(`glossary and translation memory (${engine})`, () => {
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
        {
          slug: 'edit-a-thon',
          texts: { en: { title: 'The edit-a-thon', body: 'Volunteers joined the edit-a-thon.' } },
        },
      ]);
      await createUser(site.services, 'Reviewer', [{ role: 'reviewer', language: 'fr' }]);
      await createUser(site.services, 'Member');
    });
    const page = (cookie: string, query = 'from=en&to=fr') =>
      site.app.inject({ method: 'GET', url: `/en/translation-resources?${query}`, headers: { cookie } });
    const upload = (session: { cookie: string; csrf: string }, kind: 'glossary' | 'memory', content: string) => {
      const body = multipart({}, { field: 'file', name: `file.${kind === 'glossary' ? 'tbx' : 'tmx'}`, content });
      return site.app.inject({
        method: 'POST',
        url: `/en/translation-resources/${kind}/import?from=en&to=fr&_csrf=${encodeURIComponent(session.csrf)}`,
        headers: { cookie: session.cookie, 'content-type': body.contentType },
        payload: body.payload,
      });
    };

    test('a reviewer keeps the glossary; a translation that misses a term or uses a forbidden variant gets a warning', async () => {
      const reviewer = await signIn(site.app, 'Reviewer');
      const saved = await site.app.inject(
        form(
          '/en/translation-resources/terms?from=en&to=fr',
          {
            term: 'edit-a-thon',
            translation: 'marathon d’édition',
            partOfSpeech: 'noun',
            forbidden: 'éditathon, <b>hackathon</b>',
            note: 'Wikimedia event',
            _csrf: reviewer.csrf,
          },
          reviewer.cookie,
        ),
      );
      assert.equal(saved.statusCode, 303);
      const listed = await page(reviewer.cookie);
      assert.match(listed.body, /marathon d’édition/);
      assert.match(listed.body, /éditathon, &lt;b>hackathon&lt;\/b>/, 'hostile text shown as text');

      const member = await signIn(site.app, 'Member');
      const refusedEdit = await site.app.inject(
        form(
          '/en/translation-resources/terms?from=en&to=fr',
          { term: 'x', translation: 'y', _csrf: member.csrf },
          member.cookie,
        ),
      );
      assert.equal(refusedEdit.statusCode, 403, 'only reviewers of the language keep its glossary');

      const units = (
        await site.app.inject({ method: 'GET', url: '/api/v1/stories/edit-a-thon/translations/fr' })
      ).json().units;
      const save = (text: string) =>
        site.app.inject({
          method: 'PUT',
          url: `/api/v1/stories/edit-a-thon/translations/fr/units/${units[0].id}`,
          headers: { cookie: member.cookie, 'csrf-token': member.csrf },
          payload: { baseRevision: 0, sourceVersion: units[0].sourceVersion, text, state: 'review' },
        });
      const forbidden = await save('L’éditathon');
      assert.equal(forbidden.statusCode, 200, 'warnings do not block saving');
      assert.deepEqual(
        forbidden
          .json()
          .warnings.map((warning: { code: string }) => warning.code)
          .sort(),
        ['glossary_forbidden', 'glossary_missing'],
      );
      const boot = await site.app.inject({
        method: 'GET',
        url: '/en/translate/edit-a-thon/fr',
        headers: { cookie: member.cookie },
      });
      assert.match(boot.body, /marathon d’édition/, 'the editor gets the glossary');
    });

    test('TBX out and in; TMX out and in, feeding memory matches; a broken file stores nothing', async () => {
      const reviewer = await signIn(site.app, 'Reviewer');
      await site.app.inject(
        form(
          '/en/translation-resources/terms?from=en&to=fr',
          { term: 'volunteer', translation: 'bénévole', forbidden: 'volontaire', _csrf: reviewer.csrf },
          reviewer.cookie,
        ),
      );
      const tbx = await site.app.inject({
        method: 'GET',
        url: '/en/translation-resources/glossary.tbx?from=en&to=fr',
        headers: { cookie: reviewer.cookie },
      });
      assert.equal(tbx.statusCode, 200);
      assert.match(tbx.body, /bénévole/);
      await site.app.inject(
        form(
          '/en/translation-resources/terms/delete?from=en&to=fr',
          { term: 'volunteer', _csrf: reviewer.csrf },
          reviewer.cookie,
        ),
      );
      assert.doesNotMatch((await page(reviewer.cookie)).body, /bénévole/);
      const back = await upload(reviewer, 'glossary', tbx.body);
      assert.equal(back.statusCode, 200);
      assert.match(back.body, /1 term saved/);
      assert.match((await page(reviewer.cookie)).body, /bénévole/);

      const tmx = [
        ...writeTmx(
          [
            {
              sourceLanguage: 'en',
              targetLanguage: 'fr',
              source: 'Volunteers joined the edit-a-thon.',
              target: 'Des bénévoles ont rejoint le marathon.',
            },
            { sourceLanguage: 'en', targetLanguage: 'fr', source: 'Thank you all.', target: 'Merci à tous.' },
          ],
          'en',
        ),
      ].join('');
      const broken = await upload(reviewer, 'memory', tmx.slice(0, tmx.length - 40));
      assert.equal(broken.statusCode, 400);
      assert.match(broken.body, /malformed_xml/);
      const lookup = async (q: string) =>
        (
          await site.app.inject({ method: 'GET', url: `/api/v1/memory?from=en&to=fr&q=${encodeURIComponent(q)}` })
        ).json().matches;
      assert.deepEqual(await lookup('Thank you all.'), [], 'nothing of a broken file is stored');
      const imported = await upload(reviewer, 'memory', tmx);
      assert.equal(imported.statusCode, 200);
      assert.match(imported.body, /2 sentence pairs added/);
      assert.equal((await lookup('Thank you all.'))[0].target, 'Merci à tous.');
      const exported = await site.app.inject({
        method: 'GET',
        url: '/en/translation-resources/memory.tmx?from=en&to=fr',
        headers: { cookie: reviewer.cookie },
      });
      assert.match(exported.body, /<tmx version="1.4">/);
      assert.match(exported.body, /Merci à tous\./);
    });
  });
}
