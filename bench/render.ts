// Server time to render uncached public pages with 1,000 published stories in the database,
// on the embedded engine and (when DATABASE_URL is set) on PostgreSQL.
//
//   node_modules/.bin/node bench/render.ts [--json FILE] [--engine embedded|postgres] [--only story,catalog,search]
//     [--warmup N] [--measured N] [--seconds LIMIT_PER_ENGINE]
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Engine } from '../src/store/database.ts';
import { startTestSite } from '../test/helpers/app.ts';
import { testEngines } from '../test/helpers/database.ts';
import { generateStories, insertStories, SEARCH_QUERIES } from './data.ts';
import { fixed, markdownTable, median, option, percentile, prng } from './lib.ts';

export const STORIES = 1000;
export const WARMUP = Number(option('warmup') ?? 100);
export const MEASURED = Number(option('measured') ?? 500);
/** Each engine's measuring stops here even if the counts are not reached (reported as n). */
const TIME_LIMIT_MS = Number(option('seconds') ?? 300) * 1000;
/** A search takes seconds where a story page takes milliseconds: it runs on every 10th round only. */
const SEARCH_EVERY = 10;

export interface RenderRow {
  engine: Engine;
  page: string;
  url: string;
  n: number;
  median: number;
  p95: number;
  p99: number;
  bytes: number;
  queries: number;
}
export interface RenderResult {
  stories: number;
  warmup: number;
  measured: number;
  rows: RenderRow[];
  seedSeconds: Record<string, number>;
}

// Counts the SQL statements sent (requests are made one at a time, so a difference is one page's).
let queries = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  queries += 1;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

interface Kind {
  page: string;
  example: string;
  every?: number;
  next(): string | (() => Promise<unknown>);
}

/** `progress` gets the result so far after each engine, so a failure later keeps what was measured. */
export async function runRender(
  log: (line: string) => void = console.log,
  progress?: (partial: RenderResult) => void,
): Promise<RenderResult> {
  const engines = option('engine') ? [option('engine') as Engine] : testEngines();
  const only = option('only');
  const stories = generateStories(STORIES, 42);
  const rows: RenderRow[] = [];
  const seedSeconds: Record<string, number> = {};
  for (const engine of engines) {
    const site = await startTestSite(engine, { PAGE_CACHE_SECONDS: '0' });
    try {
      const seeding = performance.now();
      await insertStories(site.database.db, site.services.repositories, stories);
      seedSeconds[engine] = (performance.now() - seeding) / 1000;
      log(`${engine}: ${STORIES} stories inserted in ${fixed(seedSeconds[engine], 1)} s`);
      const random = prng(7);
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
      const pages = Math.ceil(STORIES / 12);
      const { catalog } = site.services;
      const chain = ['en'];
      let kinds: Kind[] = [
        {
          page: 'story page',
          example: '/en/stories/:slug',
          next: () => `/en/stories/${encodeURIComponent(pick(stories).slug)}`,
        },
        {
          page: 'story page, data only (catalog.story)',
          example: 'catalog.story(slug)',
          next: () => () => catalog.story(pick(stories).slug, chain, false),
        },
        {
          page: 'catalog page',
          example: '/en/stories?page=N',
          next: () => `/en/stories?page=${1 + Math.floor(random() * pages)}`,
        },
        {
          page: 'search page',
          example: '/en/search?q=…',
          every: SEARCH_EVERY,
          next: () => `/en/search?q=${encodeURIComponent(pick(SEARCH_QUERIES))}`,
        },
      ];
      if (only) kinds = kinds.filter((kind) => only.split(',').some((prefix) => kind.page.startsWith(prefix)));
      const times = kinds.map(() => [] as number[]);
      const bytes = kinds.map(() => [] as number[]);
      const statements = kinds.map(() => [] as number[]);
      const started = performance.now();
      // Round-robin over the page kinds so that the machine's noise falls on all of them alike.
      for (let i = 0; i < WARMUP + MEASURED && performance.now() - started < TIME_LIMIT_MS; i += 1) {
        for (const [k, kind] of kinds.entries()) {
          if (kind.every && i % kind.every !== 0) continue;
          const target = kind.next();
          const before = queries;
          const begin = performance.now();
          let size = 0;
          if (typeof target === 'string') {
            const response = await site.app.inject({ method: 'GET', url: target });
            if (response.statusCode !== 200 || response.headers['x-cache']) {
              throw new Error(
                `${target}: status ${response.statusCode}, x-cache ${String(response.headers['x-cache'])}`,
              );
            }
            size = response.rawPayload.length;
          } else {
            const result = await target();
            if (!result) throw new Error(`${kind.page}: nothing found`);
          }
          const elapsed = performance.now() - begin;
          if (i >= WARMUP) {
            times[k]!.push(elapsed);
            bytes[k]!.push(size);
            statements[k]!.push(queries - before);
          }
        }
      }
      for (const [k, kind] of kinds.entries()) {
        const list = times[k]!;
        rows.push({
          engine,
          page: kind.page,
          url: kind.example,
          n: list.length,
          median: median(list),
          p95: percentile(list, 95),
          p99: percentile(list, 99),
          bytes: median(bytes[k]!),
          queries: median(statements[k]!),
        });
      }
    } finally {
      await site.close();
    }
    progress?.({ stories: STORIES, warmup: WARMUP, measured: MEASURED, rows, seedSeconds });
  }
  return { stories: STORIES, warmup: WARMUP, measured: MEASURED, rows, seedSeconds };
}

export function describeRender(result: RenderResult): string {
  return (
    `${result.stories} published stories; page cache off; pages requested in turn with app.inject() (no network): ` +
    `${result.warmup} warm-up rounds then ${result.measured} measured, the search page on every ${SEARCH_EVERY}th round only ` +
    `(${Math.ceil(result.warmup / SEARCH_EVERY)} warm-up, ${Math.floor(result.measured / SEARCH_EVERY)} measured); each engine stops after ${TIME_LIMIT_MS / 1000} s, n says how many were measured.`
  );
}

export function renderTable(result: RenderResult): string {
  return markdownTable(
    ['engine', 'page', 'n', 'median ms', 'p95 ms', 'p99 ms', 'SQL queries', 'HTML bytes'],
    result.rows.map((row) => [
      row.engine,
      `${row.page}${row.url.startsWith('/') ? ` \`${row.url}\`` : ''}`,
      row.n,
      fixed(row.median),
      fixed(row.p95),
      fixed(row.p99),
      row.queries,
      row.bytes ? row.bytes : '–',
    ]),
  );
}

if (import.meta.main) {
  const json = option('json');
  const result = await runRender(console.log, (partial) => {
    if (json) writeFileSync(json, JSON.stringify({ ...partial, partial: true }, null, 2));
  });
  console.log(`\n${describeRender(result)}\n`);
  console.log(renderTable(result));
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
}
