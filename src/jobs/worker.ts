import { workerIdentity, workerIsGone } from './worker-identity.ts';
import type { JobsRepository } from '../store/repositories/jobs.ts';
import type { Job } from '../domain/jobs/job.ts';

export interface JobContext {
  /** Reports progress (0–100); never throws, and writes only when the whole percent changes. */
  progress(percent: number): Promise<void>;
  /** Aborted only by stop({ abort: true }): pass it on to child processes so they are killed. */
  signal: AbortSignal;
}
export type JobHandler = (job: Job, context: JobContext) => Promise<void>;

/** What the worker logs through: pino (Fastify's logger) fits, and so does a silent stub. */
export interface WorkerLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WorkerOptions {
  jobs: Pick<
    JobsRepository,
    'claim' | 'setProgress' | 'heartbeat' | 'complete' | 'fail' | 'requeueStale' | 'runningWorkers' | 'requeueOfEnded'
  >;
  handlers: Record<string, JobHandler>;
  /** Wait between looks at an empty queue. Default 1000 ms. */
  pollMs?: number;
  workerId?: string;
  log?: WorkerLog;
  /** How often a running job's lock is refreshed, so it is not mistaken for a dead worker's. Default 30 s. */
  heartbeatMs?: number;
  /** When set, running jobs not heard of for this long are released (checked once a minute). */
  staleAfterSeconds?: number;
}

export interface Worker {
  readonly workerId: string;
  /** Stops claiming jobs and resolves when the job under way has finished (or was aborted, with `abort`). */
  stop(options?: { abort?: boolean }): Promise<void>;
}

const silent: WorkerLog = { info: () => {}, error: () => {} };

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : 'Unknown error';

/**
 * Runs queued jobs one at a time with the handler of their kind. Every error of a handler or of the
 * database is caught: the job is failed (and retried later by the queue) and the worker goes on.
 */
export function startWorker(options: WorkerOptions): Worker {
  const { jobs, handlers } = options;
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const log = options.log ?? silent;
  const workerId = options.workerId ?? workerIdentity();
  const kinds = Object.keys(handlers);
  const aborter = new AbortController();
  let stopping = false;
  let wake: (() => void) | undefined;
  let lastStaleCheck = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function run(job: Job): Promise<void> {
    const started = Date.now();
    log.info({ jobId: job.id, kind: job.kind, attempt: job.attempts, workerId }, 'job started');
    let reported = -1;
    const context: JobContext = {
      signal: aborter.signal,
      async progress(percent) {
        const whole = Math.max(0, Math.min(100, Math.floor(Number.isFinite(percent) ? percent : 0)));
        if (whole === reported) return;
        reported = whole;
        await jobs
          .setProgress(job.id, whole, workerId)
          .catch((error: unknown) => log.error({ err: error, jobId: job.id }, 'could not record job progress'));
      },
    };
    const heartbeat = setInterval(() => {
      jobs
        .heartbeat(job.id, workerId)
        .catch((error: unknown) => log.error({ err: error, jobId: job.id }, 'job heartbeat failed'));
    }, heartbeatMs);
    heartbeat.unref();
    try {
      const handler = handlers[job.kind];
      if (!handler) throw new Error(`No handler for jobs of kind "${job.kind}"`);
      await handler(job, context);
      await jobs.complete(job.id, workerId);
      log.info({ jobId: job.id, kind: job.kind, ms: Date.now() - started }, 'job done');
    } catch (error) {
      log.error({ err: error, jobId: job.id, kind: job.kind, attempt: job.attempts }, 'job failed');
      try {
        const after = await jobs.fail(job.id, messageOf(error), workerId);
        if (after?.state === 'failed')
          log.error({ jobId: job.id, kind: job.kind }, 'job failed for good: no attempts left');
      } catch (failError) {
        // The database is unreachable: the job stays running until requeueStale releases it.
        log.error({ err: failError, jobId: job.id }, 'could not record the job failure');
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function tick(): Promise<boolean> {
    if (options.staleAfterSeconds !== undefined && Date.now() - lastStaleCheck > 60_000) {
      lastStaleCheck = Date.now();
      // Jobs of a worker of this machine that was killed are queued again now; others when they go stale.
      const ended = (await jobs.runningWorkers()).filter(workerIsGone);
      const requeued = await jobs.requeueOfEnded(ended);
      if (requeued) log.info({ requeued, workers: ended }, 'queued again the jobs of workers that were stopped');
      const released = await jobs.requeueStale(options.staleAfterSeconds);
      if (released) log.info({ released }, 'released jobs of workers that stopped responding');
    }
    const job = await jobs.claim(workerId, kinds);
    if (!job) return false;
    await run(job);
    return true;
  }

  const loop = (async () => {
    while (!stopping) {
      let busy = false;
      try {
        busy = await tick();
      } catch (error) {
        log.error({ err: error, workerId }, 'could not claim a job');
      }
      if (!busy && !stopping) await sleep(pollMs);
    }
  })();

  log.info({ workerId, kinds }, 'job worker started');
  return {
    workerId,
    async stop(stopOptions = {}) {
      stopping = true;
      if (stopOptions.abort) aborter.abort(new Error('The worker was stopped'));
      wake?.();
      await loop;
      log.info({ workerId }, 'job worker stopped');
    },
  };
}
