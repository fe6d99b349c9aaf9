import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sendToControlServer, startControlServer, type CommandOutput, type RunCommand } from '../../src/cli/control.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-control-'));
let sockets = 0;
const socketPath = () => path.join(dir, `${++sockets}.sock`);

/** A command line that echoes its arguments, fails on "boom", and takes its time on "slow". */
const echo: RunCommand = async (argv, output) => {
  if (argv[0] === 'boom') throw new Error('it broke');
  if (argv[0] === 'slow') await new Promise((resolve) => setTimeout(resolve, 200));
  output.out(argv.join(' '));
  output.err('a note');
  return argv.length;
};

function collect(): CommandOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(`out: ${line}`), err: (line) => lines.push(`err: ${line}`) };
}

/** Sends raw text and gives back every reply line the server sent before it closed. */
async function sendRaw(socketPath: string, text: string): Promise<unknown[]> {
  const socket = net.connect(socketPath);
  socket.write(text);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
  });
  await new Promise((resolve) => socket.on('close', resolve));
  return received
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

describe('the control socket of a running site', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('runs a command and passes on its output and exit code', async () => {
    const server = await startControlServer(socketPath(), echo);
    const output = collect();
    assert.equal(await sendToControlServer(server.path, ['user', 'list'], output), 2);
    assert.deepEqual(output.lines, ['out: user list', 'err: a note']);
    await server.close();
  });

  test('only its owner may connect, and a socket file a killed site left behind is replaced', async () => {
    const file = socketPath();
    writeFileSync(file, 'left over');
    const server = await startControlServer(file, echo);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(statSync(file).isSocket());
    await server.close();
    assert.equal(existsSync(file), false, 'closing removes the socket');
  });

  test('a path too long for a unix socket falls back to a private temporary directory', async () => {
    const long = path.join(dir, 'a'.repeat(120), 'db.control.sock');
    const server = await startControlServer(long, echo);
    assert.notEqual(server.path, long);
    assert.equal(statSync(path.dirname(server.path)).mode & 0o777, 0o700);
    assert.equal(await sendToControlServer(server.path, ['x'], collect()), 1);
    await server.close();
    assert.equal(existsSync(path.dirname(server.path)), false);
  });

  test('bad requests, failing commands and clients that leave early do not stop it', async () => {
    const server = await startControlServer(socketPath(), echo);
    assert.deepEqual((await sendRaw(server.path, 'not json\n')).at(-1), { exit: 2 });
    assert.deepEqual((await sendRaw(server.path, '{"argv": [1, 2]}\n')).at(-1), { exit: 2 });
    assert.deepEqual(await sendRaw(server.path, '{"argv": ["boom"]}\n'), [{ err: 'storyhub: it broke' }, { exit: 1 }]);
    const leaving = net.connect(server.path);
    leaving.write('{"argv": ["slow"]}\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    leaving.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await sendToControlServer(server.path, ['still', 'here'], collect()), 2);
    await server.close();
  });

  test('closing waits for a running command to finish', async () => {
    const server = await startControlServer(socketPath(), echo);
    const output = collect();
    const running = sendToControlServer(server.path, ['slow'], output);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    assert.equal(await running, 1);
    assert.deepEqual(output.lines, ['out: slow', 'err: a note']);
  });

  test('runs one command at a time, in the order they came', async () => {
    const order: string[] = [];
    const server = await startControlServer(socketPath(), async ([name = ''], output) => {
      order.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, name === 'first' ? 100 : 0));
      order.push(`end ${name}`);
      output.out(name);
      return 0;
    });
    const first = sendToControlServer(server.path, ['first'], collect());
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([first, sendToControlServer(server.path, ['second'], collect())]);
    assert.deepEqual(order, ['start first', 'end first', 'start second', 'end second']);
    await server.close();
  });

  test('a client is told when no site listens', async () => {
    await assert.rejects(sendToControlServer(path.join(dir, 'nobody.sock'), ['user', 'list'], collect()), {
      code: 'ENOENT',
    });
  });
});
