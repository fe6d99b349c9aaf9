// 200 readers and 20 editors at once against the site as `npm start` runs it, on the embedded
// engine and (when DATABASE_URL is set) PostgreSQL: every error, every lost save, and the readers'
// latency while editors save.
//
//   node_modules/.bin/node bench/load.ts [--json FILE] [--engine embedded|postgres|none] [--seconds 60]
//       [--readers 200] [--editors 20] [--think 100] [--quiet 10] [--warmup 5] [--stories 200]
//       [--processes 1,2,3|none]
//   npm run bench -- --only load          (writes its section of docs/BENCHMARKS.md)
//
// --processes: the same load, on PostgreSQL, against N `storyhub serve` processes (WORKER=false,
// TRUST_PROXY=true) and one `storyhub worker`, all on one database and one data directory, behind
// Debian's nginx (test/helpers/nginx.ts, as docs/DEPLOY.md sets it up; one worker per core), for each N
// listed. By default 1, 2 and 3 when DATABASE_URL is set and nginx is installed.
//
// For each engine:
// 1. Data, made in this process before the server starts (an embedded data directory has one owner
//    at a time): 200 published stories in English with translations into 2–4 of Arabic, French,
//    Spanish and Japanese (bench/data.ts), each with a published subtitle track in 2–3 of its
//    languages of 200–300 cues; a 10 s 640x360 clip made with ffmpeg, processed once through the
//    video service's own job (poster and renditions), its files linked to every 4th story; the editors'
//    accounts and tracks. On PostgreSQL a database of its own is created and dropped afterwards.
// 2. The server: `node src/cli/main.ts serve` in a child process, every setting at its default but
//    DATA_DIR (a fresh temporary directory), PORT, SEED_DEMO=false and DATABASE_URL for PostgreSQL.
//    Its output (the request log) goes to a file in that directory.
// 3. Load, from worker threads of this process (bench/load-worker.ts): two threads of readers, one of
//    editors. Readers are anonymous, one keep-alive connection each, `accept-encoding: gzip, br`, an
//    interface language each (en, ar, fr, es, ja, ru, hi), and walk: home, catalog (and its pages),
//    story pages, transcripts, search, WebVTT files, and byte ranges of the renditions found on story
//    pages; after each answer a reader thinks for a random 0–2×think ms (think 0: next request at once).
//    Editors are signed in over HTTP (each from an address of its own in 127.0.0.0/8, as the sign-in
//    rate limit counts per address), each on a track of their own: half editors on a published track
//    (a few of them approve it now and then through the review form), some on a draft, the rest
//    translators on their language's draft translation. Each saves one changed cue (PATCH with the
//    revision it has and the CSRF token) every 1–3 s and keeps the revision the server acknowledged.
//    Phases: warm-up (readers only, not counted), readers alone (--quiet s), then readers while
//    editors save (--seconds s). Every request and answer is on 127.0.0.1.
// 4. Checks: every editor reads its track back through the API (the final revision and the text of
//    every cue it changed); after the server stopped, every acknowledged save's revision is rebuilt
//    from the database and must hold that save's text. A lost save is one that fails either.
//
// CPU: this process (process.cpuUsage, all its threads), each of its threads (process.threadCpuUsage
// and event-loop utilization), the server process and its threads (/proc/PID/task/*/stat), the
// PostgreSQL backends of the benchmark's database, and the whole machine (/proc/stat), per phase.
// Needs ffmpeg for the video (installed with apt-get when run as root; without it no ranges are read).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import type { GrantableRole } from '../src/domain/access/authorize.ts';
import { defaultCueSettings, type Cue } from '../src/domain/subtitles/index.ts';
import { startWorker } from '../src/jobs/worker.ts';
import { hasNginx, startNginx } from '../test/helpers/nginx.ts';
import { PAGE_SIZE } from '../src/services/catalog.ts';
import { createServices, type Services } from '../src/services/index.ts';
import { openDatabase, type Database, type Engine } from '../src/store/database.ts';
import { generateStories, insertStories, SEARCH_QUERIES, type GeneratedStory } from './data.ts';
import {
  childPids,
  cpuSeconds,
  ensurePrograms,
  findProgram,
  fixed,
  get,
  guardChildren,
  machine,
  machineCpu,
  markdownTable,
  option,
  percentile,
  startJobWorker,
  startServe,
  testClipArguments,
  threadCpuSeconds,
  type ServeProcess,
} from './lib.ts';
import {
  KINDS,
  LANGUAGES as READER_LANGUAGE_WEIGHTS,
  READER_KINDS,
  type EditorReport,
  type EditorSpec,
  type EditorsJob,
  type Kind,
  type Phases,
  type ReadersJob,
  type ReaderStory,
  type ThreadReport,
} from './load-worker.ts';

const run = promisify(execFile);
const SECONDS = Number(option('seconds') ?? 60);
const READERS = Number(option('readers') ?? 200);
const EDITORS = Number(option('editors') ?? 20);
const THINK_MS = Number(option('think') ?? 100);
const QUIET_SECONDS = Number(option('quiet') ?? 10);
const WARMUP_SECONDS = Number(option('warmup') ?? 5);
const STORIES = Math.max(Number(option('stories') ?? 200), EDITORS);
const READER_THREADS = 2;
/** Every 4th story has the video. */
const VIDEO_EVERY = 4;
/** An approving editor approves after every this many saves (about every 20 s). */
const APPROVE_EVERY = 10;
const PASSWORD = 'correct horse battery staple';
const CLIP_SECONDS = 10;
/** The targets of the issue: readers' p99 while editors save, and saves' p99, per engine (ms). */
export const LOAD_TARGETS: Record<Engine, { readersP99: number; savesP99: number }> = {
  embedded: { readersP99: 100, savesP99: 250 },
  postgres: { readersP99: 50, savesP99: 100 },
};

// ---- results ----
export interface Stat {
  n: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
}
export interface KindRow extends Stat {
  kind: Kind | 'readers';
  phase: 'quiet' | 'saves';
}
export interface CpuPhase {
  /** Shares of one core over the phase (1 = one core busy all the time). */
  bench: number;
  benchThreads: Array<{ name: string; cpu: number; elu: number }>;
  server: number;
  serverThreads: Array<{ name: string; cpu: number }>;
  /** The PostgreSQL backends serving the benchmark's database (PostgreSQL only). */
  database?: number;
  /** Behind nginx (--processes): nginx's master and workers, and the `storyhub worker` process. */
  nginx?: number;
  worker?: number;
  /** The whole machine, all cores, everyone's work (out of `cores`). */
  machine: number;
}
export interface LoadEngineResult {
  engine: Engine;
  /** Serve processes behind nginx (--processes); absent: one process answering directly. */
  processes?: number;
  seconds: { warmup: number; quiet: number; saves: number };
  readers: number;
  editors: number;
  thinkMs: number;
  data: {
    stories: number;
    tracks: number;
    cues: number;
    cuesPerTrack: [number, number];
    videoStories: number;
    mediaFiles: number;
    mediaNote?: string;
    prepSeconds: number;
  };
  /** Requests per second the readers would send if every answer came at once (null: no think time, as fast as answers come). */
  offeredReaders: number | null;
  offeredSaves: number;
  achieved: { quiet: number; saves: number };
  rows: KindRow[];
  readersQuiet: Stat;
  readersSaves: Stat;
  saves: Stat;
  errors: number;
  failures: Record<string, number>;
  conflicts: number;
  approvals: number;
  approvalsMoved: number;
  acknowledged: number;
  lostSaves: number;
  finalMismatches: number;
  checkNote?: string;
  cpu: { quiet: CpuPhase; saves: CpuPhase };
  /** Readers' p99 and saves per 5 s, from the start of the readers-alone phase. */
  windows: Array<{ from: number; readers: number; readersP99: number; saves: number; savesP99: number }>;
  serverLog: { bytes: number; lines: number; errors: number };
  bytesRead: number;
  /** Before the timed phases, every address the readers ask for was asked once (8 at a time): how many, and how long it took. */
  coldStart?: { pages: number; seconds: number };
}
export interface LoadResult {
  cores: number;
  engines: LoadEngineResult[];
  /** The same load on PostgreSQL against 1, 2, 3… serve processes behind nginx. */
  spread?: LoadEngineResult[];
  spreadSkipped?: string;
  skipped?: string;
}

