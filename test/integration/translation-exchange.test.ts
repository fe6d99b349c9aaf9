import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { xliff2js } from 'xliff';
import { createCatalog, createUser, multipart, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';
import { debianTool, withTemporaryDirectory } from '../helpers/tools.ts';

// A story's translation as XLIFF 2.0 and PO files for desktop tools, and back: what comes back
// arrives as drafts credited to the importer, or — for another story, another language, a changed
// source, broken placeholders or a broken file — is refused unit by unit and nothing is stored.

const BODY = 'Volunteers met in *Kisumu*. They photographed 40 chapels.';

for (const engine of testEngines()) {
  describe(`translation exchange files (${engine})`, () => {
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
        { slug: 'chapels', texts: { en: { title: 'Chapels', body: BODY } } },
        { slug: 'other', texts: { en: { title: 'Another story' } } },
      ]);
      await createUser(site.services, 'Member');
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
    });

    const download = async (cookie: string, slug: string, language: string, extension: 'xlf' | 'po') => {
      const response = await site.app.inject({
        method: 'GET',
        url: `/en/translate/${slug}/${language}/export.${extension}`,
        headers: { cookie },
      });
      assert.equal(response.statusCode, 200);
      return response.body;
    };
    const upload = async (
      session: { cookie: string; csrf: string },
      slug: string,
      language: string,
      content: string,
      name: string,
    ) => {
      const body = multipart({}, { field: 'file', name, content });
      return site.app.inject({
        method: 'POST',
        url: `/en/translate/${slug}/${language}/import?_csrf=${encodeURIComponent(session.csrf)}`,
        headers: { cookie: session.cookie, 'content-type': body.contentType },
        payload: body.payload,
      });
    };
    const units = async (language: string) =>
      (await site.app.inject({ method: 'GET', url: `/api/v1/stories/chapels/translations/${language}` })).json()
        .units as Array<{
        id: string;
        text: string;
        state: string;
        origin: string | null;
        translator: string | null;
      }>;

    test('exported XLIFF 2.0 is read by a third-party reader; PO passes msgfmt --check', async () => {
      const member = await signIn(site.app, 'Member');
      const xliff = await download(member.cookie, 'chapels', 'ar', 'xlf');
      assert.match(xliff, /<xliff [^>]*version="2.0"[^>]*srcLang="en"[^>]*trgLang="ar"/);
      const parsed = (await xliff2js(xliff)) as { resources: Record<string, Record<string, { source: unknown }>> };
      const ids = Object.values(parsed.resources).flatMap((file) => Object.keys(file));
      assert.deepEqual(
        ids,
        (await units('ar')).map((unit) => unit.id),
      );
      const po = await download(member.cookie, 'chapels', 'ar', 'po');
      withTemporaryDirectory((directory) => {
        const file = join(directory, 'chapels.ar.po');
        writeFileSync(file, po);
        const check = spawnSync(debianTool('msgfmt', 'gettext'), ['--check', '-o', '/dev/null', file], {
          encoding: 'utf8',
        });
        assert.equal(check.status, 0, check.stderr);
        const lint = join(directory, 'chapels.ar.xlf');
        writeFileSync(lint, xliff);
        const xmllint = spawnSync(debianTool('xmllint', 'libxml2-utils'), ['--noout', lint], { encoding: 'utf8' });
        assert.equal(xmllint.status, 0, xmllint.stderr);
      });
    });

    test('a translated PO comes back as drafts credited to the importer, placeholders kept', async () => {
      const member = await signIn(site.app, 'Member');
      const po = await download(member.cookie, 'chapels', 'fr', 'po');
      const translated = po
        .replace(/(msgid "Chapels"\nmsgstr )""/, '$1"Chapelles"')
        .replace(
          /(msgid "Volunteers met in <(\d)>Kisumu<\/\2>\."\nmsgstr )""/,
          '$1"Des bénévoles se sont retrouvés à <$2>Kisumu</$2>."',
        );
      assert.notEqual(translated, po, 'the test found the entries to translate');
      const response = await upload(member, 'chapels', 'fr', translated, 'chapels.fr.po');
      assert.equal(response.statusCode, 200, response.body.slice(0, 300));
      const list = await units('fr');
      assert.equal(list[0]!.text, 'Chapelles');
      assert.equal(list[0]!.state, 'draft');
      assert.equal(list[0]!.translator, 'Member');
      assert.equal(list[0]!.origin, 'import');
      assert.match(list[1]!.text, /^Des bénévoles se sont retrouvés à \uE000\d\uE001Kisumu\uE000\d\uE001\.$/);
    });

    test('a file for another story or language, a stale source or a broken file is refused and nothing is stored', async () => {
      const member = await signIn(site.app, 'Member');
      const po = (await download(member.cookie, 'chapels', 'fr', 'po')).replace(
        /(msgid "Chapels"\nmsgstr )""/,
        '$1"Chapelles"',
      );
      const otherStory = await upload(member, 'other', 'fr', po, 'x.po');
      assert.equal(otherStory.statusCode, 400);
      assert.match(otherStory.body, /another story/);
      const otherLanguage = await upload(member, 'chapels', 'es', po, 'x.po');
      assert.match(otherLanguage.body, /another language/);
      const broken = await upload(member, 'chapels', 'fr', 'msgid "x\nmsgstr', 'x.po');
      assert.equal(broken.statusCode, 400);
      assert.match(broken.body, /Line \d+, column \d+/);
      const xml = await upload(member, 'chapels', 'fr', '<?xml version="1.0"?><xliff version="2.0"><file', 'x.xlf');
      assert.equal(xml.statusCode, 400);
      assert.match(xml.body, /malformed_xml|not_xliff/);

      // The editor changes the title after the file was downloaded: that unit is refused, the others too are not stored.
      const withBody = po.replace(
        /(msgid "They photographed 40 chapels\."\nmsgstr )""/,
        '$1"Ils ont photographié 40 chapelles."',
      );
      const editor = await signIn(site.app, 'Editor');
      const story = (await site.services.repositories.stories.findBySlug('chapels'))!;
      await site.services.repositories.stories.update(
        story.id,
        story.revision,
        {
          slug: 'chapels',
          regionId: story.regionId,
          sourceLanguage: 'en',
          featured: false,
          themeIds: story.themeIds,
          storytellerIds: story.storytellerIds,
          text: { ...story.texts.en!, title: 'Chapels by the lake' },
        },
        null,
      );
      assert.ok(editor.cookie);
      const stale = await upload(member, 'chapels', 'fr', withBody, 'x.po');
      assert.equal(stale.statusCode, 400);
      assert.match(stale.body, /source sentence changed/);
      assert.ok(
        (await units('fr')).every((unit) => unit.state === 'untranslated'),
        'nothing partial stored',
      );

      const hostile = (await download(member.cookie, 'chapels', 'fr', 'po')).replace(
        /(msgid "Volunteers met in <(\d)>Kisumu<\/\2>\."\nmsgstr )""/,
        '$1"<script>alert(1)</script> sans balise"',
      );
      const refused = await upload(member, 'chapels', 'fr', hostile, 'x.po');
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /placeholder_missing/);
      assert.doesNotMatch(refused.body, /<script>alert/);
    });
  });
}
