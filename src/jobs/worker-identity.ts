import { createHash, randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { bootId, processEnded, processStartTime } from '../store/data-directory-lock.ts';

// A worker's name in the jobs it holds (jobs.locked_by): HOST:PID:START:PLACE:RANDOM. START is when
// the process began (so a reused process number is told apart), PLACE a digest of the machine's boot
// and the process-number namespace (two containers may share a host name and number their processes
// alike, never both). With it, a worker that starts after another was killed (kill -9, a power cut of
// a container) sees at once that the other is gone and queues its jobs again, instead of waiting for
// them to go stale; a worker it cannot judge (another machine) is left to the staleness rule.

let place: string | undefined;
function thisPlace(): string {
  if (place === undefined) {
    let namespace = '';
    try {
      namespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      // No /proc (not Linux): the boot id alone, or nothing: then no worker is judged gone here.
    }
    const boot = bootId();
    place = boot ? createHash('sha256').update(`${boot}/${namespace}`).digest('hex').slice(0, 10) : '';
  }
  return place;
}

/** A new worker name for this process. */
export function workerIdentity(): string {
  const start = processStartTime(process.pid) ?? '';
  return `${hostname()}:${process.pid}:${start}:${thisPlace()}:${randomBytes(3).toString('hex')}`;
}

/** Whether the worker so named surely no longer runs: a process of this machine and namespace that has ended. */
export function workerIsGone(workerId: string): boolean {
  const parts = workerId.split(':');
  if (parts.length !== 5) return false;
  const [host, pidText, start, where] = parts as [string, string, string, string];
  const pid = Number(pidText);
  if (host !== hostname() || !where || where !== thisPlace() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false; // this process: its workers stop by themselves
  return processEnded(pid, start || null);
}
