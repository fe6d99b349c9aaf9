// Video processing speed and page weight, in two parts.
//
// Renditions: a generated 30 s 1280x720 25 fps clip with motion and sound goes through the media
// tool the job worker uses (ffmpegMediaTool().transcode with each rendition of renditionsFor(probe),
// and poster()), three runs each, wall time and the CPU time of ffmpeg.
// Page weight: a site on the embedded engine with the demo catalog and its processed demo videos;
// each page and every stylesheet and script it links, fetched over loopback with
// Accept-Encoding: gzip and br, counted in the bytes the server sent (media excluded).
//
//   node_modules/.bin/node bench/media.ts [--json FILE] [--only renditions,pages] [--runs N] [--clip-seconds S]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, constants } from 'node:zlib';
import { loadConfig } from '../src/config.ts';
import { posterSecond, renditionsFor } from '../src/domain/media/renditions.ts';
import { buildApp } from '../src/http/app.ts';
import { startWorker, type Worker } from '../src/jobs/worker.ts';
import { ffmpegMediaTool } from '../src/providers/media/ffmpeg.ts';
import { runTool } from '../src/providers/media/run.ts';
import { seedDemo } from '../src/services/demo.ts';
import { seedDemoMedia } from '../src/services/demo-media.ts';
import { createServices } from '../src/services/index.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { fixed, get, markdownTable, median, option, testClipArguments } from './lib.ts';

export const RUNS = Number(option('runs') ?? 3);
export const CLIP_SECONDS = Number(option('clip-seconds') ?? 30);
export const CLIP = { width: 1280, height: 720, fps: 25 };
/** How long the job worker may take to process the demo videos before the pages are measured anyway. */
const PROCESSING_LIMIT_MS = 5 * 60_000;
/** The pages weighed; the story is one of the demo catalog's, with a video once processed. */
export const STORY_SLUG = 'tide-lines-coastal-villages';
export const PAGES: ReadonlyArray<{ page: string; url: string; story?: boolean }> = [
  { page: 'story page (en)', url: `/en/stories/${STORY_SLUG}`, story: true },
  { page: 'story page (ar)', url: `/ar/stories/${STORY_SLUG}`, story: true },
  { page: 'home page', url: '/en/' },
  { page: 'catalog', url: '/en/stories' },
  { page: 'transcript page', url: `/en/stories/${STORY_SLUG}/transcript` },
];

export interface RenditionRow {
  label: string;
  kind: 'poster' | 'rendition' | 'audio' | 'export';
  size: string;
  runs: number[];
  median: number;
  /** False for a rendition renditionsFor() does not give this clip, timed for reference only. */
  inJob: boolean;
  /** Clip length / median wall time (for the poster: how many posters a second, not comparable). */
  realTime: number;
  /** Median CPU seconds of ffmpeg (user + system), and CPU / wall: how many of the cores it kept busy. */
  cpu: number;
  cores: number;
  bytes: number;
}
export interface RenditionResult {
  skipped?: string;
  ffmpeg?: string;
  runs: number;
  clip?: { seconds: number; width: number; height: number; fps: number; bytes: number; generateSeconds: number };
  rows: RenditionRow[];
  /** Poster and every rendition one after another, as one process-video job does them: median of the runs' sums. */
  job?: { median: number; realTime: number };
  loadBefore: number[];
  loadAfter: number[];
}
export interface Transfer {
  url: string;
  kind: 'html' | 'css' | 'js';
  raw: number;
  gzip: number;
  br: number;
  gzipEncoding: string;
  brEncoding: string;
  /** Reference, not sent: the same bytes at brotli's highest quality (what a precompressed copy would weigh). */
  br11: number;
  cacheControl: string;
}
export interface PageRow {
  page: string;
  url: string;
  story: boolean;
  hasVideo: boolean;
  xCache: string;
  /** The HTML as the first (uncached) response sent it, compressed by @fastify/compress rather than the page cache. */
  uncachedHtml: { gzip: number; br: number };
  files: Transfer[];
  html: { gzip: number; br: number };
  css: { gzip: number; br: number };
  js: { gzip: number; br: number };
  total: { gzip: number; br: number };
}
export interface PageResult {
  skipped?: string;
  note?: string;
  videos: number;
  processed: number;
  failed: number;
  processingSeconds: number;
  timedOut: boolean;
  rows: PageRow[];
  loadBefore: number[];
  loadAfter: number[];
}
export interface MediaResult {
  renditions?: RenditionResult;
  pages?: PageResult;
}

