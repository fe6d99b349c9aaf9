import compress from '@fastify/compress';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Writable } from 'node:stream';
import pino from 'pino';
import type { Config } from '../config.ts';
import type { Services } from '../services/index.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { accessPlugin } from './plugins/access.ts';
import { contextPlugin } from './plugins/context.ts';
import { lookupsPlugin } from './plugins/lookups.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { pagesPlugin } from './plugins/pages.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { cachedPageServer, pageCachePlugin } from './plugins/page-cache.ts';
import { createServer } from 'node:http';
import { securityPlugin } from './plugins/security.ts';
import { apiRoutes } from './routes/api/index.ts';
import { openApiRoutes } from './routes/api/openapi.ts';
import { subtitleApiRoutes } from './routes/api/subtitles.ts';
import { translationApiRoutes } from './routes/api/translations.ts';
import { rootRoutes } from './routes/root.ts';
import { embedRoutes } from './routes/embed.ts';
import { sitemapRoutes } from './routes/sitemap.ts';
import { subtitleFileRoutes } from './routes/subtitles.ts';
import { siteRoutes } from './routes/site/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

/** A request slower than this is logged whatever the level (each request is logged only at `debug`). */
const SLOW_REQUEST_MS = 1000;

/**
 * The log: written asynchronously (a synchronous write per request halved the cached pages' speed),
 * one line per request only at `debug`; errors (in the errors plugin) and slow requests always.
 */
function createLogger(options: LogOptions): FastifyBaseLogger {
  return pino({ level: options.level }, options.stream ?? pino.destination({ sync: false })) as FastifyBaseLogger;
}
export interface LogOptions {
  level: string;
  stream?: Writable;
}

/** Fastify's own lines about each request: one line when it is answered, at `debug` unless it was slow or failed. */
class RequestLog extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const details = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...details, err: error }, 'request errored');
    else if (details.ms >= SLOW_REQUEST_MS) reply.log.warn(details, 'slow request');
    else reply.log.debug(details, 'request');
  }
}

/**
 * Boots in layers: the HTTP server and the page cache; security, compression; the request's context
 * and the decorators routes use (access, pages, lookups); errors and the OpenAPI document; then routes.
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
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === 'true',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('config', config);
  app.addHook('onClose', async () => {
    (app.log as FastifyBaseLogger & { flush?: () => void }).flush?.();
  });
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
    secret: services.sessionSecret,
  });
  await app.register(compress, { threshold: 1024 });
  await app.register(contextPlugin, { services: services.useCases, changes: services.changes });
  await app.register(accessPlugin);
  await app.register(pagesPlugin);
  await app.register(lookupsPlugin);
  await app.register(errorsPlugin);
  await app.register(openApiPlugin);
  await app.register(rootRoutes);
  await app.register(sitemapRoutes);
  await app.register(embedRoutes);
  await app.register(subtitleFileRoutes);
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.register(subtitleApiRoutes, { prefix: '/api/v1' });
  await app.register(translationApiRoutes, { prefix: '/api/v1' });
  await app.register(openApiRoutes, { prefix: '/api/v1' });
  await app.register(siteRoutes, { prefix: '/:lang' });
  return app;
}
