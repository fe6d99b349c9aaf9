import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  bootId,
  DataDirectoryInUse,
  lockDataDirectory,
  processStartTime,
  readDataDirectoryOwner,
  type DataDirectoryOwner,
} from '../../src/store/data-directory-lock.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'storyhub-lock-'));
let cases = 0;
const children: ChildProcess[] = [];

/** A data directory path of its own; its lock goes beside it, so only the parent needs to exist. */
function freshDataDir(): string {
  const parent = path.join(root, `case-${++cases}`);
  mkdirSync(parent);
  return path.join(parent, 'db');
}

/** A live process that is not us: its pid and real start time can go into a lock. */
function spawnSleep(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** Writes the lock another process would have written; returns its text. */
function writeLock(dataDir: string, owner: Partial<DataDirectoryOwner>): string {
  const text = JSON.stringify({
    pid: 1,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    command: 'storyhub serve',
    bootId: bootId(),
    processStart: null,
    ...owner,
  });
  writeFileSync(`${dataDir}.lock`, text);
  return text;
}

const lockText = (dataDir: string) => readFileSync(`${dataDir}.lock`, 'utf8');

describe('the lock of an embedded data directory', () => {
  after(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  test('names its owner, takes the site details it announces, and is gone once released', () => {
    const dataDir = freshDataDir();
    const lock = lockDataDirectory(dataDir, 'storyhub serve');
    const owner = readDataDirectoryOwner(dataDir)!;
    assert.equal(owner.pid, process.pid);
    assert.equal(owner.hostname, os.hostname());
    assert.equal(owner.command, 'storyhub serve');
    assert.equal(owner.processStart, processStartTime(process.pid));
    assert.equal(owner.bootId, bootId());
    lock.announce({ url: 'http://127.0.0.1:3000/', controlSocket: `${dataDir}.control.sock` });
    assert.equal(readDataDirectoryOwner(dataDir)!.url, 'http://127.0.0.1:3000/');
    lock.release();
    assert.equal(existsSync(`${dataDir}.lock`), false);
    assert.deepEqual(readdirSync(path.dirname(dataDir)), [], 'no temporary files are left beside it');
  });

  test('refuses a second owner while the first lives, naming it', () => {
    const dataDir = freshDataDir();
    const lock = lockDataDirectory(dataDir, 'storyhub serve');
    assert.throws(
      () => lockDataDirectory(dataDir, 'storyhub user add'),
      (error: DataDirectoryInUse) => {
        assert.ok(error instanceof DataDirectoryInUse);
        assert.equal(error.ownerIsLive, true);
        assert.equal(error.owner?.pid, process.pid);
        assert.match(
          error.message,
          new RegExp(`^storyhub serve \\(pid ${process.pid}, since \\d\\d:\\d\\d\\) already uses ${dataDir}\\.$`),
        );
        return true;
      },
    );
    lock.release();
  });

  test("refuses while a live process holds it, with that process's real start time", async () => {
    const dataDir = freshDataDir();
    const sleeper = spawnSleep();
    await once(sleeper, 'spawn');
    const text = writeLock(dataDir, {
      pid: sleeper.pid!,
      processStart: processStartTime(sleeper.pid!),
      command: 'storyhub worker',
    });
    assert.throws(
      () => lockDataDirectory(dataDir, 'storyhub migrate'),
      (error: DataDirectoryInUse) =>
        error.ownerIsLive &&
        error.owner?.pid === sleeper.pid &&
        /^storyhub worker \(pid \d+, since/.test(error.message),
    );
    assert.equal(lockText(dataDir), text, 'the live lock is left as it was');
  });

  test('takes over the lock of a process that has ended', async () => {
    const dataDir = freshDataDir();
    const ended = spawn('true');
    await once(ended, 'exit');
    writeLock(dataDir, { pid: ended.pid! });
    const lock = lockDataDirectory(dataDir, 'storyhub serve');
    assert.equal(readDataDirectoryOwner(dataDir)!.pid, process.pid);
    lock.release();
  });

  test('takes over a lock whose pid now belongs to another process (its start time differs)', async () => {
    const dataDir = freshDataDir();
    const sleeper = spawnSleep();
    await once(sleeper, 'spawn');
    writeLock(dataDir, { pid: sleeper.pid!, processStart: '1' });
    const lock = lockDataDirectory(dataDir, 'storyhub serve');
    assert.equal(readDataDirectoryOwner(dataDir)!.pid, process.pid);
    lock.release();
  });

  test('takes over a lock written before the machine last booted', () => {
    const dataDir = freshDataDir();
    // Our own pid and start time, so only the boot id tells it is stale.
    writeLock(dataDir, { pid: process.pid, processStart: processStartTime(process.pid), bootId: 'an-earlier-boot' });
    const lock = lockDataDirectory(dataDir, 'storyhub serve');
    assert.equal(readDataDirectoryOwner(dataDir)!.bootId, bootId());
    lock.release();
  });

  test('refuses a lock from another host, saying which file to remove if that process is gone', () => {
    const dataDir = freshDataDir();
    const text = writeLock(dataDir, { hostname: 'elsewhere.example', pid: 4242 });
    assert.throws(
      () => lockDataDirectory(dataDir, 'storyhub serve'),
      (error: DataDirectoryInUse) => {
        assert.equal(error.ownerIsLive, false);
        assert.match(error.message, /storyhub serve \(pid 4242, since [^)]*\) on the host elsewhere\.example holds/);
        assert.ok(error.message.endsWith(`If it has stopped, remove ${dataDir}.lock.`));
        return true;
      },
    );
    assert.equal(lockText(dataDir), text);
  });

  test('refuses a lock file it cannot read, naming it', () => {
    const dataDir = freshDataDir();
    writeFileSync(`${dataDir}.lock`, 'not json');
    assert.throws(
      () => lockDataDirectory(dataDir, 'storyhub serve'),
      (error: DataDirectoryInUse) => error.owner === null && error.message.includes(`remove ${dataDir}.lock`),
    );
  });

  test('releasing leaves alone a lock that is no longer ours', () => {
    const dataDir = freshDataDir();
    const lock = lockDataDirectory(dataDir, 'storyhub serve');
    const other = writeLock(dataDir, { pid: 4242 });
    lock.release();
    assert.equal(lockText(dataDir), other);
  });

  test('of many processes racing for a stale lock, exactly one gets it', async () => {
    const dataDir = freshDataDir();
    const ended = spawn('true');
    await once(ended, 'exit');
    writeLock(dataDir, { pid: ended.pid! });
    // Each waits for the same moment, so that they really race rather than come one after another;
    // the winner holds the lock until every racer has said how it fared, however late it started.
    const startAt = Date.now() + 3000;
    const script = `
      import { lockDataDirectory } from ${JSON.stringify(new URL('../../src/store/data-directory-lock.ts', import.meta.url).href)};
      while (Date.now() < ${startAt});
      try { lockDataDirectory(${JSON.stringify(dataDir)}, 'racer'); console.log('locked'); process.stdin.resume(); }
      catch (error) { console.log(error.name); }`;
    const racers = Array.from({ length: 8 }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const outcomes = await Promise.all(
      racers.map(async (racer) => {
        let out = '';
        for await (const chunk of racer.stdout!) {
          out += chunk;
          if (out.includes('\n')) break;
        }
        return out.trim();
      }),
    );
    for (const racer of racers) racer.stdin!.end();
    await Promise.all(racers.map((racer) => racer.exitCode ?? once(racer, 'exit')));
    assert.deepEqual(outcomes.sort(), [...Array(7).fill('DataDirectoryInUse'), 'locked']);
    assert.equal(existsSync(`${dataDir}.lock`), false, 'the winner released it on exit');
    assert.deepEqual(readdirSync(path.dirname(dataDir)), []);
  });

  test('finishes the takeover of a stale lock that a process died in the middle of', async () => {
    const dataDir = freshDataDir();
    const ended = spawn('true');
    await once(ended, 'exit');
    const stale = writeLock(dataDir, { pid: ended.pid! });
    // The claim on removing that stale lock, left by a taker that died before it removed it.
    const claim = `${dataDir}.lock.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
    writeFileSync(
      claim,
      JSON.stringify({
        pid: ended.pid!,
        hostname: os.hostname(),
        startedAt: new Date().toISOString(),
        command: 'takeover',
        bootId: bootId(),
        processStart: null,
      }),
    );
    const lock = lockDataDirectory(dataDir, 'storyhub serve');
    assert.equal(readDataDirectoryOwner(dataDir)!.pid, process.pid);
    assert.deepEqual(readdirSync(path.dirname(dataDir)), ['db.lock'], 'the dead claim is gone');
    lock.release();
  });
});
