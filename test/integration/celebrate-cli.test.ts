import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startControlServer, sendToControlServer } from '../../src/cli/control.ts';
import { runDatabaseCommand } from '../../src/cli/database-commands.ts';
import { loadConfig } from '../../src/config.ts';
import { createServices } from '../../src/services/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { account, celebrationAt, cycleForm, MONTH, nominationForm } from '../helpers/celebration.ts';

// `storyhub celebrate status|advance|export MONTH` on an embedded data directory: where a cycle
// stands, moving it on, and the month's record as JSON, in which a nominee who did not agree is
// only counted.

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-celebrate-'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SMTP_URL: '' };
const storyhub = (...args: string[]) => run(process.execPath, ['bin/storyhub.js', ...args], { env });

describe('storyhub celebrate (embedded database)', () => {
  before(async () => {
    // A cycle in its consent phase: Lucía agreed, Nour refused.
    const database = await openDatabase({ dataDir: path.join(dataDir, 'db'), command: 'test setup' });
    try {
      const services = await createServices(database, loadConfig(env));
      const { celebration, at } = celebrationAt(services);
      await services.repositories.catalog.saveRegion({ slug: 'africa', names: { en: 'Africa' } });
      const regionId = (await services.repositories.catalog.regions())[0]!.id;
      const editor = await account(services, 'Editor', ['editor']);
      const amani = await account(services, 'Amani');
      const kofi = await account(services, 'Kofi');
      const lucia = await account(services, 'Lucía');
      const nour = await account(services, 'Nour');
      const created = await celebration.createCycle(editor, cycleForm());
      assert.ok(created.ok);
      await at('2026-12-01T08:00:00Z');
      const agreed = await celebration.nominate(amani, created.cycle.id, nominationForm(regionId));
      const refused = await celebration.nominate(
        kofi,
        created.cycle.id,
        nominationForm(regionId, {
          nominee: 'Nour',
          homeWiki: 'ar.wikipedia.org',
          reasons: 'A secret reason for Nour nobody may read.',
        }),
      );
      assert.ok(agreed.ok && refused.ok);
      await at('2026-12-16T00:00:00Z');
      await celebration.answerAsAccount(lucia, agreed.nomination.id, 'consent');
      await celebration.answerAsAccount(nour, refused.nomination.id, 'refuse');
    } finally {
      await database.close();
    }
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('status tells where the cycle stands', async () => {
    const { stdout } = await storyhub('celebrate', 'status', MONTH);
    assert.match(stdout, /^2026-12\tconsent/m);
    assert.match(stdout, /^nominations\t2 \(/m);
    assert.match(stdout, /consented: 1/);
    assert.match(stdout, /refused: 1/);
  });

  test('export writes the month as JSON; a nominee who did not agree is only counted', async () => {
    const { stdout } = await storyhub('celebrate', 'export', MONTH);
    const record = JSON.parse(stdout) as {
      month: string;
      phase: string;
      nominations: Array<{ nominee: string; reasons: string; nominator: string }>;
      otherNominations: number;
      results: unknown;
    };
    assert.equal(record.month, MONTH);
    assert.equal(record.phase, 'consent');
    assert.deepEqual(
      record.nominations.map((nomination) => [nomination.nominee, nomination.nominator]),
      [['Lucía', 'Amani']],
    );
    assert.equal(record.otherNominations, 1);
    assert.equal(record.results, null, 'no results before the vote closes');
    assert.doesNotMatch(stdout, /Nour|secret reason/);
  });

  test('advance moves the cycle one phase on, recorded', async () => {
    const { stdout } = await storyhub('celebrate', 'advance', MONTH);
    assert.match(stdout, /Moved 2026-12 from consent to choice/);
    assert.match((await storyhub('celebrate', 'status', MONTH)).stdout, /^2026-12\tchoice/m);
    const record = JSON.parse((await storyhub('celebrate', 'export', MONTH)).stdout) as {
      transitions: Array<{ from: string; to: string; how: string; by: string | null }>;
    };
    assert.deepEqual(record.transitions.at(-1), {
      ...record.transitions.at(-1),
      from: 'consent',
      to: 'choice',
      how: 'editor',
      by: null,
    });
  });

  test('an account gets its mail address from the command line; a wrong one adds nobody', async () => {
    await assert.rejects(
      storyhub('user', 'add', 'Zawadi', '--password', 'a long enough password', '--email', 'not an address'),
      (error: { stderr: string; code: number }) => error.code === 2 && /not a mail address/.test(error.stderr),
    );
    await storyhub('user', 'add', 'Zawadi', '--password', 'a long enough password', '--email', 'zawadi@example.org');
    assert.match((await storyhub('user', 'list')).stdout, /^Zawadi\t/m);
  });

  test('a wrong month or action is explained, with exit code 2', async () => {
    for (const args of [
      ['celebrate', 'status', 'December'],
      ['celebrate', 'status', '2031-01'],
      ['celebrate', 'frobnicate', MONTH],
    ])
      await assert.rejects(storyhub(...args), (error: { stderr: string; code: number }) => {
        assert.doesNotMatch(error.stderr, /at .*\.ts:\d+/);
        return error.code === 2 && error.stderr.length > 0;
      });
  });
});

describe('storyhub celebrate in a running site (its control socket)', () => {
  test("the command runs with the site's own services and prints the same", async () => {
    const database = await openDatabase({});
    const socketDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-control-'));
    try {
      const services = await createServices(database, loadConfig(env));
      const editor = await account(services, 'Editor', ['editor']);
      const created = await services.celebration.createCycle(editor, cycleForm('2027-02'));
      assert.ok(created.ok);
      const control = await startControlServer(path.join(socketDir, 'control.sock'), (argv, output) =>
        runDatabaseCommand(services, argv, output),
      );
      try {
        const lines: string[] = [];
        const code = await sendToControlServer(control.path, ['celebrate', 'advance', '2027-02'], {
          out: (line) => lines.push(line),
          err: (line) => lines.push(line),
        });
        assert.equal(code, 0);
        assert.match(lines.join('\n'), /Moved 2027-02 from upcoming to nominations/);
        assert.equal((await services.celebration.cycleByMonth('2027-02'))?.phase, 'nominations');
      } finally {
        await control.close();
      }
    } finally {
      await database.close();
      rmSync(socketDir, { recursive: true, force: true });
    }
  });
});