const log = (line: string) => console.log(`[load] ${line}`);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });

// ---- what to clean up, even on Ctrl-C ----
const cleanups: Array<() => Promise<void>> = [];
/** Runs the cleanups registered since `down` to (all of them by default), the latest first. */
async function cleanUp(down = 0) {
  while (cleanups.length > down)
    await cleanups.pop()!().catch((error: Error) => console.error(`cleanup: ${error.message}`));
}

// ---- data ----
function twoLines(sentence: string): string {
  const text = sentence.slice(0, 84).trim();
  if (text.length <= 42) return text;
  const half = Math.floor(text.length / 2);
  const space = text.lastIndexOf(' ', half);
  const cut = space > 10 ? space : half;
  return `${text.slice(0, cut).trim()}\n${text.slice(cut).trim()}`;
}
function cuesFor(story: GeneratedStory, language: string, count: number): Cue[] {
  const text = story.texts.find((t) => t.language === language) ?? story.texts[0]!;
  const sentences = [text.title, text.summary, ...text.blocks.map((block) => block.text)]
    .flatMap((part) => part.split(/(?<=[.。])\s*/))
    .map((part) => part.trim())
    .filter(Boolean);
  return Array.from({ length: count }, (_, i) => ({
    id: '',
    startTime: i * 3,
    endTime: i * 3 + 2.6,
    text: twoLines(sentences[i % sentences.length]!),
    settings: defaultCueSettings(),
  }));
}

async function makeClip(dir: string): Promise<string> {
  const file = path.join(dir, 'clip.mp4');
  await run('ffmpeg', testClipArguments(file, { width: 640, height: 360, fps: 25, seconds: CLIP_SECONDS }));
  return file;
}

interface PreparedStory {
  id: number;
  slug: string;
  published: string[];
  video: boolean;
}
interface PreparedEditor {
  username: string;
  storyId: number;
  slug: string;
  language: string;
  kind: EditorSpec['kind'];
  approves: boolean;
  sourceLanguage: string | null;
}
interface Prepared {
  stories: PreparedStory[];
  editors: PreparedEditor[];
  data: LoadEngineResult['data'];
}

async function createAccount(
  services: Services,
  username: string,
  grants: Array<{ role: GrantableRole; language?: string }>,
) {
  const result = await services.accounts.signUp({ username, password: PASSWORD });
  if (!('user' in result)) throw new Error(`could not create ${username}: ${JSON.stringify(result.errors)}`);
  for (const grant of grants) await services.accounts.grant(result.user.id, grant.role, grant.language ?? null, null);
  return result.user;
}

