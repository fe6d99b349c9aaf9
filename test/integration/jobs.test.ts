import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { startWorker } from '../../src/jobs/worker.ts';
import { createServices } from '../../src/services/index.ts';
import type { Database } from '../../src/store/database.ts';
import type { JobsRepository } from '../../src/store/repositories/jobs.ts';
import { createCatalog } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase, testEngines } from '../helpers/database.ts';

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

for (const engine of testEngines()) {
  describe(`job queue (${engine})`, () => {
    let database: Database;
    let services: Awaited<ReturnType<typeof createServices>>;
    let jobs: JobsRepository;
    before(async () => {
      database = await createTestDatabase(engine);
      services = await createServices(database);
      jobs = services.repositories.jobs;
    });
    after(async () => {
      await database.close();
    });
    beforeEach(async () => {
      await resetDatabase(database);
    });
    // Moves a job's clock back, as if time had passed.
    const backdate = (id: number, column: 'run_after' | 'locked_at', seconds: number) =>
      database.db
        .updateTable('jobs')
        .set({ [column]: sql`now() - make_interval(secs => ${seconds})` })
        .where('id', '=', id)
        .execute();
    const secondsFromNow = (date: Date) => (date.getTime() - Date.now()) / 1000;

    test('enqueue, claim, progress and complete; only the holder reports', async () => {
      const {
        stories: [story],
      } = await createCatalog(services, [{ slug: 'clip', texts: { en: { title: 'Clip' } } }]);
      const queued = await jobs.enqueue('transcode', { label: '240p-webm', sizes: [240, 360] }, { storyId: story!.id });
      assert.equal(queued.state, 'queued');
      assert.equal(queued.attempts, 0);
      assert.equal(queued.maxAttempts, 3);
      assert.deepEqual(queued.payload, { label: '240p-webm', sizes: [240, 360] });
      const other = await jobs.enqueue('poster', {});
      assert.equal(other.storyId, null);

      const claimed = await jobs.claim('w1', ['transcode']);
      assert.equal(claimed?.id, queued.id);
      assert.equal(claimed.state, 'running');
      assert.equal(claimed.attempts, 1);
      assert.equal(claimed.lockedBy, 'w1');
      assert.equal(await jobs.claim('w2', ['transcode']), undefined, 'nothing else of that kind');
      assert.equal(await jobs.claim('w2', []), undefined);
      assert.equal((await jobs.claim('w2', ['poster', 'transcode']))?.id, other.id);

      assert.equal(await jobs.setProgress(queued.id, 42.4, 'w1'), true);
      assert.equal((await jobs.find(queued.id))?.progress, 42);
      assert.equal(await jobs.setProgress(queued.id, 50, 'w2'), false, 'not the holder');
      assert.equal(await jobs.complete(queued.id, 'w2'), false);
      assert.equal(await jobs.complete(queued.id, 'w1'), true);
      const done = await jobs.find(queued.id);
      assert.equal(done?.state, 'done');
      assert.equal(done.progress, 100);
      assert.equal(done.lockedBy, null);
      assert.equal(await jobs.complete(queued.id, 'w1'), false, 'done once');
      assert.deepEqual(
        (await jobs.listForStory(story!.id)).map((job) => job.id),
        [queued.id],
      );
    });

    test('parallel claims never return the same job', async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await jobs.enqueue('k', { i })).id);
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => jobs.claim(`w${i}`, ['k'])));
      const got = claims.flatMap((job) => (job ? [job.id] : []));
      assert.equal(got.length, 5, 'every job claimed once');
      assert.deepEqual(
        [...got].sort((a, b) => a - b),
        ids,
      );
      for (let round = 0; round < 20; round++) {
        await jobs.enqueue('race', { round });
        const [a, b] = await Promise.all([jobs.claim('a', ['race']), jobs.claim('b', ['race'])]);
        assert.equal([a, b].filter(Boolean).length, 1, `round ${round}: exactly one worker got the job`);
      }
    });

    test('a failed job waits a growing backoff, fails for good after max attempts, and can be retried', async () => {
      const job = await jobs.enqueue('k', {}, { maxAttempts: 3 });
      await jobs.claim('w', ['k']);
      const first = await jobs.fail(job.id, 'ffmpeg crashed', 'w');
      assert.equal(first?.state, 'queued');
      assert.equal(first.error, 'ffmpeg crashed');
      assert.equal(first.lockedBy, null);
      assert.ok(
        Math.abs(secondsFromNow(first.runAfter) - 30) < 5,
        `first backoff about 30 s, was ${secondsFromNow(first.runAfter)}`,
      );
      assert.equal(await jobs.claim('w', ['k']), undefined, 'not due yet');

      await backdate(job.id, 'run_after', 1);
      assert.equal((await jobs.claim('w', ['k']))?.attempts, 2);
      const second = await jobs.fail(job.id, 'again', 'w');
      assert.ok(Math.abs(secondsFromNow(second!.runAfter) - 60) < 5, 'second backoff about 60 s');

      await backdate(job.id, 'run_after', 1);
      assert.equal((await jobs.claim('w', ['k']))?.attempts, 3);
      const last = await jobs.fail(job.id, 'and again', 'w');
      assert.equal(last?.state, 'failed');
      assert.equal(last.attempts, 3);
      await backdate(job.id, 'run_after', 1);
      assert.equal(await jobs.claim('w', ['k']), undefined, 'a failed job is not claimed');

      const retried = await jobs.retry(job.id);
      assert.equal(retried?.state, 'queued');
      assert.equal(retried.attempts, 0);
      assert.equal((await jobs.claim('w', ['k']))?.attempts, 1);
      assert.equal(await jobs.retry(job.id), undefined, 'only a failed job is retried');
    });

    test('requeueStale releases the jobs of workers that stopped responding', async () => {
      const a = await jobs.enqueue('k', { name: 'a' });
      const b = await jobs.enqueue('k', { name: 'b' });
      const c = await jobs.enqueue('k', { name: 'c' }, { maxAttempts: 1 });
      for (let i = 0; i < 3; i++) await jobs.claim('dead', ['k']);
      await backdate(a.id, 'locked_at', 600);
      await backdate(c.id, 'locked_at', 600);
      assert.equal(await jobs.requeueStale(300), 2);
      const [afterA, afterB, afterC] = await Promise.all([a, b, c].map((job) => jobs.find(job.id)));
      assert.equal(afterA?.state, 'queued');
      assert.equal(afterA.lockedBy, null);
      assert.equal(afterB?.state, 'running', 'a recent lock is kept');
      assert.equal(afterC?.state, 'failed', 'it was its last attempt');
      assert.match(afterC.error ?? '', /stopped responding/);
      assert.equal((await jobs.claim('alive', ['k']))?.id, a.id);
      assert.equal(await jobs.complete(a.id, 'dead'), false, 'the old holder can no longer complete it');
      assert.equal(await jobs.complete(a.id, 'alive'), true);
    });

    test('a worker runs jobs, records progress and failures, and stop() waits for the running job', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const seen: number[] = [];
      const worker = startWorker({
        jobs,
        pollMs: 20,
        workerId: 'test-worker',
        handlers: {
          ok: async (job, context) => {
            seen.push(job.id);
            await context.progress(50);
          },
          boom: async () => {
            throw new Error('broken input');
          },
          slow: async () => {
            await released;
          },
        },
      });
      try {
        const ok = await jobs.enqueue('ok', {});
        const boom = await jobs.enqueue('boom', {}, { maxAttempts: 1 });
        await until(
          async () => (await jobs.find(ok.id))?.state === 'done' && (await jobs.find(boom.id))?.state === 'failed',
          'both jobs',
        );
        assert.deepEqual(seen, [ok.id]);
        assert.equal((await jobs.find(boom.id))?.error, 'broken input');

        const slow = await jobs.enqueue('slow', {});
        await until(async () => (await jobs.find(slow.id))?.state === 'running', 'the slow job to start');
        let stopped = false;
        const stopping = worker.stop().then(() => {
          stopped = true;
        });
        await delay(100);
        assert.equal(stopped, false, 'stop waits for the running job');
        release();
        await stopping;
        assert.equal((await jobs.find(slow.id))?.state, 'done');
        const idle = await jobs.enqueue('ok', {});
        await delay(100);
        assert.equal((await jobs.find(idle.id))?.state, 'queued', 'a stopped worker claims nothing');
      } finally {
        release();
        await worker.stop();
      }
    });
  });
}
