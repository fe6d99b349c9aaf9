// The running site's door for the command line. On the embedded engine the site is the one process
// that holds the database (see store/data-directory-lock.ts), so `storyhub user add` and the like
// send their arguments here and the site runs them with its own services: their changes land in the
// live database and the site sees them at once. A unix socket only the site's user may open; never
// a TCP port, which any local user could reach.
//
// Protocol: the client sends one JSON line {"argv": ["user", "list"]}; the site answers with JSON
// lines {"out": "text"} and {"err": "text"}, then {"exit": code}, and closes the connection.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Where a command writes: lines for stdout and for stderr. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Runs one command line and gives its exit code. */
export type RunCommand = (argv: string[], output: CommandOutput) => Promise<number>;

export interface ControlServer {
  /** The socket's path (the one asked for, or one in a private temporary directory when that was too long). */
  path: string;
  /** Stops taking commands, lets running ones finish, and removes the socket. */
  close(): Promise<void>;
}

// A unix socket's path must fit in sun_path: 108 bytes on Linux, 104 on macOS, the final NUL included.
const MAX_SOCKET_PATH_BYTES = 100;
const MAX_REQUEST_CHARS = 64 * 1024;
// A client that connects and never sends its command would otherwise hold a connection for good.
const REQUEST_TIMEOUT_MS = 10_000;

/** Listens on `preferredPath` (replacing a socket file a killed site left there) and runs each command with `run`. */
export async function startControlServer(preferredPath: string, run: RunCommand): Promise<ControlServer> {
  const privateDir =
    Buffer.byteLength(preferredPath) > MAX_SOCKET_PATH_BYTES
      ? mkdtempSync(path.join(os.tmpdir(), 'storyhub-')) // mode 0700: only this user may enter it
      : null;
  const socketPath = privateDir ? path.join(privateDir, 'control.sock') : preferredPath;
  // The caller holds the data directory's lock, so a socket file here is a dead site's.
  rmSync(socketPath, { force: true });
  const idle = new Set<net.Socket>();
  // One command at a time, in the order they came, as if typed one after another: two `seed-demo`
  // at once would both find the catalog empty.
  let previous: Promise<unknown> = Promise.resolve();
  const runInTurn: RunCommand = (argv, output) => {
    const turn = previous.then(() => run(argv, output));
    previous = turn.catch(() => undefined);
    return turn;
  };
  const server = net.createServer((socket) => serveConnection(socket, runInTurn, idle));
  // The socket is created with no access for others from the start: chmod after listen would leave a moment open.
  const umask = process.umask(0o077);
  try {
    server.listen(socketPath); // binding a unix socket happens now, not on a later tick
  } finally {
    process.umask(umask);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  chmodSync(socketPath, 0o600);
  return {
    path: socketPath,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of idle) socket.destroy();
      await closed;
      rmSync(privateDir ?? socketPath, { recursive: true, force: true });
    },
  };
}

function serveConnection(socket: net.Socket, run: RunCommand, idle: Set<net.Socket>): void {
  idle.add(socket);
  socket.on('close', () => idle.delete(socket));
  // A client that goes away mid-command costs it the rest of the output, and nothing more.
  socket.on('error', () => undefined);
  socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
  socket.setEncoding('utf8');
  const send = (reply: object) => {
    if (socket.writable) socket.write(`${JSON.stringify(reply)}\n`);
  };
  const finish = (code: number) => {
    if (socket.writable) socket.end(`${JSON.stringify({ exit: code })}\n`, () => socket.destroy());
    else socket.destroy();
  };
  let request = '';
  const onData = (chunk: string) => {
    request += chunk;
    const newline = request.indexOf('\n');
    if (newline < 0 && request.length <= MAX_REQUEST_CHARS) return;
    // One command per connection: nothing after the first line is read.
    socket.off('data', onData);
    socket.setTimeout(0);
    idle.delete(socket);
    const argv = newline < 0 ? null : parseRequest(request.slice(0, newline));
    if (!argv) {
      send({ err: 'storyhub: a request is one JSON line such as {"argv": ["user", "list"]}' });
      return finish(2);
    }
    run(argv, { out: (line) => send({ out: line }), err: (line) => send({ err: line }) })
      .catch((error: Error) => {
        send({ err: `storyhub: ${error.message}` });
        return 1;
      })
      .then(finish);
  };
  socket.on('data', onData);
}

function parseRequest(line: string): string[] | null {
  try {
    const { argv } = JSON.parse(line) as { argv?: unknown };
    return Array.isArray(argv) && argv.every((arg) => typeof arg === 'string') ? argv : null;
  } catch {
    return null;
  }
}

/** Sends `argv` to the site listening on `socketPath`, passes its output on, and gives its exit code. */
export function sendToControlServer(socketPath: string, argv: string[], output: CommandOutput): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => socket.write(`${JSON.stringify({ argv })}\n`));
    let exitCode: number | undefined;
    const replies = createInterface({ input: socket });
    replies.on('error', () => undefined); // the socket's own error (below) says what went wrong
    replies.on('line', (line) => {
      const reply = parseReply(line);
      if (typeof reply.out === 'string') output.out(reply.out);
      if (typeof reply.err === 'string') output.err(reply.err);
      if (typeof reply.exit === 'number') exitCode = reply.exit;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (exitCode === undefined) reject(new Error('the site closed the connection before the command finished'));
      else resolve(exitCode);
    });
  });
}

function parseReply(line: string): { out?: unknown; err?: unknown; exit?: unknown } {
  try {
    return JSON.parse(line) as object;
  } catch {
    return {};
  }
}
