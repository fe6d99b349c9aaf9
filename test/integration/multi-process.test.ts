import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrations } from '../../src/store/migrations/index.ts';
import { freshPostgres } from '../helpers/database.ts';
import { hasNginx, startNginx, type RunningNginx } from '../helpers/nginx.ts';
import {
  killStarted,
  signedInClient,
  siteEnvironment,
  startStoryhub,
  stopStoryhub,
  type StoryhubProcess,
} from '../helpers/processes.ts';

// The arrangement of docs/DEPLOY.md: two `storyhub serve` and two `storyhub worker` processes on one
// PostgreSQL database and one media directory, behind Debian's nginx, all started at the same moment
// on an empty database.

const DEMO_PASSWORD = 'a demo password of some length';
const demoStories = (JSON.parse(readFileSync('demo/catalog.json', 'utf8')) as { stories: unknown[] }).stories.length;

after(killStarted);

const skip = !process.env.DATABASE_URL
  ? 'needs DATABASE_URL (a PostgreSQL server)'
  : !hasNginx()
    ? 'needs nginx (apt-get install nginx)'
    : false;

describe('two sites and two workers on one PostgreSQL, behind nginx', { skip }, () => {
  let directory: string;
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let sql: pg.Client;
  let sites: StoryhubProcess[];
  let workers: StoryhubProcess[];
  let nginx: RunningNginx;

  before(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'storyhub-many-'));
    database = await freshPostgres();
    const env = siteEnvironment(directory, {
      DATABASE_URL: database.url,
      MEDIA_DIR: path.join(directory, 'media'),
      SEED_DEMO: 'true',
      DEMO_PASSWORD,
      TRUST_PROXY: 'true',
      PAGE_CACHE_SECONDS: '3600',
      SIGN_IN_RATE_LIMIT: '5',
    });
    // All at once on an empty database: they migrate and seed one after another, not side by side.
    const started = await Promise.all([
      startStoryhub(env),
      startStoryhub(env),
      startStoryhub(env, 'worker'),
      startStoryhub(env, 'worker'),
    ]);
    sites = started.slice(0, 2);
    workers = started.slice(2);
    nginx = await startNginx(
      path.join(directory, 'nginx'),
      sites.map((site) => site.url),
    );
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await nginx?.stop();
    for (const running of [...(sites ?? []), ...(workers ?? [])]) await stopStoryhub(running, 'SIGTERM');
    await database?.drop();
    rmSync(directory, { recursive: true, force: true });
  });

  const count = async (query: string) => Number((await sql.query<{ n: string }>(query)).rows[0]!.n);

  test('started together on an empty database, they migrated once and added the demo catalog once', async () => {
    assert.equal(await count('SELECT count(*) AS n FROM kysely_migration'), Object.keys(migrations).length);
    assert.equal(await count('SELECT count(*) AS n FROM stories'), demoStories);
    assert.equal(await count(`SELECT count(*) AS n FROM users WHERE username = 'demo-editor'`), 1);
    const seeded = sites.filter((site) => /Demo catalog added/.test(site.output()));
    assert.equal(seeded.length, 1, 'one site added the demo catalog; the other found it there');
  });

  test('signed in through nginx, a visitor is signed in on both sites; a save through one empties both caches', async () => {
    // Both sites render the catalog for anonymous visitors and keep it.
    const catalogOf = async (url: string) => (await fetch(new URL('en/stories', url))).text();
    for (const site of sites) {
      await catalogOf(site.url);
      assert.doesNotMatch(await catalogOf(site.url), /Told through two doors/);
    }
    const editor = await signedInClient(nginx.url, 'demo-editor', DEMO_PASSWORD);
    for (const site of sites) {
      const account = await editor.request(new URL('en/account', site.url).toString());
      assert.equal(account.status, 200, 'the session is known to each site');
      assert.match(await account.text(), /demo-editor/);
    }
    const created = await editor.postForm(
      'en/edit/stories/new',
      {
        title: 'Told through two doors',
        summary: 'Saved through one site, read on both.',
        body: 'One paragraph.',
        slug: 'two-doors',
        region: '1',
        sourceLanguage: 'en',
        revision: '0',
      },
      'en/edit/stories/new',
    );
    assert.equal(created.status, 303);
    const published = await editor.postForm(
      'en/edit/stories/two-doors/status',
      { status: 'published', revision: '1' },
      'en/edit/stories/two-doors',
    );
    assert.equal(published.status, 303);
    // Each site dropped its cached catalog when told (LISTEN/NOTIFY), so both list the new story now.
    for (const site of sites) {
      const deadline = Date.now() + 10_000;
      while (!/Told through two doors/.test(await catalogOf(site.url))) {
        assert.ok(Date.now() < deadline, `the catalog of ${site.url} still shows the old list`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const used = nginx.upstreamsUsed();
    assert.equal(used.size, 2, `nginx sent requests to both sites: ${JSON.stringify([...used])}`);
  });

  test('sign-in attempts are limited per visitor across both sites, whatever X-Forwarded-For they forge', async () => {
    // Every request here comes to nginx from loopback: the sign-in of the test before counted for it too.
    await sql.query('DELETE FROM rate_limits');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      // nginx appends the address it saw (loopback here) after the visitor's own made-up one.
      const forged = { 'x-forwarded-for': `192.0.2.${attempt + 1}` };
      const page = await fetch(new URL('en/sign-in', nginx.url), { headers: forged });
      const cookie = page.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const response = await fetch(new URL('en/sign-in', nginx.url), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...forged },
        body: new URLSearchParams({ username: 'demo-editor', password: 'not the password', _csrf: csrf }),
      });
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  });

  test('the two workers process the demo videos, each job once', async () => {
    const deadline = Date.now() + 240_000;
    for (;;) {
      const done = await count(`SELECT count(*) AS n FROM jobs WHERE state = 'done'`);
      if (done >= 4) break;
      assert.ok(Date.now() < deadline, `only ${done} jobs done`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const { rows } = await sql.query<{ id: number; state: string; attempts: number; locked_by: string | null }>(
      'SELECT id, state, attempts, locked_by FROM jobs ORDER BY id',
    );
    assert.deepEqual(
      rows.filter((job) => job.state === 'failed' || job.attempts > 1),
      [],
      'no job failed or ran twice',
    );
    const logs = workers.map((worker) => worker.output());
    const ran = (log: string) => [...log.matchAll(/job started \{"jobId":(\d+)/g)].map((match) => Number(match[1]));
    const [first, second] = logs.map(ran) as [number[], number[]];
    assert.deepEqual(
      first.filter((id) => second.includes(id)),
      [],
      'no job was started by both workers',
    );
    assert.ok(first.length > 0 && second.length > 0, 'both workers took jobs');
  });
});
