import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freshPostgres, testEngines } from '../helpers/database.ts';
import {
  killStarted,
  signedInClient,
  siteEnvironment,
  startStoryhub,
  stopStoryhub,
  storyhubCommand,
  type StoryhubProcess,
} from '../helpers/processes.ts';

// kill -9 of the site in the middle of many saves, and of the process running a job: every save that
// was answered with success is there after the restart, which needs no repair, and the job resumes.

const PASSWORD = 'a long enough password';
const WRITERS = 8;

after(killStarted);

/** The state and progress of the story's video jobs, as its video page shows them. */
async function videoJobs(client: Awaited<ReturnType<typeof signedInClient>>, slug: string) {
  const page = await (await client.request(`en/edit/stories/${slug}/video`)).text();
  return [...page.matchAll(/class="job job--(\w+)"[\s\S]*?(?:value="(\d+)"|<\/li>)/g)].map((match) => ({
    state: match[1]!,
    progress: Number(match[2] ?? 0),
  }));
}

async function until<T>(what: string, seconds: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${seconds} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

for (const engine of testEngines()) {
  describe(`kill -9 (${engine})`, () => {
    let dataDir: string;
    let env: NodeJS.ProcessEnv;
    let dropDatabase = async () => {};
    before(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-kill-'));
      let databaseUrl = '';
      if (engine === 'postgres') {
        const database = await freshPostgres();
        databaseUrl = database.url;
        dropDatabase = database.drop;
      }
      env = siteEnvironment(dataDir, { DATABASE_URL: databaseUrl });
      for (const args of [['seed-demo'], ['user', 'add', 'Writer', '--password', PASSWORD, '--role', 'editor']]) {
        const result = await storyhubCommand(env, ...args);
        assert.equal(result.code, 0, result.stderr);
      }
    });
    after(async () => {
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('every save answered with success survives kill -9 of the site in the middle of saving', async () => {
      let site = await startStoryhub(env);
      const client = await signedInClient(site.url, 'Writer', PASSWORD);
      const token = await client.csrf('en/edit/stories/new');
      const acknowledged: string[] = [];
      let failures = 0;
      let killed = false;
      const writer = async (index: number) => {
        for (let n = 0; !killed; n++) {
          const slug = `saved-${index}-${n}`;
          try {
            const response = await client.request('en/edit/stories/new', {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({
                _csrf: token,
                title: `Saved ${index}/${n}`,
                summary: `Written by writer ${index}, number ${n}.`,
                body: `A paragraph by writer ${index}, the ${n}th.`,
                slug,
                region: '1',
                sourceLanguage: 'en',
                revision: '0',
              }),
            });
            // Success is the redirect to the saved story; nothing else counts as acknowledged.
            if (response.status === 303 && response.headers.get('location')?.includes(`/${slug}?saved=1`))
              acknowledged.push(slug);
            else if (!killed) assert.fail(`save ${slug} answered ${response.status}`);
          } catch (error) {
            if (!killed) throw error;
            failures++; // the connection was cut by the kill
          }
        }
      };
      const writing = Array.from({ length: WRITERS }, (_, index) => writer(index));
      await until('saves to be acknowledged', 60, async () => (acknowledged.length >= 60 ? true : undefined));
      killed = true;
      assert.equal(await stopStoryhub(site, 'SIGKILL'), null, 'the site was killed, not stopped');
      await Promise.all(writing);
      assert.ok(failures > 0 || acknowledged.length > 0);

      // Starts again on the same data with no repair, and has every acknowledged save.
      site = await startStoryhub(env);
      const reader = await signedInClient(site.url, 'Writer', PASSWORD);
      const missing: string[] = [];
      for (const slug of acknowledged) {
        const response = await reader.request(`en/edit/stories/${slug}`);
        const page = await response.text();
        if (response.status !== 200 || !page.includes(`Saved ${slug.slice('saved-'.length).replace('-', '/')}`))
          missing.push(slug);
      }
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged saves lost`);
      assert.equal(await stopStoryhub(site, 'SIGTERM'), 0);
    });

    test('a video job cut off by kill -9 of the process running it is run again and completes', async () => {
      // Embedded: the site runs the jobs itself. PostgreSQL: a worker of its own beside the site.
      const separateWorker = engine === 'postgres';
      const siteEnv = { ...env, WORKER: separateWorker ? 'false' : 'true' };
      let site = await startStoryhub(siteEnv);
      let worker: StoryhubProcess | undefined = separateWorker ? await startStoryhub(env, 'worker') : undefined;
      const client = await signedInClient(site.url, 'Writer', PASSWORD);
      const slug = JSON.parse(readFileSync('demo/catalog.json', 'utf8')).stories[0].slug as string;

      const clip = path.join(dataDir, 'clip.mp4');
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=25', '-f', 'lavfi'],
        ...['-i', 'sine=frequency=330', '-t', '20', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', clip],
      ]);
      const form = new FormData();
      form.append('video', new Blob([readFileSync(clip)], { type: 'video/mp4' }), 'clip.mp4');
      const token = await client.csrf(`en/edit/stories/${slug}/video`);
      const upload = await client.request(`en/edit/stories/${slug}/video?_csrf=${encodeURIComponent(token)}`, {
        method: 'POST',
        body: form,
      });
      assert.equal(upload.status, 303, await upload.text());

      await until('the job to be under way', 120, async () =>
        (await videoJobs(client, slug)).some((job) => job.state === 'running' && job.progress > 0) ? true : undefined,
      );
      if (worker) {
        assert.equal(await stopStoryhub(worker, 'SIGKILL'), null);
        worker = await startStoryhub(env, 'worker');
      } else {
        assert.equal(await stopStoryhub(site, 'SIGKILL'), null);
        site = await startStoryhub(siteEnv);
      }
      const again = await signedInClient(site.url, 'Writer', PASSWORD);
      // Queued again at once (the killed process is known to be gone), not after the stale-job wait.
      const jobs = await until('the job to complete', 240, async () => {
        const now = await videoJobs(again, slug);
        assert.ok(!now.some((job) => job.state === 'failed'), `a job failed: ${JSON.stringify(now)}`);
        return now.length > 0 && now.every((job) => job.state === 'done') ? now : undefined;
      });
      assert.ok(jobs.length > 0);
      const story = await (await again.request(`en/stories/${slug}`)).text();
      assert.match(story, /<video[\s\S]*<source/, 'the story page plays the processed video');
      if (worker) await stopStoryhub(worker, 'SIGTERM');
      assert.equal(await stopStoryhub(site, 'SIGTERM'), 0);
    });
  });
}
