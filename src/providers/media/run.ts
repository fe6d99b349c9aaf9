import { spawn } from 'node:child_process';
import path from 'node:path';
import { mediaToolFailed } from '../../errors.ts';

export interface RunOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** Each line of standard output, as it comes (ffmpeg's -progress pipe:1); stdout is then not kept. */
  onLine?: ((line: string) => void) | undefined;
  /** Standard output as raw bytes, as they come (decoded audio); stdout is then not kept. */
  onBytes?: ((chunk: Buffer) => void) | undefined;
}
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const MAX_STDOUT = 4 * 1024 * 1024;
const STDERR_TAIL = 8 * 1024;

/**
 * Runs a tool as a child process: no shell, arguments as an array. Resolves with its exit code and
 * output whatever the code; rejects when it cannot start, is aborted or runs out of time (killed).
 */
export function runTool(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason ?? new Error('aborted'));
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let failure: Error | undefined;
    const kill = (error: Error) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    if (options.onBytes) child.stdout.on('data', options.onBytes);
    else
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        if (!options.onLine) {
          if (stdout.length < MAX_STDOUT) stdout += chunk;
          return;
        }
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) options.onLine(line.trim());
      });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    const onAbort = () =>
      kill(options.signal?.reason instanceof Error ? options.signal.reason : new Error(`${command} was stopped`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs
      ? setTimeout(
          () => kill(mediaToolFailed(command, `took longer than ${Math.round(options.timeoutMs! / 1000)} s`)),
          options.timeoutMs,
        )
      : undefined;
    const cleanUp = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanUp();
      reject(
        error.code === 'ENOENT'
          ? mediaToolFailed(command, `${command} is not installed (Debian: apt-get install ffmpeg)`)
          : mediaToolFailed(command, error.message),
      );
    });
    child.on('close', (code, signal) => {
      cleanUp();
      if (pending && options.onLine) options.onLine(pending.trim());
      if (failure) reject(failure);
      else resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The last meaningful line a tool wrote to stderr, with the server's paths reduced to file names. */
export function reasonFrom(stderr: string, files: readonly string[]): string {
  let text = stderr;
  for (const file of files)
    text = text.split(`file:${file}`).join(path.basename(file)).split(file).join(path.basename(file));
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? 'no error message').slice(0, 300);
}