/** Everything the run needs, written through the services before the server opens the database. */
async function prepare(
  database: Database,
  dataDir: string,
  databaseUrl: string | undefined,
  clip: string | undefined,
): Promise<Prepared> {
  const started = now();
  const config = loadConfig({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const services = await createServices(database, config);
  const generated = generateStories(STORIES, 7);
  await insertStories(database.db, services.repositories, generated);
  const admin = await createAccount(services, 'load-admin', [{ role: 'editor' }, { role: 'admin' }]);
  const stories: PreparedStory[] = [];
  let tracks = 0;
  let cues = 0;
  let fewest = Infinity;
  let most = 0;
  for (const [index, story] of generated.entries()) {
    const id = (await services.repositories.stories.headBySlug(story.slug))?.id;
    if (id === undefined) throw new Error(`story ${story.slug} was not stored`);
    const count = 200 + ((index * 37) % 101);
    const published = ['en', ...story.texts.slice(1, 2 + (index % 2)).map((text) => text.language)];
    for (const language of published) {
      const saved = await services.subtitles.save({
        storyId: id,
        language,
        baseRevision: 0,
        cues: cuesFor(story, language, count),
        userId: admin.id,
        ...(language === 'en' ? {} : { sourceLanguage: 'en' }),
      });
      if (!saved.ok) throw new Error(`could not save the ${language} track of ${story.slug}`);
      await services.subtitles.publishCurrent(id, language);
      tracks++;
      cues += count;
      fewest = Math.min(fewest, count);
      most = Math.max(most, count);
    }
    stories.push({ id, slug: story.slug, published, video: index % VIDEO_EVERY === 0 });
  }
  log(
    `${stories.length} stories, ${tracks} published tracks (${cues} cues) in ${fixed((now() - started) / 1000, 1)} s`,
  );

  // The editors: each on a track of their own, in the first stories.
  const editors: PreparedEditor[] = [];
  const approvers = Math.max(1, Math.round(EDITORS * 0.2));
  for (let i = 0; i < EDITORS; i++) {
    const story = stories[i]!;
    const unpublished = ['es', 'fr', 'ar', 'ja'].filter((language) => !story.published.includes(language));
    const kind: EditorSpec['kind'] = i < EDITORS * 0.5 ? 'editor' : i < EDITORS * 0.7 ? 'draft' : 'translator';
    const language = kind === 'editor' ? 'en' : (unpublished[kind === 'draft' ? 0 : 1] ?? unpublished[0]!);
    const username = `${kind === 'translator' ? 'translator' : 'editor'}-${String(i + 1).padStart(2, '0')}`;
    await createAccount(
      services,
      username,
      kind === 'translator' ? [{ role: 'translator', language }] : [{ role: 'editor' }],
    );
    if (kind !== 'editor') {
      // The draft the editor or translator goes on with (a translation of the English track).
      const saved = await services.subtitles.save({
        storyId: story.id,
        language,
        baseRevision: 0,
        cues: cuesFor(generated[i]!, language, 200 + ((i * 37) % 101)),
        userId: admin.id,
        sourceLanguage: 'en',
      });
      if (!saved.ok) throw new Error(`could not save the ${language} draft of ${story.slug}`);
    }
    editors.push({
      username,
      storyId: story.id,
      slug: story.slug,
      language,
      kind,
      approves: kind === 'editor' && i < approvers,
      sourceLanguage: kind === 'translator' ? 'en' : null,
    });
  }

  // The video: processed once by the video service's own job, then the same files linked to every 4th story.
  let mediaNote: string | undefined;
  let mediaFiles = 0;
  const withVideo = stories.filter((story) => story.video);
  if (!clip) {
    mediaNote = 'ffmpeg is not installed: no story has a video, and no byte ranges were read';
    for (const story of stories) story.video = false;
  } else {
    const first = withVideo[0]!;
    const job = await services.video.upload(first.id, createReadStream(clip), 'clip.mp4');
    const worker = startWorker({ jobs: services.repositories.jobs, handlers: services.jobHandlers, pollMs: 100 });
    const deadline = now() + 300_000;
    let state = 'queued';
    while (now() < deadline) {
      state = (await services.repositories.jobs.find(job.id))?.state ?? 'missing';
      if (state === 'done' || state === 'failed') break;
      await sleep(250);
    }
    await worker.stop({ abort: true });
    if (state !== 'done') throw new Error(`the video job ended ${state}`);
    const files = (await services.video.files(first.id)).filter((file) => file.role !== 'source');
    for (const story of withVideo) {
      if (story === first) continue;
      for (const file of files) {
        const key = file.storageKey.replace(`stories/${first.id}/`, `stories/${story.id}/`);
        mkdirSync(path.dirname(services.storage.path(key)), { recursive: true });
        linkSync(services.storage.path(file.storageKey), services.storage.path(key));
        await services.repositories.media.add({
          storyId: story.id,
          role: file.role,
          label: file.label,
          storageKey: key,
          mime: file.mime,
          width: file.width,
          height: file.height,
          durationSeconds: file.durationSeconds,
          bytes: file.bytes,
        });
      }
    }
    mediaFiles = files.length;
    log(
      `video: ${files.map((file) => `${file.label || file.role} ${fixed(file.bytes / 1024, 0)} KiB`).join(', ')}; on ${withVideo.length} stories`,
    );
  }
  return {
    stories,
    editors,
    data: {
      stories: stories.length,
      tracks,
      cues,
      cuesPerTrack: [fewest, most],
      videoStories: stories.filter((story) => story.video).length,
      mediaFiles,
      ...(mediaNote ? { mediaNote } : {}),
      prepSeconds: (now() - started) / 1000,
    },
  };
}

// ---- signing in over HTTP, as a browser does ----
function request(
  port: number,
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  body?: string,
  localAddress?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        localAddress,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
const cookieHeader = (setCookie: string[] | undefined) => (setCookie ?? []).map((c) => c.split(';')[0]).join('; ');
const csrfFrom = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

async function signIn(port: number, username: string, address: string): Promise<{ cookie: string; csrf: string }> {
  const page = await request(port, 'GET', '/en/sign-in', {}, undefined, address);
  let cookie = cookieHeader(page.headers['set-cookie']);
  const form = new URLSearchParams({ username, password: PASSWORD, _csrf: csrfFrom(page.body) }).toString();
  const answer = await request(
    port,
    'POST',
    '/en/sign-in',
    { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    form,
    address,
  );
  if (answer.status !== 303) throw new Error(`sign-in of ${username} failed with ${answer.status}`);
  cookie = cookieHeader(answer.headers['set-cookie']) || cookie;
  const after = await request(port, 'GET', '/en/stories', { cookie }, undefined, address);
  const csrf = csrfFrom(after.body);
  if (!csrf) throw new Error(`no CSRF token for ${username} after signing in`);
  return { cookie, csrf };
}

// ---- statistics ----
function stat(latencies: number[], seconds: number, errors: number): Stat {
  return {
    n: latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.length ? Math.max(...latencies) : Number.NaN,
    errors,
  };
}
const isError = (kind: Kind, status: number) =>
  kind === 'save'
    ? status !== 200 && status !== 409
    : kind === 'approve'
      ? status !== 303 && status !== 409
      : !(status === 200 || status === 206 || status === 304 || (status >= 300 && status < 400));

interface Snapshot {
  at: number;
  bench: NodeJS.CpuUsage;
  mainThread: NodeJS.CpuUsage;
  server: number;
  serverThreads: Map<number, { name: string; seconds: number }>;
  machine: { busy: number; total: number };
  nginx: number;
  worker: number;
}
/** The processes whose CPU is measured: the serve processes and, behind nginx, nginx's master and the job worker. */
interface Watched {
  serve: number[];
  nginx?: number;
  worker?: number;
}
function snapshot(watched: Watched): Snapshot {
  const serverThreads = new Map<number, { name: string; seconds: number }>();
  for (const pid of watched.serve) for (const [tid, thread] of threadCpuSeconds(pid)) serverThreads.set(tid, thread);
  return {
    at: now(),
    bench: process.cpuUsage(),
    mainThread: process.threadCpuUsage(),
    server: cpuSeconds(watched.serve),
    serverThreads,
    machine: machineCpu(),
    nginx: watched.nginx ? cpuSeconds([watched.nginx, ...childPids(watched.nginx)]) : 0,
    worker: watched.worker ? cpuSeconds([watched.worker]) : 0,
  };
}

/** CPU seconds of the backends serving one PostgreSQL database, summed over the samples taken while they lived. */
function databaseCpuSampler(client: pg.Client, name: string) {
  const seen = new Map<number, { first: number; last: number }>();
  const marks: number[] = [];
  let sampling = Promise.resolve();
  const sample = () => {
    sampling = sampling
      .then(async () => {
        const { rows } = await client.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        for (const { pid } of rows) {
          const seconds = cpuSeconds([pid]);
          const known = seen.get(pid);
          // A backend first seen now started since the last sample: all its CPU time is within the run.
          if (known) known.last = seconds;
          else seen.set(pid, { first: marks.length === 0 ? seconds : 0, last: seconds });
        }
      })
      .catch(() => {});
    return sampling;
  };
  const total = () => [...seen.values()].reduce((sum, backend) => sum + backend.last - backend.first, 0);
  return {
    sample,
    /** Marks a phase boundary: the CPU seconds counted so far. */
    async mark() {
      await sample();
      marks.push(total());
      return marks.at(-1)!;
    },
  };
}

function runThread(job: ReadersJob | EditorsJob): { done: Promise<ThreadReport>; worker: Worker } {
  const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: job });
  const done = new Promise<ThreadReport>((resolve, reject) => {
    worker.once('message', (message: { result?: ThreadReport; error?: string }) =>
      message.result ? resolve(message.result) : reject(new Error(message.error)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`load thread exited with ${code}`)));
  });
  // Stopped early (Ctrl-C terminates the threads): the rejection is handled where the result is awaited, or not at all.
  done.catch(() => {});
  return { done, worker };
}

// ---- one engine ----
async function runEngine(engine: Engine, clip: string | undefined, processes = 0): Promise<LoadEngineResult> {
  const mine = cleanups.length;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-load-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  let databaseName: string | undefined;
  if (engine === 'postgres') {
    const base = new URL(process.env.DATABASE_URL!);
    databaseName = `storyhub_load_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    await admin.end();
    const name = databaseName;
    cleanups.push(async () => {
      const cleanup = new pg.Client({ connectionString: base.toString() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    });
    const url = new URL(base);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
  const open = () => openDatabase({ url: databaseUrl, dataDir: path.join(dataDir, 'db'), command: 'bench/load.ts' });

  log(`${engine}: preparing the data in ${dataDir}`);
  const database = await open();
  let prepared: Prepared;
  try {
    prepared = await prepare(database, dataDir, databaseUrl, clip);
  } finally {
    await database.close();
  }

  const settings = { DATA_DIR: dataDir, SEED_DEMO: 'false', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const servers: ServeProcess[] = [];
  const logFiles: string[] = [];
  let port: number;
  let watched: Watched;
  const stopAll: Array<() => Promise<void>> = [];
  if (!processes) {
    const logFile = path.join(dataDir, 'server.log');
    const server = await startServe(settings, logFile);
    cleanups.push(() => server.stop());
    stopAll.push(() => server.stop());
    servers.push(server);
    logFiles.push(logFile);
    port = server.port;
    watched = { serve: [server.pid] };
    log(`${engine}: storyhub serve (pid ${server.pid}) answers on 127.0.0.1:${server.port}`);
  } else {
    // As docs/DEPLOY.md runs it: the site's processes run no jobs, one worker does, nginx balances.
    for (let i = 1; i <= processes; i++) {
      const logFile = path.join(dataDir, `server-${i}.log`);
      const server = await startServe({ ...settings, WORKER: 'false', TRUST_PROXY: 'true' }, logFile);
      cleanups.push(() => server.stop());
      stopAll.push(() => server.stop());
      servers.push(server);
      logFiles.push(logFile);
    }
    const workerLog = path.join(dataDir, 'worker.log');
    const jobWorker = await startJobWorker(settings, workerLog);
    cleanups.push(() => jobWorker.stop());
    stopAll.push(() => jobWorker.stop());
    logFiles.push(workerLog);
    // 'auto' workers (one per core, Debian's default); enough connections for every reader and editor twice over.
    const nginx = await startNginx(
      path.join(dataDir, 'nginx'),
      servers.map((server) => `http://127.0.0.1:${server.port}/`),
      { workers: 'auto', connections: 4096 },
    );
    cleanups.push(() => nginx.stop());
    stopAll.unshift(() => nginx.stop());
    port = nginx.port;
    watched = { serve: servers.map((server) => server.pid), nginx: nginx.pid, worker: jobWorker.pid };
    log(
      `${engine}: ${processes} storyhub serve processes (pids ${watched.serve.join(', ')}) and a worker (pid ${jobWorker.pid}) behind nginx on 127.0.0.1:${port}`,
    );
  }
  let sampler: ReturnType<typeof databaseCpuSampler> | undefined;
  let samplerClient: pg.Client | undefined;
  try {
    // The readers' map of the site: each video story's renditions as its page links them, and their sizes.
    const readerStories: ReaderStory[] = [];
    for (const story of prepared.stories) {
      const media: ReaderStory['media'] = [];
      if (story.video) {
        const page = await get(port, `/en/stories/${story.slug}`, 'identity');
        if (page.status !== 200) throw new Error(`/en/stories/${story.slug}: ${page.status}`);
        for (const [, url] of page.body.toString('utf8').matchAll(/<source src="(\/media\/[^"]+)"/g)) {
          const probe = await request(port, 'GET', url!, { range: 'bytes=0-0' });
          const total = Number(/\/(\d+)$/.exec(String(probe.headers['content-range'] ?? ''))?.[1]);
          if (probe.status !== 206 || !total) throw new Error(`${url}: a range request was answered ${probe.status}`);
          media.push({ url: url!, bytes: total });
        }
        if (media.length === 0) throw new Error(`/en/stories/${story.slug} links no rendition`);
      }
      readerStories.push({ slug: story.slug, languages: story.published, media });
    }
    const catalogPages = Math.ceil(prepared.stories.length / PAGE_SIZE);
    // Behind nginx each process has a page cache of its own: one round per process (nginx spreads each round).
    const coldStart = { pages: 0, seconds: 0 };
    for (let round = 0; round < Math.max(1, processes); round++) {
      const once = await warmUp(port, readerStories, catalogPages);
      coldStart.pages += once.pages;
      coldStart.seconds += once.seconds;
    }
    log(`${engine}: cold start: ${coldStart.pages} addresses asked once in ${fixed(coldStart.seconds, 1)} s`);

    // Editors sign in, each from an address of its own (the sign-in rate limit is per address).
    const editors: EditorSpec[] = [];
    for (const [index, editor] of prepared.editors.entries()) {
      const address = `127.0.0.${10 + index}`;
      const session = await signIn(port, editor.username, address);
      editors.push({
        username: editor.username,
        address,
        ...session,
        slug: editor.slug,
        language: editor.language,
        kind: editor.kind,
        approves: editor.approves,
        sourceLanguage: editor.sourceLanguage,
      });
    }
    log(
      `${engine}: ${editors.length} editors signed in; ${catalogPages} catalog pages; ${readerStories.filter((s) => s.media.length).length} stories with video`,
    );

    if (databaseName) {
      samplerClient = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await samplerClient.connect();
      sampler = databaseCpuSampler(samplerClient, databaseName);
    }
    const start = now() + 2000;
    const phases: Phases = {
      start,
      quiet: start + WARMUP_SECONDS * 1000,
      saves: start + (WARMUP_SECONDS + QUIET_SECONDS) * 1000,
      end: start + (WARMUP_SECONDS + QUIET_SECONDS + SECONDS) * 1000,
    };
    const threads = [
      ...Array.from({ length: READER_THREADS }, (_, t) => {
        const readers = Math.floor(READERS / READER_THREADS) + (t < READERS % READER_THREADS ? 1 : 0);
        return runThread({
          role: 'readers',
          port,
          phases,
          readers,
          firstReader: t * Math.ceil(READERS / READER_THREADS),
          thinkMs: THINK_MS,
          stories: readerStories,
          catalogPages,
          queries: SEARCH_QUERIES,
          seed: 11,
        });
      }),
      runThread({ role: 'editors', port, phases, editors, seed: 11, approveEvery: APPROVE_EVERY }),
    ];
    cleanups.push(async () => {
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    });
    const snapshots: Snapshot[] = [];
    const dbMarks: number[] = [];
    const sampling = sampler ? setInterval(() => void sampler!.sample(), 1000) : undefined;
    for (const at of [phases.quiet, phases.saves, phases.end]) {
      await sleep(at - now());
      snapshots.push(snapshot(watched));
      if (sampler) dbMarks.push(await sampler.mark());
      log(
        `${engine}: ${at === phases.quiet ? `readers alone for ${QUIET_SECONDS} s` : at === phases.saves ? `editors saving for ${SECONDS} s` : 'time is up; waiting for the last answers'}`,
      );
    }
    if (sampling) clearInterval(sampling);
    const reports = await Promise.all(threads.map((thread) => thread.done));
    const result = analyse(engine, prepared, phases, reports, snapshots, dbMarks, watched.serve);
    result.coldStart = coldStart;
    if (processes) result.processes = processes;

    // The editors' final reads through the API (done in their thread) against what each acknowledged.
    const editorReports = reports.flatMap((report) => report.editors ?? []);
    result.finalMismatches = finalMismatches(editorReports);
    for (const stop of stopAll) await stop();
    // Every acknowledged save's revision, rebuilt from the database.
    const check = await open();
    try {
      const services = await createServices(
        check,
        loadConfig({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }),
      );
      result.lostSaves = await lostSaves(services, prepared.editors, editorReports);
    } catch (error) {
      result.checkNote = `the database check could not run: ${(error as Error).message}`;
    } finally {
      await check.close();
    }
    const lines = logFiles.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean));
    result.serverLog = {
      bytes: logFiles.reduce((sum, file) => sum + statSync(file).size, 0),
      lines: lines.length,
      errors: lines.filter((line) => /"level":(50|60)\b/.test(line)).length,
    };
    log(
      `${engine}: ${result.acknowledged} saves acknowledged, ${result.lostSaves} lost, ${result.finalMismatches} differing from the final read; ${result.errors} errors; server log ${fixed(result.serverLog.bytes / 1e6, 1)} MB (${result.serverLog.lines} lines)`,
    );
    return result;
  } finally {
    await samplerClient?.end().catch(() => {});
    await cleanUp(mine);
  }
}

