// Time to save a cue with 50 editors working at once: each editor has their own story's 300-cue
// track open, changes one cue and saves over real HTTP on loopback, with a session and CSRF token,
// on the embedded engine and (when DATABASE_URL is set) PostgreSQL. Two ways to save: what the
// editor sends (PATCH of the one changed cue, naming the revision it started from) and the whole
// track (PUT, as an API client may). The editors run in a worker thread, so the load generator does
// not share the server's event loop. Two loads:
// - paced: each editor saves about every 2 s (random gaps of 1–3 s), as people editing do;
// - flat out: each editor saves again as soon as the last save returned (the server's capacity).
//
//   node_modules/.bin/node bench/saves.ts [--json FILE] [--engine embedded|postgres] [--editors N] [--seconds N] [--send changes|whole]
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { defaultCueSettings, type Cue } from '../src/domain/subtitles/index.ts';
import type { Engine } from '../src/store/database.ts';
import { createCatalog, createUser, signIn, startTestSite } from '../test/helpers/app.ts';
import { testEngines } from '../test/helpers/database.ts';
import { fixed, markdownTable, median, option, percentile, prng } from './lib.ts';

const EDITORS = Number(option('editors') ?? 50);
const SECONDS = Number(option('seconds') ?? 30);
const CUES = 300;

type Send = 'changes' | 'whole';
export interface SaveRow {
  engine: Engine;
  send: Send;
  load: 'paced' | 'flat out';
  editors: number;
  saves: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
  conflicts: number;
  bytes: number;
}
export interface SaveResult {
  cues: number;
  seconds: number;
  rows: SaveRow[];
}
interface Editor {
  cookie: string;
  csrf: string;
  slug: string;
  revision: number;
  story: number;
}
interface LoadRequest {
  port: number;
  editors: Editor[];
  paced: boolean;
  seconds: number;
  send: Send;
}
interface LoadReport {
  latencies: number[];
  conflicts: number;
  errors: string[];
  bytes: number;
  seconds: number;
}

const track = (story: number): Cue[] =>
  Array.from({ length: CUES }, (_, i) => ({
    id: String(i + 1),
    startTime: i * 3,
    endTime: i * 3 + 2.5,
    text: `Story ${story}, cue ${i + 1}: words a volunteer typed\nand a second line`,
    settings: defaultCueSettings(),
  }));

function send(
  agent: http.Agent,
  port: number,
  method: 'PUT' | 'PATCH',
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The editors' side (in the worker thread): save, note the time, wait (paced) or not, until the time is up. */
async function runLoad({ port, editors, paced, seconds, send: what }: LoadRequest): Promise<LoadReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: editors.length });
  const latencies: number[] = [];
  const errors: string[] = [];
  let conflicts = 0;
  let bytes = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    editors.map(async (editor, who) => {
      const random = prng(who + 1);
      const cues = track(editor.story);
      // Editors start spread over the first gap, as people do.
      if (paced) await new Promise((resolve) => setTimeout(resolve, random() * 2000));
      for (let n = 0; performance.now() < end; n++) {
        const at = (n * 7 + who) % CUES;
        cues[at] = { ...cues[at]!, text: `Edit ${n} by editor ${who + 1}\nstill two lines` };
        const body = JSON.stringify(
          what === 'whole'
            ? { baseRevision: editor.revision, cues }
            : { baseRevision: editor.revision, splices: [{ at, remove: 1, insert: [cues[at]] }] },
        );
        bytes = body.length;
        const begin = performance.now();
        const response = await send(
          agent,
          port,
          what === 'whole' ? 'PUT' : 'PATCH',
          `/api/v1/stories/${editor.slug}/subtitles/en`,
          { cookie: editor.cookie, 'csrf-token': editor.csrf },
          body,
        );
        latencies.push(performance.now() - begin);
        if (response.status === 409) conflicts++;
        if (response.status !== 200) {
          errors.push(`${response.status}: ${response.body.slice(0, 120)}`);
          return;
        }
        editor.revision = (JSON.parse(response.body) as { revision: number }).revision;
        if (paced) await new Promise((resolve) => setTimeout(resolve, 1000 + random() * 2000));
      }
    }),
  );
  agent.destroy();
  return { latencies, conflicts, errors, bytes, seconds: (performance.now() - started) / 1000 };
}

