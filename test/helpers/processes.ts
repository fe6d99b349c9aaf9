import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

// storyhub as real processes: `storyhub serve`, `storyhub worker` and the commands, each with its environment.

/** The environment of a site on `dataDir` (embedded unless DATABASE_URL is given), quiet, with no demo content. */
export function siteEnvironment(dataDir: string, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    PORT: '0',
    SEED_DEMO: 'false',
    WORKER: 'false',
    SIGN_IN_RATE_LIMIT: '1000',
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}

/**
 * Runs `storyhub ARGS` to its end; never rejects, so exit codes and messages can be checked. A time
 * limit, so that a command that wrongly waits fails the test instead of hanging it.
 */
export function storyhubCommand(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const options = { env, timeout: 60_000, killSignal: 'SIGKILL' as const };
    execFile(process.execPath, ['bin/storyhub.js', ...args], options, (error, stdout, stderr) => {
      resolve({ code: !error ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }); // -1: killed
    });
  });
}

export interface StoryhubProcess {
  process: ChildProcess;
  /** The address it serves (a worker: empty). */
  url: string;
  exited: Promise<unknown>;
  output(): string;
}

const started = new Set<ChildProcess>();

/** Starts `storyhub serve` (or `worker`) and waits for the line that says it runs. */
export async function startStoryhub(
  env: NodeJS.ProcessEnv,
  command: 'serve' | 'worker' = 'serve',
): Promise<StoryhubProcess> {
  const child = spawn(process.execPath, ['bin/storyhub.js', command], { env });
  started.add(child);
  const exited = once(child, 'exit');
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const ready = command === 'serve' ? /storyhub is serving (http:\/\/\S+\/)/ : /storyhub worker \S+ is processing jobs/;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = ready.exec(stdout);
      if (match) resolve(match[1] ?? '');
    });
    void exited.then(() => reject(new Error(`storyhub ${command} exited before it ran:\n${stdout}\n${stderr}`)));
  });
  return { process: child, url, exited, output: () => `${stdout}\n${stderr}` };
}

/** Sends `signal` and waits for the process to end; gives its exit code (null when a signal ended it). */
export async function stopStoryhub(running: StoryhubProcess, signal: NodeJS.Signals): Promise<number | null> {
  running.process.kill(signal);
  const [code] = (await running.exited) as [number | null];
  return code;
}

/** Kills whatever was started and still runs (for `after`). */
export function killStarted(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** A signed-in visitor of a running site, as a browser would be: cookies kept, the form token read from pages. */
export async function signedInClient(baseUrl: string, username: string, password: string) {
  let cookie = '';
  const keep = (response: Response) => {
    const fresh = response.headers.getSetCookie().map((c) => c.split(';')[0]!);
    if (fresh.length === 0) return;
    const jar = new Map(cookie ? cookie.split('; ').map((c) => [c.split('=')[0]!, c] as const) : []);
    for (const c of fresh) jar.set(c.split('=')[0]!, c);
    cookie = [...jar.values()].join('; ');
  };
  const request = async (pathname: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(pathname, baseUrl), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie },
    });
    keep(response);
    return response;
  };
  const csrf = async (pathname: string) =>
    /name="_csrf" value="([^"]+)"/.exec(await (await request(pathname)).text())?.[1] ?? '';
  const postForm = async (pathname: string, fields: Record<string, string>, tokenFrom = pathname) =>
    request(pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: await csrf(tokenFrom) }),
    });
  const signIn = await postForm('en/sign-in', { username, password });
  if (signIn.status !== 303) throw new Error(`signing in as ${username} answered ${signIn.status}`);
  return { request, csrf, postForm };
}
