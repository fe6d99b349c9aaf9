import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, JobsTable } from '../schema.ts';
import type { JobState } from '../../domain/jobs/job.ts';
import type { Job } from '../../domain/jobs/job.ts';

export interface EnqueueOptions {
  storyId?: number | null;
  maxAttempts?: number;
  runAfter?: Date;
}
export interface JobsOptions {
  /** Wait before the second attempt; doubles with every further attempt. Default 30 s. */
  backoffSeconds?: number;
  /** The longest wait between attempts. Default one hour. */
  maxBackoffSeconds?: number;
}

type Row = Selectable<JobsTable>;
const toJob = (row: Row): Job => ({
  id: row.id,
  kind: row.kind,
  payload: row.payload,
  state: row.state,
  progress: row.progress,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  error: row.error,
  runAfter: row.run_after,
  lockedBy: row.locked_by,
  lockedAt: row.locked_at,
  storyId: row.story_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * The job queue. A job is queued → running → done, or back to queued with a growing delay after
 * a failure, and failed for good after `max_attempts`. Workers on any number of processes claim
 * jobs with `FOR UPDATE SKIP LOCKED`, so a job runs on one worker at a time.
 */
export function jobsRepository(db: Kysely<DB>, options: JobsOptions = {}) {
  const base = options.backoffSeconds ?? 30;
  const cap = options.maxBackoffSeconds ?? 3600;
  // Seconds to wait after the attempt that just failed (attempts counts it): base, 2·base, 4·base…
  const backoff = sql`make_interval(secs => least(${base}::float8 * power(2, greatest(attempts - 1, 0)), ${cap}::float8))`;

  // Running jobs given back to the queue (or failed, when that was their last attempt), to run now.
  const requeue = (error: string) =>
    db
      .updateTable('jobs')
      .set({
        state: sql`CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END`,
        error,
        progress: 0,
        run_after: sql`now()`,
        locked_by: null,
        locked_at: null,
        updated_at: sql`now()`,
      })
      .where('state', '=', 'running');
  // Only the worker that holds a job may report on it (a requeued, re-claimed job has a new owner).
  const owned = (id: number, workerId?: string) => {
    let query = db.updateTable('jobs').where('id', '=', id).where('state', '=', 'running');
    if (workerId !== undefined) query = query.where('locked_by', '=', workerId);
    return query;
  };

  return {
    async enqueue(kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<Job> {
      const row = await db
        .insertInto('jobs')
        .values({
          kind,
          payload: JSON.stringify(payload ?? {}),
          story_id: options.storyId ?? null,
          ...(options.maxAttempts !== undefined && { max_attempts: options.maxAttempts }),
          ...(options.runAfter !== undefined && { run_after: options.runAfter }),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toJob(row);
    },

    /**
     * Makes sure a job of `kind` is queued to run by `runAfter`: a queued one is brought forward if
     * it would run later, otherwise one is added. For recurring work (one job that queues the next
     * one) where a duplicate is harmless but useless: two processes doing this at the same moment
     * may each add one, and the next run folds them back into one.
     */
    async ensureQueued(kind: string, runAfter: Date, payload: unknown = {}): Promise<void> {
      await sql`
        WITH moved AS (
          UPDATE jobs SET run_after = least(run_after, ${runAfter}::timestamptz), updated_at = now()
          WHERE kind = ${kind} AND state = 'queued'
          RETURNING id)
        INSERT INTO jobs (kind, payload, run_after)
        SELECT ${kind}::text, ${JSON.stringify(payload ?? {})}::jsonb, ${runAfter}::timestamptz
        WHERE NOT EXISTS (SELECT 1 FROM moved)`.execute(db);
    },

    async find(id: number): Promise<Job | undefined> {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toJob(row);
    },

    /** Takes one due, queued job of the given kinds for `workerId`, oldest first; undefined when there is none. */
    async claim(workerId: string, kinds: readonly string[]): Promise<Job | undefined> {
      if (kinds.length === 0) return undefined;
      // One statement: the row is locked by the subquery (rows other workers hold are skipped) and
      // updated by the same statement, so no two workers can take the same job.
      const { rows } = await sql<Row>`
        UPDATE jobs SET state = 'running', attempts = attempts + 1, progress = 0,
          locked_by = ${workerId}, locked_at = now(), updated_at = now()
        WHERE id = (
          SELECT id FROM jobs
          WHERE state = 'queued' AND run_after <= now() AND kind = ANY(${[...kinds]}::text[])
          ORDER BY run_after, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
        RETURNING *`.execute(db);
      return rows[0] && toJob(rows[0]);
    },

    /** Records progress (0–100) and shows the job's worker is alive. */
    async setProgress(id: number, percent: number, workerId?: string): Promise<boolean> {
      const progress = Math.max(0, Math.min(100, Math.round(percent)));
      const result = await owned(id, workerId)
        .set({ progress, locked_at: sql`now()`, updated_at: sql`now()` })
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Shows the job's worker is alive without changing its progress. */
    async heartbeat(id: number, workerId?: string): Promise<boolean> {
      const result = await owned(id, workerId)
        .set({ locked_at: sql`now()` })
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async complete(id: number, workerId?: string): Promise<boolean> {
      const result = await owned(id, workerId)
        .set({
          state: 'done',
          progress: 100,
          error: null,
          locked_by: null,
          locked_at: null,
          updated_at: sql`now()`,
        })
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** A failed attempt: queued again after a backoff while attempts remain, otherwise failed for good. */
    async fail(id: number, message: string, workerId?: string): Promise<Job | undefined> {
      const row = await owned(id, workerId)
        .set({
          state: sql`CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END`,
          run_after: sql`CASE WHEN attempts < max_attempts THEN now() + ${backoff} ELSE run_after END`,
          error: message.slice(0, 4000),
          progress: 0,
          locked_by: null,
          locked_at: null,
          updated_at: sql`now()`,
        })
        .returningAll()
        .executeTakeFirst();
      return row && toJob(row);
    },

    /** Gives a failed job a fresh set of attempts, to run now. */
    async retry(id: number): Promise<Job | undefined> {
      const row = await db
        .updateTable('jobs')
        .set({
          state: 'queued',
          attempts: 0,
          progress: 0,
          run_after: sql`now()`,
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .where('state', '=', 'failed')
        .returningAll()
        .executeTakeFirst();
      return row && toJob(row);
    },

    /**
     * Per kind with jobs queued or running: how many are due and waiting, how long the oldest of
     * those has waited (seconds; 0 when none), and how many are running. Jobs queued for later
     * (a retry's backoff, the celebration's next phase) are not waiting yet.
     */
    async queueByKind(): Promise<
      Array<{ kind: string; waiting: number; oldestWaitingSeconds: number; running: number }>
    > {
      const { rows } = await sql<{ kind: string; waiting: number; oldestWaitingSeconds: number; running: number }>`
        SELECT kind,
          count(*) FILTER (WHERE state = 'queued' AND run_after <= now())::int AS "waiting",
          coalesce(extract(epoch FROM now() - min(run_after) FILTER (WHERE state = 'queued' AND run_after <= now())), 0)::float8
            AS "oldestWaitingSeconds",
          count(*) FILTER (WHERE state = 'running')::int AS "running"
        FROM jobs WHERE state IN ('queued', 'running')
        GROUP BY kind ORDER BY kind`.execute(db);
      return rows;
    },

    async listForStory(storyId: number): Promise<Job[]> {
      const rows = await db.selectFrom('jobs').selectAll().where('story_id', '=', storyId).orderBy('id').execute();
      return rows.map(toJob);
    },

    /**
     * Running jobs whose worker has not been heard of for `olderThanSeconds` (it died): queued
     * again, or failed when that was their last attempt. Returns how many were released.
     */
    async requeueStale(olderThanSeconds: number): Promise<number> {
      const result = await requeue('The worker stopped responding')
        .where('locked_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds}::float8)`)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** The workers holding running jobs. */
    async runningWorkers(): Promise<string[]> {
      const rows = await db
        .selectFrom('jobs')
        .select('locked_by')
        .distinct()
        .where('state', '=', 'running')
        .where('locked_by', 'is not', null)
        .execute();
      return rows.map((row) => row.locked_by!);
    },

    /** The running jobs of workers known to have ended: queued again at once (or failed, at their last attempt). */
    async requeueOfEnded(workerIds: string[]): Promise<number> {
      if (workerIds.length === 0) return 0;
      const result = await requeue('The worker was stopped').where('locked_by', 'in', workerIds).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
export type JobsRepository = ReturnType<typeof jobsRepository>;
