import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bootId, processStartTime, readDataDirectoryOwner } from '../../src/store/data-directory-lock.ts';
import {
  killStarted,
  siteEnvironment,
  startStoryhub,
  stopStoryhub,
  storyhubCommand,
  type StoryhubProcess,
} from '../helpers/processes.ts';

// Real processes on one embedded data directory: a site (`storyhub serve`) and the commands beside it.

const PASSWORD = 'a long enough password';
const children = new Set<ChildProcess>();
const demoSlugs = (
  JSON.parse(readFileSync('demo/catalog.json', 'utf8')) as { stories: Array<{ slug: string }> }
).stories.map((story) => story.slug);

const storyhub = (dataDir: string, ...args: string[]) => storyhubCommand(siteEnvironment(dataDir), ...args);
type Site = StoryhubProcess;
const startSite = (dataDir: string): Promise<Site> => startStoryhub(siteEnvironment(dataDir));
const stopSite = stopStoryhub;

/** Signs in through the site's form as a browser would; gives the response status (303 when it worked). */
async function signIn(site: Site, username: string, password = PASSWORD): Promise<number> {
  const page = await fetch(new URL('en/sign-in', site.url));
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(new URL('en/sign-in', site.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, _csrf: csrf }),
  });
  return response.status;
}

const pageOf = async (site: Site, pathname: string) => (await fetch(new URL(pathname, site.url))).text();
const ranInSite = (site: Site) =>
  new RegExp(
    `^Ran in the running site: storyhub serve \\(pid ${site.process.pid}, since \\d\\d:\\d\\d, ${site.url}\\)\\.\\n$`,
  );
const noStackTrace = (text: string) => assert.doesNotMatch(text, /\n\s+at .*:\d+/);

