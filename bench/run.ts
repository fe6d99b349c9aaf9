// `npm run bench`: runs bench/render.ts and bench/throughput.ts, each in a process of its own,
// and writes their results with a reading against shared/QUALITY.md into docs/BENCHMARKS.md.
// Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to include PostgreSQL.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixed, machine } from './lib.ts';
import { describeRender, renderTable, type RenderResult, type RenderRow } from './render.ts';
import { throughputTable, type ThroughputResult } from './throughput.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = path.join(ROOT, 'docs', 'BENCHMARKS.md');
const STORY_TARGET_MS = 5;
const RATIO_TARGET = 0.5;
const P99_TARGET_MS = 10;

/** Runs one benchmark script in its own process; its JSON result, or the reason there is none. */
function runScript(script: string, limitMinutes: number): Promise<{ result?: unknown; failure?: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-bench-'));
  const json = path.join(dir, 'result.json');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', script), '--json', json], { cwd: ROOT, stdio: 'inherit' });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, limitMinutes * 60_000);
    const stop = () => child.kill('SIGTERM');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A script that failed may still have written what it measured before (render.ts does, per engine).
      let result: unknown;
      try {
        result = JSON.parse(readFileSync(json, 'utf8'));
      } catch {
        result = undefined;
      }
      const outcome = code === 0 && result !== undefined ? { result }
        : { result, failure: `${script} ended with ${signal ?? `exit code ${code}`}${result === undefined ? ' and left no result' : ' (its results so far are shown)'}; see its output` };
      rmSync(dir, { recursive: true, force: true });
      resolve(outcome);
    });
  });
}

function renderReading(result: RenderResult): string {
  const story = (engine: string) => result.rows.find((row) => row.engine === engine && row.page === 'story page');
  const data = (engine: string) => result.rows.find((row) => row.engine === engine && row.page.startsWith('story page, data only'));
  const find = (engine: string, page: string) => result.rows.find((row) => row.engine === engine && row.page.startsWith(page));
  const verdict = (row: RenderRow) => row.median <= STORY_TARGET_MS
    ? `meets the target (≤ ${STORY_TARGET_MS} ms) with ${fixed(STORY_TARGET_MS - row.median)} ms to spare`
    : `**misses the target** (≤ ${STORY_TARGET_MS} ms) by ${fixed(row.median - STORY_TARGET_MS)} ms (${fixed(row.median / STORY_TARGET_MS, 1)}× the budget)`;
  const engines = [...new Set(result.rows.map((row) => row.engine))];
  const parts = engines.map((engine) => {
    const page = story(engine);
    if (!page || page.n === 0) return `On ${engine} no story page was measured.`;
    const database = data(engine);
    const share = database ? ` The data for it (catalog.story, ${database.queries} SQL ${database.queries === 1 ? 'query' : 'queries'}) took ${fixed(database.median)} ms at the median, about ${fixed((100 * database.median) / page.median, 0)}% of the page; the rest is the request pipeline and rendering.` : '';
    const catalog = find(engine, 'catalog page');
    const search = find(engine, 'search page');
    return `On the ${engine === 'embedded' ? 'embedded engine (PGlite)' : 'PostgreSQL server'}, the uncached story page took ${fixed(page.median)} ms at the median (p95 ${fixed(page.p95)}, p99 ${fixed(page.p99)} ms): it ${verdict(page)}.${share}`
      + (catalog ? ` The catalog page took ${fixed(catalog.median)} ms.` : '')
      + (search ? ` The search page took ${fixed(search.median)} ms${search.median > 100 ? ', far from anything interactive: nearly all of it is the search SQL' : ''}.` : '');
  });
  return parts.join(' ');
}

function throughputReading(result: ThroughputResult): string {
  if (result.skipped || !result.summary) return result.skipped ?? 'The throughput benchmark did not produce a result.';
  const { storyhub, nginx, ratio } = result.summary;
  const ratioText = ratio >= RATIO_TARGET
    ? `storyhub served ${fixed(ratio * 100, 0)}% of nginx's requests per second, which meets the ≥ ${RATIO_TARGET * 100}% target`
    : `storyhub served ${fixed(ratio * 100, 0)}% of nginx's requests per second: **the ≥ ${RATIO_TARGET * 100}% target is missed** by ${fixed((RATIO_TARGET - ratio) * 100, 0)} points (it would need ${fixed(RATIO_TARGET * nginx.requestsPerSecond, 0)} req/s, it reached ${fixed(storyhub.requestsPerSecond, 0)})`;
  const p99Text = storyhub.p99 <= P99_TARGET_MS
    ? `its worst p99 of the two rounds, ${storyhub.p99} ms, meets the ≤ ${P99_TARGET_MS} ms target`
    : `its worst p99 of the two rounds was ${storyhub.p99} ms: **the ≤ ${P99_TARGET_MS} ms target is missed** by ${storyhub.p99 - P99_TARGET_MS} ms`;
  const nginxRuns = result.runs.filter((run) => run.server === 'nginx');
  const nginxCpu = Math.max(...nginxRuns.map((run) => run.serverCpu));
  const loaderCpu = Math.max(...nginxRuns.map((run) => run.loaderCpu));
  const saturation = nginxCpu < 0.85
    ? ` nginx's worker used at most ${fixed(nginxCpu * 100, 0)}% of a core while autocannon (one Node thread, on the same two cores) used ${fixed(loaderCpu * 100, 0)}%: nginx was not saturated, so its figure is partly the load generator's and the machine's ceiling, and the ratio flatters storyhub.`
    : '';
  return `With ${result.connections} connections for ${result.durationSeconds} s per run, ${ratioText}; ${p99Text} (nginx: ${fixed(nginx.requestsPerSecond, 0)} req/s, p99 ${nginx.p99} ms).${saturation}`;
}