function inWorker(request: LoadRequest): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: request });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

export async function runSubtitleSave(log: (line: string) => void = console.log): Promise<SaveResult> {
  const engines = option('engine') ? [option('engine') as Engine] : testEngines();
  const rows: SaveRow[] = [];
  for (const engine of engines) {
    const site = await startTestSite(engine, {
      PAGE_CACHE_SECONDS: '0',
      SIGN_IN_RATE_LIMIT: '100000',
      WORKER: 'false',
    });
    try {
      await site.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (site.app.server.address() as { port: number }).port;
      const slugs = Array.from({ length: EDITORS }, (_, i) => `story-${i + 1}`);
      const { stories } = await createCatalog(
        site.services,
        slugs.map((slug) => ({ slug, texts: { en: { title: slug } } })),
      );
      const editors: Editor[] = [];
      for (let i = 0; i < EDITORS; i++) {
        const user = await createUser(site.services, `editor-${i + 1}`, [{ role: 'editor' }]);
        const saved = await site.services.subtitles.save({
          storyId: stories[i]!.id,
          language: 'en',
          baseRevision: 0,
          cues: track(i + 1),
          userId: user.id,
        });
        if (!saved.ok) throw new Error('could not create a track');
        const session = await signIn(site.app, `editor-${i + 1}`);
        editors.push({ ...session, slug: slugs[i]!, revision: saved.track.revision, story: i + 1 });
      }
      log(`${engine}: ${EDITORS} editors signed in, each with a ${CUES}-cue track`);
      const sends: Send[] = option('send') ? [option('send') as Send] : ['changes', 'whole'];
      for (const [what, paced] of sends.flatMap(
        (what) =>
          [
            [what, true],
            [what, false],
          ] as const,
      )) {
        const report = await inWorker({ port, editors, paced, seconds: SECONDS, send: what });
        if (report.errors.length) throw new Error(`saves failed: ${report.errors.slice(0, 3).join('; ')}`);
        // The flat-out round continues from the revisions the paced round reached.
        for (const editor of editors)
          editor.revision = (
            await site.services.subtitles.editorState(stories[editor.story - 1]!.id, 'en')
          ).track!.revision;
        const { latencies } = report;
        rows.push({
          engine,
          send: what,
          load: paced ? 'paced' : 'flat out',
          editors: EDITORS,
          saves: latencies.length,
          median: median(latencies),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: Math.max(...latencies),
          perSecond: latencies.length / report.seconds,
          conflicts: report.conflicts,
          bytes: report.bytes,
        });
        log(
          `${engine} ${what} ${paced ? 'paced' : 'flat out'}: ${latencies.length} saves, median ${fixed(median(latencies), 1)} ms, p99 ${fixed(percentile(latencies, 99), 1)} ms`,
        );
      }
    } finally {
      await site.close();
    }
  }
  return { cues: CUES, seconds: SECONDS, rows };
}

/** The markdown table of a result. */
export function subtitleSaveTable(result: SaveResult): string {
  return markdownTable(
    [
      'engine',
      'sends',
      'load',
      'editors',
      'saves',
      'median ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'saves/s',
      'conflicts',
      'body KB',
    ],
    result.rows.map((row) => [
      row.engine,
      row.send === 'whole' ? 'whole track (PUT)' : 'the changed cue (PATCH)',
      row.load,
      row.editors,
      row.saves,
      fixed(row.median, 1),
      fixed(row.p95, 1),
      fixed(row.p99, 1),
      fixed(row.max, 1),
      fixed(row.perSecond, 0),
      row.conflicts,
      fixed(row.bytes / 1024, row.bytes < 10_240 ? 1 : 0),
    ]),
  );
}

if (!isMainThread) {
  parentPort!.postMessage(await runLoad(workerData as LoadRequest));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runSubtitleSave();
  console.log(subtitleSaveTable(result));
  const json = option('json');
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
}