/**
 * Asks once for every address the readers will ask for (8 at a time), as the readers of a site
 * that has been up a while would have: the timed phases then measure a site in its steady state,
 * and the time this takes is the cold start, reported apart.
 */
async function warmUp(
  port: number,
  stories: ReaderStory[],
  catalogPages: number,
): Promise<{ pages: number; seconds: number }> {
  const paths: string[] = [];
  for (const [language] of READER_LANGUAGE_WEIGHTS) {
    paths.push(`/${language}/`, `/${language}/stories`);
    for (let page = 2; page <= catalogPages; page++) paths.push(`/${language}/stories?page=${page}`);
    for (const story of stories)
      paths.push(`/${language}/stories/${story.slug}`, `/${language}/stories/${story.slug}/transcript`);
    for (const query of SEARCH_QUERIES) paths.push(`/${language}/search?q=${encodeURIComponent(query)}`);
  }
  for (const story of stories)
    for (const language of story.languages) paths.push(`/subtitles/${story.slug}/${language}.vtt`);
  const begin = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        const answer = await get(port, path, 'gzip, br');
        if (answer.status !== 200) throw new Error(`warming up: ${path} was answered ${answer.status}`);
      }
    }),
  );
  return { pages: paths.length, seconds: (now() - begin) / 1000 };
}

