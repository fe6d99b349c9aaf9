// `storyhub restore`: a backup file (see backup.ts for its format) read back as a stream, every part
// checked against the manifest's checksums before anything is committed.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { localFileStorage } from '../providers/storage/local.ts';
import type { FileStorage } from '../providers/storage/storage.ts';
import { contentRowCounts, knownSchemaLevels, replaceDatabase, type RestoreTarget } from '../store/backup.ts';
import type { Database } from '../store/database.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  hashedChunks,
  sha256,
  type BackupManifest,
} from './backup.ts';

export interface RestoreSummary {
  manifest: BackupManifest;
  rows: number;
  mediaFiles: number;
}

/**
 * Replaces the database and the media directory with the backup in `file`, all or nothing: one
 * transaction for the rows, media written beside the media directory and swapped in once the rows
 * are committed. Refuses (BackupError, nothing changed) a file that is not a storyhub backup, one
 * that is damaged or cut short, one from a newer schema, and a database that is not empty unless
 * `force`.
 */
export async function restoreBackup(
  database: Database,
  mediaDir: string,
  file: string,
  { force = false }: { force?: boolean } = {},
): Promise<RestoreSummary> {
  const size = await stat(file).then(
    (info) => info.size,
    (error: Error) => {
      const code = (error as NodeJS.ErrnoException).code;
      throw new BackupError(
        `Cannot read ${file}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : error.message}.`,
      );
    },
  );
  if (!force) {
    const content = Object.entries(await contentRowCounts(database.db));
    if (content.length > 0)
      throw new BackupError(
        `The database is not empty (${content
          .slice(0, 4)
          .map(([table, rows]) => `${rows} in ${table}`)
          .join(', ')}${content.length > 4 ? ', …' : ''}); restore --force replaces everything in it.`,
      );
  }
  const extract = tar.extract();
  const source = createReadStream(file);
  const feeding = pipeline(source, extract).catch(() => undefined); // the reader below meets the same error
  const entries = extract[Symbol.asyncIterator]();
  const incoming = mediaDir.replace(/\/+$/, '') + `.restoring-${randomBytes(4).toString('hex')}`;
  try {
    const manifest = await readManifest(file, size, entries);
    let rows = 0;
    await replaceDatabase(database.db, manifest.schema, async (target) => {
      for (const table of manifest.tables)
        rows += await loadTable(file, await nextEntry(file, entries, table.file), table, target);
      const storage = localFileStorage(incoming);
      for (const media of manifest.media)
        await loadMedia(file, await nextEntry(file, entries, `media/${media.key}`), media, storage);
      const check = await nextEntry(file, entries, 'manifest.sha256');
      if ((await readWhole(check)).toString().trim() !== manifest.checksum)
        throw damaged(file, 'its manifest does not match its checksum');
      if (!(await entries.next()).done) throw damaged(file, 'it has entries after its end');
    });
    await swapInto(mediaDir, incoming);
    return { manifest, rows, mediaFiles: manifest.media.length };
  } catch (error) {
    throw asRestoreError(file, error);
  } finally {
    source.destroy();
    extract.destroy();
    await feeding;
    await rm(incoming, { recursive: true, force: true });
  }
}

/** An archive entry being read (tar-stream names its type Source but does not export it). */
type Entry = tar.Extract extends AsyncIterable<infer Source> ? Source : never;
type Entries = AsyncIterator<Entry>;

const damaged = (file: string, what: string) => new BackupError(`${file} is damaged: ${what}.`);

/** tar-stream's own errors, as what they mean for the file. */
function asRestoreError(file: string, error: unknown): Error {
  if (error instanceof BackupError) return error;
  const message = (error as Error).message ?? String(error);
  // The database refused the rows (PostgreSQL errors carry a severity): rolled back, so nothing changed.
  if (typeof (error as { severity?: unknown }).severity === 'string')
    return new BackupError(`${file} could not be restored, and nothing was changed: ${message.split('\n')[0]}.`);
  if (/Unexpected end of data/.test(message)) return damaged(file, 'it ends early (cut short while copied?)');
  if (/Invalid tar header|Invalid header|Header exceeds/.test(message))
    return damaged(file, 'an archive header is corrupt');
  return error as Error;
}

