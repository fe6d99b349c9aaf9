// `npm run bench`: runs bench/render.ts, throughput.ts, media.ts, page-weight.ts, subtitles.ts, saves.ts, load.ts, translation.ts, search.ts and timeline.ts, each in a process
// of its own, and writes their results with a reading against shared/QUALITY.md into docs/BENCHMARKS.md.
// Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to include PostgreSQL.
//
//   npm run bench [-- --only render,throughput,media,page-weight,subtitles,saves,load,translation,search,timeline]
//
// With --only, just those scripts run and just their sections of docs/BENCHMARKS.md are replaced
// (or added); the other sections are kept as they are. Each script's last result is kept in
// $TMPDIR/storyhub-bench-results/; with --reuse the sections are written from those instead of
// measuring again (for a change in how results are described).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixed, machine, option } from './lib.ts';
import {
  assetsTable,
  describePages,
  describeRenditions,
  pagesTable,
  renditionsTable,
  type MediaResult,
  type PageResult,
  type PageRow,
  type RenditionResult,
} from './media.ts';
import { describeRender, renderTable, type RenderResult, type RenderRow } from './render.ts';
import { throughputTable, type ThroughputResult } from './throughput.ts';
import { subtitlesMarkdown, type SubtitlesResult } from './subtitles.ts';
import { subtitleSaveTable, type SaveResult } from './saves.ts';
import { describeLoad, loadMarkdown, loadReading, spreadMarkdown, spreadReading, type LoadResult } from './load.ts';
import { translationSection } from './translation.ts';
import { searchSection } from './search.ts';
import { timelineSection } from './timeline.ts';
import { pageWeightSection } from './page-weight.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = path.join(ROOT, 'docs', 'BENCHMARKS.md');
/** Each script's last result is kept here, so `--reuse` can write its section again (after a change of wording) without measuring again. */
const RESULTS_DIR = path.join(os.tmpdir(), 'storyhub-bench-results');
const STORY_TARGET_MS = 5;
/** Issue 9's target for the cached page (shared/QUALITY.md asks for at least 0.5). */
const RATIO_TARGET = 0.6;
const P99_TARGET_MS = 10;
const REAL_TIME_TARGET = 1;
const HTML_CSS_TARGET_KB = 30;
const JS_BUDGET_KB = 28;
/** The scripts, in the order they run and their sections appear. */
const SCRIPTS = [
  'render',
  'throughput',
  'media',
  'page-weight',
  'subtitles',
  'saves',
  'load',
  'translation',
  'search',
  'timeline',
] as const;
const PARSE_RATIO_TARGET = 2;
const SAVE_P99_TARGET_MS = 50;
type Script = (typeof SCRIPTS)[number];

/** Runs one benchmark script in its own process; its JSON result, or the reason there is none. */
function runScript(script: string, limitMinutes: number): Promise<{ result?: unknown; failure?: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-bench-'));
  const json = path.join(dir, 'result.json');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', script), '--json', json], {
      cwd: ROOT,
      stdio: 'inherit',
    });
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
      const outcome =
        code === 0 && result !== undefined
          ? { result }
          : {
              result,
              failure: `${script} ended with ${signal ?? `exit code ${code}`}${result === undefined ? ' and left no result' : ' (its results so far are shown)'}; see its output`,
            };
      rmSync(dir, { recursive: true, force: true });
      resolve(outcome);
    });
  });
}

function renderReading(result: RenderResult): string {
  const story = (engine: string) => result.rows.find((row) => row.engine === engine && row.page === 'story page');
  const data = (engine: string) =>
    result.rows.find((row) => row.engine === engine && row.page.startsWith('story page, data only'));
  const find = (engine: string, page: string) =>
    result.rows.find((row) => row.engine === engine && row.page.startsWith(page));
  const verdict = (row: RenderRow) =>
    row.median <= STORY_TARGET_MS
      ? `meets the target (≤ ${STORY_TARGET_MS} ms) with ${fixed(STORY_TARGET_MS - row.median)} ms to spare`
      : `**misses the target** (≤ ${STORY_TARGET_MS} ms) by ${fixed(row.median - STORY_TARGET_MS)} ms (${fixed(row.median / STORY_TARGET_MS, 1)}× the budget)`;
  const engines = [...new Set(result.rows.map((row) => row.engine))];
  const parts = engines.map((engine) => {
    const page = story(engine);
    if (!page || page.n === 0) return `On ${engine} no story page was measured.`;
    const database = data(engine);
    const share = database
      ? ` The data for it (catalog.story, ${database.queries} SQL ${database.queries === 1 ? 'query' : 'queries'}) took ${fixed(database.median)} ms at the median, about ${fixed((100 * database.median) / page.median, 0)}% of the page; the rest is the request pipeline and rendering.`
      : '';
    const catalog = find(engine, 'catalog page');
    const search = find(engine, 'search page');
    return (
      `On the ${engine === 'embedded' ? 'embedded engine (PGlite)' : 'PostgreSQL server'}, the uncached story page took ${fixed(page.median)} ms at the median (p95 ${fixed(page.p95)}, p99 ${fixed(page.p99)} ms): it ${verdict(page)}.${share}` +
      (catalog ? ` The catalog page took ${fixed(catalog.median)} ms.` : '') +
      (search
        ? ` The search page took ${fixed(search.median)} ms${search.median > 100 ? ', far from anything interactive: nearly all of it is the search SQL' : ''}.`
        : '')
    );
  });
  return parts.join(' ');
}