function finalMismatches(reports: EditorReport[]): number {
  let mismatches = 0;
  for (const editor of reports) {
    if (editor.checkError) {
      mismatches += editor.acked.length || 1;
      continue;
    }
    const last = editor.acked.at(-1);
    if (last && editor.finalRevision !== last.revision) mismatches++;
    const lastText = new Map<number, string>();
    for (const save of editor.acked) lastText.set(save.at, save.text);
    for (const [at, text] of lastText) if (editor.finalTexts[at] !== text) mismatches++;
  }
  return mismatches;
}

async function lostSaves(services: Services, editors: PreparedEditor[], reports: EditorReport[]): Promise<number> {
  let lost = 0;
  for (const report of reports) {
    const editor = editors.find((e) => e.username === report.username)!;
    const track = await services.repositories.subtitles.find(editor.storyId, editor.language);
    if (!track) {
      lost += report.acked.length;
      continue;
    }
    for (const save of report.acked) {
      const cues = await services.repositories.subtitles.revisionCues(track.id, save.revision);
      if (cues?.[save.at]?.text !== save.text) lost++;
    }
    if (report.acked.length && track.revision < report.acked.at(-1)!.revision) lost++;
  }
  return lost;
}

/** What the server's threads are, by the names Node and libuv give them (the only worker thread is the embedded database's). */
const THREAD_NAMES: Record<string, string> = {
  WorkerThread: 'embedded database (worker thread)',
  V8Worker: 'V8 helpers (GC, compiler)',
  'libuv-worker': 'libuv pool',
};

function analyse(
  engine: Engine,
  prepared: Prepared,
  phases: Phases,
  reports: ThreadReport[],
  snapshots: Snapshot[],
  dbMarks: number[],
  servePids: number[],
): LoadEngineResult {
  const quietFrom = phases.quiet - phases.start;
  const savesFrom = phases.saves - phases.start;
  const end = phases.end - phases.start;
  const seconds = { quiet: (phases.saves - phases.quiet) / 1000, saves: (phases.end - phases.saves) / 1000 };
  const byPhase = {
    quiet: new Map<Kind, { latency: number[]; errors: number }>(),
    saves: new Map<Kind, { latency: number[]; errors: number }>(),
  };
  const windows = new Map<number, { readers: number[]; saves: number[] }>();
  let conflicts = 0;
  let errors = 0;
  const failures: Record<string, number> = {};
  for (const report of reports) {
    for (const [key, count] of Object.entries(report.failures)) failures[key] = (failures[key] ?? 0) + count;
    for (let i = 0; i < report.kinds.length; i++) {
      const kind = KINDS[report.kinds[i]!]!;
      const at = report.at[i]!;
      const status = report.status[i]!;
      const latency = report.latency[i]!;
      if (isError(kind, status)) errors++;
      if (kind === 'save' && status === 409) conflicts++;
      if (at < quietFrom || at >= end) continue;
      const phase = at < savesFrom ? 'quiet' : 'saves';
      const entry = byPhase[phase].get(kind) ?? { latency: [], errors: 0 };
      byPhase[phase].set(kind, entry);
      entry.latency.push(latency);
      if (isError(kind, status)) entry.errors++;
      const window = Math.floor((at - quietFrom) / 5000);
      const slot = windows.get(window) ?? { readers: [], saves: [] };
      windows.set(window, slot);
      if (READER_KINDS.includes(kind)) slot.readers.push(latency);
      else if (kind === 'save') slot.saves.push(latency);
    }
  }
  const rows: KindRow[] = [];
  const readerStat = (phase: 'quiet' | 'saves') => {
    const list = READER_KINDS.flatMap((kind) => byPhase[phase].get(kind)?.latency ?? []);
    const errs = READER_KINDS.reduce((sum, kind) => sum + (byPhase[phase].get(kind)?.errors ?? 0), 0);
    return stat(list, seconds[phase], errs);
  };
  for (const phase of ['quiet', 'saves'] as const) {
    for (const kind of KINDS) {
      const entry = byPhase[phase].get(kind);
      if (entry) rows.push({ kind, phase, ...stat(entry.latency, seconds[phase], entry.errors) });
    }
    rows.push({ kind: 'readers', phase, ...readerStat(phase) });
  }
  const saves = byPhase.saves.get('save');
  const cpuPhase = (from: number, to: number): CpuPhase => {
    const a = snapshots[from]!;
    const b = snapshots[to]!;
    const wall = (b.at - a.at) / 1000;
    const threadRows: CpuPhase['benchThreads'] = [
      {
        name: 'main (measures)',
        cpu: (b.mainThread.user + b.mainThread.system - a.mainThread.user - a.mainThread.system) / 1e6 / wall,
        elu: Number.NaN,
      },
    ];
    let readerThread = 0;
    for (const report of reports) {
      const c0 = report.cpu[from]!;
      const c1 = report.cpu[to]!;
      threadRows.push({
        name: report.role === 'readers' ? `readers ${++readerThread}` : 'editors',
        cpu: (c1.user + c1.system - c0.user - c0.system) / 1e6 / ((c1.at - c0.at) / 1000),
        elu: report.elu[to]!.utilization,
      });
    }
    // The server's threads, by name (the main thread is the event loop; the others are named by Node or libuv).
    const serverThreads = new Map<string, number>();
    for (const [tid, thread] of b.serverThreads) {
      const before = a.serverThreads.get(tid)?.seconds ?? 0;
      const name = servePids.includes(tid) ? 'main (event loop)' : (THREAD_NAMES[thread.name] ?? thread.name);
      serverThreads.set(name, (serverThreads.get(name) ?? 0) + (thread.seconds - before) / wall);
    }
    return {
      bench: (b.bench.user + b.bench.system - a.bench.user - a.bench.system) / 1e6 / wall,
      benchThreads: threadRows,
      server: (b.server - a.server) / wall,
      serverThreads: [...serverThreads]
        .map(([name, cpu]) => ({ name, cpu }))
        .filter((thread) => thread.cpu >= 0.01)
        .sort((x, y) => y.cpu - x.cpu),
      ...(dbMarks.length === 3 ? { database: (dbMarks[to]! - dbMarks[from]!) / wall } : {}),
      ...(b.nginx ? { nginx: (b.nginx - a.nginx) / wall, worker: (b.worker - a.worker) / wall } : {}),
      machine: (b.machine.busy - a.machine.busy) / ((b.machine.total - a.machine.total) / os.cpus().length),
    };
  };
  const editorReports = reports.flatMap((report) => report.editors ?? []);
  const readerRows = (phase: 'quiet' | 'saves') => rows.find((row) => row.kind === 'readers' && row.phase === phase)!;
  const savesAll = byPhase.saves.get('save')?.latency.length ?? 0;
  const approve = byPhase.saves.get('approve')?.latency.length ?? 0;
  return {
    engine,
    seconds: { warmup: WARMUP_SECONDS, ...seconds },
    readers: READERS,
    editors: EDITORS,
    thinkMs: THINK_MS,
    data: prepared.data,
    offeredReaders: THINK_MS > 0 ? (READERS * 1000) / THINK_MS : null,
    offeredSaves: EDITORS / 2,
    achieved: {
      quiet: readerRows('quiet').perSecond,
      saves: readerRows('saves').perSecond + (savesAll + approve) / seconds.saves,
    },
    rows,
    readersQuiet: readerRows('quiet'),
    readersSaves: readerRows('saves'),
    saves: stat(saves?.latency ?? [], seconds.saves, saves?.errors ?? 0),
    errors,
    failures,
    conflicts,
    approvals: editorReports.reduce((sum, e) => sum + e.approvals, 0),
    approvalsMoved: editorReports.reduce((sum, e) => sum + e.approvalsMoved, 0),
    acknowledged: editorReports.reduce((sum, e) => sum + e.acked.length, 0),
    lostSaves: 0,
    finalMismatches: 0,
    cpu: { quiet: cpuPhase(0, 1), saves: cpuPhase(1, 2) },
    windows: [...windows]
      .sort(([a], [b]) => a - b)
      .map(([index, slot]) => ({
        from: index * 5,
        readers: slot.readers.length,
        readersP99: percentile(slot.readers, 99),
        saves: slot.saves.length,
        savesP99: percentile(slot.saves, 99),
      })),
    serverLog: { bytes: 0, lines: 0, errors: 0 },
    bytesRead: reports.reduce((sum, report) => sum + report.bytes, 0),
  };
}

