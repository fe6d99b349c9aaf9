import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Sorted copy; percentiles by nearest rank (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
export const median = (values: readonly number[]) => percentile(values, 50);

/** A small seeded generator, so every run builds the same data set. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const line = (cells: ReadonlyArray<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** `--name value` from argv, or undefined. */
export function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** GET on 127.0.0.1 with one Accept-Encoding; the body as sent (still compressed). */
export function get(
  port: number,
  urlPath: string,
  encoding: string,
  timeoutMs = 30_000,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: urlPath, headers: { 'accept-encoding': encoding }, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`GET ${urlPath} timed out`)));
    request.on('error', reject);
  });
}

// ---- processes: the real `storyhub serve`, helpers' children, and their CPU time ----

/** Every child process a benchmark starts; each is stopped by its own id at the end, on a signal, or on exit. */
const children = new Set<ChildProcess>();
export function trackChild<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
/** The process ids of a process's own children (nginx's worker, say), from /proc. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
/** SIGTERM (a server closes its database), SIGKILL after `graceMs`; then any child of its own that is left. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const own = childPids(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => {
    setTimeout(() => resolve('timeout'), graceMs).unref();
  });
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await Promise.race([
      exited,
      new Promise((resolve) => {
        setTimeout(resolve, 2000).unref();
      }),
    ]);
  }
  for (const pid of own) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
export async function stopChildren(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
}
let guarded = false;
/**
 * Stops every tracked child on Ctrl-C, SIGTERM (bench/run.ts's time limit) and on exit, and runs
 * `cleanup` (temporary files, a benchmark database) before leaving on a signal.
 */
export function guardChildren(cleanup: () => Promise<void> = async () => {}): void {
  if (guarded) return;
  guarded = true;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the servers and cleaning up`);
    const force = setTimeout(() => process.exit(signal === 'SIGINT' ? 130 : 143), 30_000);
    force.unref();
    void stopChildren()
      .then(cleanup)
      .catch(() => {})
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    for (const child of children) {
      if (child.pid !== undefined)
        for (const pid of childPids(child.pid)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      child.kill('SIGKILL');
    }
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
/** utime + stime in seconds of the given processes, all their threads counted (0 for any that is gone). */
export function cpuSeconds(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      /* gone */
    }
  }
  return total;
}
/** utime + stime in seconds of each thread of a process, by thread id, with the thread's name. */
export function threadCpuSeconds(pid: number): Map<number, { name: string; seconds: number }> {
  const threads = new Map<number, { name: string; seconds: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      /* gone */
    }
  }
  return threads;
}
/** The whole machine's busy and total CPU time (all cores, every process: other people's work too), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = line[3]! + line[4]!;
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** Where a program is: on PATH, or in the sbin folders (nginx lives in /usr/sbin); undefined when missing. */
export function findProgram(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin']) {
    const file = path.join(dir, name);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}
/**
 * Installs Debian packages with apt-get when run as root on Debian (as scripts/test.ts does for the
 * tests' packages); otherwise says the command to run. True when every program is there afterwards.
 */
export function ensurePrograms(
  needs: Array<{ program: string; packages: string[] }>,
  log: (line: string) => void = console.log,
): boolean {
  const missing = needs.filter((need) => !findProgram(need.program));
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.flatMap((need) => need.packages))];
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    log(`Missing ${missing.map((need) => need.program).join(', ')}: install with \`sudo ${command}\``);
    return false;
  }
  log(`Installing ${packages.join(', ')}: ${command}`);
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  const install =
    update.status === 0 &&
    spawnSync('apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (!install || install.status !== 0) log(`Could not install ${packages.join(', ')}`);
  return missing.every((need) => findProgram(need.program) !== undefined);
}

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The settings storyhub reads (README's table): a benchmark's server gets none of them from the bench's own environment unless it names them. */
const STORYHUB_SETTINGS = [
  'HOST',
  'PORT',
  'DATA_DIR',
  'MEDIA_DIR',
  'DATABASE_URL',
  'LOG_LEVEL',
  'SECURE_COOKIES',
  'TRUST_PROXY',
  'PAGE_CACHE_SECONDS',
  'SIGN_IN_RATE_LIMIT',
  'MAX_UPLOAD_BYTES',
  'WORKER',
  'SEED_DEMO',
  'DEMO_PASSWORD',
];
export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  logFile: string;
  stop(): Promise<void>;
}
/**
 * Starts the site as `npm start` does: `node src/cli/main.ts serve` in a process of its own, with
 * every setting at its default except those given in `env` (DATA_DIR, PORT, SEED_DEMO…). Its output
 * (the request log) goes to `logFile`, as it would to a terminal or a file, never through the bench
 * process. Resolves once /healthz answers 200.
 */
export async function startServe(
  env: Record<string, string>,
  logFile: string,
  timeoutMs = 180_000,
): Promise<ServeProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const child = spawnStoryhub('serve', { ...env, PORT: String(port) }, logFile);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`storyhub serve exited with ${child.exitCode ?? child.signalCode} before answering:\n${tail}`);
    }
    const ok = await get(port, '/healthz', 'identity', 2000).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (ok) return { child, pid: child.pid!, port, logFile, stop: () => stopChild(child) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopChild(child);
  throw new Error(`storyhub serve did not answer /healthz within ${timeoutMs / 1000} s (see ${logFile})`);
}

/** `node src/cli/main.ts COMMAND` with only the settings in `env`, its output appended to `logFile`. */
function spawnStoryhub(command: 'serve' | 'worker', env: Record<string, string>, logFile: string): ChildProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STORYHUB_SETTINGS) delete childEnv[name];
  Object.assign(childEnv, env);
  const out = openSync(logFile, 'a');
  const child = trackChild(
    spawn(process.execPath, [path.join(ROOT_DIR, 'src', 'cli', 'main.ts'), command], {
      cwd: ROOT_DIR,
      env: childEnv,
      stdio: ['ignore', out, out],
    }),
  );
  closeSync(out);
  return child;
}

/** Starts `storyhub worker` (jobs only; PostgreSQL) as startServe starts the site; resolves once it says it runs. */
export async function startJobWorker(
  env: Record<string, string>,
  logFile: string,
  timeoutMs = 120_000,
): Promise<{ child: ChildProcess; pid: number; stop(): Promise<void> }> {
  const child = spawnStoryhub('worker', env, logFile);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`storyhub worker exited with ${child.exitCode ?? child.signalCode}: see ${logFile}`);
    if (/is processing jobs/.test(readFileSync(logFile, 'utf8')))
      return { child, pid: child.pid!, stop: () => stopChild(child) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopChild(child);
  throw new Error(`storyhub worker did not start within ${timeoutMs / 1000} s (see ${logFile})`);
}

/** ffmpeg's arguments for a generated test clip (a moving test pattern and a tone) as an H.264/AAC MP4. */
export function testClipArguments(
  file: string,
  clip: { width: number; height: number; fps: number; seconds: number },
): string[] {
  return [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${clip.width}x${clip.height}:rate=${clip.fps}`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    String(clip.seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    file,
  ];
}
