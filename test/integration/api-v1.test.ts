import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Response } from 'light-my-request';
import { after, before, describe, test } from 'node:test';
import { createCatalog, createUser, startTestSite, type TestSite } from '../helpers/app.ts';
import { celebrationAt, MONTH, runCycleToAnnouncement } from '../helpers/celebration.ts';
import { testEngines } from '../helpers/database.ts';

// The JSON API as a client program meets it: cursors to the end, conditional GETs, rate-limit
// headers, and bad input answered with a clear 4xx and a stable code.
const STORIES = 23;

for (const engine of testEngines()) {
  describe(`the JSON API, version 1 (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine, { API_ANONYMOUS_RATE_LIMIT: '1000', API_RATE_LIMIT: '5' });
      await site.reset();
      await createCatalog(
        site.services,
        Array.from({ length: STORIES }, (_, i) => ({
          slug: `story-${String(i).padStart(2, '0')}`,
          texts: {
            en: { title: `Story ${i}` },
            ...(i % 2 ? { fr: { title: `Histoire ${i}` } } : {}),
          } as Record<string, { title: string }>,
        })),
      );
    });
    after(() => site.close());

    test('a cursor walks through every story once, following `next` to the end', async () => {
      const seen: string[] = [];
      let url: string | null = '/api/v1/stories?limit=5';
      let pages = 0;
      while (url) {
        const response: Response = await site.app.inject({ url });
        assert.equal(response.statusCode, 200, response.body);
        const body: { stories: Array<{ slug: string }>; total: number; next: string | null } = response.json();
        seen.push(...body.stories.map((story) => story.slug));
        assert.equal(body.total, STORIES);
        url = body.next;
        pages += 1;
      }
      assert.equal(pages, Math.ceil(STORIES / 5));
      assert.equal(new Set(seen).size, STORIES, 'each story once');
      assert.equal(seen.length, STORIES);
    });

    test('filters by language, region and theme; unknown ones are 404 with their own code', async () => {
      const inFrench = (await site.app.inject({ url: '/api/v1/stories?language=fr&limit=100' })).json();
      assert.equal(inFrench.total, Math.floor(STORIES / 2));
      assert.equal(inFrench.next, null);
      const inRegion = (
        await site.app.inject({ url: '/api/v1/stories?region=africa&theme=education&limit=100' })
      ).json();
      assert.equal(inRegion.total, STORIES);
      const unknownLanguage = await site.app.inject({ url: '/api/v1/stories?language=xx' });
      assert.equal(unknownLanguage.statusCode, 404);
      assert.equal(unknownLanguage.json().error.code, 'unknown_language');
      const unknownRegion = await site.app.inject({ url: '/api/v1/stories?region=atlantis' });
      assert.equal(unknownRegion.statusCode, 404);
      const readIn = await site.app.inject({ url: '/api/v1/stories/story-01?lang=zz' });
      assert.equal(readIn.json().error.code, 'unknown_language');
    });

    test('a garbage cursor, a page of 10^9 and a huge limit are each a clear 400', async () => {
      for (const cursor of ['garbage', 'eyJvIjotMX0', Buffer.from('{"o":1e12}').toString('base64url')]) {
        const response = await site.app.inject({ url: `/api/v1/stories?cursor=${cursor}` });
        assert.equal(response.statusCode, 400, cursor);
        assert.equal(response.json().error.code, 'bad_cursor');
      }
      const page = await site.app.inject({ url: '/api/v1/stories?page=1000000000' });
      assert.equal(page.statusCode, 400);
      assert.match(page.json().error.message, /page/);
      const limit = await site.app.inject({ url: '/api/v1/stories?limit=100000' });
      assert.equal(limit.statusCode, 400);
      assert.match(limit.json().error.message, /limit must be <= 100/);
    });

    test('a story in a language carries its translation coverage; regions, themes and people are listed', async () => {
      const story = (await site.app.inject({ url: '/api/v1/stories/story-01?lang=fr' })).json();
      assert.equal(story.title, 'Histoire 1');
      assert.equal(story.translated.fr, 100);
      const regions = (await site.app.inject({ url: '/api/v1/regions' })).json();
      assert.deepEqual(regions.regions[0], { slug: 'africa', names: { en: 'Africa', ar: 'أفريقيا', fr: 'Afrique' } });
      assert.equal((await site.app.inject({ url: '/api/v1/themes' })).json().themes[0].slug, 'education');
      assert.equal((await site.app.inject({ url: '/api/v1/people' })).json().people[0].username, 'Amani');
    });

    test('celebrations: every announced month with its honoree, and one month\u2019s record', async () => {
      assert.deepEqual((await site.app.inject({ url: '/api/v1/celebrations' })).json(), { celebrations: [] });
      await runCycleToAnnouncement(site.services, celebrationAt(site.services));
      const list = (await site.app.inject({ url: '/api/v1/celebrations' })).json();
      assert.equal(list.celebrations.length, 1);
      const [honoree] = list.celebrations;
      assert.equal(honoree.month, MONTH);
      assert.equal(honoree.honoree, 'Lucía');
      assert.equal(honoree.kind, 'human');
      assert.equal(honoree.region, 'africa');
      const month = await site.app.inject({ url: `/api/v1/celebrations/${MONTH}` });
      assert.deepEqual(month.json(), honoree);
      assert.equal((await site.app.inject({ url: '/api/v1/celebrations/2020-01' })).statusCode, 404);
      assert.equal((await site.app.inject({ url: '/api/v1/celebrations/2020-13' })).statusCode, 400);
    });

    test('a GET carries an ETag; asking again with it answers 304 and no body', async () => {
      const first = await site.app.inject({ url: '/api/v1/stories/story-02' });
      const etag = first.headers.etag as string;
      assert.match(etag, /^W\/"/);
      const again = await site.app.inject({ url: '/api/v1/stories/story-02', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const other = await site.app.inject({ url: '/api/v1/stories/story-03', headers: { 'if-none-match': etag } });
      assert.equal(other.statusCode, 200);
    });

    test('each token is counted on its own with RateLimit headers, then refused with 429 and Retry-After', async () => {
      const owner = await createUser(site.services, 'bot-operator');
      const secrets = [];
      for (const name of ['first', 'second']) {
        const made = await site.services.tokens.create(owner.id, { name, scopes: ['read'] });
        assert.ok('secret' in made);
        secrets.push(made.secret);
      }
      const ask = (secret: string) =>
        site.app.inject({ url: '/api/v1/languages', headers: { authorization: `Bearer ${secret}` } });
      const first = await ask(secrets[0]!);
      assert.match(String(first.headers['ratelimit-policy']), /^"per-token";q=5;w=60$/);
      assert.match(String(first.headers.ratelimit), /^"per-token";r=4;t=\d+$/);
      for (let i = 0; i < 4; i++) assert.equal((await ask(secrets[0]!)).statusCode, 200);
      const refused = await ask(secrets[0]!);
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.json().error.code, 'rate_limited');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.match(String(refused.headers.ratelimit), /r=0;/);
      // Another token of the same owner has its own count.
      assert.equal((await ask(secrets[1]!)).statusCode, 200);
      // Without a token: counted per address, under its own policy.
      const anonymous = await site.app.inject({ url: '/api/v1/languages' });
      assert.match(String(anonymous.headers['ratelimit-policy']), /^"per-address";q=1000;w=60$/);
    });

    test('a body of the wrong shape is a 400 naming the field, and nothing is saved', async () => {
      const owner = await createUser(site.services, 'shape-tester', [{ role: 'translator', language: 'fr' }]);
      const made = await site.services.tokens.create(owner.id, { name: 'shapes', scopes: ['subtitle'] });
      assert.ok('secret' in made);
      const response = await site.app.inject({
        method: 'PUT',
        url: '/api/v1/stories/story-00/subtitles/fr',
        headers: { authorization: `Bearer ${made.secret}` },
        payload: { baseRevision: 0, cues: [{ startTime: 'soon', endTime: 2, text: 'x' }] },
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.json().error.message, /startTime/);
      const state = await site.app.inject({
        url: '/api/v1/stories/story-00/subtitles/fr',
        headers: { authorization: `Bearer ${made.secret}` },
      });
      assert.equal(state.json().track, null);
    });
  });
}

// The bot script the README prints (docs/examples/bot.mjs), run as an operator runs it, against a
// site listening on loopback: the README stays true.
for (const engine of testEngines()) {
  describe(`the README's bot script (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine);
      await site.reset();
      await createCatalog(
        site.services,
        Array.from({ length: 130 }, (_, i) => ({ slug: `bot-${i}`, texts: { en: { title: `Bot story ${i}` } } })),
      );
      await site.app.listen({ host: '127.0.0.1', port: 0 });
    });
    after(() => site.close());

    test('is the script the README shows, and with a token it lists every story and saves a track', async () => {
      const script = readFileSync(new URL('../../docs/examples/bot.mjs', import.meta.url), 'utf8');
      const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
      assert.ok(readme.includes(script), 'README.md shows docs/examples/bot.mjs as it is');
      const owner = await createUser(site.services, 'subtitle-bot', [{ role: 'translator', language: 'fr' }]);
      const made = await site.services.tokens.create(owner.id, { name: 'subtitler', scopes: ['subtitle'] });
      assert.ok('secret' in made);
      const address = site.app.server.address() as AddressInfo;
      const run = promisify(execFile);
      const { stdout } = await run(
        process.execPath,
        [fileURLToPath(new URL('../../docs/examples/bot.mjs', import.meta.url)), 'bot-7', 'fr'],
        { env: { ...process.env, STORYHUB_URL: `http://127.0.0.1:${address.port}`, STORYHUB_TOKEN: made.secret } },
      );
      const lines = stdout.trim().split('\n');
      assert.equal(lines.filter((line) => line.startsWith('bot-')).length, 130);
      assert.ok(lines.includes('130 stories'));
      assert.equal(lines.at(-1), 'saved bot-7 fr: revision 1');
      const track = await site.app.inject({
        url: '/api/v1/stories/bot-7/subtitles/fr',
        headers: { authorization: `Bearer ${made.secret}` },
      });
      assert.equal(track.json().track.cues[0].text, 'Hello');
    });
  });
}