// ---- the whole run ----
export async function runLoad(): Promise<LoadResult> {
  const engines = option('engine')
    ? option('engine') === 'none'
      ? []
      : [option('engine') as Engine]
    : process.env.DATABASE_URL
      ? (['embedded', 'postgres'] as Engine[])
      : (['embedded'] as Engine[]);
  if (engines.includes('postgres') && !process.env.DATABASE_URL)
    throw new Error('--engine postgres needs DATABASE_URL');
  const listed = option('processes');
  const processes =
    listed === 'none'
      ? []
      : (listed ?? '1,2,3')
          .split(',')
          .map(Number)
          .filter((n) => Number.isInteger(n) && n > 0);
  const spreadSkipped =
    processes.length === 0
      ? undefined
      : !process.env.DATABASE_URL
        ? 'several processes need PostgreSQL: DATABASE_URL is not set'
        : !hasNginx()
          ? 'nginx is not installed (apt-get install -y nginx-light)'
          : undefined;
  if (listed && listed !== 'none' && spreadSkipped) throw new Error(`--processes: ${spreadSkipped}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'storyhub-load-clip-'));
  const removeScratch = async () => rmSync(scratch, { recursive: true, force: true });
  cleanups.push(removeScratch);
  try {
    const clip =
      ensurePrograms([{ program: 'ffmpeg', packages: ['ffmpeg'] }], log) && findProgram('ffprobe')
        ? await makeClip(scratch)
        : undefined;
    const results: LoadEngineResult[] = [];
    for (const engine of engines) {
      const result = await runEngine(engine, clip);
      results.push(result);
      log(
        `${engine}: readers' p99 ${ms(result.readersQuiet.p99)} ms alone, ${ms(result.readersSaves.p99)} ms while editors saved; saves' p99 ${ms(result.saves.p99)} ms`,
      );
    }
    const spread: LoadEngineResult[] = [];
    if (!spreadSkipped)
      for (const count of processes) {
        const result = await runEngine('postgres', clip, count);
        spread.push(result);
        log(
          `${count} processes behind nginx: ${fixed(result.achieved.saves, 0)} requests/s; readers' p99 ${ms(result.readersSaves.p99)} ms while editors saved; saves' p99 ${ms(result.saves.p99)} ms`,
        );
      }
    return {
      cores: os.cpus().length,
      engines: results,
      ...(processes.length ? (spreadSkipped ? { spreadSkipped } : { spread }) : {}),
    };
  } finally {
    const at = cleanups.indexOf(removeScratch);
    if (at >= 0) cleanups.splice(at, 1);
    await removeScratch();
  }
}

// ---- markdown ----
const ms = (value: number) => (Number.isFinite(value) ? (value >= 100 ? fixed(value, 0) : fixed(value, 1)) : '–');
const pct = (share: number) => `${fixed(share * 100, 0)}%`;
const KIND_NAMES: Record<KindRow['kind'], string> = {
  home: 'home `/{lang}/`',
  catalog: 'catalog `/{lang}/stories[?page=N]`',
  story: 'story page `/{lang}/stories/SLUG`',
  transcript: 'transcript `…/SLUG/transcript`',
  search: 'search `/{lang}/search?q=…`',
  vtt: 'WebVTT file `/subtitles/SLUG/LANG.vtt`',
  media: 'video byte range `/media/…` (206)',
  save: 'save a cue (PATCH)',
  approve: 'approve a track (review form)',
  readers: '**all reader requests**',
};

export function describeLoad(result: LoadResult): string {
  const first = result.engines[0];
  if (!first) return 'not run.';
  const d = first.data;
  return (
    `the site as \`npm start\` runs it (\`node src/cli/main.ts serve\` in a child process, every setting at its default, so LOG_LEVEL=info and PAGE_CACHE_SECONDS=3600, but DATA_DIR (a fresh temporary directory), PORT, SEED_DEMO=false and, for PostgreSQL, DATABASE_URL naming a database made for the run; the request log goes to a file). Data written before the server starts: ${d.stories} published stories (English with translations into 2–4 of Arabic, French, Spanish and Japanese; 6 regions, 6 themes, 20 people), ${d.tracks} published subtitle tracks of ${d.cuesPerTrack[0]}–${d.cuesPerTrack[1]} cues in 2–3 languages per story; ${d.mediaNote ?? `a ${CLIP_SECONDS} s 640x360 clip processed by the video service's job (poster and ${d.mediaFiles - 1} renditions), its files on ${d.videoStories} stories`}. ` +
    `${first.readers} readers in 2 worker threads of the bench process, anonymous, one keep-alive connection each, \`accept-encoding: gzip, br\`, interface languages en 40%, ar 15%, fr 15%, es 10%, ja 10%, ru 5%, hi 5%; each walks home 10%, catalog 15% (page 1 or another), story page 30%, transcript 10%, search 5%, WebVTT file 20%, video byte range 10% (64–256 KiB of a rendition found on a story page), stories chosen uniformly; ` +
    `${first.thinkMs > 0 ? `after each answer a reader waits a random 0–${2 * first.thinkMs} ms (mean ${first.thinkMs} ms), so at most ${fixed(first.offeredReaders!, 0)} requests/s are offered (if answers took no time)` : 'each reader sends its next request as soon as the last is answered (closed loop, no think time)'}. ` +
    `${first.editors} editors in a third thread, signed in over HTTP (session cookie and CSRF token, each from its own address in 127.0.0.0/8), each on a track of their own: ${Math.round(first.editors * 0.5)} editors on a published English track (${Math.max(1, Math.round(first.editors * 0.2))} of them approve it through the review form after every ${APPROVE_EVERY}th save), ${Math.round(first.editors * 0.7) - Math.round(first.editors * 0.5)} editors on a draft, ${first.editors - Math.round(first.editors * 0.7)} translators on their language's draft translation (saving with its source language); each saves one changed cue (PATCH of one splice with its base revision) every 1–3 s (${fixed(first.offeredSaves, 0)} saves/s offered) and keeps the revision acknowledged. ` +
    `${first.coldStart ? `Before the phases every address the readers ask for was asked once, 8 at a time (${first.coldStart.pages} addresses; the cold start, reported apart), as on a site that has been up a while. ` : ''}Phases: ${first.seconds.warmup} s warm-up (not counted), ${first.seconds.quiet} s of readers alone, then ${first.seconds.saves} s of readers while editors save. Time is from sending a request to the end of its answer. An error is any network error or status other than 2xx/3xx/206/304 (409 for a save counted apart). A lost save is an acknowledged save whose revision, rebuilt from the database after the server stopped, lacks its text, or whose cue differs from the editor's final read through the API. ` +
    `CPU is a share of one core over the phase: the bench process (process.cpuUsage) and its threads (process.threadCpuUsage, event-loop utilization), the server process and its threads (/proc), the PostgreSQL backends of the run's database, and the whole machine (of ${result.cores} cores, everyone's work).`
  );
}

/** CPU of everything on the machine that is neither the server, the database nor the bench (other people's work). */
const otherWork = (cpu: CpuPhase) => Math.max(0, cpu.machine - cpu.server - cpu.bench - (cpu.database ?? 0));

