import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { builtWebDir, publicAssets } from '../../src/http/assets.ts';
import { createCatalog, createUser, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// The stylesheets and scripts under /assets/ as the build made them: compressed once (Brotli 11,
// gzip 9) and chosen by Accept-Encoding; public pages link only the part of Codex they use.
const stylesheets = (html: string) => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);

for (const engine of testEngines()) {
  describe(`assets (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine);
      await createCatalog(site.services, [{ slug: 'told', texts: { en: { title: 'Told' }, ar: { title: 'رواية' } } }]);
    });
    after(async () => {
      await site.close();
    });
    const get = (url: string, headers: Record<string, string> = {}) => site.app.inject({ method: 'GET', url, headers });

    test('the build is current, so its compressed copies are what the site serves', () => {
      assert.deepEqual(
        publicAssets(),
        { roots: [builtWebDir], preCompressed: true, codexPages: true },
        'run `npm run build` after changing src/web/ or a view',
      );
    });

    test('a stylesheet comes as Brotli or gzip made at build, as the browser asks, and plain otherwise', async () => {
      const plain = await get('/assets/codex-pages-rtl.css');
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.match(String(plain.headers.vary), /accept-encoding/i);
      const br = await get('/assets/codex-pages-rtl.css', { 'accept-encoding': 'gzip, deflate, br, zstd' });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.match(String(br.headers['content-type']), /^text\/css/);
      assert.match(String(br.headers.vary), /accept-encoding/i);
      assert.deepEqual(br.rawPayload, readFileSync(`${builtWebDir}codex-pages-rtl.css.br`));
      assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
      const gzip = await get('/assets/site.css', { 'accept-encoding': 'gzip' });
      assert.equal(gzip.headers['content-encoding'], 'gzip');
      assert.equal(
        gunzipSync(gzip.rawPayload).toString(),
        readFileSync(new URL('../../src/web/site.css', import.meta.url), 'utf8'),
      );
      const script = await get('/assets/transcript.js', { 'accept-encoding': 'br' });
      assert.equal(script.headers['content-encoding'], 'br');
      assert.match(String(script.headers['content-type']), /javascript/);
      for (const hidden of ['/assets/site.css.br', '/assets/codex-pages.css.gz', '/assets/assets.json'])
        assert.equal((await get(hidden)).statusCode, 404, hidden);
    });

    test('public pages link the pages’ part of Codex (mirrored in Arabic); an editor island gets all of it', async () => {
      assert.deepEqual(stylesheets((await get('/en/stories/told')).body).slice(0, 2), [
        '/assets/codex-pages.css',
        '/assets/site.css',
      ]);
      assert.equal(stylesheets((await get('/ar/stories/told')).body)[0], '/assets/codex-pages-rtl.css');
      const pagesCss = (await get('/assets/codex-pages.css')).body;
      const wholeCss = (await get('/assets/codex.style.css')).body;
      assert.ok(pagesCss.length < wholeCss.length / 2, `${pagesCss.length} of ${wholeCss.length} bytes`);
      for (const used of ['.cdx-button', '.cdx-message--error', '.cdx-checkbox__input', '.cdx-text-input__input'])
        assert.ok(pagesCss.includes(used), used);
      for (const unused of ['.cdx-menu-item', '.cdx-dialog', '.cdx-tabs'])
        assert.ok(!pagesCss.includes(unused), unused);

      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      const { cookie } = await signIn(site.app, 'Editor');
      const editor = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/told/subtitles/en/edit',
        headers: { cookie },
      });
      assert.equal(editor.statusCode, 200);
      assert.equal(stylesheets(editor.body)[0], '/assets/codex.style.css');
    });
  });
}
