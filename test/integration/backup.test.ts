import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import tar from 'tar-stream';
import { localFileStorage } from '../../src/providers/storage/local.ts';
import { BackupError, writeBackup } from '../../src/services/backup.ts';
import { restoreBackup } from '../../src/services/restore.ts';
import { migrate, openDatabase, type Database } from '../../src/store/database.ts';
import { knownSchemaLevels, schemaLevel } from '../../src/store/backup.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { createCatalog, createUser, startTestSite, type TestSite } from '../helpers/app.ts';
import { createTestDatabase, testEngines } from '../helpers/database.ts';
import { killStarted, signedInClient, siteEnvironment, startStoryhub, storyhubCommand } from '../helpers/processes.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'storyhub-backup-test-'));
after(() => rmSync(work, { recursive: true, force: true }));
let files = 0;
const newFile = (name = 'site.backup') => path.join(work, `${++files}-${name}`);
const newMediaDir = () => {
  const directory = path.join(work, `${++files}-media`);
  mkdirSync(directory);
  return directory;
};

/** Every table's rows as text, sorted: two databases with the same rows give the same dump. */
async function canonicalDump(database: Database): Promise<Record<string, string[]>> {
  return database.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL TimeZone = 'UTC'`.execute(trx);
    const { rows: tables } = await sql<{ name: string }>`
      SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
      AND relname NOT LIKE 'kysely\_%' ORDER BY relname`.execute(trx);
    const dump: Record<string, string[]> = {};
    for (const { name } of tables) {
      const { rows } = await sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM ${sql.table(name)} t`.execute(
        trx,
      );
      dump[name] = rows.map((row) => row.row).sort();
    }
    return dump;
  });
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every file under `directory`, by its path inside it, with its SHA-256. */
function mediaChecksums(directory: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      found[path.relative(directory, full)] = sha256(full);
    }
  return found;
}

/** A site with people, stories in three languages, a user, a session and media files (bytes that are not text). */
async function fillSite(site: TestSite) {
  const { services } = site;
  await createUser(services, 'Zawadi', [{ role: 'reviewer', language: 'sw' }]);
  const { stories } = await createCatalog(services, [
    {
      slug: 'screen',
      texts: {
        en: { title: 'Behind the Screen', summary: 'A "quoted" summary', body: 'First.\n\nSecond, with ünïcödé.' },
        ar: { title: 'خلف الشاشة' },
        ja: { title: '画面の裏側' },
      },
    },
    { slug: 'draft', texts: { fr: { title: 'Brouillon' } }, status: 'draft' },
  ]);
  const media: Array<{ id: number }> = [];
  for (const [role, key, mime] of [
    ['poster', `stories/${stories[0]!.id}/poster-1.jpg`, 'image/jpeg'],
    ['rendition', `stories/${stories[0]!.id}/run-1/360p.webm`, 'video/webm'],
  ] as const) {
    const bytes = randomBytes(200_000 + media.length);
    await services.storage.put(key, Readable.from([bytes]), { maxBytes: 1e9 });
    media.push(
      await services.repositories.media.add({
        storyId: stories[0]!.id,
        role,
        storageKey: key,
        mime,
        bytes: bytes.length,
      }),
    );
  }
  return { stories, media };
}