export function loadMarkdown(result: LoadResult): string {
  if (result.skipped || result.engines.length === 0) return `_Not run: ${result.skipped ?? 'no result'}_`;
  const kinds = markdownTable(
    ['engine', 'phase', 'request', 'n', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors'],
    result.engines.flatMap((engine) =>
      engine.rows
        .filter((row) => row.phase === 'saves' || row.kind === 'readers')
        .map((row) => [
          engine.engine,
          row.phase === 'quiet' ? 'readers alone' : 'editors saving',
          KIND_NAMES[row.kind],
          row.n,
          fixed(row.perSecond, 0),
          ms(row.p50),
          ms(row.p95),
          ms(row.p99),
          ms(row.max),
          row.errors,
        ]),
    ),
  );
  const summary = markdownTable(
    [
      'engine',
      'offered req/s',
      'achieved req/s alone / saving',
      'readers p99 alone',
      '**readers p99 while saving**',
      '**saves p99**',
      'errors',
      '409',
      'acknowledged saves',
      '**lost saves**',
    ],
    result.engines.map((engine) => [
      engine.engine,
      `${engine.offeredReaders === null ? 'closed loop' : fixed(engine.offeredReaders, 0)} + ${fixed(engine.offeredSaves, 0)} saves`,
      `${fixed(engine.achieved.quiet, 0)} / ${fixed(engine.achieved.saves, 0)}`,
      `${ms(engine.readersQuiet.p99)} ms`,
      `**${ms(engine.readersSaves.p99)} ms**`,
      `**${ms(engine.saves.p99)} ms**`,
      engine.errors,
      engine.conflicts,
      engine.acknowledged,
      `**${engine.lostSaves + engine.finalMismatches}**`,
    ]),
  );
  const cpu = markdownTable(
    [
      'engine',
      'phase',
      'bench process',
      'its threads (CPU, event loop busy)',
      'server process',
      'server threads',
      'PostgreSQL backends',
      `machine (of ${result.cores * 100}%)`,
      'other work',
    ],
    result.engines.flatMap((engine) =>
      (['quiet', 'saves'] as const).map((phase) => {
        const c = engine.cpu[phase];
        return [
          engine.engine,
          phase === 'quiet' ? 'readers alone' : 'editors saving',
          pct(c.bench),
          c.benchThreads
            .map((t) => `${t.name} ${pct(t.cpu)}${Number.isFinite(t.elu) ? ` (${pct(t.elu)})` : ''}`)
            .join(', '),
          pct(c.server),
          c.serverThreads
            .slice(0, 4)
            .map((t) => `${t.name} ${pct(t.cpu)}`)
            .join(', '),
          c.database === undefined ? '–' : pct(c.database),
          pct(c.machine),
          pct(otherWork(c)),
        ];
      }),
    ),
  );
  const timelines = result.engines
    .map(
      (engine) =>
        `- ${engine.engine}: ${engine.windows.map((w) => `${ms(w.readersP99)}${w.saves ? '' : '°'}`).join(' · ')}`,
    )
    .join('\n');
  const failures = result.engines
    .filter((engine) => Object.keys(engine.failures).length)
    .map(
      (engine) =>
        `- ${engine.engine}: ${Object.entries(engine.failures)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([key, count]) => `${count} × ${key.replace(/\s+/g, ' ').slice(0, 140)}`)
          .join('; ')}`,
    )
    .join('\n');
  return `${summary}\n\n${kinds}\n\nCPU, as a share of one core:\n\n${cpu}\n\nReaders' p99 (ms) per 5 s from the start of the readers-alone phase (° readers alone):\n\n${timelines}\n${failures ? `\nErrors by kind and answer:\n\n${failures}\n` : ''}`;
}

const PROCESS_NAMES = ['one', 'two', 'three', 'four', 'five', 'six'];
const processesName = (n: number) => `${PROCESS_NAMES[n - 1] ?? n} process${n === 1 ? '' : 'es'}`;

/** The table "one, two and three processes": the same load on PostgreSQL behind nginx. */
export function spreadMarkdown(result: LoadResult): string {
  if (result.spreadSkipped) return `_Not run: ${result.spreadSkipped}._`;
  const spread = result.spread ?? [];
  if (spread.length === 0) return '_Not run._';
  const summary = markdownTable(
    [
      'serve processes',
      'requests/s (editors saving)',
      'readers p50',
      '**readers p99 while saving**',
      '**saves p99**',
      'errors',
      'acknowledged saves',
      '**lost saves**',
      'serve processes CPU',
      'worker CPU',
      'nginx CPU',
      'PostgreSQL backends',
      'load generator',
      `machine (of ${result.cores * 100}%)`,
    ],
    spread.map((run) => {
      const cpu = run.cpu.saves;
      return [
        processesName(run.processes ?? 1),
        fixed(run.achieved.saves, 0),
        `${ms(run.readersSaves.p50)} ms`,
        `**${ms(run.readersSaves.p99)} ms**`,
        `**${ms(run.saves.p99)} ms**`,
        run.errors,
        run.acknowledged,
        `**${run.lostSaves + run.finalMismatches}**`,
        pct(cpu.server),
        cpu.worker === undefined ? '–' : pct(cpu.worker),
        cpu.nginx === undefined ? '–' : pct(cpu.nginx),
        cpu.database === undefined ? '–' : pct(cpu.database),
        pct(cpu.bench),
        pct(cpu.machine),
      ];
    }),
  );
  return summary;
}

/** CPU of everything on the machine that is none of the run's processes (other people's work). */
const spreadOthers = (cpu: CpuPhase) =>
  Math.max(0, cpu.machine - cpu.server - cpu.bench - (cpu.database ?? 0) - (cpu.nginx ?? 0) - (cpu.worker ?? 0));

/** What the one-two-three table says, from its own figures. */
export function spreadReading(result: LoadResult): string {
  const spread = result.spread ?? [];
  if (result.spreadSkipped || spread.length === 0) return '';
  const target = LOAD_TARGETS.postgres;
  const first = spread[0]!;
  const last = spread.at(-1)!;
  const runs = spread
    .map(
      (run) =>
        `${processesName(run.processes ?? 1)}: ${fixed(run.achieved.saves, 0)} requests/s, readers' p99 ${ms(run.readersSaves.p99)} ms, saves' p99 ${ms(run.saves.p99)} ms, ${run.errors} errors, ${run.lostSaves + run.finalMismatches} lost saves of ${run.acknowledged}; the machine ${pct(run.cpu.saves.machine)} busy (serve ${pct(run.cpu.saves.server)}, nginx ${pct(run.cpu.saves.nginx ?? 0)}, PostgreSQL ${pct(run.cpu.saves.database ?? 0)}, load generator ${pct(run.cpu.saves.bench)})`,
    )
    .join('; ');
  const met = spread.every(
    (run) =>
      run.readersSaves.p99 <= target.readersP99 &&
      run.saves.p99 <= target.savesP99 &&
      run.errors === 0 &&
      run.lostSaves + run.finalMismatches === 0,
  );
  const saturated = spread.filter((run) => run.cpu.saves.machine >= 0.9 * result.cores);
  const offered = first.offeredReaders;
  const capped = offered !== null && spread.every((run) => run.readersSaves.perSecond >= 0.95 * offered);
  return (
    `Behind nginx on PostgreSQL, ${runs}. ` +
    `${met ? `Every run met the PostgreSQL targets (readers' p99 ≤ ${target.readersP99} ms, saves' p99 ≤ ${target.savesP99} ms, no error, no lost save)` : `**Not every run met the PostgreSQL targets** (readers' p99 ≤ ${target.readersP99} ms, saves' p99 ≤ ${target.savesP99} ms, no error, no lost save)`}. ` +
    `${capped ? `The readers' think time caps what they ask for (about ${fixed(offered, 0)} requests/s), and every run served nearly all of it: requests/s cannot grow with processes here, only latency can change. ` : ''}` +
    `The machine has ${result.cores} cores for everything: the serve processes together used ${pct(first.cpu.saves.server)} of a core with ${processesName(first.processes ?? 1)} and ${pct(last.cpu.saves.server)} with ${processesName(last.processes ?? 1)}, ` +
    `while nginx (${pct(last.cpu.saves.nginx ?? 0)}), the load generator (${pct(last.cpu.saves.bench)}) and PostgreSQL (${pct(last.cpu.saves.database ?? 0)}) ran on the same cores. ` +
    `${
      saturated.length
        ? `With ${saturated.map((run) => `${processesName(run.processes ?? 1)} (${pct(spreadOthers(run.cpu.saves))} of a core other people's work)`).join(' and ')} the machine was at least 90% busy. ${
            saturated.some((run) => spreadOthers(run.cpu.saves) >= 0.5)
              ? 'Where other work holds half a core or more, more processes mostly win a larger share of contended cores (one more runnable thread each) rather than add capacity: measure again on a quiet machine.'
              : 'With the machine busy with this run alone, a further process only waits for a core, adds a page cache to warm and context switches: more processes cannot add capacity here; they pay off where each gets a core of its own (docs/DEPLOY.md).'
          }`
        : `The machine was never saturated, so each process got CPU when it needed it; latency then reflects the extra hop through nginx and how work spreads over processes, not a shortage of cores.`
    }`
  );
}

export function loadReading(result: LoadResult): string {
  if (result.skipped || result.engines.length === 0)
    return result.skipped ?? 'The load benchmark did not produce a result.';
  return result.engines
    .map((engine) => {
      const target = LOAD_TARGETS[engine.engine];
      const name = engine.engine === 'embedded' ? 'On the embedded engine (the default)' : 'On PostgreSQL';
      const verdict = (value: number, limit: number) =>
        value <= limit ? `met (≤ ${limit} ms)` : `**not met** (≤ ${limit} ms; ${fixed(value / limit, 1)}× over)`;
      const lost = engine.lostSaves + engine.finalMismatches;
      const readersCpu = engine.cpu.saves.benchThreads.filter((t) => t.name.startsWith('readers'));
      const generator = engine.cpu.saves.bench;
      const slowest = engine.rows
        .filter((row) => row.phase === 'saves' && READER_KINDS.includes(row.kind as Kind))
        .sort((a, b) => b.p99 - a.p99)[0];
      const mainThread = engine.cpu.saves.serverThreads.find((t) => t.name.startsWith('main'));
      const mediaRow = engine.rows.find((row) => row.phase === 'saves' && row.kind === 'media');
      const storyRow = engine.rows.find((row) => row.phase === 'saves' && row.kind === 'story');
      const embeddedThread = engine.cpu.saves.serverThreads.find((t) => t.name.startsWith('embedded database'));
      const others = otherWork(engine.cpu.saves);
      return (
        `${name}, ${engine.readers} readers and ${engine.editors} editors: readers' p99 while editors saved was ${ms(engine.readersSaves.p99)} ms (median ${ms(engine.readersSaves.p50)}; ${ms(engine.readersQuiet.p99)} ms with readers alone): ${verdict(engine.readersSaves.p99, target.readersP99)}. ` +
        `Saves' p99 was ${ms(engine.saves.p99)} ms (median ${ms(engine.saves.p50)}, ${engine.saves.n} saves): ${verdict(engine.saves.p99, target.savesP99)}. ` +
        `Errors: ${engine.errors === 0 ? '0, met' : `**${engine.errors}, not met**`}. Lost saves: ${lost === 0 ? `0 of ${engine.acknowledged} acknowledged, met` : `**${lost} of ${engine.acknowledged}, not met**`}${engine.checkNote ? ` (${engine.checkNote})` : ''}. ` +
        `${engine.conflicts === 0 ? 'No save was refused with 409 (none should be: each editor has a track of their own and saves from the revision the server last acknowledged)' : `**${engine.conflicts} saves were refused with 409**: each editor has a track of their own and saves from the revision the server last acknowledged, so a conflict means an acknowledged revision did not hold`}; ${engine.approvals} approvals${engine.approvalsMoved ? ` (${engine.approvalsMoved} found the track moved)` : ''}. ` +
        `Readers got ${fixed(engine.readersSaves.perSecond, 0)} answers/s while editors saved${engine.offeredReaders ? ` of at most ${fixed(engine.offeredReaders, 0)} offered` : ''} (${fixed(engine.readersQuiet.perSecond, 0)} alone); the slowest kind was ${slowest ? `${KIND_NAMES[slowest.kind]} (p99 ${ms(slowest.p99)} ms)` : 'none'}. ` +
        `${
          mediaRow && storyRow && storyRow.p99 > target.readersP99
            ? mediaRow.p99 * 4 < storyRow.p99
              ? `Byte ranges of the video, which never reach the database, had a p99 of ${ms(mediaRow.p99)} ms against ${ms(storyRow.p99)} ms for story pages: the waiting is in front of the database (${engine.engine === 'embedded' ? 'one connection, which every query shares' : 'a pool of connections'}), for pages not in the cache, files and saves. `
              : mediaRow.p99 > target.readersP99
                ? `Byte ranges of the video, which never reach the database, waited too (p99 ${ms(mediaRow.p99)} ms; story pages ${ms(storyRow.p99)} ms): the whole server process (its event loop, or the CPU it could get) was the limit. `
                : ''
            : ''
        }` +
        `The load generator used ${pct(generator)} of a core in all (reader threads ${readersCpu.map((t) => `${pct(t.cpu)} CPU, event loop ${pct(t.elu)} busy`).join(' and ')})` +
        `${readersCpu.every((t) => t.elu < 0.8) ? ': it had time to spare and was not the limit' : ": **a reader thread's event loop was nearly always busy, so part of the latency may be the generator's**"}. ` +
        `The server used ${pct(engine.cpu.saves.server)}${mainThread ? ` (its event loop's thread ${pct(mainThread.cpu)}${embeddedThread ? `, the embedded database's thread ${pct(embeddedThread.cpu)}` : ''})` : ''}${engine.cpu.saves.database !== undefined ? `, PostgreSQL's backends ${pct(engine.cpu.saves.database)}` : ''}; the whole machine was ${pct(engine.cpu.saves.machine)} busy (of ${result.cores * 100}%), about ${pct(others)} of a core of it other people's work` +
        `${engine.cpu.saves.machine >= 0.9 * result.cores ? `: **the machine was saturated, so the server also waited for a core, and its latencies include that wait** (the load average after the run is given above)` : ''}. ` +
        `The server wrote ${fixed(engine.serverLog.bytes / 1e6, 1)} MB of log (${engine.serverLog.lines} lines${engine.serverLog.errors ? `, ${engine.serverLog.errors} at level error or above` : ''}).`
      );
    })
    .join('\n\n');
}

if (import.meta.main) {
  guardChildren(cleanUp);
  // Bounded: whatever happens, the run stops after its phases and a generous allowance for data and checks.
  const limit = setTimeout(
    () => {
      console.error('bench/load.ts: over its time limit, stopping');
      process.kill(process.pid, 'SIGTERM');
    },
    (WARMUP_SECONDS + QUIET_SECONDS + SECONDS + 900) * 1000 * 2 * (2 + (option('processes')?.split(',').length ?? 3)),
  );
  limit.unref();
  try {
    const result = await runLoad();
    console.log(loadMarkdown(result));
    console.log(`\n${loadReading(result)}`);
    if (result.spread || result.spreadSkipped) console.log(`\n${spreadMarkdown(result)}\n\n${spreadReading(result)}`);
    const json = option('json');
    if (json) writeFileSync(json, JSON.stringify(result, null, 2));
  } catch (error) {
    console.error(error);
    await cleanUp();
    process.exitCode = 1;
  }
  // Worker threads and sockets are done; leave even if a handle lingers.
  setTimeout(() => process.exit(), 1000).unref();
}