async function readManifest(
  file: string,
  size: number,
  entries: Entries,
): Promise<BackupManifest & { checksum: string }> {
  const notABackup = new BackupError(`${file} is not a storyhub backup.`);
  let first;
  try {
    first = await entries.next();
  } catch {
    throw size === 0 ? damaged(file, 'it is empty') : notABackup;
  }
  if (first.done) throw size === 0 ? damaged(file, 'it is empty') : notABackup;
  if (first.value.header.name !== 'manifest.json') throw notABackup;
  const text = await readWhole(first.value);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text.toString('utf8')) as BackupManifest;
  } catch {
    throw damaged(file, 'its manifest is not JSON');
  }
  if (manifest?.format !== BACKUP_FORMAT) throw notABackup;
  if (manifest.version > BACKUP_FORMAT_VERSION)
    throw new BackupError(
      `${file} is in backup format ${manifest.version}, made by a newer storyhub; this one reads format ${BACKUP_FORMAT_VERSION}.`,
    );
  const levels = knownSchemaLevels();
  if (typeof manifest.schema !== 'string' || !Array.isArray(manifest.tables) || !Array.isArray(manifest.media))
    throw damaged(file, 'its manifest lacks the schema, tables or media');
  if (!levels.includes(manifest.schema))
    throw new BackupError(
      manifest.schema > levels.at(-1)!
        ? `${file} comes from a newer storyhub (schema ${manifest.schema}; this one knows up to ${levels.at(-1)}): upgrade storyhub to restore it.`
        : `${file} has a schema this storyhub does not know (${manifest.schema}).`,
    );
  return { ...manifest, checksum: sha256(text) };
}

async function nextEntry(file: string, entries: Entries, name: string): Promise<Entry> {
  const next = await entries.next();
  if (next.done) throw damaged(file, `it ends before ${name}`);
  if (next.value.header.name !== name) throw damaged(file, `${name} is missing (found ${next.value.header.name})`);
  return next.value;
}

const MANIFEST_MAX_BYTES = 256 * 1024 * 1024;

async function readWhole(entry: Entry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MANIFEST_MAX_BYTES) throw new BackupError(`${entry.header.name} is too large for a manifest.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const ROWS_PER_INSERT = 500;
const BYTES_PER_INSERT = 4 * 1024 * 1024;

/** Inserts a table's rows in batches while checking its checksum; a mismatch (a flipped byte) throws. */
async function loadTable(file: string, entry: Entry, table: BackupManifest['tables'][number], target: RestoreTarget) {
  if (!target.tables.includes(table.name))
    throw damaged(file, `it names a table "${table.name}" its schema does not have`);
  const hash = createHash('sha256');
  let rest = '';
  let batch: string[] = [];
  let batchBytes = 0;
  let rows = 0;
  let failed: unknown = null;
  const flush = async () => {
    if (batch.length > 0 && !failed) await target.insert(table.name, batch).catch((error: unknown) => (failed = error));
    batch = [];
    batchBytes = 0;
  };
  const decoder = new TextDecoder();
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    hash.update(chunk);
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      batch.push(line);
      batchBytes += line.length;
      rows++;
      if (batch.length >= ROWS_PER_INSERT || batchBytes >= BYTES_PER_INSERT) await flush();
    }
  }
  await flush();
  // A flipped byte may break a row's JSON before the checksum is known: the checksum names the cause.
  if (hash.digest('hex') !== table.sha256 || rest !== '' || rows !== table.rows)
    throw damaged(file, `${table.file} does not match its checksum`);
  if (failed) throw failed;
  return rows;
}

async function loadMedia(file: string, entry: Entry, media: BackupManifest['media'][number], storage: FileStorage) {
  const hash = createHash('sha256');
  let bytes;
  try {
    ({ bytes } = await storage.put(media.key, Readable.from(hashedChunks(entry as AsyncIterable<Buffer>, hash)), {
      maxBytes: media.bytes,
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'invalid_storage_key') throw damaged(file, `media/${media.key} is not a storage key`);
    if (code === 'too_large') throw damaged(file, `media/${media.key} does not match its checksum`);
    throw error; // the archive's own errors (cut short, a corrupt header) are named by asRestoreError
  }
  if (bytes !== media.bytes || hash.digest('hex') !== media.sha256)
    throw damaged(file, `media/${media.key} does not match its checksum`);
}

/** Puts the restored media directory in place of the old one (kept aside until the new one is in). */
async function swapInto(mediaDir: string, incoming: string) {
  await mkdir(incoming, { recursive: true }); // a backup without media still gives an (empty) media directory
  const old = `${mediaDir.replace(/\/+$/, '')}.replaced-${randomBytes(4).toString('hex')}`;
  const hadOld = await rename(mediaDir, old).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  await rename(incoming, mediaDir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
