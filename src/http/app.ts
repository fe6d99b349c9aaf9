import compress from '@fastify/compress';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config, TrustProxy } from '../config.ts';
import type { Services } from '../services/index.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { accessPlugin } from './plugins/access.ts';
import { contextPlugin } from './plugins/context.ts';
import { lookupsPlugin } from './plugins/lookups.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { pagesPlugin } from './plugins/pages.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { healthPlugin } from './plugins/health.ts';
import { createLogger, RequestLog, requestId, requestIdPlugin, type LogOptions } from './plugins/logging.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { cachedPageServer, pageCachePlugin } from './plugins/page-cache.ts';
import { createServer } from 'node:http';
import { securityPlugin } from './plugins/security.ts';
import { apiV1Routes } from './routes/api/v1.ts';
import { rootRoutes } from './routes/root.ts';
import { embedRoutes } from './routes/embed.ts';
import { sitemapRoutes } from './routes/sitemap.ts';
import { subtitleFileRoutes } from './routes/subtitles.ts';
import { videoUploadRoutes } from './routes/uploads.ts';
import { siteRoutes } from './routes/site/index.ts';
import { BODY_LIMIT_BYTES, URL_MAX_LENGTH } from '../domain/forms/limits.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export type { LogOptions };

/**
 * TRUST_PROXY as Fastify takes it. A number of hops is given as a function: Fastify reads a bare
 * count as trusting no one. With `hops` proxies in front, the connection's address and the
 * `hops - 1` rightmost X-Forwarded-For entries are proxies, and the next one is the visitor as the
 * farthest proxy saw them; entries further left were written by the visitor and are never read.
 */
function proxyTrust(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if ('addresses' in trust) return trust.addresses;
  const { hops } = trust;
  return (_address, hop) => hop < hops;
}

/**
 * Boots in layers: the request's id, the HTTP server and the page cache; security, compression; the
 * request's context and the decorators routes use (access, pages, lookups); metrics (when on), errors
 * and the OpenAPI document; then the probes and the routes.
 */
export async function buildApp(
  config: Config,
  services: Services,
  logger: false | LogOptions = false,
): Promise<FastifyInstance> {
  const cachedPages = cachedPageServer();
  const app = Fastify({
    // A cached page is answered before Fastify builds its request: the cheapest answer a server can give.
    serverFactory: (handler) =>
      createServer((request, response) => {
        if (!cachedPages.serve(request, response)) handler(request, response);
      }),
    ...(logger ? { loggerInstance: createLogger(logger) } : { logger: false }),
    logController: new RequestLog(),
    genReqId: requestId,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: proxyTrust(config.trustProxy),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: URL_MAX_LENGTH },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('config', config);
  app.addHook('onClose', async () => {
    (app.log as FastifyBaseLogger & { flush?: () => void }).flush?.();
  });
  await app.register(requestIdPlugin);
  // First, so a cached page is sent before sessions, cookies and headers are worked out again: the
  // cached entry carries the security headers of the response it was made from.
  await app.register(pageCachePlugin, {
    seconds: config.pageCacheSeconds,
    maxBytes: config.pageCacheBytes,
    changes: services.changes,
    server: cachedPages,
  });
  await app.register(securityPlugin, {
    config,
    sessions: services.repositories.sessions,
    rateLimits: services.repositories.rateLimits,
    secret: services.sessionSecret,
  });
  await app.register(compress, { threshold: 1024 });
  await app.register(contextPlugin, { services: services.useCases, changes: services.changes });
  await app.register(accessPlugin);
  await app.register(pagesPlugin);
  await app.register(lookupsPlugin);
  if (config.metrics) await app.register(metricsPlugin);
  await app.register(errorsPlugin);
  await app.register(openApiPlugin);
  await app.register(healthPlugin);
  await app.register(rootRoutes);
  await app.register(sitemapRoutes);
  await app.register(embedRoutes);
  await app.register(subtitleFileRoutes);
  await app.register(videoUploadRoutes);
  await app.register(apiV1Routes, { prefix: '/api/v1', rateLimits: services.repositories.rateLimits });
  await app.register(siteRoutes, { prefix: '/:lang' });
  return app;
}
