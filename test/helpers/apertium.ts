import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** The Debian packages the machine translation tests need: the server and a few language pairs. */
export const APERTIUM_PACKAGES = [
  'apertium-apy',
  'apertium-eng-spa',
  'apertium-fr-es',
  'apertium-es-pt',
  'apertium-en-gl',
  'apertium-eng-cat',
  'apertium-hbs-eng',
  'apertium-rus-ukr',
  'apertium-urd-hin',
];

export interface RunningApertium {
  /** "http://127.0.0.1:PORT". */
  url: string;
  stop(): Promise<void>;
}

const MODES_DIR = process.env.APERTIUM_MODES ?? '/usr/share/apertium/modes';
const READY_WITHIN_MS = 30_000;

/**
 * A real Apertium APy: the one in APERTIUM_URL when it answers, else one started on a free port, answering /listPairs when this resolves. APy 0.11 has no
 * option for the address, so it listens on every interface while the tests run; it is asked on
 * 127.0.0.1. Its translation pipelines are child processes of its own, so it runs as a process
 * group and stop() ends the whole group.
 */
export async function startApertium(): Promise<RunningApertium> {
  // CI starts one beside the tests (.ci/run): use it.
  const running = process.env.APERTIUM_URL;
  if (running && (await answersPairs(running))) return { url: running, stop: async () => {} };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // -j 1: one process (0 would start one per core); APy refuses to start without a UTF-8 locale.
  const child = spawn('apertium-apy', ['-p', String(port), '-j', '1', MODES_DIR], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? new Error(`apertium-apy is not installed. Debian: apt-get install -y ${APERTIUM_PACKAGES.join(' ')}`)
          : error,
      ),
    );
    child.once('exit', (code, signal) => resolve(new Error(`apertium-apy stopped (${code ?? signal}):\n${log}`)));
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const gone = once(child, 'exit');
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  };

  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    const failed = await Promise.race([exited, delay(100).then(() => null)]);
    if (failed) throw failed;
    if (await answersPairs(url)) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`apertium-apy did not answer /listPairs within ${READY_WITHIN_MS / 1000} s:\n${log}`);
    }
  }
}

async function answersPairs(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/listPairs`, { signal: AbortSignal.timeout(1000) });
    return response.ok && Array.isArray(((await response.json()) as { responseData?: unknown }).responseData);
  } catch {
    return false;
  }
}

/** A port nobody listens on now (the kernel's pick; closed again at once). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
