// One process at a time may open an embedded data directory. PGlite keeps the database inside the
// process that opened it: a second process works on a copy of its own, so its writes are lost (or
// the two damage the files). The lock is a file beside the directory, created whole and atomically
// with link(2), naming its owner well enough to tell a live owner from the lock of a process that
// died, even when the pid has since been given to another process.
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface DataDirectoryOwner {
  pid: number;
  hostname: string;
  /** When the owner took the directory (ISO 8601). */
  startedAt: string;
  /** What the owner runs: "storyhub serve", "storyhub user add"… */
  command: string;
  /** Linux's boot id: a lock written before the last boot is stale whatever its pid. */
  bootId: string | null;
  /** The owner's start time (/proc/PID/stat field 22), so a process that reused the pid is not taken for it. */
  processStart: string | null;
  /** Once a site serves: its address, and the unix socket it takes commands on. */
  url?: string;
  controlSocket?: string;
}

export interface DataDirectoryLock {
  readonly file: string;
  readonly owner: DataDirectoryOwner;
  /** Adds a site's address and control socket to the lock file, for the commands that look for it. */
  announce(details: { url: string; controlSocket: string }): void;
  /** Deletes the lock file if it is still ours; also done on exit. */
  release(): void;
}

/** The data directory has another owner: a live one on this machine, or one this machine cannot check. */
export class DataDirectoryInUse extends Error {
  readonly dataDir: string;
  readonly lockFile: string;
  /** Null when the lock file is not one storyhub wrote. */
  readonly owner: DataDirectoryOwner | null;
  /** True when the owner is known to run; false when it is on another host (or unreadable) and cannot be checked. */
  readonly ownerIsLive: boolean;
  constructor(dataDir: string, lockFile: string, owner: DataDirectoryOwner | null, ownerIsLive: boolean) {
    super(
      !owner
        ? `${lockFile} is not a lock storyhub can read. If no storyhub process uses ${dataDir}, remove ${lockFile}.`
        : ownerIsLive
          ? `${describeOwner(owner)} already uses ${dataDir}.`
          : `${describeOwner(owner)} on the host ${owner.hostname} holds ${dataDir}, and this machine cannot tell whether it still runs. If it has stopped, remove ${lockFile}.`,
    );
    this.name = 'DataDirectoryInUse';
    this.dataDir = dataDir;
    this.lockFile = lockFile;
    this.owner = owner;
    this.ownerIsLive = ownerIsLive;
  }
}

/** "storyhub serve (pid 1234, since 10:02, http://127.0.0.1:3000/)" */
export function describeOwner(owner: DataDirectoryOwner): string {
  return `${owner.command} (pid ${owner.pid}, since ${sinceTime(new Date(owner.startedAt))}${owner.url ? `, ${owner.url}` : ''})`;
}

function sinceTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getHours())}:${two(date.getMinutes())}`;
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${time}`;
}

/** Takes `dataDir` for this process, taking over a stale lock; throws DataDirectoryInUse when another process holds it. */
export function lockDataDirectory(dataDir: string, command: string): DataDirectoryLock {
  const file = `${dataDir}.lock`;
  const owner = currentOwner(command);
  let written = serialize(owner);
  createLock(dataDir, file, written);
  const release = () => {
    process.off('exit', release);
    if (readText(file) === written) removeFile(file);
  };
  process.on('exit', release);
  return {
    file,
    owner,
    release,
    announce(details) {
      Object.assign(owner, details);
      const text = serialize(owner);
      const temp = uniqueName(file, 'new');
      writeFileSync(temp, text);
      renameSync(temp, file); // replaces our own lock in one step: readers see the old or the new, never half
      written = text;
    },
  };
}

/** This process, as a lock names it. */
function currentOwner(command: string): DataDirectoryOwner {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    command,
    bootId: bootId(),
    processStart: processStartTime(process.pid),
  };
}

function createLock(dataDir: string, file: string, text: string): void {
  const temp = uniqueName(file, 'new');
  writeFileSync(temp, text, { flag: 'wx' });
  try {
    // Each round either takes the lock, refuses, or has a stale lock removed (by this process or
    // by another that got to it first) and tries again.
    const giveUpAt = Date.now() + TAKEOVER_PATIENCE_MS;
    while (Date.now() < giveUpAt) {
      if (linkIfFree(temp, file)) return;
      const heldText = readText(file);
      if (heldText === null) continue; // released in the meantime
      const held = parseOwner(heldText);
      const state = judge(held);
      if (state !== 'stale') throw new DataDirectoryInUse(dataDir, file, held, state === 'live');
      removeStale(file, heldText);
    }
    throw new Error(
      `Could not lock ${dataDir}: its stale lock file ${file} was still being taken over after ${TAKEOVER_PATIENCE_MS / 1000} s`,
    );
  } finally {
    removeFile(temp);
  }
}

