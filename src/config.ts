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
  /** The site's public origin (https://stories.example.org) for absolute addresses in feeds, the sitemap, embeds and previews; none: each request's own. */
  publicUrl: string | undefined;
  /** At most this many addresses in one sitemap file (sitemaps.org allows 50,000); more make a sitemap index. */
  sitemapMaxUrls: number;
  /** The SMTP server mail goes through (smtp://user:password@host:587 or smtps://…); none: notices stay on the site. */
  smtpUrl: string | undefined;
  /** The sender of the site's mail. */
  mailFrom: string;
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
    publicUrl: env.PUBLIC_URL ? publicOrigin(env.PUBLIC_URL) : undefined,
    sitemapMaxUrls: Math.max(1, Math.min(50_000, Number(env.SITEMAP_MAX_URLS ?? 50_000) || 50_000)),
    smtpUrl: env.SMTP_URL ? smtpUrl(env.SMTP_URL) : undefined,
    mailFrom: env.MAIL_FROM || 'storyhub <storyhub@localhost>',
  };
}

/** The origin of PUBLIC_URL (scheme, host and port; the site always lives at the root of it). */
function publicOrigin(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // reported below
  }
  throw new Error(`PUBLIC_URL must be an http or https address such as https://stories.example.org, not ${value}`);
}

/** SMTP_URL as given, once it is seen to be an smtp: or smtps: address. */
function smtpUrl(value: string): string {
  if (URL.canParse(value) && ['smtp:', 'smtps:'].includes(new URL(value).protocol)) return value;
  throw new Error('SMTP_URL must be an smtp: or smtps: address such as smtp://user:password@mail.example.org:587');
}
