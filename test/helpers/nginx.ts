import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './apertium.ts';

// Debian's nginx as the load balancer in front of several `storyhub serve` processes, as docs/DEPLOY.md
// sets it up (the same proxy settings), running in the foreground on loopback from a directory of its own.
// The multi-process test and the load benchmark (bench/load.ts --processes) both start it from here.

export const NGINX = '/usr/sbin/nginx';
export const hasNginx = () => spawnSync(NGINX, ['-v'], { stdio: 'ignore' }).status === 0;

export interface RunningNginx {
  url: string;
  port: number;
  /** The master's process id (its workers are its children). */
  pid: number;
  /** Requests per upstream address, from nginx's access log. */
  upstreamsUsed(): Map<string, number>;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** Worker processes: a number or 'auto' (one per core, Debian's default). */
  workers?: number | 'auto';
  /** Connections per worker, clients and upstreams counted together. */
  connections?: number;
}

/** Starts nginx on a free loopback port, balancing over `backends` (http://host:port/ addresses). */
export async function startNginx(
  directory: string,
  backends: string[],
  { workers = 1, connections = 256 }: NginxOptions = {},
): Promise<RunningNginx> {
  mkdirSync(path.join(directory, 'logs'), { recursive: true });
  const port = await freePort();
  const servers = backends.map((backend) => `    server ${new URL(backend).host};`).join('\n');
  const config = path.join(directory, 'nginx.conf');
  writeFileSync(
    config,
    `${process.getuid?.() === 0 ? 'user root root;\n' : ''}daemon off;
worker_processes ${workers};
pid ${directory}/nginx.pid;
error_log ${directory}/logs/error.log warn;
events { worker_connections ${connections}; }
http {
  client_body_temp_path ${directory}/body;
  proxy_temp_path ${directory}/proxy;
  fastcgi_temp_path ${directory}/fastcgi;
  uwsgi_temp_path ${directory}/uwsgi;
  scgi_temp_path ${directory}/scgi;
  log_format upstream '$upstream_addr $status $request';
  access_log ${directory}/logs/access.log upstream;
  upstream storyhub {
${servers}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
    location / {
      proxy_pass http://storyhub;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_request_buffering off;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', directory, '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}/`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    const up = await fetch(url, { redirect: 'manual' }).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (attempt > 100) throw new Error(`nginx did not answer: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    pid: child.pid!,
    upstreamsUsed() {
      const counts = new Map<string, number>();
      for (const line of readFileSync(path.join(directory, 'logs', 'access.log'), 'utf8').split('\n')) {
        const address = line.split(' ')[0];
        if (address) counts.set(address, (counts.get(address) ?? 0) + 1);
      }
      return counts;
    },
    async stop() {
      child.kill('SIGQUIT');
      await exited;
    },
  };
}