function throughputReading(result: ThroughputResult): string {
  if (result.skipped || !result.summary) return result.skipped ?? 'The throughput benchmark did not produce a result.';
  const { storyhub, nginx, ratio } = result.summary;
  const loader = result.loader ?? 'the load generator';
  const ratioText =
    ratio >= RATIO_TARGET
      ? `storyhub served ${fixed(ratio, 2)}× nginx's requests per second, which meets the ≥ ${RATIO_TARGET}× target`
      : `storyhub served ${fixed(ratio, 2)}× nginx's requests per second: **the ≥ ${RATIO_TARGET}× target is not met** (it would need ${fixed(RATIO_TARGET * nginx.requestsPerSecond, 0)} req/s, it reached ${fixed(storyhub.requestsPerSecond, 0)})`;
  const p99Text =
    storyhub.p99 <= P99_TARGET_MS
      ? `its worst p99 of the ${result.rounds ?? 2} rounds, ${fixed(storyhub.p99)} ms, meets the ≤ ${P99_TARGET_MS} ms target`
      : `its worst p99 of the ${result.rounds ?? 2} rounds was ${fixed(storyhub.p99)} ms: **the ≤ ${P99_TARGET_MS} ms target is not met**`;
  const limit = (name: string, summary: typeof storyhub) => {
    const busy = summary.serverCpu >= 0.9;
    const loaded = summary.loaderCpu >= 0.9;
    const which =
      busy && !loaded
        ? 'the server was the limit (its process used a whole core; the server is single-threaded for this work)'
        : busy
          ? 'both the server and the generator were busy: the two cores were shared between them'
          : loaded
            ? `**the generator, not the server, was the limit**`
            : 'neither used a whole core: the limit was elsewhere (the machine shared with other work, or the network stack)';
    return `${name}'s process used ${fixed(summary.serverCpu * 100, 0)}% of a core and ${loader} ${fixed(summary.loaderCpu * 100, 0)}% (${result.wrkThreads ?? 1} threads: ${(result.wrkThreads ?? 1) * 100}% at most): ${which}`;
  };
  const others = (summary: typeof storyhub) =>
    Math.max(0, (summary.machineCpu ?? Number.NaN) - summary.serverCpu - summary.loaderCpu);
  const busiest = Math.max(storyhub.machineCpu ?? 0, nginx.machineCpu ?? 0);
  const machineText =
    Number.isFinite(storyhub.machineCpu) && storyhub.machineCpu !== undefined
      ? ` The whole machine was ${fixed(storyhub.machineCpu * 100, 0)}% busy during storyhub's runs and ${fixed(nginx.machineCpu * 100, 0)}% during nginx's (of 200%), other people's work about ${fixed(others(storyhub) * 100, 0)}% and ${fixed(others(nginx) * 100, 0)}% of a core${busiest >= 1.8 ? ": **the two cores were saturated, so what was measured is partly the machine's ceiling**" : ''}.`
      : '';
  return `With ${result.connections} connections for ${result.durationSeconds} s per run, ${ratioText}; ${p99Text} (nginx: ${fixed(nginx.requestsPerSecond, 0)} req/s, p99 ${fixed(nginx.p99)} ms). Means over the rounds: ${limit('storyhub', storyhub)}; ${limit('nginx', nginx)}.${machineText}`;
}

const kb = (bytes: number) => fixed(bytes / 1000, 1);

