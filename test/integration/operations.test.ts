import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import type { Database } from '../../src/store/database.ts';
import { createCatalog, startTestSite } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase, testEngines } from '../helpers/database.ts';

/** One sample's value from a scrape: the sample of `name` whose labels include `labels`; 0 when there is none. */
function sample(scrape: string, name: string, labels: Record<string, string> = {}): number {
  const family = parsePrometheusTextFormat(scrape).find((metric) => metric.name === name);
  const found = family?.metrics.find((metric) =>
    Object.entries(labels).every(([label, value]) => metric.labels?.[label] === value),
  );
  return Number(found?.value ?? found?.count ?? 0);
}

const GENERATED_ID = /^[0-9a-f]{16}$/;

for (const engine of testEngines()) {
  describe(`operations: probes, metrics and request ids (${engine})`, () => {
    let database: Database;
    let services: Services;
    let app: FastifyInstance;
    let origin: string;
    let mediaDir: string;
    const logLines: string[] = [];
    const log = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const logsOf = (id: string) =>
      logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.reqId === id);

    before(async () => {
      database = await createTestDatabase(engine);
      mediaDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-media-'));
      const config = loadConfig({ PAGE_CACHE_SECONDS: '60', MEDIA_DIR: mediaDir, METRICS: 'true' });
      services = await createServices(database, config);
      app = await buildApp(config, services, { level: 'info', stream: log });
      // A page whose code fails, as a bug would.
      app.get('/failing-page', async () => {
        throw new Error('the failure a visitor reports');
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await app.close();
      await database.close();
      rmSync(mediaDir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      await resetDatabase(database);
      services.changes.announce({ everything: true });
      app.forgetPages();
      logLines.length = 0;
    });

    test('/healthz answers ok and /readyz is ok while the database answers and is migrated', async () => {
      const health = await fetch(`${origin}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      const ready = await fetch(`${origin}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ok' });
      assert.equal(ready.headers.get('cache-control'), 'no-store');
    });

    test('/readyz is 503 naming the migration a database at an older point has not run', async () => {
      const { rows } = await sql<{
        name: string;
        timestamp: string;
      }>`SELECT name, timestamp FROM kysely_migration ORDER BY name DESC LIMIT 1`.execute(database.db);
      const latest = rows[0]!;
      await sql`DELETE FROM kysely_migration WHERE name = ${latest.name}`.execute(database.db);
      try {
        const ready = await fetch(`${origin}/readyz`);
        assert.equal(ready.status, 503);
        const body = (await ready.json()) as {
          status: string;
          check: string;
          error: { code: string };
          pending: string[];
        };
        assert.equal(body.status, 'unavailable');
        assert.equal(body.check, 'migrations');
        assert.equal(body.error.code, 'migrations_pending');
        assert.deepEqual(body.pending, [latest.name]);
        assert.equal((await fetch(`${origin}/healthz`)).status, 200, 'the process is still alive');
      } finally {
        await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${latest.name}, ${latest.timestamp})`.execute(
          database.db,
        );
      }
      assert.equal((await fetch(`${origin}/readyz`)).status, 200);
    });

    test('/metrics counts requests by route pattern, the page cache, the job queue and the pool', async () => {
      await createCatalog(services, [{ slug: 'counted-story', texts: { en: { title: 'Counted' } } }]);
      const story = { method: 'GET', route: '/:lang/stories/:slug', status_class: '2xx' };
      const before = await (await fetch(`${origin}/metrics`)).text();

      const first = await fetch(`${origin}/en/stories/counted-story`);
      assert.equal(first.headers.get('x-cache'), 'miss');
      await first.text();
      const second = await fetch(`${origin}/en/stories/counted-story`);
      assert.equal(second.headers.get('x-cache'), 'hit');
      await second.text();
      const { jobs } = services.repositories;
      for (const n of [1, 2, 3]) await jobs.enqueue('operations.test', { n });
      await jobs.enqueue('operations.test', { later: true }, { runAfter: new Date(Date.now() + 3_600_000) });

      const response = await fetch(`${origin}/metrics`);
      assert.equal(response.status, 200);
      assert.match(String(response.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
      assert.equal(response.headers.get('x-cache'), null, 'never from the page cache');
      const scrape = await response.text();
      // The miss reached the app; the hit was answered by the HTTP server from the cache.
      assert.equal(
        sample(scrape, 'storyhub_http_requests_total', story) - sample(before, 'storyhub_http_requests_total', story),
        1,
      );
      // The parser folds a histogram's labelled series into one, so only its type is read through it.
      const durations = parsePrometheusTextFormat(scrape).find(
        (m) => m.name === 'storyhub_http_request_duration_seconds',
      );
      assert.equal(durations?.type, 'HISTOGRAM');
      const timed =
        /^storyhub_http_request_duration_seconds_count\{method="GET",route="\/:lang\/stories\/:slug",status_class="2xx"\} (\d+)$/m;
      assert.equal(
        Number(timed.exec(scrape)?.[1]),
        sample(scrape, 'storyhub_http_requests_total', story),
        'every counted request timed',
      );
      assert.equal(
        sample(scrape, 'storyhub_page_cache_hits_total') - sample(before, 'storyhub_page_cache_hits_total'),
        1,
      );
      assert.equal(
        sample(scrape, 'storyhub_page_cache_misses_total') - sample(before, 'storyhub_page_cache_misses_total'),
        1,
      );
      assert.ok(sample(scrape, 'storyhub_page_cache_entries') >= 1);
      assert.ok(sample(scrape, 'storyhub_page_cache_bytes') > 0);
      const routes = parsePrometheusTextFormat(scrape)
        .find((metric) => metric.name === 'storyhub_http_requests_total')!
        .metrics.map((metric) => metric.labels!.route!);
      assert.ok(!routes.some((route) => route.includes('counted-story')), 'routes are patterns, never addresses');

      assert.equal(
        sample(scrape, 'storyhub_job_queue_waiting', { kind: 'operations.test' }),
        3,
        'the one queued for later is not waiting',
      );
      assert.ok(sample(scrape, 'storyhub_job_queue_oldest_waiting_seconds', { kind: 'operations.test' }) >= 0);
      assert.equal(sample(scrape, 'storyhub_jobs_running', { kind: 'operations.test' }), 0);
      const pool = { engine };
      const connections = sample(scrape, 'storyhub_database_pool_connections', pool);
      assert.ok(connections >= 1 && connections <= (engine === 'embedded' ? 1 : 10));
      assert.ok(sample(scrape, 'storyhub_database_pool_idle', pool) <= connections);
      assert.ok(sample(scrape, 'storyhub_database_pool_waiting', pool) >= 0);

      // A second scrape is counted anew, not a kept copy; the sitemap does not list the page.
      const again = await (await fetch(`${origin}/metrics`)).text();
      const scrapes = { method: 'GET', route: '/metrics', status_class: '2xx' };
      assert.equal(
        sample(again, 'storyhub_http_requests_total', scrapes),
        sample(scrape, 'storyhub_http_requests_total', scrapes) + 1,
      );
      assert.doesNotMatch(await (await fetch(`${origin}/sitemap.xml`)).text(), /\/metrics/);
    });

    test('a failing request shows its id on the error page, in X-Request-Id and on its JSON log line', async () => {
      const response = await app.inject({ method: 'GET', url: '/failing-page' });
      assert.equal(response.statusCode, 500);
      const id = String(response.headers['x-request-id']);
      assert.match(id, GENERATED_ID);
      assert.ok(response.body.includes(`Reference: \u2068${id}\u2069`), 'the page names the reference');
      assert.doesNotMatch(response.body, /the failure a visitor reports/, 'no error details on the page');
      for (const line of logLines) assert.doesNotThrow(() => JSON.parse(line), `a JSON line: ${line}`);
      const failure = logsOf(id).find((line) => line.msg === 'request failed');
      assert.ok(failure, 'the failure is logged under the id the visitor saw');
      assert.equal(failure.level, 50);
      assert.match(JSON.stringify(failure.err), /the failure a visitor reports/);

      const notFound = await app.inject({ method: 'GET', url: '/fr/no-such-page' });
      assert.equal(notFound.statusCode, 404);
      assert.ok(
        notFound.body.includes(`Référence : \u2068${notFound.headers['x-request-id']}\u2069`),
        'in the page language',
      );
    });

    test('a short plain X-Request-Id from a proxy is kept; a hostile one is replaced', async () => {
      const kept = await app.inject({
        method: 'GET',
        url: '/failing-page',
        headers: { 'x-request-id': 'edge-7f3a.42' },
      });
      assert.equal(kept.headers['x-request-id'], 'edge-7f3a.42');
      assert.ok(kept.body.includes('edge-7f3a.42'));
      assert.ok(logsOf('edge-7f3a.42').some((line) => line.msg === 'request failed'));

      const hostile = ['x'.repeat(65), '<script>alert(1)</script>', 'line\nbreak', 'two words', '"quoted"'];
      for (const given of hostile) {
        const response = await app.inject({ method: 'GET', url: '/failing-page', headers: { 'x-request-id': given } });
        const id = String(response.headers['x-request-id']);
        assert.match(id, GENERATED_ID, `${JSON.stringify(given)} replaced`);
        assert.ok(response.body.includes(id));
        assert.doesNotMatch(response.body, /<script>alert/);
        assert.ok(logsOf(id).length > 0, 'logged under the new id');
        assert.ok(!logLines.some((line) => line.includes('<script>alert')), 'the hostile id is not in the log');
      }
    });
  });

  describe(`operations with METRICS unset and a database that does not answer (${engine})`, () => {
    test('/metrics is 404; /readyz is 503 naming the database while /healthz stays 200', async () => {
      const site = await startTestSite(engine);
      try {
        const metrics = await site.app.inject({ method: 'GET', url: '/metrics' });
        assert.equal(metrics.statusCode, 404);
        assert.equal((await site.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
        await site.database.close();
        const ready = await site.app.inject({ method: 'GET', url: '/readyz' });
        assert.equal(ready.statusCode, 503);
        const body = ready.json<{ check: string; error: { code: string; message: string } }>();
        assert.equal(body.check, 'database');
        assert.equal(body.error.code, 'database_unreachable');
        assert.equal((await site.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      } finally {
        await site.close();
      }
    });
  });
}

test('METRICS is off unless set to true, and any other value is refused with the setting named', () => {
  assert.equal(loadConfig({}).metrics, false);
  assert.equal(loadConfig({ METRICS: 'true' }).metrics, true);
  assert.throws(() => loadConfig({ METRICS: 'yes' }), /METRICS must be true or false, not yes/);
});

describe('log lines at a terminal', () => {
  // A logger in a child process, its standard output a terminal (script(1)) or a pipe.
  const logOnce = (level: string, terminal: boolean) => {
    const program = `
      const { createLogger } = await import(${JSON.stringify(new URL('../../src/http/plugins/logging.ts', import.meta.url).pathname)});
      const log = createLogger({ level: ${JSON.stringify(level)} });
      log.child({ reqId: 'abc123' }).info({ status: 500 }, 'request failed');
      await new Promise((resolve) => setTimeout(resolve, 200));`;
    const node = [process.execPath, '--input-type=module', '-e', program];
    const quoted = node.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
    const result = terminal
      ? spawnSync('script', ['-qec', quoted, '/dev/null'], { encoding: 'utf8', timeout: 20_000 })
      : spawnSync(node[0]!, node.slice(1), { encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.trim();
  };

  test('a person at a terminal reads a short line; debug, and anything not a terminal, get JSON', () => {
    const pretty = logOnce('info', true);
    assert.throws(() => JSON.parse(pretty));
    assert.match(pretty, /INFO/);
    assert.match(pretty, /\[abc123\] request failed/);
    assert.equal(pretty.split('\n').length, 1);
    const debug = JSON.parse(logOnce('debug', true)) as Record<string, unknown>;
    assert.equal(debug.reqId, 'abc123');
    const piped = JSON.parse(logOnce('info', false)) as Record<string, unknown>;
    assert.equal(piped.msg, 'request failed');
    assert.equal(piped.reqId, 'abc123');
  });
});
