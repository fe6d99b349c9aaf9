import type { Readable } from 'node:stream';

/** A byte range, both ends included (as in HTTP Range and fs.createReadStream). */
export interface ByteRange {
  start: number;
  end?: number;
}

/**
 * Where media bytes live, by key ('stories/12/source-3f9a.mp4'). Keys are relative paths made of
 * letters, digits, '.', '-' and '_' segments; anything else is refused with invalid_storage_key.
 */
export interface FileStorage {
  /** Stores the stream under `key`, whole or not at all; rejects with too_large past `maxBytes`. */
  put(key: string, stream: Readable, options: { maxBytes: number }): Promise<{ bytes: number }>;
  /** A local path ffmpeg can read (local storage only; an S3 storage would download first). */
  path(key: string): string;
  /** A local path where a tool (ffmpeg) can write `key`; its folder exists. */
  pathForWriting(key: string): Promise<string>;
  open(key: string, range?: ByteRange): Readable;
  /** Removes the file; no error when it is already gone. */
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
