// The load generator's threads for bench/load.ts: readers (anonymous visitors walking the public
// site) or editors (signed-in people saving cues). Each runs in a worker thread of the bench
// process, so the generator never shares an event loop with the server (a separate process) nor
// with the thread that measures. Only node: modules here, so a worker starts light.
//
// Times: every thread takes the wall clock as performance.timeOrigin + performance.now() (epoch
// milliseconds with sub-millisecond precision), so the phases the main thread names line up.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { prng } from './lib.ts';

/** The kinds of request, in the order their numbers are recorded. */
export const KINDS = ['home', 'catalog', 'story', 'transcript', 'search', 'vtt', 'media', 'save', 'approve'] as const;
export type Kind = (typeof KINDS)[number];
export const READER_KINDS: readonly Kind[] = ['home', 'catalog', 'story', 'transcript', 'search', 'vtt', 'media'];

export interface ReaderStory {
  slug: string;
  languages: string[];
  media: Array<{ url: string; bytes: number }>;
}
export interface Phases {
  /** Epoch ms: readers start (warm-up), measuring starts (readers alone), editors start, everything stops. */
  start: number;
  quiet: number;
  saves: number;
  end: number;
}
export interface ReadersJob {
  role: 'readers';
  port: number;
  phases: Phases;
  readers: number;
  firstReader: number;
  thinkMs: number;
  stories: ReaderStory[];
  catalogPages: number;
  queries: string[];
  seed: number;
}
export interface EditorSpec {
  username: string;
  address: string;
  cookie: string;
  csrf: string;
  slug: string;
  language: string;
  kind: 'editor' | 'draft' | 'translator';
  approves: boolean;
  sourceLanguage: string | null;
}
export interface EditorsJob {
  role: 'editors';
  port: number;
  phases: Phases;
  editors: EditorSpec[];
  seed: number;
  approveEvery: number;
}
export type LoadJob = ReadersJob | EditorsJob;

/** What one thread measured: one entry per request, in parallel arrays (typed, so they cross threads cheaply). */
export interface ThreadReport {
  role: 'readers' | 'editors';
  kinds: Uint8Array;
  at: Float64Array;
  latency: Float64Array;
  status: Uint16Array;
  bytes: number;
  /** `kind status` (status 0: network error or timeout, with its message) → count, for every answer that is not a success. */
  failures: Record<string, number>;
  /** Per phase boundary: this thread's CPU (process.threadCpuUsage, µs) and event-loop utilization. */
  cpu: Array<{ at: number; user: number; system: number }>;
  elu: Array<{ at: number; utilization: number }>;
  editors?: EditorReport[];
}
export interface AckedSave {
  revision: number;
  at: number;
  text: string;
}
export interface EditorReport {
  username: string;
  slug: string;
  language: string;
  kind: EditorSpec['kind'];
  acked: AckedSave[];
  conflicts: number;
  approvals: number;
  approvalsMoved: number;
  /** The track as the API showed it after the run: its revision, and the cues that the acknowledged saves changed. */
  finalRevision: number | null;
  finalTexts: Record<number, string>;
  checkError?: string;
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });

const TIMEOUT_MS = 30_000;
interface Answer {
  status: number;
  bytes: number;
  body?: string;
}