after(async () => {
  killStarted();
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

describe('commands beside a running site (embedded data directory)', () => {
  let dataDir: string;
  let site: Site;
  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-owner-'));
    site = await startSite(dataDir);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('user add, grant, revoke and list run in the site, which sees each change at once', async () => {
    assert.equal(await signIn(site, 'Amira'), 401);
    const added = await storyhub(
      dataDir,
      'user',
      'add',
      'Amira',
      '--password',
      PASSWORD,
      '--role',
      'translator',
      '--language',
      'ar',
    );
    assert.deepEqual([added.code, added.stdout], [0, 'Added Amira\n']);
    assert.match(added.stderr, ranInSite(site));
    assert.equal(await signIn(site, 'Amira'), 303);

    assert.equal((await storyhub(dataDir, 'user', 'grant', 'Amira', 'editor')).stdout, 'Granted editor to Amira\n');
    assert.match((await storyhub(dataDir, 'user', 'list')).stdout, /^Amira\teditor, translator:ar$/m);
    assert.equal(
      (await storyhub(dataDir, 'user', 'revoke', 'Amira', 'translator', '--language', 'ar')).stdout,
      'Revoked translator (ar) from Amira\n',
    );
    assert.match((await storyhub(dataDir, 'user', 'list')).stdout, /^Amira\teditor$/m);

    const mistake = await storyhub(dataDir, 'user', 'grant', 'Nobody', 'editor');
    assert.equal(mistake.code, 2, 'a mistake keeps its exit code through the site');
    assert.match(mistake.stderr, /^No user named "Nobody"\n/);
    noStackTrace(mistake.stderr);
  });

  test('migrate and seed-demo run in the site; its pages show the demo stories at once', async () => {
    assert.doesNotMatch(await pageOf(site, 'en/stories'), new RegExp(demoSlugs[0]!)); // and is kept in the page cache
    const migrated = await storyhub(dataDir, 'migrate');
    assert.deepEqual([migrated.code, migrated.stdout], [0, 'The database schema is up to date.\n']);
    const seeded = await storyhub(dataDir, 'seed-demo');
    assert.deepEqual([seeded.code, seeded.stdout], [0, `Added ${demoSlugs.length} demo stories.\n`]);
    assert.match(seeded.stderr, ranInSite(site));
    assert.match(await pageOf(site, 'en/stories'), new RegExp(`/en/stories/${demoSlugs[0]}`));
    for (const slug of demoSlugs)
      assert.equal((await fetch(new URL(`en/stories/${slug}`, site.url))).status, 200, slug);
  });

  test('a second serve and a worker refuse, naming the site', async () => {
    const pid = site.process.pid;
    const second = await storyhub(dataDir, 'serve');
    assert.equal(second.code, 1);
    assert.equal(
      second.stderr,
      `storyhub serve (pid ${pid}, since ${/since (\d\d:\d\d)/.exec(second.stderr)?.[1]}, ${site.url}) already uses ${dataDir}/db. Stop it first, or set DATA_DIR to another directory.\n`,
    );
    const worker = await storyhub(dataDir, 'worker');
    assert.equal(worker.code, 1);
    assert.match(
      worker.stderr,
      new RegExp(
        `^storyhub serve \\(pid ${pid}, .*\\) already uses ${dataDir}/db\\. The site runs the jobs itself; separate workers need a PostgreSQL server \\(DATABASE_URL\\)\\.\\n$`,
      ),
    );
    const owner = readDataDirectoryOwner(path.join(dataDir, 'db'))!;
    assert.deepEqual(
      [owner.pid, owner.url, owner.command],
      [pid, site.url, 'storyhub serve'],
      'the lock still names the site',
    );
    assert.equal(await signIn(site, 'Amira'), 303, 'and the site still serves');
  });

  test('a client that sends nonsense or leaves mid-command does not take the site down', async () => {
    const { controlSocket } = readDataDirectoryOwner(path.join(dataDir, 'db'))!;
    const nonsense = net.connect(controlSocket!);
    nonsense.end('this is not JSON\n');
    let replies = '';
    nonsense.setEncoding('utf8').on('data', (chunk: string) => {
      replies += chunk;
    });
    await once(nonsense, 'close');
    assert.match(replies, /"err":.*\n\{"exit":2\}\n$/);
    const leaving = net.connect(controlSocket!);
    await new Promise((resolve) =>
      leaving.write(`${JSON.stringify({ argv: ['user', 'add', 'Dawit', '--password', PASSWORD] })}\n`, resolve),
    );
    leaving.destroy();
    let status = 0;
    for (let tries = 0; tries < 20 && status !== 303; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await signIn(site, 'Dawit');
    }
    assert.equal(status, 303, 'the command ran to its end all the same');
    assert.equal((await storyhub(dataDir, 'user', 'list')).code, 0);
  });

  test('after a stop (SIGTERM) and a restart, every change is still there', async () => {
    assert.equal(await stopSite(site, 'SIGTERM'), 0);
    assert.equal(existsSync(path.join(dataDir, 'db.lock')), false, 'the lock is released');
    assert.equal(existsSync(path.join(dataDir, 'db.control.sock')), false, 'the control socket is removed');
    site = await startSite(dataDir);
    assert.equal(await signIn(site, 'Amira'), 303);
    assert.match((await storyhub(dataDir, 'user', 'list')).stdout, /^Amira\teditor$/m);
    assert.match(await pageOf(site, 'en/stories'), new RegExp(`/en/stories/${demoSlugs[0]}`));
  });

  test('a site killed with SIGKILL restarts with no repair and keeps what it acknowledged', async () => {
    const added = await storyhub(
      dataDir,
      'user',
      'add',
      'Bashir',
      '--password',
      PASSWORD,
      '--role',
      'reviewer',
      '--language',
      'sw',
    );
    assert.deepEqual([added.code, added.stdout], [0, 'Added Bashir\n']);
    await stopSite(site, 'SIGKILL');
    assert.ok(
      existsSync(path.join(dataDir, 'db.lock')) && existsSync(path.join(dataDir, 'db.control.sock')),
      'a killed site leaves both behind',
    );
    site = await startSite(dataDir);
    assert.equal(
      readDataDirectoryOwner(path.join(dataDir, 'db'))!.pid,
      site.process.pid,
      'the stale lock was taken over',
    );
    assert.equal(await signIn(site, 'Bashir'), 303);
    assert.equal(await signIn(site, 'Amira'), 303);
    const listed = await storyhub(dataDir, 'user', 'list');
    assert.match(listed.stdout, /^Bashir\treviewer:sw$/m);
    assert.match(listed.stderr, ranInSite(site), 'the new site takes commands on a fresh socket');
    assert.equal(await stopSite(site, 'SIGTERM'), 0);
  });
});

describe('a data directory held by a live process that takes no commands', () => {
  let dataDir: string;
  let holder: ChildProcess;
  let lock: string;
  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-owner-'));
    holder = spawn('sleep', ['300'], { stdio: 'ignore' });
    children.add(holder);
    await once(holder, 'spawn');
    lock = JSON.stringify({
      pid: holder.pid,
      hostname: os.hostname(),
      startedAt: new Date().toISOString(),
      command: 'storyhub seed-demo',
      bootId: bootId(),
      processStart: processStartTime(holder.pid!),
    });
    writeFileSync(path.join(dataDir, 'db.lock'), lock);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a command refuses, naming that process and what to do', async () => {
    const refused = await storyhub(dataDir, 'user', 'add', 'Chen', '--password', PASSWORD);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.match(
      refused.stderr,
      new RegExp(
        `^storyhub seed-demo \\(pid ${holder.pid}, since \\d\\d:\\d\\d\\) already uses ${dataDir}/db\\. Wait for it to finish \\(or stop it\\), then try again\\.\\n$`,
      ),
    );
    const serve = await storyhub(dataDir, 'serve');
    assert.equal(serve.code, 1);
    assert.match(
      serve.stderr,
      new RegExp(`^storyhub seed-demo \\(pid ${holder.pid}, .*\\) already uses .*\\. Wait for it to finish`),
    );
    assert.equal(readFileSync(path.join(dataDir, 'db.lock'), 'utf8'), lock, 'the lock is left to its owner');

    // The same process as a worker: it never finishes by itself.
    writeFileSync(path.join(dataDir, 'db.lock'), lock.replace('storyhub seed-demo', 'storyhub worker'));
    assert.match(
      (await storyhub(dataDir, 'user', 'list')).stderr,
      /^storyhub worker \(pid \d+, .*\) already uses .*\. A worker runs until it is stopped: stop it, then run the command again\.\n$/,
    );
    assert.match(
      (await storyhub(dataDir, 'serve')).stderr,
      /\. Stop it first, or set DATA_DIR to another directory\.\n$/,
    );
    assert.equal(existsSync(path.join(dataDir, 'db')), false, 'and the directory untouched');
  });

  test('once that process is gone, the command takes the directory and runs', async () => {
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    const added = await storyhub(dataDir, 'user', 'add', 'Chen', '--password', PASSWORD);
    assert.deepEqual([added.code, added.stdout, added.stderr], [0, 'Added Chen\n', '']);
    assert.match((await storyhub(dataDir, 'user', 'list')).stdout, /^Chen\t$/m);
    assert.equal(existsSync(path.join(dataDir, 'db.lock')), false);
  });
});
