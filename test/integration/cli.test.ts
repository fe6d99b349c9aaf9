import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-cli-'));
const storyhub = (...args: string[]) =>
  run(process.execPath, ['bin/storyhub.js', ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });

describe('the storyhub command (embedded database)', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('migrate, seed-demo and user management work on a new data directory', async () => {
    assert.match((await storyhub('migrate')).stdout, /schema is up to date/);
    assert.match((await storyhub('seed-demo')).stdout, /Added 7 demo stories/);
    assert.match((await storyhub('seed-demo')).stdout, /already has stories/);
    assert.match(
      (
        await storyhub(
          'user',
          'add',
          'Zawadi',
          '--password',
          'a long enough password',
          '--role',
          'reviewer',
          '--language',
          'sw',
        )
      ).stdout,
      /Added Zawadi/,
    );
    await storyhub('user', 'grant', 'Zawadi', 'editor');
    assert.match((await storyhub('user', 'list')).stdout, /Zawadi\teditor, reviewer:sw/);
    await storyhub('user', 'revoke', 'Zawadi', 'editor');
    assert.match((await storyhub('user', 'list')).stdout, /Zawadi\treviewer:sw\n/);
  });

  test('mistakes are explained with the usage, not a stack trace', async () => {
    await assert.rejects(storyhub('user', 'grant', 'Nobody', 'editor'), (error: { stderr: string; code: number }) => {
      assert.match(error.stderr, /No user named "Nobody"/);
      assert.doesNotMatch(error.stderr, /at .*\.ts:\d+/);
      return error.code === 2;
    });
    await assert.rejects(storyhub('user', 'add', 'x', '--role', 'king'), (error: { stderr: string }) =>
      /Cannot add x|Unknown role/.test(error.stderr),
    );
    await assert.rejects(
      storyhub('frobnicate'),
      (error: { stdout: string; code: number }) => /Usage: storyhub/.test(error.stdout) && error.code === 2,
    );
  });
});
