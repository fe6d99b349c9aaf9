import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { tooManyRequests } from '../../../errors.ts';
import type { RateLimitsRepository } from '../../../store/repositories/rate-limits.ts';
import { entityTag, matchesIfNoneMatch } from '../../conditional.ts';
import { bearerToken } from '../../plugins/context.ts';
import { celebrationApiRoutes } from './celebrations.ts';
import { apiRoutes } from './index.ts';
import { openApiRoutes } from './openapi.ts';
import { subtitleApiRoutes } from './subtitles.ts';
import { translationApiRoutes } from './translations.ts';

const WINDOW_SECONDS = 60;

/** Whom a request is counted against: its token, else its signed-in account, else its address. */
function rateKey(request: FastifyRequest): { key: string; known: boolean } {
  const bearer = bearerToken(request);
  // The token's hash, not its id: counted before the token is looked up, unknown tokens included.
  if (bearer !== undefined) return { key: `token ${createHash('sha256').update(bearer).digest('hex')}`, known: true };
  const userId = request.session?.userId;
  if (userId !== undefined) return { key: `user ${userId}`, known: true };
  return { key: `address ${request.ip}`, known: false };
}

/**
 * Version 1 of the JSON API: every route under it is counted per token (per account, per address
 * without one) in the database's rate-limit windows and says so in the IETF `RateLimit` and
 * `RateLimit-Policy` headers; every successful GET carries an ETag and answers a current
 * `If-None-Match` with 304.
 */
export const apiV1Routes: FastifyPluginAsyncTypebox<{ rateLimits: RateLimitsRepository }> = async (app, options) => {
  app.addHook('onRequest', async (request, reply) => {
    const { key, known } = rateKey(request);
    const quota = known ? app.config.apiRateLimit : app.config.apiAnonymousRateLimit;
    const { hits, remainingMs } = await options.rateLimits.hit(`api ${key}`, WINDOW_SECONDS * 1000);
    const resetSeconds = Math.ceil(remainingMs / 1000);
    const policy = known ? 'per-token' : 'per-address';
    reply.header('ratelimit-policy', `"${policy}";q=${quota};w=${WINDOW_SECONDS}`);
    reply.header('ratelimit', `"${policy}";r=${Math.max(0, quota - hits)};t=${resetSeconds}`);
    if (hits > quota) {
      reply.header('retry-after', String(resetSeconds));
      throw tooManyRequests();
    }
  });
  // What a GET answers differs by who asks (drafts, editor state): the tag is of the body, and
  // caches are told the answer depends on the credentials.
  app.addHook('preSerialization', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
    const etag = entityTag(JSON.stringify(payload));
    reply.header('etag', etag).header('vary', 'authorization, cookie');
    if (matchesIfNoneMatch(request, etag)) reply.code(304);
    return payload;
  });
  await app.register(apiRoutes);
  await app.register(subtitleApiRoutes);
  await app.register(translationApiRoutes);
  await app.register(celebrationApiRoutes);
  await app.register(openApiRoutes);
};