for (const engine of testEngines()) {
  describe(`backup and restore from the ${engine} engine`, () => {
    let site: TestSite;
    let file: string;
    let sourceDump: Record<string, string[]>;
    let sourceMedia: Record<string, string>;
    before(async () => {
      site = await startTestSite(engine);
      await fillSite(site);
      file = newFile();
      const summary = await writeBackup(site.database, site.services.storage, file);
      assert.equal(summary.mediaFiles, 2);
      sourceDump = await canonicalDump(site.database);
      const mediaDir = path.dirname(site.services.storage.path('any'));
      sourceMedia = mediaChecksums(mediaDir);
    });
    after(() => site.close());

    for (const target of testEngines()) {
      test(`restores into an empty ${target} database: every row and every media file the same`, async () => {
        const database = await createTestDatabase(target);
        const mediaDir = newMediaDir();
        try {
          const restored = await restoreBackup(database, mediaDir, file);
          assert.equal(restored.manifest.engine, engine);
          assert.deepEqual(await canonicalDump(database), sourceDump);
          assert.deepEqual(mediaChecksums(mediaDir), sourceMedia);
          assert.ok(sourceDump.stories!.length === 2 && sourceDump.users!.length === 1);
          // The id counters follow the restored ids: new rows can be added.
          const { rows } = await sql<{ id: number }>`
            INSERT INTO regions (slug, names) VALUES ('asia', '{"en": "Asia"}') RETURNING id`.execute(database.db);
          assert.ok(
            rows[0]!.id > Math.max(...sourceDump.regions!.map((row) => (JSON.parse(row) as { id: number }).id)),
          );
        } finally {
          await database.close();
        }
      });
    }

    if (engine === 'postgres')
      test('storyhub backup and restore work on PostgreSQL servers directly', async () => {
        const target = await createTestDatabase('postgres');
        const mediaDir = newMediaDir();
        const sourceMediaDir = path.dirname(site.services.storage.path('any'));
        const command = (url: string, media: string, ...args: string[]) =>
          storyhubCommand(siteEnvironment(work, { DATABASE_URL: url, MEDIA_DIR: media }), ...args);
        try {
          const copy = newFile('server.backup');
          const backup = await command(site.database.url!, sourceMediaDir, 'backup', copy);
          assert.deepEqual([backup.code, backup.stderr], [0, '']);
          assert.match(backup.stdout, /and 2 media files \(0\.4 MB\) from the postgres database to /);
          const restore = await command(target.url!, mediaDir, 'restore', copy);
          assert.deepEqual([restore.code, restore.stderr], [0, '']);
          assert.deepEqual(await canonicalDump(target), sourceDump);
          assert.deepEqual(mediaChecksums(mediaDir), sourceMedia);
        } finally {
          await target.close();
        }
      });

    test('a damaged, cut, foreign or newer file is refused with one clear line, and nothing changes', async () => {
      const database = await createTestDatabase(engine);
      const mediaDir = newMediaDir();
      try {
        await migrate(database.db);
        await sql`INSERT INTO regions (slug, names) VALUES ('kept', '{"en": "Kept"}')`.execute(database.db);
        writeFileSync(path.join(mediaDir, 'kept.txt'), 'kept');
        const before = await canonicalDump(database);
        const bytes = readFileSync(file);
        const refusals: Array<[string, Buffer, RegExp]> = [
          ['cut', bytes.subarray(0, Math.floor(bytes.length * 0.6)), /is damaged: it ends early/],
          [
            'row',
            flip(bytes, bytes.indexOf('Zawadi')),
            /is damaged: database\/\d+-users\.jsonl does not match its checksum/,
          ],
          [
            'media',
            flip(bytes, bytes.length - 300_000),
            /is damaged: media\/stories\/\d+\/.* does not match its checksum/,
          ],
          [
            'manifest',
            retouch(bytes, bytes.indexOf('"createdAt": "') + 17),
            /is damaged: its manifest does not match its checksum/,
          ],
          ['text', Buffer.from('id,name\n1,Zawadi\n'), /is not a storyhub backup/],
          ['tar', await tarOf({ 'notes.txt': 'hello' }), /is not a storyhub backup/],
          [
            'newer',
            await tarOf({
              'manifest.json': JSON.stringify({
                format: 'storyhub-backup',
                version: 1,
                schema: '2999-01-01T0000-future',
                tables: [],
                media: [],
              }),
            }),
            /comes from a newer storyhub \(schema 2999-01-01T0000-future; this one knows up to /,
          ],
          ['empty', Buffer.alloc(0), /is damaged: it is empty/],
        ];
        for (const [name, content, message] of refusals) {
          const damaged = newFile(`${name}.backup`);
          writeFileSync(damaged, content);
          await assert.rejects(restoreBackup(database, mediaDir, damaged, { force: true }), (error: Error) => {
            assert.ok(error instanceof BackupError, `${name}: ${error.stack}`);
            assert.match(error.message, message, name);
            assert.ok(error.message.startsWith(damaged) && !error.message.includes('\n'), name);
            return true;
          });
          assert.deepEqual(await canonicalDump(database), before, `${name}: the database is untouched`);
          assert.deepEqual(Object.keys(mediaChecksums(mediaDir)), ['kept.txt'], `${name}: the media are untouched`);
        }
        // A database with content is replaced only when asked to.
        await assert.rejects(
          restoreBackup(database, mediaDir, file),
          /The database is not empty \(1 in regions\); restore --force replaces everything/,
        );
        await restoreBackup(database, mediaDir, file, { force: true });
        assert.deepEqual(await canonicalDump(database), sourceDump);
        assert.deepEqual(mediaChecksums(mediaDir), sourceMedia);
      } finally {
        await database.close();
      }
    });
  });
}

/** The same bytes with the digit at `offset` changed into another digit: still JSON, no longer the same. */
function retouch(bytes: Buffer, offset: number): Buffer {
  const copy = Buffer.from(bytes);
  assert.match(String.fromCharCode(copy[offset]!), /\d/);
  copy[offset] = copy[offset] === 0x39 ? 0x30 : copy[offset]! + 1;
  return copy;
}

/** The same bytes with the one at `offset` changed. */
function flip(bytes: Buffer, offset: number): Buffer {
  assert.ok(offset > 0);
  const copy = Buffer.from(bytes);
  copy[offset] = copy[offset]! ^ 0x20;
  return copy;
}

async function tarOf(entries: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, text] of Object.entries(entries)) pack.entry({ name }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('a backup from an older schema', () => {
  for (const engine of testEngines())
    test(`restores into ${engine}, and the later migrations run on its rows`, async () => {
      const levels = knownSchemaLevels();
      const older = levels.at(-2)!;
      const source = await openDatabase({});
      const target = await createTestDatabase(engine);
      try {
        const { error } = await new Migrator({
          db: source.db,
          provider: { getMigrations: async () => migrations },
        }).migrateTo(older);
        assert.ifError(error);
        await sql`INSERT INTO regions (slug, names) VALUES ('africa', '{"en": "Africa"}')`.execute(source.db);
        const file = newFile('older.backup');
        await writeBackup(source, localFileStorage(newMediaDir()), file);
        await restoreBackup(target, newMediaDir(), file);
        assert.equal(await schemaLevel(target.db), levels.at(-1));
        const { rows } = await sql<{ slug: string }>`SELECT slug FROM regions`.execute(target.db);
        assert.deepEqual(rows, [{ slug: 'africa' }]);
      } finally {
        await source.close();
        await target.close();
      }
    });
});

// Real processes: a running site on the embedded engine writes its own backup while it takes writes.
describe('storyhub backup and restore (embedded data directory, site running)', () => {
  const PASSWORD_TEXT = 'a long enough password';
  const environment = (dataDir: string) => siteEnvironment(dataDir, { SIGN_IN_RATE_LIMIT: '100000' });
  const storyhub = (dataDir: string, ...args: string[]) => storyhubCommand(environment(dataDir), ...args);
  let url: string;
  const siteDir = path.join(work, 'site');
  before(async () => {
    ({ url } = await startStoryhub(environment(siteDir)));
  });
  after(killStarted);

  /** Signs in through the form as a browser does: each sign-in writes a session row. */
  const signIn = () => signedInClient(url, 'Amira', PASSWORD_TEXT);

  test('the site writes the backup while sign-ins go on; it restores elsewhere, but never under the site', async () => {
    assert.equal((await storyhub(siteDir, 'user', 'add', 'Amira', '--password', PASSWORD_TEXT)).code, 0);
    let signIns = 0;
    let writing = true;
    const writes = (async () => {
      for (; writing; signIns++) await signIn();
    })();
    while (signIns < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const before = signIns;
    const file = newFile('running.backup');
    // A path relative to the command's working directory, though the site (elsewhere) writes the file.
    const backup = await storyhub(siteDir, 'backup', path.relative(process.cwd(), file));
    const afterBackup = signIns;
    writing = false;
    await writes;
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(
      backup.stdout,
      new RegExp(`^Backed up \\d+ tables \\(\\d+ rows\\) and 0 media files .* from the embedded database to ${file} `),
    );
    assert.match(backup.stderr, /^Ran in the running site: storyhub serve \(pid \d+/);
    assert.ok(afterBackup > before, 'sign-ins went on');

    const nowhere = path.join(work, 'no-such-folder', 'site.backup');
    const refused = await storyhub(siteDir, 'backup', nowhere);
    assert.deepEqual(
      [refused.code, refused.stderr.split('\n')[0]],
      [1, `storyhub backup: Cannot write ${nowhere}: there is no folder ${path.dirname(nowhere)}.`],
    );
    const withoutFile = await storyhub(siteDir, 'backup');
    assert.deepEqual([withoutFile.code, withoutFile.stderr.split('\n')[0]], [2, 'Usage: storyhub backup FILE']);

    const underTheSite = await storyhub(siteDir, 'restore', file, '--force');
    assert.equal(underTheSite.code, 1);
    assert.match(underTheSite.stderr, /already uses .*\. Stop it first: a restore replaces its whole database\.\n$/);

    const elsewhere = path.join(work, 'elsewhere');
    const restored = await storyhub(elsewhere, 'restore', file);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stdout,
      /^Restored \d+ tables \(\d+ rows\) and 0 media files from .* on the embedded database, schema /,
    );
    assert.match((await storyhub(elsewhere, 'user', 'list')).stdout, /^Amira\t/m);
    const again = await storyhub(elsewhere, 'restore', file);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /^storyhub restore: The database is not empty \(.*1 in users.*\); restore --force replaces everything in it\.\n$/,
    );
    // The snapshot holds the sessions of the sign-ins before the backup, and at most one still on its way back.
    const database = await openDatabase({ dataDir: path.join(elsewhere, 'db') });
    try {
      const { rows } = await sql<{ count: number }>`SELECT count(*) AS count FROM sessions`.execute(database.db);
      assert.ok(
        rows[0]!.count >= before && rows[0]!.count <= afterBackup + 1,
        `${before} ≤ ${rows[0]!.count} ≤ ${afterBackup} + 1`,
      );
    } finally {
      await database.close();
    }
    const missing = await storyhub(elsewhere, 'restore', path.join(work, 'no-such.backup'), '--force');
    assert.deepEqual(
      [missing.code, missing.stderr],
      [1, `storyhub restore: Cannot read ${path.join(work, 'no-such.backup')}: there is no such file.\n`],
    );
  });
});
