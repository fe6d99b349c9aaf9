import path from 'node:path';

/** Every setting storyhub reads from its environment; the README lists them all. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Uploaded and transcoded media (local file storage). */
  mediaDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  secureCookies: boolean;
  pageCacheSeconds: number;
  /** How much memory rendered pages may hold, in bytes. */
  pageCacheBytes: number;
  signInRateLimit: number;
  /** The largest video upload accepted, in bytes. */
  maxUploadBytes: number;
  /** Run the job worker (video processing) inside the app process. */
  runWorker: boolean;
  /** Apertium APy's address (machine translation suggestions); none: the editor offers memory only. */
  apertiumUrl: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    mediaDir: path.resolve(env.MEDIA_DIR || path.join(env.DATA_DIR ?? 'data', 'media')),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.SECURE_COOKIES === 'true',
    pageCacheSeconds: Number(env.PAGE_CACHE_SECONDS ?? 3600),
    pageCacheBytes: Number(env.PAGE_CACHE_MB ?? 100) * 1024 * 1024,
    signInRateLimit: Number(env.SIGN_IN_RATE_LIMIT ?? 10),
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES ?? 2 * 1024 ** 3),
    runWorker: env.WORKER !== 'false',
    apertiumUrl: env.APERTIUM_URL || undefined,
  };
}