/** How long a process waits for others that are removing the same stale lock before it gives up. */
const TAKEOVER_PATIENCE_MS = 5000;
/** Nesting of removals: a takeover whose taker died, whose taker died… deeper than this is not waited for. */
const TAKEOVER_DEPTH = 3;

/**
 * Removes `file`, judged stale from `staleText`, without ever removing anything else. Many
 * processes may find the same stale lock at once, and a free name can be taken by any of them the
 * moment it is free, so removal is itself exclusive: only the process that creates
 * `FILE.takeover-HASH` (HASH naming this stale text, by link(2) as the lock is made) may remove the
 * file, after reading it again under that claim. Nothing else removes a stale text, so what it read
 * is what it removes. Others wait for the claim to go; a claim left by a process that died while
 * holding it is stale in turn, and is removed the same way.
 */
function removeStale(file: string, staleText: string, depth = 0): void {
  const claim = `${file}.takeover-${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
  const claimText = serialize(currentOwner('takeover'));
  const temp = uniqueName(file, 'claim');
  writeFileSync(temp, claimText, { flag: 'wx' });
  let claimed: boolean;
  try {
    claimed = linkIfFree(temp, claim);
  } finally {
    removeFile(temp);
  }
  if (!claimed) {
    const holderText = readText(claim);
    if (holderText === null) return; // that taker has finished: look at the lock again
    if (depth < TAKEOVER_DEPTH && judge(parseOwner(holderText)) === 'stale') removeStale(claim, holderText, depth + 1);
    else pause(5); // another process is removing it, or will have in a moment
    return;
  }
  try {
    if (readText(file) === staleText) removeFile(file);
  } finally {
    if (readText(claim) === claimText) removeFile(claim);
  }
}

/** Blocks this thread for `ms` milliseconds (locking is synchronous: it runs before anything else starts). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

type OwnerState = 'live' | 'stale' | 'unknowable';

function judge(owner: DataDirectoryOwner | null): OwnerState {
  if (!owner || owner.hostname !== os.hostname()) return 'unknowable';
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return 'stale';
  return processEnded(owner.pid, owner.processStart) ? 'stale' : 'live';
}

/**
 * Whether process `pid` of this machine, started at `processStart` (as processStartTime gave it;
 * unknown: null), has surely ended: it is gone, a zombie, or its number now belongs to another process.
 */
export function processEnded(pid: number, processStart: string | null | undefined): boolean {
  if (!isAlive(pid)) return true;
  const stat = readProcessStat(pid);
  // A zombie has finished: it only waits for its parent (or an init that may never come) to reap it.
  if (stat?.state === 'Z' || stat?.state === 'X') return true;
  return Boolean(processStart && stat && processStart !== stat.start);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, but another user's
  }
}

function parseOwner(text: string): DataDirectoryOwner | null {
  try {
    const owner = JSON.parse(text) as DataDirectoryOwner;
    // A pid of 0 or below would make kill(2) signal a whole process group.
    const valid =
      Number.isInteger(owner.pid) &&
      owner.pid > 0 &&
      typeof owner.hostname === 'string' &&
      typeof owner.command === 'string' &&
      typeof owner.startedAt === 'string';
    return valid ? owner : null;
  } catch {
    return null;
  }
}

/** Reads the owner named in the lock of `dataDir`, if any (whether alive or not). */
export function readDataDirectoryOwner(dataDir: string): DataDirectoryOwner | null {
  const text = readText(`${dataDir}.lock`);
  return text === null ? null : parseOwner(text);
}

/** Linux's boot id, or null elsewhere. */
export function bootId(): string | null {
  return readText('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
}

/** When process `pid` started, in clock ticks since boot (field 22 of /proc/PID/stat); null where there is no /proc. */
export function processStartTime(pid: number): string | null {
  return readProcessStat(pid)?.start ?? null;
}

function readProcessStat(pid: number): { state: string; start: string } | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // Field 2 is the command name in parentheses and may itself hold spaces and parentheses; fields 3 on follow it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', start: fields[22 - 3] ?? '' };
}

const serialize = (owner: DataDirectoryOwner) => `${JSON.stringify(owner, null, 2)}\n`;
const uniqueName = (file: string, kind: string) => `${file}.${process.pid}-${randomBytes(4).toString('hex')}.${kind}`;

function linkIfFree(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return null; // ESRCH: a /proc file of a process that just ended
    throw error;
  }
}

function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