function renditionsReading(result: RenditionResult): string {
  if (result.skipped || !result.clip) return result.skipped ?? 'The rendition benchmark did not produce a result.';
  const { clip } = result;
  const clipText = `${fixed(clip.seconds, 0)} s ${clip.width}x${clip.height}`;
  const row = (label: string) => result.rows.find((r) => r.label === label);
  const at360 = result.rows.filter((r) => r.kind === 'rendition' && r.inJob && /^360p-/.test(r.label));
  const verdict =
    at360.length === 0
      ? `No 360p rendition was made, so the target (a 360p rendition at ≥ ${REAL_TIME_TARGET}× real time on 2 cores) could not be checked.`
      : at360
          .map(
            (r, index) =>
              `the ${r.label.replace('-', ' ').replace('webm', 'WebM (VP9 + Opus)').replace('mp4', 'MP4 (H.264 + AAC)')} took ${fixed(r.median, 2)} s${index === 0 ? ` for the ${clipText} clip` : ''}, ${fixed(r.realTime, 2)}× real time, using ${fixed(r.cores, 1)} of the 2 cores` +
              (r.realTime >= REAL_TIME_TARGET
                ? `: it meets the ≥ ${REAL_TIME_TARGET}× target`
                : `: **it misses the ≥ ${REAL_TIME_TARGET}× target** (it would need to be done in ${fixed(clip.seconds / REAL_TIME_TARGET, 1)} s, ${fixed(r.median - clip.seconds / REAL_TIME_TARGET, 1)} s less)`),
          )
          .join('; ')
          .replace(/^t/, 'T') + '.';
  const others = result.rows
    .filter((r) => r.kind !== 'poster' && !at360.includes(r))
    .map(
      (r) =>
        `${r.label} ${fixed(r.realTime, 1)}×${r.inJob ? '' : ' (timed for reference: not made for a 720p upload)'}`,
    );
  const poster = row('poster');
  const slowest = result.rows.filter((r) => r.inJob && r.kind !== 'poster').sort((a, b) => b.median - a.median)[0];
  const job = result.job
    ? ` One process-video job (poster, then ${result.rows.filter((r) => r.inJob && r.kind !== 'poster').length} renditions one after another) takes ${fixed(result.job.median, 1)} s for this clip, ${fixed(result.job.realTime, 2)}× real time: a ${fixed(clip.seconds, 0)} s upload is ready in every format about ${fixed(result.job.median, 0)} s after its job starts${slowest ? `; the slowest step is ${slowest.label} (${fixed((100 * slowest.median) / result.job.median, 0)}% of the job)` : ''}.`
    : '';
  const before = result.loadBefore[0]!;
  const load =
    before > 2
      ? ` The 1-minute load average was ${fixed(before, 1)} before the first ffmpeg started (${fixed(result.loadAfter[0]!, 1)} after, ffmpeg's own work included), above the 2 cores: other work competed with ffmpeg, and the speeds are lower than on a quiet machine.`
      : before > 0.5
        ? ` The 1-minute load average was ${fixed(before, 1)} before the first ffmpeg started (${fixed(result.loadAfter[0]!, 1)} after, ffmpeg's own work included): some other work shared the cores.`
        : ` The 1-minute load average was ${fixed(before, 1)} before the first ffmpeg started (${fixed(result.loadAfter[0]!, 1)} after, ffmpeg's own work included): the machine was otherwise quiet.`;
  return `${verdict} The other renditions: ${others.join(', ')}${poster ? `; the poster took ${fixed(poster.median, 2)} s` : ''}.${job}${load}`;
}