// ---- stopping: ffmpeg runs get this signal, so an interrupted run leaves no ffmpeg behind ----
const aborter = new AbortController();
const cleanups: Array<() => Promise<void> | void> = [];
async function cleanUp(): Promise<void> {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop())
    await Promise.resolve(cleanup()).catch(() => {});
}

/** CPU seconds (user + system) of this process's children that have ended and been waited for. */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime in USER_HZ
}

async function ffmpegVersion(): Promise<string | undefined> {
  try {
    const result = await runTool('ffmpeg', ['-version'], { timeoutMs: 10_000 });
    return result.code === 0 ? (/^ffmpeg version (\S+)/.exec(result.stdout)?.[1] ?? 'unknown') : undefined;
  } catch {
    return undefined;
  }
}

export async function runRenditions(log: (line: string) => void = console.log): Promise<RenditionResult> {
  const loadBefore = os.loadavg();
  const version = await ffmpegVersion();
  if (!version) {
    const skipped = 'ffmpeg is not installed, so no rendition was made (apt-get install ffmpeg).';
    log(skipped);
    return { skipped, runs: RUNS, rows: [], loadBefore, loadAfter: os.loadavg() };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-renditions-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const clip = path.join(dir, 'clip.mp4');
    const generating = performance.now();
    const made = await runTool('ffmpeg', testClipArguments(clip, { ...CLIP, seconds: CLIP_SECONDS }), {
      signal: aborter.signal,
      timeoutMs: 10 * 60_000,
    });
    if (made.code !== 0) throw new Error(`ffmpeg could not make the clip: ${made.stderr.trim().split('\n').at(-1)}`);
    const generateSeconds = (performance.now() - generating) / 1000;
    const tool = ffmpegMediaTool();
    const probe = await tool.probe(clip);
    const renditions = renditionsFor(probe);
    log(
      `clip: ${probe.width}x${probe.height}, ${fixed(probe.duration, 2)} s, ${probe.videoCodec}/${probe.audioCodec}, ${statSync(clip).size} bytes, made in ${fixed(generateSeconds, 1)} s; renditions ${renditions.map((r) => r.label).join(', ')}; ffmpeg ${version}`,
    );

    // A 720p source gets no 720p rendition (it is made only for sources above 720p): it is timed
    // anyway, for reference (what a larger upload's 720p encode costs), and left out of the job's sum.
    const extra = renditionsFor({ width: 1920, height: 1080, hasAudio: probe.hasAudio }).filter(
      (rendition) => rendition.role === 'rendition' && !renditions.some((r) => r.label === rendition.label),
    );
    if (extra.length)
      log(
        `renditionsFor(probe) gives no ${extra.map((r) => r.label).join(', ')} for this clip; timed for reference only`,
      );
    type Step = {
      label: string;
      kind: RenditionRow['kind'];
      size: string;
      inJob: boolean;
      run: (out: string) => Promise<unknown>;
      extension: string;
    };
    const transcodeStep = (rendition: (typeof renditions)[number], inJob: boolean): Step => ({
      label: rendition.label,
      kind: rendition.role,
      extension: rendition.extension,
      inJob,
      size: rendition.width
        ? `${Math.min(rendition.width, probe.width)}x${Math.min(rendition.height!, probe.height)}`
        : 'audio only',
      run: (out: string) =>
        tool.transcode(clip, out, rendition, () => {}, { durationSeconds: probe.duration, signal: aborter.signal }),
    });
    const steps: Step[] = [
      {
        label: 'poster',
        kind: 'poster',
        size: '',
        extension: 'jpg',
        inJob: true,
        run: async (out) => {
          const size = await tool.poster(clip, out, posterSecond(probe.duration), { signal: aborter.signal });
          steps[0]!.size = `${size.width}x${size.height}`;
        },
      },
      ...renditions.map((rendition) => transcodeStep(rendition, true)),
      ...extra.map((rendition) => transcodeStep(rendition, false)),
    ];
    const times = steps.map(() => [] as number[]);
    const cpu = steps.map(() => [] as number[]);
    const bytes = steps.map(() => 0);
    const jobTimes: number[] = [];
    // Run after run, every step in turn (as the job does), so the machine's noise falls on all of them alike.
    for (let run = 1; run <= RUNS; run += 1) {
      let job = 0;
      for (const [index, step] of steps.entries()) {
        const out = path.join(dir, `${step.label}.${step.extension}`);
        const cpuBefore = childCpuSeconds();
        const begin = performance.now();
        await step.run(out);
        const seconds = (performance.now() - begin) / 1000;
        times[index]!.push(seconds);
        cpu[index]!.push(childCpuSeconds() - cpuBefore);
        bytes[index] = statSync(out).size;
        rmSync(out, { force: true });
        if (step.inJob) job += seconds;
        log(
          `run ${run}/${RUNS} ${step.label}: ${fixed(seconds, 2)} s (${fixed(probe.duration / seconds, 2)}× real time), load ${fixed(os.loadavg()[0]!, 2)}`,
        );
      }
      jobTimes.push(job);
    }
    const rows: RenditionRow[] = steps.map((step, index) => {
      const wall = median(times[index]!);
      const cpuSeconds = median(cpu[index]!);
      return {
        label: step.label,
        kind: step.kind,
        size: step.size,
        inJob: step.inJob,
        runs: times[index]!,
        median: wall,
        realTime: probe.duration / wall,
        cpu: cpuSeconds,
        cores: cpuSeconds / wall,
        bytes: bytes[index]!,
      };
    });
    const jobMedian = median(jobTimes);
    return {
      ffmpeg: version,
      runs: RUNS,
      rows,
      job: { median: jobMedian, realTime: probe.duration / jobMedian },
      clip: {
        seconds: probe.duration,
        width: probe.width,
        height: probe.height,
        fps: CLIP.fps,
        bytes: statSync(clip).size,
        generateSeconds,
      },
      loadBefore,
      loadAfter: os.loadavg(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- page weight ----
const decodeEntities = (value: string) =>
  value.replace(
    /&(amp|quot|#39|lt|gt);/g,
    (_, name: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[name]!,
  );
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    found[match[1]!.toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return found;
}
/** The stylesheets (`<link rel="stylesheet" href>`) and scripts (`<script src>`) a page links, in order. */
export function linkedAssets(html: string): Array<{ kind: 'css' | 'js'; href: string }> {
  const assets: Array<{ kind: 'css' | 'js'; href: string }> = [];
  for (const match of html.matchAll(/<(link|script)\b[^>]*>/gi)) {
    const attrs = attributes(match[0]);
    if (match[1]!.toLowerCase() === 'link') {
      if ((attrs.rel ?? '').toLowerCase().split(/\s+/).includes('stylesheet') && attrs.href)
        assets.push({ kind: 'css', href: attrs.href });
    } else if (attrs.src) {
      assets.push({ kind: 'js', href: attrs.src });
    }
  }
  return assets;
}

async function waitForJobs(
  services: Awaited<ReturnType<typeof createServices>>,
  storyIds: number[],
  log: (line: string) => void,
) {
  const started = performance.now();
  let lastLog = 0;
  for (;;) {
    const jobs = (await Promise.all(storyIds.map((id) => services.video.jobs(id)))).flat();
    const done = jobs.filter((job) => job.state === 'done').length;
    const failed = jobs.filter((job) => job.state === 'failed').length;
    const elapsed = performance.now() - started;
    const finished = done + failed === jobs.length;
    if (aborter.signal.aborted) throw aborter.signal.reason;
    if (finished || elapsed > PROCESSING_LIMIT_MS) {
      return { total: jobs.length, done, failed, seconds: elapsed / 1000, timedOut: !finished };
    }
    if (elapsed - lastLog > 15_000) {
      lastLog = elapsed;
      log(`processing the demo videos: ${done} of ${jobs.length} done after ${fixed(elapsed / 1000, 0)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function runPages(log: (line: string) => void = console.log): Promise<PageResult> {
  const loadBefore = os.loadavg();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-pages-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({
    HOST: '127.0.0.1',
    PAGE_CACHE_SECONDS: '3600',
    DATA_DIR: dir,
    MEDIA_DIR: path.join(dir, 'media'),
    LOG_LEVEL: 'warn',
  });
  let opening: Promise<Database> | undefined;
  let worker: Worker | undefined;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  const close = async () => {
    await worker?.stop({ abort: true }).catch(() => {});
    worker = undefined;
    await app?.close().catch(() => {});
    app = undefined;
    // Also when a signal comes while the embedded engine is still starting.
    const database = await opening?.catch(() => undefined);
    opening = undefined;
    await database?.close().catch(() => {});
  };
  cleanups.push(close);
  // The embedded engine's socket directory and seedDemoMedia's scratch clips go under os.tmpdir():
  // point it into this run's directory, so that an interrupted run leaves nothing behind either.
  const tmpdir = process.env.TMPDIR;
  mkdirSync(path.join(dir, 'tmp'));
  process.env.TMPDIR = path.join(dir, 'tmp');
  const restoreTmpdir = () => {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  };
  cleanups.push(restoreTmpdir);
  try {
    opening = openDatabase({});
    const database = await opening;
    const services = await createServices(database, config);
    await seedDemo(services.repositories);
    const demo = await seedDemoMedia(services);
    const { stories } = await services.repositories.stories.list({ publishedOnly: true, limit: 100 });
    log(demo.note ?? `demo catalog: ${stories.length} stories, ${demo.videos} videos queued`);
    worker = startWorker({ jobs: services.repositories.jobs, handlers: services.video.handlers, pollMs: 100 });
    const processing = await waitForJobs(
      services,
      stories.map((story) => story.id),
      log,
    );
    await worker.stop({ abort: true });
    worker = undefined;
    log(
      `demo videos: ${processing.done} processed, ${processing.failed} failed, of ${processing.total}, in ${fixed(processing.seconds, 1)} s${processing.timedOut ? ' (stopped at the 5-minute limit)' : ''}`,
    );

    app = await buildApp(config, services, false);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const assets = new Map<string, Transfer>();
    const fetchAsset = async (href: string, kind: 'css' | 'js', base: string): Promise<Transfer> => {
      const url = new URL(href, `http://127.0.0.1:${port}${base}`);
      if (url.host !== `127.0.0.1:${port}`) throw new Error(`${base} links ${href} on another site`);
      const key = url.pathname + url.search;
      const known = assets.get(key);
      if (known) return known;
      const [plain, gzip, br] = [
        await get(port, key, 'identity'),
        await get(port, key, 'gzip'),
        await get(port, key, 'br'),
      ];
      for (const response of [plain, gzip, br])
        if (response.status !== 200) throw new Error(`${key}: status ${response.status}`);
      const transfer: Transfer = {
        url: key,
        kind,
        raw: plain.body.length,
        gzip: gzip.body.length,
        br: br.body.length,
        gzipEncoding: String(gzip.headers['content-encoding'] ?? 'identity'),
        brEncoding: String(br.headers['content-encoding'] ?? 'identity'),
        br11: brotliCompressSync(plain.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
        cacheControl: String(plain.headers['cache-control'] ?? ''),
      };
      assets.set(key, transfer);
      return transfer;
    };
    const rows: PageRow[] = [];
    for (const page of PAGES) {
      // The first response of a page is compressed by @fastify/compress; later ones come from the
      // page cache, which keeps its own gzip and brotli forms. Both are measured; the cached ones count.
      app.forgetPages();
      const brMiss = await get(port, page.url, 'br');
      const gzipHit = await get(port, page.url, 'gzip');
      app.forgetPages();
      const gzipMiss = await get(port, page.url, 'gzip');
      const brHit = await get(port, page.url, 'br');
      const plain = await get(port, page.url, 'identity');
      for (const response of [brMiss, gzipHit, gzipMiss, brHit, plain])
        if (response.status !== 200) throw new Error(`${page.url}: status ${response.status}`);
      const text = plain.body.toString('utf8');
      const html: Transfer = {
        url: page.url,
        kind: 'html',
        raw: plain.body.length,
        gzip: gzipHit.body.length,
        br: brHit.body.length,
        gzipEncoding: String(gzipHit.headers['content-encoding'] ?? 'identity'),
        brEncoding: String(brHit.headers['content-encoding'] ?? 'identity'),
        br11: brotliCompressSync(plain.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
        cacheControl: String(plain.headers['cache-control'] ?? ''),
      };
      const files = [html];
      for (const asset of linkedAssets(text)) files.push(await fetchAsset(asset.href, asset.kind, page.url));
      const sum = (kind?: Transfer['kind']) => {
        const list = files.filter((file) => !kind || file.kind === kind);
        return { gzip: list.reduce((a, f) => a + f.gzip, 0), br: list.reduce((a, f) => a + f.br, 0) };
      };
      const row: PageRow = {
        page: page.page,
        url: page.url,
        story: page.story === true,
        hasVideo: /<video\b/.test(text),
        xCache: `${String(gzipHit.headers['x-cache'] ?? '–')}/${String(brHit.headers['x-cache'] ?? '–')}`,
        uncachedHtml: { gzip: gzipMiss.body.length, br: brMiss.body.length },
        files,
        html: sum('html'),
        css: sum('css'),
        js: sum('js'),
        total: sum(),
      };
      rows.push(row);
      log(
        `${page.url}: HTML ${row.html.gzip} gzip / ${row.html.br} br, CSS ${row.css.gzip} / ${row.css.br}, JS ${row.js.gzip} / ${row.js.br}, total ${row.total.gzip} / ${row.total.br} bytes${row.hasVideo ? ' (with video)' : ''}`,
      );
    }
    return {
      ...(demo.note ? { note: demo.note } : {}),
      videos: processing.total,
      processed: processing.done,
      failed: processing.failed,
      processingSeconds: processing.seconds,
      timedOut: processing.timedOut,
      rows,
      loadBefore,
      loadAfter: os.loadavg(),
    };
  } finally {
    await close();
    restoreTmpdir();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- reporting ----
const kb = (bytes: number) => fixed(bytes / 1000, 1);
const pair = (value: { gzip: number; br: number }) => `${kb(value.gzip)} / ${kb(value.br)}`;

export function describeRenditions(result: RenditionResult): string {
  if (result.skipped || !result.clip) return result.skipped ?? 'not run';
  const { clip } = result;
  return `a ${fixed(clip.seconds, 0)} s ${clip.width}x${clip.height} ${clip.fps} fps clip (ffmpeg's testsrc2 pattern, which moves, and a 440 Hz tone; H.264 ultrafast + AAC, ${fixed(clip.bytes / 1e6, 1)} MB) made in a temporary directory, then the poster and each rendition of renditionsFor(probe) through ffmpegMediaTool() (poster(), transcode()), as the process-video job calls them, one at a time; ${result.runs} runs of the whole sequence. Wall time is the median of the runs; × real time is the clip's length over it; CPU is ffmpeg's user + system time (the median), and cores is CPU over wall time (2 at most on this machine). The poster's time includes its ffprobe. ffmpeg ${result.ffmpeg}.`;
}

export function renditionsTable(result: RenditionResult): string {
  if (result.skipped || !result.clip) return `_Not run: ${result.skipped ?? 'no result'}_`;
  const rows: Array<Array<string | number>> = result.rows.map((row) => [
    row.kind === 'poster' ? `poster (JPEG)` : `\`${row.label}\`${row.inJob ? '' : ' (not made for this clip¹)'}`,
    row.size,
    row.runs.map((s) => fixed(s, 2)).join(', '),
    `**${fixed(row.median, 2)}**`,
    row.kind === 'poster' ? '–' : `**${fixed(row.realTime, 2)}×**`,
    fixed(row.cpu, 1),
    fixed(row.cores, 2),
    row.bytes >= 1e6 ? `${fixed(row.bytes / 1e6, 2)} MB` : `${kb(row.bytes)} KB`,
  ]);
  if (result.job)
    rows.push([
      '**whole job** (poster, then every rendition it makes)',
      '',
      '',
      `**${fixed(result.job.median, 2)}**`,
      `**${fixed(result.job.realTime, 2)}×**`,
      '',
      '',
      '',
    ]);
  const table = markdownTable(
    ['rendition', 'size', 'runs s', 'median s', '× real time', 'CPU s', 'cores', 'output'],
    rows,
  );
  const skipped = result.rows.filter((row) => !row.inJob);
  return skipped.length === 0
    ? table
    : `${table}\n\n¹ renditionsFor() makes ${skipped.map((row) => row.label).join(', ')} only for sources whose short side is above 720 px, so a ${result.clip.width}x${result.clip.height} upload does not get it. It is timed on this clip anyway (the 720p preset of a 1920x1080 source, here without scaling) for reference, and is not part of the whole job.`;
}

export function describePages(result: PageResult): string {
  if (result.skipped) return result.skipped;
  return `a site on the embedded engine in memory with the demo catalog (seedDemo) and the page cache on, with seedDemoMedia's demo videos processed by the job worker first (${result.processed} of ${result.videos} done${result.failed ? `, ${result.failed} failed` : ''} in ${fixed(result.processingSeconds, 0)} s${result.timedOut ? ', stopped at the 5-minute limit' : ''}); media files in a temporary directory. Each page is fetched over loopback with \`Accept-Encoding: gzip\` and with \`Accept-Encoding: br\`, then every stylesheet (\`<link rel="stylesheet" href>\`) and script (\`<script src>\`) it links, the same way; the bytes are the response bodies as the server sent them (\`content-encoding\` as it chose). The HTML counted is the page cache's (gzip level 9, brotli quality 9), which every visitor after the first gets; assets are the build's precompressed copies (gzip level 9, brotli quality 11; scripts/build-web.ts) while they match their sources, else compressed on the fly by @fastify/compress (gzip level 6, brotli quality 4). Media (poster, video, subtitle tracks) is excluded. KB = 1,000 bytes.`;
}

export function pagesTable(result: PageResult): string {
  if (result.skipped || result.rows.length === 0) return `_Not run: ${result.skipped ?? 'no result'}_`;
  const count = (row: PageRow, kind: Transfer['kind']) => row.files.filter((file) => file.kind === kind).length;
  return markdownTable(
    [
      'page',
      'HTML KB gzip / br',
      'CSS KB gzip / br',
      'JS KB gzip / br',
      '**HTML + CSS** KB gzip / br',
      'total KB gzip / br',
    ],
    result.rows.map((row) => [
      `${row.page} \`${row.url}\`${row.hasVideo ? ' (with video)' : ''}`,
      pair(row.html),
      `${pair(row.css)} (${count(row, 'css')} files)`,
      count(row, 'js') ? `${pair(row.js)} (${count(row, 'js')} file${count(row, 'js') === 1 ? '' : 's'})` : '0',
      `**${pair({ gzip: row.html.gzip + row.css.gzip, br: row.html.br + row.css.br })}**`,
      pair(row.total),
    ]),
  );
}

export function assetsTable(result: PageResult): string {
  if (result.skipped || result.rows.length === 0) return '';
  const seen = new Map<string, Transfer>();
  for (const row of result.rows) for (const file of row.files) if (file.kind !== 'html') seen.set(file.url, file);
  return markdownTable(
    ['file', 'bytes', 'gzip bytes sent', 'br bytes sent', 'sent as', 'br quality 11 (not sent)', 'cache-control'],
    [...seen.values()].map((file) => [
      `\`${file.url}\``,
      file.raw,
      file.gzip,
      file.br,
      `${file.gzipEncoding} / ${file.brEncoding}`,
      file.br11,
      `\`${file.cacheControl}\``,
    ]),
  );
}

export async function runMedia(
  log: (line: string) => void = console.log,
  progress?: (partial: MediaResult) => void,
): Promise<MediaResult> {
  const only = option('only')?.split(',');
  const result: MediaResult = {};
  if (!only || only.includes('renditions')) {
    result.renditions = await runRenditions(log);
    progress?.(result);
  }
  if (!only || only.includes('pages')) {
    result.pages = await runPages(log);
    progress?.(result);
  }
  return result;
}

if (import.meta.main) {
  const json = option('json');
  let stopped: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    aborter.abort(new Error(`stopped by ${signal}`));
    stopped ??= cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await runMedia(console.log, (partial) => {
      if (json) writeFileSync(json, JSON.stringify({ ...partial, partial: true }, null, 2));
    });
    if (result.renditions) {
      console.log(`\nRenditions: ${describeRenditions(result.renditions)}\n`);
      console.log(renditionsTable(result.renditions));
    }
    if (result.pages) {
      console.log(`\nPage weight: ${describePages(result.pages)}\n`);
      console.log(pagesTable(result.pages));
      console.log(`\n${assetsTable(result.pages)}`);
    }
    if (json) writeFileSync(json, JSON.stringify(result, null, 2));
  } catch (error) {
    // Stopped by a signal: what fails now is the work being torn down; the signal's exit code stands.
    if (!stopped) throw error;
  } finally {
    await cleanUp();
    await stopped;
  }
}