/** One request on the given keep-alive agent; the body is read whole (and kept only when asked for). */
function send(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  keep = false,
  localAddress?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        localAddress,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        let bytes = 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            bytes,
            ...(keep ? { body: Buffer.concat(chunks).toString('utf8') } : {}),
          }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(TIMEOUT_MS, () => request.destroy(new Error(`timed out after ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** Growing parallel arrays of requests. */
class Recorder {
  kinds: number[] = [];
  at: number[] = [];
  latency: number[] = [];
  status: number[] = [];
  failures: Record<string, number> = {};
  bytes = 0;
  readonly origin: number;
  constructor(origin: number) {
    this.origin = origin;
  }
  add(kind: Kind, begin: number, status: number, failure?: string) {
    this.kinds.push(KINDS.indexOf(kind));
    this.at.push(begin - this.origin);
    this.latency.push(now() - begin);
    this.status.push(status);
    if (failure !== undefined) {
      const key = `${kind} ${failure}`;
      this.failures[key] = (this.failures[key] ?? 0) + 1;
    }
  }
}

/** CPU and event-loop use of this thread, taken at each phase boundary. */
function watchThread(phases: Phases) {
  const cpu: ThreadReport['cpu'] = [];
  const elu: ThreadReport['elu'] = [];
  let last = performance.eventLoopUtilization();
  const take = () => {
    const usage = process.threadCpuUsage();
    cpu.push({ at: now(), user: usage.user, system: usage.system });
    const current = performance.eventLoopUtilization();
    elu.push({ at: now(), utilization: performance.eventLoopUtilization(current, last).utilization });
    last = current;
  };
  for (const at of [phases.quiet, phases.saves, phases.end]) setTimeout(take, at - now());
  return {
    cpu,
    elu,
    finish: () => {
      if (cpu.length < 3) take();
    },
  };
}

export const LANGUAGES: Array<[string, number]> = [
  ['en', 0.4],
  ['ar', 0.15],
  ['fr', 0.15],
  ['es', 0.1],
  ['ja', 0.1],
  ['ru', 0.05],
  ['hi', 0.05],
];
/** Share of each kind of request in a reader's walk. */
const MIX: Array<[Kind, number]> = [
  ['home', 0.1],
  ['catalog', 0.15],
  ['story', 0.3],
  ['transcript', 0.1],
  ['search', 0.05],
  ['vtt', 0.2],
  ['media', 0.1],
];
const OK_READER = (status: number) =>
  status === 200 || status === 206 || status === 304 || (status >= 300 && status < 400);

function weighted<T>(random: () => number, list: Array<[T, number]>): T {
  let r = random() * list.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of list) if ((r -= weight) < 0) return value;
  return list.at(-1)![0];
}

async function runReaders(job: ReadersJob): Promise<ThreadReport> {
  const recorder = new Recorder(job.phases.start);
  const watch = watchThread(job.phases);
  const withVideo = job.stories.filter((story) => story.media.length > 0);
  const mix = MIX.filter(([kind]) => kind !== 'media' || withVideo.length > 0);
  await sleep(job.phases.start - now());
  await Promise.all(
    Array.from({ length: job.readers }, async (_, index) => {
      const random = prng(job.seed * 1000 + job.firstReader + index + 1);
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
      const language = weighted(random, LANGUAGES);
      // One connection per reader, kept alive, as a browser does.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const headers = {
        'accept-encoding': 'gzip, br',
        'accept-language': language,
        'user-agent': 'storyhub-bench-load',
      };
      await sleep(random() * 500);
      while (now() < job.phases.end) {
        const kind = weighted(random, mix);
        let path: string;
        let extra: Record<string, string> = {};
        if (kind === 'home') path = `/${language}/`;
        else if (kind === 'catalog')
          path =
            random() < 0.6
              ? `/${language}/stories`
              : `/${language}/stories?page=${2 + Math.floor(random() * Math.max(1, job.catalogPages - 1))}`;
        else if (kind === 'story') path = `/${language}/stories/${pick(job.stories).slug}`;
        else if (kind === 'transcript') path = `/${language}/stories/${pick(job.stories).slug}/transcript`;
        else if (kind === 'search') path = `/${language}/search?q=${encodeURIComponent(pick(job.queries))}`;
        else if (kind === 'vtt') {
          const story = pick(job.stories);
          path = `/subtitles/${story.slug}/${story.languages.includes(language) ? language : pick(story.languages)}.vtt`;
        } else {
          // A seek in the video: a range of 64–256 KiB somewhere in one of its renditions.
          const file = pick(pick(withVideo).media);
          const length = (64 + Math.floor(random() * 192)) * 1024;
          const from = Math.floor(random() * Math.max(1, file.bytes - length));
          path = file.url;
          extra = { range: `bytes=${from}-${Math.min(file.bytes - 1, from + length - 1)}` };
        }
        const begin = now();
        try {
          const answer = await send(agent, job.port, 'GET', path, { ...headers, ...extra });
          recorder.bytes += answer.bytes;
          recorder.add(kind, begin, answer.status, OK_READER(answer.status) ? undefined : String(answer.status));
        } catch (error) {
          recorder.add(kind, begin, 0, `network error: ${(error as Error).message}`);
        }
        if (job.thinkMs > 0) await sleep(random() * 2 * job.thinkMs);
      }
      agent.destroy();
    }),
  );
  watch.finish();
  return report('readers', recorder, watch);
}

interface ApiTrack {
  track: {
    revision: number;
    cues: Array<{ id: string; startTime: number; endTime: number; text: string; settings: unknown }>;
  } | null;
}

async function runEditors(job: EditorsJob): Promise<ThreadReport> {
  const recorder = new Recorder(job.phases.start);
  const watch = watchThread(job.phases);
  const reports: EditorReport[] = [];
  await Promise.all(
    job.editors.map(async (editor, index) => {
      const random = prng(job.seed * 1000 + 900 + index);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const api = `/api/v1/stories/${editor.slug}/subtitles/${editor.language}`;
      const headers = {
        cookie: editor.cookie,
        'csrf-token': editor.csrf,
        'accept-encoding': 'gzip, br',
        'user-agent': 'storyhub-bench-load',
      };
      const mine: EditorReport = {
        username: editor.username,
        slug: editor.slug,
        language: editor.language,
        kind: editor.kind,
        acked: [],
        conflicts: 0,
        approvals: 0,
        approvalsMoved: 0,
        finalRevision: null,
        finalTexts: {},
      };
      reports.push(mine);
      const open = async (): Promise<ApiTrack> => {
        const answer = await send(
          agent,
          job.port,
          'GET',
          api,
          { cookie: editor.cookie, 'user-agent': 'storyhub-bench-load' },
          undefined,
          true,
          editor.address,
        );
        if (answer.status !== 200) throw new Error(`GET ${api}: ${answer.status} ${answer.body?.slice(0, 200)}`);
        return JSON.parse(answer.body!) as ApiTrack;
      };
      // The editor opens the track (as the editor page does) during the warm-up, then saves once every 1–3 s.
      const opened = await open();
      if (!opened.track) throw new Error(`${editor.username}: no ${editor.language} track on ${editor.slug}`);
      let { revision } = opened.track;
      const cues = opened.track.cues;
      await sleep(job.phases.saves - now() + random() * 2000);
      for (let n = 1; now() < job.phases.end; n++) {
        const at = Math.floor(random() * cues.length);
        const text = `${editor.username} edit ${n} (r${revision})\n${cues[at]!.text.split('\n')[0]!.slice(0, 30)}`;
        const cue = { ...cues[at]!, text };
        const body = JSON.stringify({
          baseRevision: revision,
          splices: [{ at, remove: 1, insert: [cue] }],
          ...(editor.sourceLanguage ? { sourceLanguage: editor.sourceLanguage } : {}),
        });
        const begin = now();
        try {
          const answer = await send(
            agent,
            job.port,
            'PATCH',
            api,
            { ...headers, 'content-type': 'application/json' },
            body,
            true,
            editor.address,
          );
          if (answer.status === 200) {
            recorder.add('save', begin, 200);
            revision = (JSON.parse(answer.body!) as { revision: number }).revision;
            cues[at] = cue;
            mine.acked.push({ revision, at, text });
          } else if (answer.status === 409) {
            // Someone else saved the track (nobody should: each editor has a track of their own): take theirs and go on.
            recorder.add('save', begin, 409);
            mine.conflicts++;
            const current = (JSON.parse(answer.body!) as { current: { revision: number; cues: typeof cues } }).current;
            revision = current.revision;
            cues.splice(0, cues.length, ...current.cues);
          } else {
            recorder.add('save', begin, answer.status, `${answer.status} ${answer.body?.slice(0, 160) ?? ''}`);
          }
        } catch (error) {
          recorder.add('save', begin, 0, `network error: ${(error as Error).message}`);
        }
        if (editor.approves && n % job.approveEvery === 0 && mine.acked.length) {
          // Now and then the editor approves the track as it stands: viewers get this revision.
          const form = new URLSearchParams({
            revision: String(revision),
            decision: 'approved',
            comment: '',
            _csrf: editor.csrf,
          }).toString();
          const started = now();
          try {
            const answer = await send(
              agent,
              job.port,
              'POST',
              `/en/edit/stories/${editor.slug}/subtitles/${editor.language}/review`,
              {
                cookie: editor.cookie,
                'content-type': 'application/x-www-form-urlencoded',
                'user-agent': 'storyhub-bench-load',
              },
              form,
              true,
              editor.address,
            );
            if (answer.status === 303) {
              recorder.add('approve', started, 303);
              mine.approvals++;
            } else if (answer.status === 409) {
              recorder.add('approve', started, 409);
              mine.approvalsMoved++;
            } else
              recorder.add('approve', started, answer.status, `${answer.status} ${answer.body?.slice(0, 160) ?? ''}`);
          } catch (error) {
            recorder.add('approve', started, 0, `network error: ${(error as Error).message}`);
          }
        }
        await sleep(1000 + random() * 2000);
      }
      // What the server holds now, read back through the API.
      try {
        const final = await open();
        mine.finalRevision = final.track?.revision ?? null;
        for (const save of mine.acked) mine.finalTexts[save.at] = final.track?.cues[save.at]?.text ?? '';
      } catch (error) {
        mine.checkError = (error as Error).message;
      }
      agent.destroy();
    }),
  );
  watch.finish();
  return { ...report('editors', recorder, watch), editors: reports };
}

function report(
  role: ThreadReport['role'],
  recorder: Recorder,
  watch: { cpu: ThreadReport['cpu']; elu: ThreadReport['elu'] },
): ThreadReport {
  return {
    role,
    kinds: Uint8Array.from(recorder.kinds),
    at: Float64Array.from(recorder.at),
    latency: Float64Array.from(recorder.latency),
    status: Uint16Array.from(recorder.status),
    bytes: recorder.bytes,
    failures: recorder.failures,
    cpu: watch.cpu,
    elu: watch.elu,
  };
}

if (parentPort && workerData) {
  const job = workerData as LoadJob;
  try {
    const result = job.role === 'readers' ? await runReaders(job) : await runEditors(job);
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: (error as Error).stack ?? String(error) });
  }
}