function pagesReading(result: PageResult): string {
  if (result.skipped || result.rows.length === 0)
    return result.skipped ?? 'The page-weight benchmark did not produce a result.';
  const parts: string[] = [];
  if (result.note) parts.push(`${result.note}.`);
  if (result.processed < result.videos || result.timedOut) {
    parts.push(
      `Only ${result.processed} of the ${result.videos} demo videos were processed${result.timedOut ? ' within the 5-minute limit' : ''}.`,
    );
  }
  const htmlCss = (row: PageRow, encoding: 'gzip' | 'br') => row.html[encoding] + row.css[encoding];
  const target = HTML_CSS_TARGET_KB * 1000;
  for (const row of result.rows.filter((r) => r.story)) {
    const largest = row.files.filter((f) => f.kind !== 'js').sort((a, b) => b.gzip - a.gzip)[0]!;
    const worst = Math.max(htmlCss(row, 'gzip'), htmlCss(row, 'br'));
    const name = `The story page \`${row.url}\`${row.hasVideo ? ' (with its video player)' : ' (**without video**: its video was not processed)'}`;
    const share = `${fixed((100 * largest.gzip) / htmlCss(row, 'gzip'), 0)}% of it (gzip) is \`${largest.url}\``;
    parts.push(
      worst <= target
        ? `${name} weighs ${kb(htmlCss(row, 'gzip'))} KB gzip / ${kb(htmlCss(row, 'br'))} KB brotli in HTML + CSS: it meets the ≤ ${HTML_CSS_TARGET_KB} KB target with ${kb(target - worst)} KB to spare; ${share}.`
        : `${name} weighs ${kb(htmlCss(row, 'gzip'))} KB gzip / ${kb(htmlCss(row, 'br'))} KB brotli in HTML + CSS: **it misses the ≤ ${HTML_CSS_TARGET_KB} KB target** by ${kb(worst - target)} KB; ${share}, which dominates.`,
    );
  }
  const story = result.rows.find((r) => r.story);
  if (story) {
    const total = Math.max(story.total.gzip, story.total.br);
    parts.push(
      `Counting its script as well, the whole first load of \`${story.url}\` is ${kb(story.total.gzip)} KB gzip / ${kb(story.total.br)} KB brotli, media excluded${total <= target ? `, still under ${HTML_CSS_TARGET_KB} KB` : `, ${kb(total - target)} KB over ${HTML_CSS_TARGET_KB} KB`}.`,
    );
  }
  const withJs = result.rows.filter((r) => r.js.gzip > 0);
  const maxJs = Math.max(0, ...result.rows.map((r) => Math.max(r.js.gzip, r.js.br)));
  const scripts = [
    ...new Set(withJs.flatMap((r) => r.files.filter((f) => f.kind === 'js').map((f) => `\`${f.url}\``))),
  ];
  parts.push(
    withJs.length === 0
      ? `No page links a script (the ${JS_BUDGET_KB} KB budget for optional JavaScript is untouched).`
      : `Only ${withJs.map((r) => `the ${r.page}`).join(' and ')} ${withJs.length === 1 ? 'links' : 'link'} a script (${scripts.join(', ')}, ${kb(maxJs)} KB compressed at most): ${maxJs <= JS_BUDGET_KB * 1000 ? `within the ${JS_BUDGET_KB} KB budget for optional JavaScript` : `**over the ${JS_BUDGET_KB} KB budget for optional JavaScript** by ${kb(maxJs - JS_BUDGET_KB * 1000)} KB`}; the other pages ship none.`,
  );
  const assets = new Map(
    result.rows.flatMap((r) => r.files.filter((f) => f.kind !== 'html').map((f) => [f.url, f] as const)),
  );
  const brWorse = [...assets.values()].filter((f) => f.brEncoding === 'br' && f.br > f.gzip);
  if (brWorse.length) {
    parts.push(
      `Brotli as sent is larger than gzip for ${brWorse.map((f) => `\`${f.url}\` (${f.br} against ${f.gzip} bytes)`).join(', ')}: assets are compressed on the fly at brotli quality 4; at quality 11 (a precompressed copy) ${brWorse.length === 1 ? 'it' : 'they'} would weigh ${brWorse.map((f) => `${f.br11}`).join(', ')} bytes.`,
    );
  }
  const cache = [...new Set([...assets.values()].map((f) => f.cacheControl))];
  if (cache.length === 1 && /max-age=\d+/.test(cache[0]!)) {
    const seconds = Number(/max-age=(\d+)/.exec(cache[0]!)![1]);
    parts.push(
      `Stylesheets and scripts are sent with \`${cache[0]}\`, so within ${seconds >= 86_400 ? `${fixed(seconds / 86_400, 0)} day${seconds === 86_400 ? '' : 's'}` : `${seconds} s`} the next page costs only its HTML.`,
    );
  }
  if (story) {
    parts.push(
      `The first, uncached response of \`${story.url}\` (compressed by @fastify/compress) was ${story.uncachedHtml.gzip} bytes gzip / ${story.uncachedHtml.br} brotli against ${story.html.gzip} / ${story.html.br} from the page cache.`,
    );
  }
  return parts.join(' ');
}

function subtitlesReading(result: SubtitlesResult): string {
  const parts = (['vtt', 'srt'] as const).flatMap((format) =>
    [500, 50_000].map((cues) => {
      const rows = result.parse.filter((row) => row.format === format && row.cues === cues);
      const ours = rows.find((row) => row.library === 'storyhub')!;
      const fastest = rows
        .filter((row) => row.library !== 'storyhub')
        .sort((a, b) => b.mbPerSecond - a.mbPerSecond)[0]!;
      const ratio = ours.mbPerSecond / fastest.mbPerSecond;
      return `${format === 'vtt' ? 'WebVTT' : 'SRT'} at ${cues.toLocaleString('en')} cues: ${fixed(ours.mbPerSecond, 1)} MB/s, ${fixed(ratio, 2)}× the fastest other (${fastest.library}, ${fixed(fastest.mbPerSecond, 1)} MB/s)${ratio >= PARSE_RATIO_TARGET ? ', meeting the target' : ', **short of the 2× target**'}`;
    }),
  );
  const linear = result.linear;
  return `${parts.join('; ')}. Per megabyte, storyhub took ${linear.map((row) => `${fixed(row.msPerMb, 2)} ms at ${row.cues.toLocaleString('en')} cues`).join(', ')}${linear.at(-1)!.msPerMb > 1.5 * linear[0]!.msPerMb ? ': linear up to 50,000 cues; at 500,000 cues (50 MB) the garbage collector, holding a million objects, makes it slower per megabyte' : ': linear'}.`;
}