async function main() {
  const started = new Date();
  const host = machine();
  const loadBefore = os.loadavg();
  console.log(`storyhub benchmarks on ${host.cores} × ${host.cpu}, Node ${host.node}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const render = await runScript('render.ts', 45);
  const loadBetween = os.loadavg();
  const throughput = await runScript('throughput.ts', 15);
  const loadAfter = os.loadavg();
  const date = `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const machineLine = `${host.cores} cores, ${host.cpu}, ${host.memoryGiB} GiB, ${host.platform}; Node ${host.node}`;
  const load = (values: number[]) => values.map((l) => l.toFixed(1)).join(' / ');
  const engines = process.env.DATABASE_URL ? 'the embedded engine and PostgreSQL (DATABASE_URL set)' : 'the embedded engine only (set DATABASE_URL to include PostgreSQL)';
  const renderResult = render.result as RenderResult | undefined;
  const throughputResult = throughput.result as ThroughputResult | undefined;

  const doc = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); the targets are those of shared/QUALITY.md. The machine
is shared and noisy: what counts are medians and ratios measured side by side in one run, not
absolute times. Load average (1 / 5 / 15 min) when the run began: ${load(loadBefore)}.${Math.max(loadBefore[0]!, loadBetween[0]!, loadAfter[0]!) > host.cores
    ? ` Other work kept the machine busy during this run (load above its ${host.cores} cores): absolute times are inflated (the story page measured 2–3× slower in trial runs made under a load of about 9).`
    : ''}

## Uncached page rendering (bench/render.ts)

- Command: \`npm run bench\` (alone: \`node_modules/.bin/node bench/render.ts\`), on ${engines}
- Date: ${date}
- Machine: ${machineLine}
- Method: ${renderResult ? describeRender(renderResult) : 'not run'} Server time is the time \`app.inject()\` takes for the request, page cache off (PAGE_CACHE_SECONDS=0). The stories are generated: English with translations into 2–4 of Arabic, French, Spanish and Japanese, 5–8 blocks each, 6 regions, 6 themes, 20 people, inserted in bulk and ANALYZEd.
- Profiling: \`node_modules/.bin/node --cpu-prof --cpu-prof-dir=/tmp/prof bench/render.ts --engine embedded --only story --measured 1500\` (one profile per thread: the main one and the embedded engine's worker)
- Load average after: ${load(loadBetween)}

${render.failure ? `_${render.failure}._\n\n` : ''}${renderResult ? renderTable(renderResult) : ''}

**Reading.** ${renderResult ? renderReading(renderResult) : 'No result.'} Target: an uncached story page in ≤ ${STORY_TARGET_MS} ms of server time at the median with 1,000 stories.

## Cached page throughput against nginx (bench/throughput.ts)

- Command: \`npm run bench\` (alone: \`node_modules/.bin/node bench/throughput.ts\`; needs nginx: \`apt-get install -y nginx\`)
- Date: ${date}
- Machine: ${machineLine}${throughputResult?.nginxVersion ? `; ${throughputResult.nginxVersion}` : ''}
- Method: storyhub (embedded engine, demo catalog, page cache on${throughputResult?.cacheSeconds ? ` with PAGE_CACHE_SECONDS=${throughputResult.cacheSeconds} so no entry expires during the run` : ''}) and nginx (one worker, \`gzip_static on\`, access log off, storyhub's security headers added) serve ${throughputResult?.url ? `\`${throughputResult.url}\`` : 'the same story page'}${throughputResult?.bodyBytes ? ` (${throughputResult.bodyBytes} bytes, ${throughputResult.gzipBytes} gzipped: the very bytes storyhub sent, saved to disk)` : ''} on 127.0.0.1. autocannon, ${throughputResult?.connections ?? 64} connections, ${throughputResult?.durationSeconds ?? 10} s per run, \`Accept-Encoding: gzip\`, a 3 s warm-up each, then storyhub, nginx, storyhub, nginx. Requests/s is autocannon's per-second mean; the summary row is the mean of the two rounds and the worse p99. Server CPU is the server's processes' CPU time over the run (100% = one core), loader CPU that of autocannon.
- Load average after: ${load(loadAfter)}

${throughput.failure ? `_${throughput.failure}._\n\n` : ''}${throughputResult ? throughputTable(throughputResult) : ''}

**Reading.** ${throughputResult ? throughputReading(throughputResult) : 'No result.'} Target: ≥ ${RATIO_TARGET * 100}% of nginx's requests per second with p99 ≤ ${P99_TARGET_MS} ms at 64 connections.
`;
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, doc);
  console.log(`\nWrote ${path.relative(ROOT, OUTPUT)}`);
  if (render.failure || throughput.failure) process.exitCode = 1;
}

await main();
