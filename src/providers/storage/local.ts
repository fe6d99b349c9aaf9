import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../../config.ts';
import { invalidStorageKey, tooLarge } from '../../errors.ts';
import type { ByteRange, FileStorage } from './storage.ts';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Files in a directory on this machine: by default MEDIA_DIR, or DATA_DIR/media. */
export function localFileStorage(directory: string = loadConfig().mediaDir): FileStorage {
  const root = path.resolve(directory);

  function resolve(key: string): string {
    const segments = key.split('/');
    // No absolute paths, no '..' or '.', no hidden names (temporary files start with '.'), no backslashes.
    if (key.length === 0 || key.length > 512 || !segments.every((segment) => SEGMENT.test(segment))) {
      throw invalidStorageKey(key);
    }
    const full = path.join(root, ...segments);
    if (!full.startsWith(root + path.sep)) throw invalidStorageKey(key);
    return full;
  }

  const ignoreMissing = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  };

  return {
    path: resolve,

    async pathForWriting(key) {
      const target = resolve(key);
      await mkdir(path.dirname(target), { recursive: true });
      return target;
    },

    async put(key, stream, { maxBytes }) {
      const target = resolve(key);
      await mkdir(path.dirname(target), { recursive: true });
      // Same directory as the target, so the final rename is atomic; readers never see half a file.
      const temporary = path.join(
        path.dirname(target),
        `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`,
      );
      let bytes = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          if (bytes > maxBytes) callback(tooLarge(maxBytes));
          else callback(null, chunk);
        },
      });
      try {
        await pipeline(stream, limit, createWriteStream(temporary, { flags: 'wx' }));
        await rename(temporary, target);
      } catch (error) {
        await unlink(temporary).catch(ignoreMissing);
        throw error;
      }
      return { bytes };
    },

    open(key: string, range?: ByteRange): Readable {
      const file = resolve(key);
      return range
        ? createReadStream(file, { start: range.start, ...(range.end !== undefined && { end: range.end }) })
        : createReadStream(file);
    },

    async remove(key) {
      await unlink(resolve(key)).catch(ignoreMissing);
    },

    async exists(key) {
      try {
        return (await stat(resolve(key))).isFile();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
  };
}
