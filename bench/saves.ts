// Time to save a subtitle track from the editor with 50 editors saving at once: each editor has
// their own story's 300-cue track open, changes one cue and saves (a PUT of the whole track naming
// the revision it started from) as soon as the previous save returned, over real HTTP on loopback
// with a session and CSRF token, on the embedded engine and (when DATABASE_URL is set) PostgreSQL.
//
//   node_modules/.bin/node bench/saves.ts [--json FILE] [--engine embedded|postgres] [--editors N] [--saves N]
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { defaultCueSettings, type Cue } from '../src/domain/subtitles/index.ts';
import type { Engine } from '../src/store/database.ts';
import { createCatalog, createUser, signIn, startTestSite } from '../test/helpers/app.ts';
import { testEngines } from '../test/helpers/database.ts';
import { fixed, markdownTable, median, option, percentile } from './lib.ts';

const EDITORS = Number(option('editors') ?? 50);
const SAVES = Number(option('saves') ?? 40);
const CUES = 300;
const WARMUP_SAVES = 3;

export interface SaveRow { engine: Engine; editors: number; saves: number; median: number; p95: number; p99: number; max: number; perSecond: number; conflicts: number; bytes: number }
export interface SaveResult { cues: number; rows: SaveRow[] }

const track = (story: number): Cue[] => Array.from({ length: CUES }, (_, i) => ({
  id: String(i + 1), startTime: i * 3, endTime: i * 3 + 2.5, text: `Story ${story}, cue ${i + 1}: words a volunteer typed\nand a second line`,
  settings: defaultCueSettings(),
}));

function put(agent: http.Agent, port: number, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, method: 'PUT', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function runSubtitleSave(log: (line: string) => void = console.log): Promise<SaveResult> {
  const engines = option('engine') ? [option('engine') as Engine] : testEngines();
  const rows: SaveRow[] = [];
  for (const engine of engines) {
    const site = await startTestSite(engine, { PAGE_CACHE_SECONDS: '0', SIGN_IN_RATE_LIMIT: '100000', WORKER: 'false' });
    try {
      await site.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (site.app.server.address() as { port: number }).port;
      const slugs = Array.from({ length: EDITORS }, (_, i) => `story-${i + 1}`);
      const { stories } = await createCatalog(site.services, slugs.map((slug) => ({ slug, texts: { en: { title: slug } } })));
      const editors = [];
      for (let i = 0; i < EDITORS; i++) {
        const user = await createUser(site.services, `editor-${i + 1}`, [{ role: 'editor' }]);
        const saved = await site.services.subtitles.save({ storyId: stories[i]!.id, language: 'en', baseRevision: 0, cues: track(i + 1), userId: user.id });
        if (!saved.ok) throw new Error('could not create a track');
        editors.push({ session: await signIn(site.app, `editor-${i + 1}`), slug: slugs[i]!, revision: saved.track.revision, cues: track(i + 1) });
      }
      log(`${engine}: ${EDITORS} editors signed in, each with a ${CUES}-cue track`);
      const agent = new http.Agent({ keepAlive: true, maxSockets: EDITORS });
      const latencies: number[] = [];
      let conflicts = 0;
      let bytes = 0;
      const started = performance.now();
      await Promise.all(editors.map(async (editor, who) => {
        for (let n = 0; n < WARMUP_SAVES + SAVES; n++) {
          const at = (n * 7 + who) % CUES;
          editor.cues[at] = { ...editor.cues[at]!, text: `Edit ${n} by editor ${who + 1}\nstill two lines` };
          const body = JSON.stringify({ baseRevision: editor.revision, cues: editor.cues });
          bytes = body.length;
          const begin = performance.now();
          const response = await put(agent, port, `/api/v1/stories/${editor.slug}/subtitles/en`, { cookie: editor.session.cookie, 'csrf-token': editor.session.csrf }, body);
          const took = performance.now() - begin;
          if (response.status === 409) conflicts++;
          if (response.status !== 200) throw new Error(`save answered ${response.status}: ${response.body.slice(0, 200)}`);
          editor.revision = (JSON.parse(response.body) as { revision: number }).revision;
          if (n >= WARMUP_SAVES) latencies.push(took);
        }
      }));
      const seconds = (performance.now() - started) / 1000;
      agent.destroy();
      rows.push({
        engine, editors: EDITORS, saves: latencies.length, median: median(latencies), p95: percentile(latencies, 95), p99: percentile(latencies, 99),
        max: Math.max(...latencies), perSecond: (EDITORS * (WARMUP_SAVES + SAVES)) / seconds, conflicts, bytes,
      });
      log(`${engine}: ${latencies.length} saves, median ${fixed(median(latencies), 1)} ms, p99 ${fixed(percentile(latencies, 99), 1)} ms`);
    } finally {
      await site.close();
    }
  }
  return { cues: CUES, rows };
}

/** The markdown table of a result. */
export function subtitleSaveTable(result: SaveResult): string {
  return markdownTable(
    ['engine', 'editors', 'saves measured', 'median ms', 'p95 ms', 'p99 ms', 'max ms', 'saves/s', 'conflicts', 'body KB'],
    result.rows.map((row) => [row.engine, row.editors, row.saves, fixed(row.median, 1), fixed(row.p95, 1), fixed(row.p99, 1), fixed(row.max, 1), fixed(row.perSecond, 0), row.conflicts, fixed(row.bytes / 1024, 0)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runSubtitleSave();
  console.log(subtitleSaveTable(result));
  const json = option('json');
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
}
