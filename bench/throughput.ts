// A cached public page from storyhub against nginx serving the same bytes from disk, in one run:
// autocannon, 64 connections, 10 s each, Accept-Encoding: gzip, alternating storyhub, nginx,
// storyhub, nginx. Only 127.0.0.1 is used.
//
//   node_modules/.bin/node bench/throughput.ts [--json FILE] [--duration SECONDS]   (NGINX=path picks the nginx binary)
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { fixed, get, markdownTable, option } from './lib.ts';

export const CONNECTIONS = 64;
export const DURATION_SECONDS = Number(option('duration') ?? 10);
const WARMUP_SECONDS = 3;
export const INSTALL_NGINX = 'apt-get install -y nginx';

export interface LoadRun {
  server: 'storyhub' | 'nginx'; round: number; requestsPerSecond: number; p50: number; p99: number; p999: number;
  requests: number; errors: number; non2xx: number; serverCpu: number; loaderCpu: number;
}
export interface ThroughputResult {
  skipped?: string;
  url?: string; bodyBytes?: number; gzipBytes?: number; nginxVersion?: string; cacheSeconds?: number;
  connections: number; durationSeconds: number; runs: LoadRun[];
  summary?: { storyhub: Summary; nginx: Summary; ratio: number };
}
interface Summary { requestsPerSecond: number; p50: number; p99: number }

// ---- child processes: every one is recorded here and stopped at the end, by its own id ----
const children = new Set<ChildProcess>();
function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const workers = childPids(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send('stop');
  child.kill(signal);
  const timer = new Promise<'timeout'>((resolve) => { setTimeout(() => resolve('timeout'), 5000).unref(); });
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await Promise.race([exited, new Promise((resolve) => { setTimeout(resolve, 2000).unref(); })]);
  }
  // nginx's worker leaves with its master; make sure of it.
  for (const pid of workers) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
}
process.once('exit', () => {
  for (const child of children) {
    if (child.pid !== undefined) for (const pid of childPids(child.pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    child.kill('SIGKILL');
  }
});

// ---- helpers ----
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function findNginx(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']) {
    const file = path.join(dir, 'nginx');
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

/** utime + stime in seconds of a process and the given others (from /proc; 0 where unreadable). */
function cpuSeconds(pids: number[]): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch { /* gone */ }
  }
  return total;
}

function startStoryhub(): Promise<{ child: ChildProcess; port: number; slugs: string[]; cacheSeconds: number }> {
  const child = track(fork(new URL('./serve-demo.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('storyhub did not start within 120 s')), 120_000);
    child.once('message', (message: { port: number; slugs: string[]; cacheSeconds: number }) => {
      clearTimeout(timer);
      resolve({ child, ...message });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`storyhub exited with ${code} before listening`)); });
  });
}

const MIRRORED_HEADERS = /^(content-security-policy|cross-origin-.*|origin-agent-cluster|referrer-policy|strict-transport-security|x-(?!cache).*)$/;

function nginxConfig(dir: string, port: number, headers: http.IncomingHttpHeaders): string {
  const quote = (value: string) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const added = Object.entries(headers)
    .filter(([name, value]) => MIRRORED_HEADERS.test(name) && typeof value === 'string')
    .map(([name, value]) => `        add_header ${name} ${quote(value as string)} always;`).join('\n');
  return `# Generated by bench/throughput.ts: one worker (Node serves from one thread), no access log,
# the page's gzip copy served as it is, and storyhub's security headers so both answers are alike.
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types { }
    default_type "text/html; charset=utf-8";
    gzip_static on;
    gzip_vary on;
    server {
        listen 127.0.0.1:${port};
        root ${dir}/www;
        location / {
${added}
        }
    }
}
`;
}

async function startNginx(binary: string, dir: string, port: number): Promise<ChildProcess> {
  const child = track(spawn(binary, ['-p', `${dir}/`, '-c', `${dir}/nginx.conf`, '-e', `${dir}/error.log`], { stdio: ['ignore', 'inherit', 'inherit'] }));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const log = existsSync(`${dir}/error.log`) ? readFileSync(`${dir}/error.log`, 'utf8').trim() : '(no error log)';
      throw new Error(`nginx exited with ${child.exitCode}: ${log}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('nginx did not start listening within 15 s');
}

async function load(port: number, urlPath: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}${urlPath}`,
    connections: CONNECTIONS, duration: seconds, timeout: 10,
    headers: { 'accept-encoding': 'gzip' },
  });
}

