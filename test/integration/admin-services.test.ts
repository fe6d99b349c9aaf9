import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createUser, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// The management use cases as services, without HTTP: what an admin's form leads to.

for (const engine of testEngines()) {
  describe(`management services (${engine})`, () => {
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

    test('languages: any known BCP 47 code is added once, last, with a search configuration; English stays on', async () => {
      const { languages } = site.services;
      assert.deepEqual(await languages.add('xx-nonsense-tag'), { code: 'admin-languages-error-unknown' });
      assert.deepEqual(await languages.add(''), { code: 'form-error-required' });
      assert.equal(await languages.add(' PT-br '), null);
      const added = (await languages.list()).at(-1)!;
      assert.equal(added.code, 'pt-br');
      assert.equal(added.autonym.toLowerCase().startsWith('portugu'), true);
      assert.equal(added.enabled, true);
      assert.deepEqual(await languages.add('pt-BR'), { code: 'admin-languages-error-exists' });
      assert.equal(await languages.setEnabled('en', false), 'source_language');
      assert.equal(await languages.setEnabled('nowhere', false), 'not_found');
      assert.equal(await languages.setEnabled('pt-br', false), 'done');
      assert.equal((await languages.list()).find((l) => l.code === 'pt-br')!.enabled, false);
    });

    test('languages: subtitle limits are checked, saved and reset', async () => {
      const { languages } = site.services;
      const outcome = await languages.saveSubtitleLimits('ja', { maxCharsPerSecond: 'fast' });
      assert.ok(outcome && outcome !== 'not_found' && outcome.errors.maxCharsPerSecond, 'a number is asked for');
      assert.equal(await languages.saveSubtitleLimits('nowhere', 'reset'), 'not_found');
      const defaults = (await languages.list()).find((l) => l.code === 'ja')!.subtitleLimits;
      const values = Object.fromEntries(Object.entries(defaults).map(([name, value]) => [name, String(value)]));
      assert.equal(await languages.saveSubtitleLimits('ja', { ...values, maxCharsPerSecond: '5' }), null);
      const saved = (await languages.list()).find((l) => l.code === 'ja')!;
      assert.equal(saved.subtitleLimits.maxCharsPerSecond, 5);
      assert.equal(saved.customSubtitleLimits, true);
      assert.equal(await languages.saveSubtitleLimits('ja', 'reset'), null);
      assert.equal((await languages.list()).find((l) => l.code === 'ja')!.customSubtitleLimits, false);
    });

    test('people: checked fields, a bio per language, a username once', async () => {
      const { people } = site.services;
      const form = {
        displayName: ' Amani ',
        username: 'Amani',
        homeWiki: 'sw.wikipedia.org',
        photoUrl: 'http://insecure.example/a.jpg',
        bio: 'Mwalimu.',
      };
      assert.deepEqual(await people.save(form, 'sw'), { photoUrl: 'admin-people-error-photo-url' });
      assert.equal(await people.save({ ...form, photoUrl: '' }, 'sw'), null);
      const [amani] = await people.list();
      assert.equal(amani!.displayName, 'Amani');
      assert.equal(await people.save({ ...form, photoUrl: '', bio: 'Teacher.' }, 'en', amani), null);
      assert.deepEqual((await people.find(amani!.id))!.bios, { sw: 'Mwalimu.', en: 'Teacher.' });
      assert.deepEqual(await people.save({ ...form, photoUrl: '', displayName: 'Another' }, 'en'), {
        username: 'form-error-username-taken',
      });
      assert.deepEqual(await people.save({ ...form, displayName: '', photoUrl: '' }, 'en'), {
        displayName: 'form-error-required',
      });
    });

    test('regions and themes: a slug, an English name, names kept for languages not shown; a slug once', async () => {
      const { vocabulary } = site.services;
      assert.deepEqual(await vocabulary.save('regions', { slug: 'Not A Slug', names: { en: 'Africa' } }, ['en']), {
        slug: 'form-error-slug',
      });
      assert.deepEqual(await vocabulary.save('regions', { slug: 'africa', names: { en: '' } }, ['en', 'fr']), {
        'name-en': 'form-error-required',
      });
      assert.equal(
        await vocabulary.save('regions', { slug: 'africa', names: { en: 'Africa', fr: 'Afrique' } }, ['en', 'fr']),
        null,
      );
      assert.equal(await vocabulary.save('regions', { slug: 'asia', names: { en: 'Asia' } }, ['en']), null);
      const [africa, asia] = await vocabulary.list('regions');
      assert.deepEqual([africa!.slug, asia!.slug], ['africa', 'asia'], 'a new region goes last');
      assert.equal(
        await vocabulary.save('regions', { slug: 'africa', names: { en: 'Africa!' } }, ['en'], africa),
        null,
      );
      assert.deepEqual(
        (await vocabulary.find('regions', africa!.id))!.names,
        { en: 'Africa!', fr: 'Afrique' },
        'French kept: not shown',
      );
      assert.deepEqual(
        await vocabulary.save('regions', { slug: 'africa', names: { en: 'Asia again' } }, ['en'], asia),
        { slug: 'admin-error-slug-taken' },
      );
      assert.equal(await vocabulary.save('themes', { slug: 'education', names: { en: 'Education' } }, ['en']), null);
      assert.equal((await vocabulary.list('themes')).length, 1);
    });

    test('users: a role from the form, a language for translators and reviewers; no admin takes their own admin role', async () => {
      const { accounts } = site.services;
      const admin = await createUser(site.services, 'Admin', [{ role: 'admin' }]);
      const zawadi = await createUser(site.services, 'Zawadi');
      assert.deepEqual(await accounts.grantFromForm(zawadi.id, { role: 'king', language: '' }, admin.id), {
        role: 'form-error-choose',
      });
      assert.deepEqual(await accounts.grantFromForm(zawadi.id, { role: 'reviewer', language: '' }, admin.id), {
        language: 'admin-users-error-language-required',
      });
      assert.deepEqual(await accounts.grantFromForm(zawadi.id, { role: 'reviewer', language: 'xx' }, admin.id), {
        language: 'form-error-choose',
      });
      assert.equal(await accounts.grantFromForm(zawadi.id, { role: 'reviewer', language: 'sw' }, admin.id), null);
      assert.equal(await accounts.grantFromForm(zawadi.id, { role: 'editor', language: 'sw' }, admin.id), null);
      assert.deepEqual((await accounts.find(zawadi.id))!.grants.map((g) => `${g.role}:${g.language ?? '*'}`).sort(), [
        'editor:*',
        'reviewer:sw',
      ]);
      assert.equal(await accounts.revokeByAdmin(admin.id, 'admin', null, admin.id), 'own_admin');
      assert.ok((await accounts.find(admin.id))!.grants.some((g) => g.role === 'admin'));
      assert.equal(await accounts.revokeByAdmin(zawadi.id, 'reviewer', 'sw', admin.id), 'done');
      assert.deepEqual(
        (await accounts.find(zawadi.id))!.grants.map((g) => g.role),
        ['editor'],
      );
    });
  });
}
