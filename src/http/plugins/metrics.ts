import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Requests that matched no route share one label, so a scan of random addresses cannot grow the label set. */
const UNMATCHED = '(unmatched)';

/**
 * `/metrics` in Prometheus text format (prom-client), served only when METRICS=true. Requests are
 * counted and timed by route pattern (`/:lang/stories/:slug`, never the address) and status class.
 * The job queue and the database pool are read when scraped; the page cache's counts come from
 * the cache itself, because its hits are answered by the HTTP server before Fastify sees them (and
 * so are not in the request counts either). The page is never kept by the page cache (no
 * `pageCache` on the route) and is not in the sitemap; the process's own numbers (CPU, memory,
 * event-loop delay, garbage collection) come with prom-client's defaults.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
    const registry = new Registry();
    const registers = [registry];
    collectDefaultMetrics({ register: registry });
    const labelNames = ['method', 'route', 'status_class'] as const;
    const requests = new Counter({
      name: 'storyhub_http_requests_total',
      help: 'Requests answered by the app (page-cache hits answered by the HTTP server are in storyhub_page_cache_hits_total)',
      labelNames,
      registers,
    });
    const durations = new Histogram({
      name: 'storyhub_http_request_duration_seconds',
      help: 'Time from the request to its answer, by route pattern and status class',
      labelNames,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    app.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED,
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      };
      requests.inc(labels);
      durations.observe(labels, reply.elapsedTime / 1000);
      done();
    });

    const jobsWaiting = new Gauge({
      name: 'storyhub_job_queue_waiting',
      help: 'Queued jobs that are due, by kind',
      labelNames: ['kind'] as const,
      registers,
    });
    const oldestWaiting = new Gauge({
      name: 'storyhub_job_queue_oldest_waiting_seconds',
      help: 'How long the oldest due job of each kind has waited (0 when none)',
      labelNames: ['kind'] as const,
      registers,
    });
    const jobsRunning = new Gauge({
      name: 'storyhub_jobs_running',
      help: 'Jobs being run by a worker, by kind',
      labelNames: ['kind'] as const,
      registers,
    });
    const pool = (name: string, help: string) =>
      new Gauge({ name: `storyhub_database_pool_${name}`, help, labelNames: ['engine'] as const, registers });
    const poolTotal = pool('connections', 'Connections the pool holds (the embedded engine has one)');
    const poolIdle = pool('idle', 'Connections the pool holds that are idle');
    const poolWaiting = pool('waiting', 'Queries waiting for a connection (embedded: for the one connection)');
    const cacheGauge = (name: string, help: string) =>
      new Gauge({ name: `storyhub_page_cache_${name}`, help, registers });
    const cacheCounter = (name: string, help: string) =>
      new Counter({ name: `storyhub_page_cache_${name}_total`, help, registers });
    const cacheHits = cacheCounter('hits', 'Requests answered from the page cache');
    const cacheMisses = cacheCounter('misses', 'Requests for a cacheable page that rendered it');
    const cacheEntries = cacheGauge('entries', 'Pages kept');
    const cacheBytes = cacheGauge('bytes', 'Compressed bytes kept');

    /** What is read at scrape time rather than counted as it happens. */
    async function readCurrent() {
      const { operations } = app.services;
      const queue = await operations.jobQueue();
      // Reset and set with no await between, so a scrape running beside this one never sees the gauges empty.
      jobsWaiting.reset();
      oldestWaiting.reset();
      jobsRunning.reset();
      for (const { kind, waiting, oldestWaitingSeconds, running } of queue) {
        jobsWaiting.set({ kind }, waiting);
        oldestWaiting.set({ kind }, oldestWaitingSeconds);
        jobsRunning.set({ kind }, running);
      }
      const { engine, total, idle, waiting } = operations.databasePool();
      poolTotal.set({ engine }, total);
      poolIdle.set({ engine }, idle);
      poolWaiting.set({ engine }, waiting);
      const cache = app.pageCacheStats();
      cacheHits.reset();
      cacheHits.inc(cache.hits);
      cacheMisses.reset();
      cacheMisses.inc(cache.misses);
      cacheEntries.set(cache.entries);
      cacheBytes.set(cache.bytes);
    }

    app.get('/metrics', async (_request, reply) => {
      await readCurrent();
      return reply
        .header('cache-control', 'no-store')
        .type(registry.contentType)
        .send(await registry.metrics());
    });
  },
  { name: 'metrics', dependencies: ['context', 'page-cache'] },
);