export async function runThroughput(log: (line: string) => void = console.log): Promise<ThroughputResult> {
  const base = { connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, runs: [] as LoadRun[] };
  // NGINX=/path/to/nginx picks the binary (a path that does not exist acts as "not installed").
  const nginx = process.env.NGINX !== undefined ? (existsSync(process.env.NGINX) ? process.env.NGINX : undefined) : findNginx();
  if (!nginx) {
    const note = `nginx is not installed, so the comparison was not run. Install it with \`${INSTALL_NGINX}\` (as root) and run again.`;
    log(note);
    return { ...base, skipped: note };
  }
  const nginxVersion = await new Promise<string>((resolve) => {
    const child = spawn(nginx, ['-v'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    child.stderr.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    child.on('close', () => resolve(text.trim().replace(/^nginx version:\s*/, '')));
    child.on('error', () => resolve('unknown'));
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-nginx-'));
  try {
    const storyhub = await startStoryhub();
    const slug = storyhub.slugs[0];
    if (!slug) throw new Error('the demo catalog has no published story');
    const urlPath = `/en/stories/${slug}`;
    // Warm the cache, then keep exactly what storyhub sends: the page and its gzip form.
    const first = await get(storyhub.port, urlPath, 'identity');
    if (first.status !== 200) throw new Error(`${urlPath}: ${first.status}`);
    const plain = await get(storyhub.port, urlPath, 'identity');
    const gzipped = await get(storyhub.port, urlPath, 'gzip');
    if (plain.headers['x-cache'] !== 'hit' || gzipped.headers['x-cache'] !== 'hit' || gzipped.headers['content-encoding'] !== 'gzip') {
      throw new Error(`the page is not served from the cache (x-cache ${String(gzipped.headers['x-cache'])}, content-encoding ${String(gzipped.headers['content-encoding'])})`);
    }
    if (!gunzipSync(gzipped.body).equals(plain.body)) throw new Error('the gzip form differs from the page');
    const file = path.join(dir, 'www', urlPath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, plain.body);
    writeFileSync(`${file}.gz`, gzipped.body);
    // nginx's worker may run as another user (nobody) when started by root: let it read the files.
    for (let at = path.dirname(file); at.startsWith(dir); at = path.dirname(at)) chmodSync(at, 0o755);
    chmodSync(file, 0o644);
    chmodSync(`${file}.gz`, 0o644);
    const nginxPort = await freePort();
    writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, nginxPort, gzipped.headers));
    const nginxProcess = await startNginx(nginx, dir, nginxPort);
    const fromNginx = await get(nginxPort, urlPath, 'gzip');
    if (fromNginx.status !== 200 || fromNginx.headers['content-encoding'] !== 'gzip' || !fromNginx.body.equals(gzipped.body)) {
      throw new Error(`nginx does not serve the same gzip bytes (status ${fromNginx.status}, content-encoding ${String(fromNginx.headers['content-encoding'])})`);
    }
    log(`page ${urlPath}: ${plain.body.length} bytes, ${gzipped.body.length} gzipped; storyhub on ${storyhub.port}, ${nginxVersion} on ${nginxPort}`);

    const servers = [
      { name: 'storyhub' as const, port: storyhub.port, pids: () => [storyhub.child.pid!] },
      { name: 'nginx' as const, port: nginxPort, pids: () => [nginxProcess.pid!, ...childPids(nginxProcess.pid!)] },
    ];
    for (const server of servers) {
      log(`warm-up ${server.name} ${WARMUP_SECONDS} s`);
      await load(server.port, urlPath, WARMUP_SECONDS);
    }
    const runs: LoadRun[] = [];
    for (const round of [1, 2]) {
      for (const server of servers) {
        const cpuBefore = cpuSeconds(server.pids());
        const loaderBefore = process.cpuUsage();
        const result = await load(server.port, urlPath, DURATION_SECONDS);
        const loader = process.cpuUsage(loaderBefore);
        const run: LoadRun = {
          server: server.name, round,
          requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
          p999: result.latency.p99_9, requests: result.requests.total, errors: result.errors + result.timeouts, non2xx: result.non2xx,
          serverCpu: (cpuSeconds(server.pids()) - cpuBefore) / result.duration,
          loaderCpu: (loader.user + loader.system) / 1e6 / result.duration,
        };
        runs.push(run);
        log(`${server.name} round ${round}: ${fixed(run.requestsPerSecond, 0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}`);
      }
    }
    const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
    const summarize = (name: LoadRun['server']): Summary => {
      const mine = runs.filter((run) => run.server === name);
      return { requestsPerSecond: mean(mine.map((r) => r.requestsPerSecond)), p50: mean(mine.map((r) => r.p50)), p99: Math.max(...mine.map((r) => r.p99)) };
    };
    const summary = { storyhub: summarize('storyhub'), nginx: summarize('nginx'), ratio: 0 };
    summary.ratio = summary.storyhub.requestsPerSecond / summary.nginx.requestsPerSecond;
    return {
      ...base, runs, summary, url: urlPath, bodyBytes: plain.body.length, gzipBytes: gzipped.body.length,
      nginxVersion, cacheSeconds: storyhub.cacheSeconds,
    };
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function throughputTable(result: ThroughputResult): string {
  if (result.skipped || !result.summary) return `_Not run: ${result.skipped ?? 'no result'}_`;
  const rows: Array<Array<string | number>> = result.runs.map((run) => [
    `${run.server} (round ${run.round})`, fixed(run.requestsPerSecond, 0), run.p50, run.p99, run.p999,
    `${run.errors} / ${run.non2xx}`, `${fixed(run.serverCpu * 100, 0)}%`, `${fixed(run.loaderCpu * 100, 0)}%`,
  ]);
  const { storyhub, nginx, ratio } = result.summary;
  rows.push([`**storyhub / nginx**`, `**${fixed(ratio * 100, 0)}%**`, `${fixed(storyhub.p50, 1)} vs ${fixed(nginx.p50, 1)}`, `${storyhub.p99} vs ${nginx.p99}`, '', '', '', '']);
  return markdownTable(['server', 'requests/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'errors / non-2xx', 'server CPU', 'loader CPU'], rows);
}

if (import.meta.main) {
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const result = await runThroughput();
  console.log(`\n${result.connections} connections, ${result.durationSeconds} s per run, Accept-Encoding: gzip\n`);
  console.log(throughputTable(result));
  const json = option('json');
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
}
