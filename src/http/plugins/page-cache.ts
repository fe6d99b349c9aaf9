import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { wantsToSaveData } from './context.ts';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './security.ts';

declare module 'fastify' {
  interface FastifyContextConfig { pageCache?: boolean }
  interface FastifyInstance { forgetPages(): void }
}

interface CachedPage { body: string; gzip?: Buffer; br?: Buffer; at: number; headers: Record<string, string> }

const MAX_ENTRIES = 2000;

// Pages differ by address and by the visitor's "save data" choice, nothing else.
const cacheKey = (request: FastifyRequest) => `${wantsToSaveData(request) ? 'save-data ' : ''}${request.url}`;

/**
 * Anonymous visitors share rendered public pages: a page is kept (with its compressed forms)
 * for a short while and dropped whenever this process saves anything. Other processes'
 * saves show once the entry expires (PAGE_CACHE_SECONDS).
 */
export const pageCachePlugin = fp(async (app: FastifyInstance, options: { seconds: number }) => {
  const pages = new Map<string, CachedPage>();
  const ttl = options.seconds * 1000;
  app.decorate('forgetPages', () => pages.clear());
  const cacheable = (request: { method: string; routeOptions: { config?: { pageCache?: boolean } }; cookies?: Record<string, string | undefined>; headers: Record<string, unknown> }) =>
    ttl > 0 && request.method === 'GET' && request.routeOptions.config?.pageCache === true
    && !request.headers.cookie?.toString().includes(`${SESSION_COOKIE}=`);

  app.addHook('onRequest', async (request, reply) => {
    if (!cacheable(request)) return;
    const page = pages.get(cacheKey(request));
    if (!page || Date.now() - page.at > ttl) return;
    const accepts = String(request.headers['accept-encoding'] ?? '');
    reply.headers(page.headers).header('x-cache', 'hit').header('vary', 'accept-encoding');
    if (/\bbr\b/.test(accepts)) {
      page.br ??= brotliCompressSync(page.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
      return reply.header('content-encoding', 'br').send(page.br);
    }
    if (/\bgzip\b/.test(accepts)) {
      page.gzip ??= gzipSync(page.body, { level: 9 });
      return reply.header('content-encoding', 'gzip').send(page.gzip);
    }
    return reply.send(page.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) pages.clear();
    if (!cacheable(request) || reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('x-cache')) return payload;
    if (reply.getHeader('set-cookie')) return payload;
    if (pages.size >= MAX_ENTRIES) pages.delete(pages.keys().next().value!);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy']) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    pages.set(cacheKey(request), { body: payload, at: Date.now(), headers });
    reply.header('x-cache', 'miss');
    return payload;
  });
}, { name: 'page-cache' });
