import { isIP } from 'node:net';
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
  /** Which proxies in front may tell the visitor's address, scheme and host (X-Forwarded-*): none, a number of hops, or their addresses. */
  trustProxy: TrustProxy;
  pageCacheSeconds: number;
  /** How much memory rendered pages may hold, in bytes. */
  pageCacheBytes: number;
  signInRateLimit: number;
  /** Nominations (sent nomination forms, taken or not) allowed per account per minute. */
  nominationRateLimit: number;
  /** Votes (sent ballots, counted or not) allowed per account per minute. */
  voteRateLimit: number;
  /** API requests allowed per minute to each token or signed-in account, and to each address without either. */
  apiRateLimit: number;
  apiAnonymousRateLimit: number;
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
  /** Serve Prometheus metrics at /metrics (METRICS=true). */
  metrics: boolean;
  /** Sign-in through an OAuth 2.0 / OpenID Connect provider (OAUTH_CLIENT_ID and its endpoints); none: local accounts only. */
  oauth: OAuthConfig | undefined;
}

/**
 * TRUST_PROXY: `false` (no proxy: the connection's address is the visitor's), `{ hops }` (that many
 * proxies in front, each appending to X-Forwarded-For: the visitor is the address the farthest of them
 * saw, and whatever the visitor wrote further left is ignored), or `{ addresses }` (proxies known by
 * address or range: the visitor is the nearest address in the chain that is not one of them).
 */
export type TrustProxy = false | { hops: number } | { addresses: string[] };

/** An OAuth 2.0 provider: Wikimedia's endpoints under OAUTH_BASE_URL, or any provider's given one by one. */
export interface OAuthConfig {
  /** The button's "Sign in with NAME". */
  name: string;
  /** Who issues the identities (the `iss` a provider may send back); also the key linked identities are stored under. */
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Answers `{sub, username | preferred_username, blocked?}` for the access token. */
  profileUrl: string;
  clientId: string;
  /** None for a public client (PKCE only). */
  clientSecret: string | undefined;
  scope: string;
  /** How long a request to the provider may take before it counts as down. */
  timeoutMs: number;
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
    trustProxy: trustProxy(env.TRUST_PROXY),
    pageCacheSeconds: Number(env.PAGE_CACHE_SECONDS ?? 3600),
    pageCacheBytes: Number(env.PAGE_CACHE_MB ?? 100) * 1024 * 1024,
    signInRateLimit: Number(env.SIGN_IN_RATE_LIMIT ?? 10),
    nominationRateLimit: perMinute('NOMINATION_RATE_LIMIT', env.NOMINATION_RATE_LIMIT, 20),
    voteRateLimit: perMinute('VOTE_RATE_LIMIT', env.VOTE_RATE_LIMIT, 10),
    apiRateLimit: perMinute('API_RATE_LIMIT', env.API_RATE_LIMIT, 600),
    apiAnonymousRateLimit: perMinute('API_ANONYMOUS_RATE_LIMIT', env.API_ANONYMOUS_RATE_LIMIT, 120),
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES ?? 2 * 1024 ** 3),
    runWorker: env.WORKER !== 'false',
    apertiumUrl: env.APERTIUM_URL || undefined,
    publicUrl: env.PUBLIC_URL ? publicOrigin(env.PUBLIC_URL) : undefined,
    sitemapMaxUrls: Math.max(1, Math.min(50_000, Number(env.SITEMAP_MAX_URLS ?? 50_000) || 50_000)),
    smtpUrl: env.SMTP_URL ? smtpUrl(env.SMTP_URL) : undefined,
    mailFrom: env.MAIL_FROM || 'storyhub <storyhub@localhost>',
    metrics: onOff('METRICS', env.METRICS, false),
    oauth: oauthConfig(env),
  };
}

const WIKIMEDIA_OAUTH = '/w/rest.php/oauth2';

