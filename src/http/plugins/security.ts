import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import type { RateLimitsRepository } from '../../store/repositories/rate-limits.ts';
import session from '@fastify/session';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { tooManyRequests } from '../../errors.ts';
import { BODY_LIMIT_BYTES, MULTIPART_MAX_FIELDS, MULTIPART_MAX_FILES } from '../../domain/forms/limits.ts';

/** Where sessions are kept (the database: every process sees them). */
export interface SessionStore {
  get(id: string): Promise<unknown | undefined>;
  set(id: string, data: unknown, expiresAt: Date): Promise<void>;
  destroy(id: string): Promise<void>;
}

declare module 'fastify' {
  interface Session {
    userId?: number;
  }
}

export const SESSION_COOKIE = 'storyhub_session';

/** The `_csrf` field of a form or a query string, if it has one. */
const csrfField = (fields: unknown) =>
  fields && typeof fields === 'object' && '_csrf' in fields && typeof fields._csrf === 'string'
    ? fields._csrf
    : undefined;
const csrfHeader = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);
const SESSION_DAYS = 30;

/**
 * The Content-Security-Policy of every response: no inline script or style, nothing from elsewhere, and
 * no framing by any site. Only the embed page (routes/embed.ts) lets other sites frame it.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  mediaSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Headers, cookies, database-backed sessions, CSRF tokens and rate limits. */
export const securityPlugin = fp(
  async (
    app: FastifyInstance,
    options: { config: Config; sessions: SessionStore; rateLimits: RateLimitsRepository; secret: string },
  ) => {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      strictTransportSecurity: options.config.secureCookies,
    });
    await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
    await app.register(cookie);
    const { sessions } = options;
    await app.register(session, {
      cookieName: SESSION_COOKIE,
      secret: options.secret,
      saveUninitialized: false,
      // A session is written when it changes (sign-in, sign-out), not on every request: a signed-in
      // editor's saves would otherwise each add a write. It lasts SESSION_DAYS from sign-in.
      rolling: false,
      cookie: {
        secure: options.config.secureCookies,
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        maxAge: SESSION_DAYS * 86_400_000,
      },
      store: {
        set: (id, data, callback) => {
          const expires = (data as { cookie?: { expires?: Date | string } }).cookie?.expires;
          sessions
            .set(id, data, expires ? new Date(expires) : new Date(Date.now() + SESSION_DAYS * 86_400_000))
            .then(() => callback(), callback);
        },
        get: (id, callback) => {
          sessions.get(id).then((data) => callback(null, data as never), callback);
        },
        destroy: (id, callback) => {
          sessions.destroy(id).then(() => callback(), callback);
        },
      },
    });
    await app.register(csrf, {
      sessionPlugin: '@fastify/session',
      // File uploads are multipart: their form carries the token in its action URL instead of the body.
      getToken: (request) =>
        csrfField(request.body) ?? csrfField(request.query) ?? csrfHeader(request.headers['csrf-token']),
    });
    await app.register(multipart, {
      limits: { files: MULTIPART_MAX_FILES, fields: MULTIPART_MAX_FIELDS, fileSize: options.config.maxUploadBytes + 1 },
    });
    await app.register(rateLimit, {
      global: false,
      // Counted in the database: several processes behind one proxy count a visitor together.
      store: databaseRateLimitStore(options.rateLimits),
      errorResponseBuilder: () => tooManyRequests(),
    });
  },
  { name: 'security' },
);
