// A whole site in one file: `storyhub backup` (restore.ts reads it back).
//
// The file is a tar archive (POSIX ustar, written and read as a stream by tar-stream):
//   manifest.json               first: format and version, schema level, engine, time, tables, media
//   database/NN-TABLE.jsonl     one file per table, parents first: one row per line, as PostgreSQL's row_to_json
//   media/KEY                   every media file the rows name (storage keys)
//   manifest.sha256             last: the manifest's own checksum, which also shows the file is complete
// Every table file and media file has its size and SHA-256 in the manifest; restore checks each one
// before it commits anything. The rows are plain JSON, so a backup from one engine restores into the other.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { FileStorage } from '../providers/storage/storage.ts';
import { withSnapshot } from '../store/backup.ts';
import type { Database, Engine } from '../store/database.ts';

export const BACKUP_FORMAT = 'storyhub-backup';
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** The last migration the database had run. */
  schema: string;
  engine: Engine;
  createdAt: string;
  tables: Array<{ name: string; file: string; rows: number; bytes: number; sha256: string }>;
  media: Array<{ key: string; bytes: number; sha256: string }>;
}

/** A file restore will not use, or a backup that cannot be made: the message says what and where, in one line. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupSummary {
  tables: number;
  rows: number;
  mediaFiles: number;
  mediaBytes: number;
  bytes: number;
}

/**
 * Writes the whole site to `file` (whole or not at all): the rows of one snapshot, then the media
 * files those rows name. Media written after the snapshot began are left out.
 */
export async function writeBackup(database: Database, storage: FileStorage, file: string): Promise<BackupSummary> {
  const folder = path.dirname(file);
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) throw new BackupError(`Cannot write ${file}: there is no folder ${folder}.`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'storyhub-backup-'));
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  try {
    const { schema, tables, keys } = await withSnapshot(database.db, async (snapshot) => {
      const tables: BackupManifest['tables'] = [];
      for (const [index, name] of snapshot.tables.entries()) {
        const entry = `database/${String(index + 1).padStart(2, '0')}-${name}.jsonl`;
        tables.push({
          name,
          file: entry,
          ...(await writeRows(snapshot.rows(name), path.join(work, `${index}.jsonl`))),
        });
      }
      return { schema: snapshot.schemaLevel, tables, keys: await snapshot.storageKeys() };
    });
    // The snapshot is over (on the embedded engine the site's queries wait while it lasts); the files it names are not written again.
    const media: BackupManifest['media'] = [];
    for (const key of keys) media.push({ key, ...(await checksumOf(mediaPath(storage, key), key)) });
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_FORMAT_VERSION,
      schema,
      engine: database.engine,
      createdAt: new Date().toISOString(),
      tables,
      media,
    };
    const manifestText = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
    const pack = tar.pack();
    const written = pipeline(pack, createWriteStream(partial, { flags: 'wx' }));
    await addEntry(pack, 'manifest.json', manifestText);
    for (const [index, table] of tables.entries())
      await addFile(pack, table.file, path.join(work, `${index}.jsonl`), table);
    for (const file of media) await addFile(pack, `media/${file.key}`, mediaPath(storage, file.key), file);
    await addEntry(pack, 'manifest.sha256', Buffer.from(`${sha256(manifestText)}\n`));
    pack.finalize();
    await written;
    const handle = await open(partial, 'r');
    await handle.sync().finally(() => handle.close()); // on disk before it takes the name
    await rename(partial, file);
    return {
      tables: tables.length,
      rows: tables.reduce((sum, table) => sum + table.rows, 0),
      mediaFiles: media.length,
      mediaBytes: media.reduce((sum, file) => sum + file.bytes, 0),
      bytes: (await stat(file)).size,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Passes `chunks` on, adding each to `hash` on the way. */
export async function* hashedChunks(chunks: AsyncIterable<Buffer>, hash: Hash) {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}

function mediaPath(storage: FileStorage, key: string): string {
  try {
    return storage.path(key);
  } catch {
    throw new BackupError(`The database names a media file with an impossible storage key: "${key}".`);
  }
}

async function writeRows(batches: AsyncIterable<string[]>, file: string) {
  const hash = createHash('sha256');
  let rows = 0;
  let bytes = 0;
  const lines = async function* () {
    for await (const batch of batches) {
      const chunk = Buffer.from(batch.map((row) => `${row}\n`).join(''));
      hash.update(chunk);
      rows += batch.length;
      bytes += chunk.length;
      yield chunk;
    }
  };
  await pipeline(Readable.from(lines()), createWriteStream(file));
  return { rows, bytes, sha256: hash.digest('hex') };
}

async function checksumOf(file: string, key: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new BackupError(`The media file ${key}, which the database names, is missing from the media directory.`);
  }
  return { bytes, sha256: hash.digest('hex') };
}

function addEntry(pack: tar.Pack, name: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: bytes.length, mtime: new Date() }, bytes, (error) => (error ? reject(error) : resolve()));
  });
}

/** Copies `file` into the archive, checking on the way that it is still what the manifest says. */
async function addFile(pack: tar.Pack, name: string, file: string, expected: { bytes: number; sha256: string }) {
  const hash = createHash('sha256');
  const done = new Promise<void>((resolve, reject) => {
    const entry = pack.entry({ name, size: expected.bytes, mtime: new Date() }, (error) =>
      error ? reject(error) : resolve(),
    );
    pipeline(Readable.from(hashedChunks(createReadStream(file), hash)), entry).catch(reject);
  });
  try {
    await done;
  } catch (error) {
    throw new BackupError(`${name} changed while the backup was written (${(error as Error).message}); run it again.`);
  }
  if (hash.digest('hex') !== expected.sha256)
    throw new BackupError(`${name} changed while the backup was written; run it again.`);
}
