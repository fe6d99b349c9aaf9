import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createCatalog, createUser, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

for (const engine of testEngines()) {
  describe(`page cache for anonymous visitors (${engine})`, () => {
    let site: TestSite;
    before(async () => { site = await startTestSite(engine, { PAGE_CACHE_SECONDS: '60' }); });
    after(async () => { await site.close(); });
    beforeEach(async () => {
      await site.reset();
      await createCatalog(site.services, [{ slug: 'cached', texts: { en: { title: 'Cached story' } } }]);
    });
    const get = (url: string, headers: Record<string, string> = {}) => site.app.inject({ method: 'GET', url, headers });

    test('a repeated public page comes from the cache with the same bytes and security headers', async () => {
      const first = await get('/en/stories/cached');
      assert.equal(first.headers['x-cache'], 'miss');
      const second = await get('/en/stories/cached');
      assert.equal(second.headers['x-cache'], 'hit');
      assert.equal(second.body, first.body);
      assert.equal(second.headers['content-security-policy'], first.headers['content-security-policy']);
      assert.match(String(second.headers['content-type']), /text\/html/);
      const gzipped = await get('/en/stories/cached', { 'accept-encoding': 'gzip' });
      assert.equal(gzipped.headers['content-encoding'], 'gzip');
      assert.equal(gunzipSync(gzipped.rawPayload).toString(), first.body);
    });

    test('signed-in visitors, other save-data choices and saved changes are never served a stale page', async () => {
      await get('/en/stories/cached');
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      const { cookie } = await signIn(site.app, 'Editor');
      const signedIn = await get('/en/stories/cached', { cookie });
      assert.notEqual(signedIn.headers['x-cache'], 'hit');
      assert.match(signedIn.body, /Edit this story/);
      const saving = await get('/en/stories/cached', { cookie: 'storyhub_save_data=1' });
      assert.equal(saving.headers['x-cache'], 'miss', 'save-data pages are cached apart');
      const story = (await site.services.repositories.stories.findBySlug('cached'))!;
      // A save through the site empties the cache.
      const page = await site.app.inject({ method: 'GET', url: '/en/edit/stories/cached', headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const body = new URLSearchParams({ slug: 'cached', region: '1', sourceLanguage: 'en', themes: '1', storytellers: '1', title: 'Renamed story', summary: '', body: '', revision: String(story.revision), _csrf: csrf });
      const saved = await site.app.inject({ method: 'POST', url: '/en/edit/stories/cached?text=en', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
      assert.equal(saved.statusCode, 303);
      const after = await get('/en/stories/cached');
      assert.equal(after.headers['x-cache'], 'miss');
      assert.match(after.body, /Renamed story/);
    });
  });
}