/** A markdown file split at its `## ` headings: the text before the first, then each section with its heading. */
function splitSections(text: string): { head: string; sections: string[] } {
  const parts = text.split(/^(?=## )/m);
  const head = parts[0]!.startsWith('## ') ? '' : parts.shift()!;
  return { head, sections: parts };
}
const scriptOf = (section: string): string | undefined => /^## [^\n]*\(bench\/([\w-]+)\.ts\)/.exec(section)?.[1];

async function main() {
  const only = option('only')
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = only?.filter((name) => !SCRIPTS.includes(name as Script));
  if (unknown?.length) {
    console.error(`Unknown benchmark ${unknown.join(', ')}: --only takes ${SCRIPTS.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const selected = SCRIPTS.filter((name) => !only || only.includes(name));
  const started = new Date();
  const reuse = process.argv.includes('--reuse');
  let reusedStart: Date | undefined;
  const host = machine();
  const loadBefore = os.loadavg();
  console.log(
    `storyhub benchmarks (${selected.join(', ')}) on ${host.cores} × ${host.cpu}, Node ${host.node}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const limits: Record<Script, number> = {
    render: 45,
    throughput: 15,
    media: 25,
    'page-weight': 20,
    subtitles: 15,
    saves: 25,
    load: 90,
    translation: 120,
    search: 90,
    timeline: 20,
  };
  const outcomes: Partial<Record<Script, { result?: unknown; failure?: string; loadAfter: number[] }>> = {};
  for (const name of selected) {
    const kept = path.join(RESULTS_DIR, `${name}.json`);
    if (reuse) {
      // The last result of this script, as it was measured (date and load included): only the text is written anew.
      if (!existsSync(kept)) throw new Error(`--reuse: no kept result of ${name} (${kept}); run it first`);
      const saved = JSON.parse(readFileSync(kept, 'utf8')) as { result: unknown; loadAfter: number[]; started: string };
      outcomes[name] = { result: saved.result, loadAfter: saved.loadAfter };
      reusedStart ??= new Date(saved.started);
      continue;
    }
    const outcome = await runScript(`${name}.ts`, limits[name]);
    outcomes[name] = { ...outcome, loadAfter: os.loadavg() };
    if (outcome.result !== undefined && !outcome.failure) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(
        kept,
        JSON.stringify({
          result: outcome.result,
          loadAfter: outcomes[name]!.loadAfter,
          started: started.toISOString(),
        }),
      );
    }
  }
  const date = `${(reusedStart ?? started).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const machineLine = `${host.cores} cores, ${host.cpu}, ${host.memoryGiB} GiB, ${host.platform}; Node ${host.node}`;
  const load = (values: number[]) => values.map((l) => l.toFixed(1)).join(' / ');
  const engines = process.env.DATABASE_URL
    ? 'the embedded engine and PostgreSQL (DATABASE_URL set)'
    : 'the embedded engine only (set DATABASE_URL to include PostgreSQL)';

  const sections: Partial<Record<Script, string>> = {};
  const render = outcomes.render;
  if (render) {
    const renderResult = render.result as RenderResult | undefined;
    sections.render = `## Uncached page rendering (bench/render.ts)

- Command: \`npm run bench\` (alone: \`node_modules/.bin/node bench/render.ts\`), on ${engines}
- Date: ${date}
- Machine: ${machineLine}
- Method: ${renderResult ? describeRender(renderResult) : 'not run'} Server time is the time \`app.inject()\` takes for the request, page cache off (PAGE_CACHE_SECONDS=0). The stories are generated: English with translations into 2–4 of Arabic, French, Spanish and Japanese, 5–8 blocks each, 6 regions, 6 themes, 20 people, inserted in bulk and ANALYZEd.
- Profiling: \`node_modules/.bin/node --cpu-prof --cpu-prof-dir=/tmp/prof bench/render.ts --engine embedded --only story --measured 1500\` (one profile per thread: the main one and the embedded engine's worker)
- Load average after: ${load(render.loadAfter)}

${render.failure ? `_${render.failure}._\n\n` : ''}${renderResult ? renderTable(renderResult) : ''}

**Reading.** ${renderResult ? renderReading(renderResult) : 'No result.'} Target: an uncached story page in ≤ ${STORY_TARGET_MS} ms of server time at the median with 1,000 stories.
`;
  }
  const throughput = outcomes.throughput;
  if (throughput) {
    const throughputResult = throughput.result as ThroughputResult | undefined;
    sections.throughput = `## Cached page throughput against nginx (bench/throughput.ts)

- Command: \`npm run bench -- --only throughput\` (alone: \`node_modules/.bin/node bench/throughput.ts [--duration 10] [--rounds 3]\`; needs wrk, nginx and GNU time: \`apt-get install -y wrk nginx time\`, which the script runs itself as root)
- Date: ${date}
- Machine: ${machineLine}${throughputResult?.nginxVersion ? `; ${throughputResult.nginxVersion}` : ''}${throughputResult?.wrkVersion ? `; ${throughputResult.wrkVersion}` : ''}
- Method: storyhub as \`npm start\` runs it (\`node src/cli/main.ts serve\` in a process of its own, every setting at its default, so LOG_LEVEL=info and PAGE_CACHE_SECONDS=${throughputResult?.cacheSeconds ?? 60}, but DATA_DIR, PORT and SEED_DEMO=false: the demo catalog is written into the data directory beforehand, without the demo videos, whose processing would compete for the CPU) and nginx (one worker, \`gzip_static on\`, access log off, storyhub's security headers added) serve ${throughputResult?.url ? `\`${throughputResult.url}\`` : 'the same story page'}${throughputResult?.bodyBytes ? ` (${throughputResult.bodyBytes} bytes, ${throughputResult.gzipBytes} gzipped: the very bytes storyhub sent, saved to disk)` : ''} on 127.0.0.1. ${throughputResult?.loader === 'wrk' || !throughputResult?.loader ? `wrk (C, ${throughputResult?.wrkThreads ?? 2} threads, \`--latency\`)` : throughputResult.loader}, ${throughputResult?.connections ?? 64} connections, \`Accept-Encoding: gzip\`, a 3 s warm-up of each server, then ${throughputResult?.rounds ?? 3} rounds of ${throughputResult?.durationSeconds ?? 10} s alternating storyhub and nginx. Requests/s and latency percentiles are wrk's; the summary row is the mean of the rounds' requests/s and median and the worst p99. Server CPU is the server's processes' CPU time (all threads; nginx's master and worker) over the run, wrk CPU is wrk's own user + system time (GNU time), both as a share of one core: the machine has ${host.cores}, shared by the server and wrk.
- Load average after: ${load(throughput.loadAfter)}

${throughput.failure ? `_${throughput.failure}._\n\n` : ''}${throughputResult ? throughputTable(throughputResult) : ''}

**Reading.** ${throughputResult ? throughputReading(throughputResult) : 'No result.'} Target (issue 9): ≥ ${RATIO_TARGET}× nginx's requests per second with p99 ≤ ${P99_TARGET_MS} ms at 64 connections (shared/QUALITY.md: ≥ 0.5×).
`;
  }
  const media = outcomes.media;
  if (media) {
    const mediaResult = media.result as MediaResult | undefined;
    const renditions = mediaResult?.renditions;
    const pages = mediaResult?.pages;
    const loads = [
      renditions
        ? `before the renditions ${load(renditions.loadBefore)}, after them ${load(renditions.loadAfter)}`
        : '',
      pages ? `after the page weight ${load(pages.loadAfter)}` : `after ${load(media.loadAfter)}`,
    ]
      .filter(Boolean)
      .join('; ');
    sections.media = `## Video renditions and page weight (bench/media.ts)

- Command: \`npm run bench\` (this section alone: \`npm run bench -- --only media\`; the script alone: \`node_modules/.bin/node bench/media.ts [--only renditions|pages]\`; needs ffmpeg: \`apt-get install -y ffmpeg\`)
- Date: ${date}
- Machine: ${machineLine}${renditions?.ffmpeg ? `; ffmpeg ${renditions.ffmpeg}` : ''}
- Load average (1 / 5 / 15 min): ${loads}

${media.failure ? `_${media.failure}._\n\n` : ''}### Rendition speed

Method: ${renditions ? describeRenditions(renditions) : 'not run.'}

${renditions ? renditionsTable(renditions) : ''}

**Reading.** ${renditions ? renditionsReading(renditions) : 'No result.'} Target: a 360p rendition at ≥ ${REAL_TIME_TARGET}× real time on 2 cores.

### Page weight

Method: ${pages ? describePages(pages) : 'not run.'}

${pages ? `${pagesTable(pages)}\n\nThe files the pages link, each fetched once:\n\n${assetsTable(pages)}` : ''}

**Reading.** ${pages ? pagesReading(pages) : 'No result.'} Targets: a story page's HTML + CSS ≤ ${HTML_CSS_TARGET_KB} KB compressed, media excluded; any optional script ≤ ${JS_BUDGET_KB} KB compressed.
`;
  }

  const subtitles = outcomes.subtitles;
  if (subtitles) {
    const result = subtitles.result as SubtitlesResult | undefined;
    sections.subtitles = `## Subtitle parsing and writing against npm parsers (bench/subtitles.ts)

- Command: \`npm run bench -- --only subtitles\` (alone: \`node_modules/.bin/node bench/subtitles.ts\`)
- Date: ${date}
- Machine: ${machineLine}
- Method: generated files (two-line cues mixing English, Arabic, Japanese and Russian words; every 5th WebVTT cue with a numeric id, every 7th with settings), read from a string in the same process by each parser, in steady state: 0.3 s of untimed runs, then the median of at least ${result?.runs ?? 'several'} runs and 0.7 s of them (a parser slower than 5 s is timed once). Production builds of the packages (NODE_ENV=production). node-webvtt reads WebVTT only. Writing: each library writes the cues it read itself.
- Load average after: ${load(subtitles.loadAfter)}

${subtitles.failure ? `_${subtitles.failure}._\n\n` : ''}${result ? subtitlesMarkdown(result) : ''}

**Reading.** ${result ? subtitlesReading(result) : 'No result.'} Target: parsing at least ${PARSE_RATIO_TARGET}× as fast as the fastest npm parser on the same file, linear in size, reporting every error with its line.
`;
  }
  const saves = outcomes.saves;
  if (saves) {
    const result = saves.result as SaveResult | undefined;
    sections.saves = `## Saving a cue with 50 editors at once (bench/saves.ts)

- Command: \`npm run bench -- --only saves\` (alone: \`node_modules/.bin/node bench/saves.ts\`), on ${engines}
- Date: ${date}
- Machine: ${machineLine}
- Method: 50 signed-in editors, each with their own story's ${result?.cues ?? 300}-cue track open, change one cue and save it with its base revision and CSRF token, over HTTP on 127.0.0.1 with keep-alive: as the editor does (PATCH of the changed cue) and as an API client sending the whole track may (PUT), driven from a worker thread so the load generator has its own event loop. Paced: each editor saves about every 2 s (random gaps of 1–3 s), ${result?.seconds ?? 30} s long; flat out: each saves again as soon as the last save returned (the server's capacity). Time is from sending the request to the whole response.
- Load average after: ${load(saves.loadAfter)}

${saves.failure ? `_${saves.failure}._\n\n` : ''}${result ? subtitleSaveTable(result) : ''}

**Reading.** ${
      result
        ? result.rows
            .map((row) =>
              row.load === 'paced'
                ? `On ${row.engine === 'embedded' ? 'the embedded engine' : 'PostgreSQL'}, sending ${row.send === 'whole' ? 'the whole track' : 'the changed cue'}, with 50 editors saving at a human pace, the p99 was ${fixed(row.p99, 1)} ms (median ${fixed(row.median, 1)} ms): ${row.p99 <= SAVE_P99_TARGET_MS ? 'it meets' : '**it misses**'} the ≤ ${SAVE_P99_TARGET_MS} ms target.`
                : `Flat out it handled ${fixed(row.perSecond, 0)} saves/s (p99 ${fixed(row.p99, 1)} ms, as queueing makes every save wait for the others); ${row.conflicts} conflicts.`,
            )
            .join(' ')
        : 'No result.'
    } Target: p99 ≤ ${SAVE_P99_TARGET_MS} ms with 50 concurrent editors.
`;
  }

  const loadRun = outcomes.load;
  if (loadRun) {
    const result = loadRun.result as LoadResult | undefined;
    const first = result?.engines[0];
    sections.load = `## ${first?.readers ?? 200} readers and ${first?.editors ?? 20} editors at once (bench/load.ts)

- Command: \`npm run bench -- --only load\` (alone: \`node_modules/.bin/node bench/load.ts [--engine embedded|postgres] [--seconds ${first?.seconds.saves ?? 60}] [--readers ${first?.readers ?? 200}] [--editors ${first?.editors ?? 20}] [--think ${first?.thinkMs ?? 100}]\`; needs ffmpeg for the video: \`apt-get install -y ffmpeg\`, installed by the script when run as root), on ${engines}
- Date: ${date}
- Machine: ${machineLine}
- Method: ${result ? describeLoad(result) : 'not run.'}
- Load average after: ${load(loadRun.loadAfter)}

${loadRun.failure ? `_${loadRun.failure}._\n\n` : ''}${result ? loadMarkdown(result) : ''}

**Reading.** ${result ? loadReading(result) : 'No result.'} Targets (issue 9): 0 errors and 0 lost saves; readers' p99 while editors save ≤ 100 ms on the embedded default and ≤ 50 ms on PostgreSQL; saves' p99 ≤ 250 ms embedded and ≤ 100 ms on PostgreSQL.
${
  result && (result.spread || result.spreadSkipped)
    ? `
### One, two and three processes behind nginx (PostgreSQL)

- Command: the same run (alone: \`node_modules/.bin/node bench/load.ts --engine none --processes 1,2,3\`, DATABASE_URL set; nginx installed: \`apt-get install -y nginx-light\`)
- Method: the same data, readers, editors, phases and checks as above, on PostgreSQL, against N \`storyhub serve\` processes (WORKER=false, TRUST_PROXY=true) and one \`storyhub worker\`, on one database and one data directory, behind Debian's nginx as docs/DEPLOY.md sets it up (round robin, keep-alive to the upstreams, one nginx worker per core, access log on), every request through nginx. The warm-up asks every address N times, so each process's page cache is about as warm as the single process's. CPU is a share of one core during the editors-saving phase: the serve processes together, the worker, nginx's master and workers, the PostgreSQL backends of the run's database, the bench process (the load generator), and the whole machine (everyone's work).

${spreadMarkdown(result)}

**Reading.** ${spreadReading(result) || 'No result.'}
`
    : ''
}`;
  }

  if (outcomes.translation) sections.translation = translationSection(outcomes.translation, date);
  if (outcomes.search) sections.search = searchSection(outcomes.search, date);
  if (outcomes.timeline) sections.timeline = timelineSection(outcomes.timeline, date);
  if (outcomes['page-weight']) sections['page-weight'] = pageWeightSection(outcomes['page-weight'], date);

  // Sections not run this time are kept from the file as they are; so is its load note.
  const existing = existsSync(OUTPUT) ? splitSections(readFileSync(OUTPUT, 'utf8')) : { head: '', sections: [] };
  const renderAndThroughput = ['render', 'throughput'].filter((name) => outcomes[name as Script]);
  const kept = /Load average \(1 \/ 5 \/ 15 min\) when the run began:[\s\S]*?\n*$/.exec(existing.head)?.[0].trim();
  const loads = [loadBefore, ...renderAndThroughput.map((name) => outcomes[name as Script]!.loadAfter)];
  const loadNote =
    renderAndThroughput.length === 0 && kept
      ? kept
      : `Load average (1 / 5 / 15 min) when the run began: ${load(loadBefore)}.${
          Math.max(...loads.map((l) => l[0]!)) > host.cores
            ? ` Other work kept the machine busy during this run (load above its ${host.cores} cores): absolute times are inflated (the story page measured 2–3× slower in trial runs made under a load of about 9).`
            : ''
        }`;
  const head = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); the targets are those of shared/QUALITY.md. The machine
is shared and noisy: what counts are medians and ratios measured side by side in one run, not
absolute times. \`npm run bench -- --only media\` (or render, throughput, page-weight, subtitles, saves, load, translation, search, timeline) runs only those
benchmarks and replaces only their sections, which then carry their own date and load. ${loadNote}

`;
  const body: string[] = [];
  const placed = new Set<string>();
  for (const section of existing.sections) {
    const name = scriptOf(section) as Script | undefined;
    if (name && sections[name]) {
      body.push(sections[name]!);
      placed.add(name);
    } else if (!name || !SCRIPTS.includes(name) || !outcomes[name]) {
      body.push(section);
      if (name) placed.add(name);
    }
  }
  // Sections new to the file go after the kept ones, in the scripts' order.
  for (const name of SCRIPTS) if (sections[name] && !placed.has(name)) body.push(sections[name]!);
  const doc = head + body.map((section) => section.trimEnd()).join('\n\n') + '\n';
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, doc);
  console.log(`\nWrote ${path.relative(ROOT, OUTPUT)}`);
  if (Object.values(outcomes).some((outcome) => outcome?.failure)) process.exitCode = 1;
}

await main();