/** OAUTH_… settings: Wikimedia's endpoint paths under OAUTH_BASE_URL unless each URL is given. */
function oauthConfig(env: NodeJS.ProcessEnv): OAuthConfig | undefined {
  const clientId = env.OAUTH_CLIENT_ID;
  if (!clientId) return undefined;
  const base = env.OAUTH_BASE_URL ? httpUrl('OAUTH_BASE_URL', env.OAUTH_BASE_URL).replace(/\/+$/, '') : undefined;
  const endpoint = (name: string, path: string) => {
    const given = env[name];
    if (given) return httpUrl(name, given);
    if (base) return `${base}${WIKIMEDIA_OAUTH}${path}`;
    throw new Error(
      `OAUTH_CLIENT_ID is set: set OAUTH_BASE_URL (a wiki such as https://meta.wikimedia.org) or ${name}`,
    );
  };
  const authorizeUrl = endpoint('OAUTH_AUTHORIZE_URL', '/authorize');
  return {
    name: env.OAUTH_NAME || (base ? 'Wikimedia' : new URL(authorizeUrl).hostname),
    issuer: env.OAUTH_ISSUER ? httpUrl('OAUTH_ISSUER', env.OAUTH_ISSUER) : (base ?? new URL(authorizeUrl).origin),
    authorizeUrl,
    tokenUrl: endpoint('OAUTH_TOKEN_URL', '/access_token'),
    profileUrl: endpoint('OAUTH_PROFILE_URL', '/resource/profile'),
    clientId,
    clientSecret: env.OAUTH_CLIENT_SECRET || undefined,
    scope: env.OAUTH_SCOPE ?? '',
    timeoutMs: Math.max(100, Number(env.OAUTH_TIMEOUT_MS ?? 10_000) || 10_000),
  };
}

/** An http or https address, as given. */
function httpUrl(name: string, value: string): string {
  if (URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol)) return value;
  throw new Error(`${name} must be an http or https address, not ${value}`);
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

/** A true/false setting; anything else is refused rather than read as one or the other. */
function onOff(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`${name} must be true or false, not ${value}`);
}

// The names proxy-addr (Fastify's reader of X-Forwarded-For) knows for whole ranges.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One proxy address or range: an IP address, optionally with a prefix length (10.0.0.0/8, fd00::/8), or a named range. */
function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  if (prefix === undefined) return true;
  return /^(0|[1-9][0-9]{0,2})$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: `true` (one proxy in front, such as nginx on the same machine), a whole number of
 * proxies, or a comma-separated list of their addresses; anything else is refused rather than guessed.
 * `true` is that one proxy, not "every X-Forwarded-For entry": the leftmost entry is whatever the visitor sent.
 */
function trustProxy(value: string | undefined): TrustProxy {
  const given = value?.trim() ?? '';
  if (given === '' || given === 'false' || given === '0') return false;
  if (given === 'true') return { hops: 1 };
  if (/^[1-9][0-9]?$/.test(given)) return { hops: Number(given) };
  const addresses = given.split(',').map((entry) => entry.trim());
  if (addresses.every(isProxyAddress)) return { addresses };
  throw new Error(
    `TRUST_PROXY must be true (one proxy in front), false, a number of proxies (2) or a comma-separated list of their addresses (127.0.0.1,10.0.0.0/8), not ${value}`,
  );
}

/** A rate limit: a whole number of requests per minute, at least 1; anything else is refused rather than guessed. */
function perMinute(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (/^[1-9][0-9]{0,8}$/.test(value.trim())) return Number(value);
  throw new Error(`${name} must be a whole number of requests per minute (1 or more), not ${value}`);
}

/** SMTP_URL as given, once it is seen to be an smtp: or smtps: address. */
function smtpUrl(value: string): string {
  if (URL.canParse(value) && ['smtp:', 'smtps:'].includes(new URL(value).protocol)) return value;
  throw new Error('SMTP_URL must be an smtp: or smtps: address such as smtp://user:password@mail.example.org:587');
}
