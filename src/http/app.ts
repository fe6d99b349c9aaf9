import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Services } from '../services/index.ts';
import { contextPlugin } from './plugins/context.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { pageCachePlugin } from './plugins/page-cache.ts';
import { securityPlugin } from './plugins/security.ts';
import { apiRoutes } from './routes/api/index.ts';
import { subtitleApiRoutes } from './routes/api/subtitles.ts';
import { rootRoutes } from './routes/root.ts';
import { subtitleFileRoutes } from './routes/subtitles.ts';
import { siteRoutes } from './routes/site/index.ts';

declare module 'fastify' {
  interface FastifyInstance { config: Config }
}

/** Boots in layers: infrastructure, then request context and errors, then routes. */
export async function buildApp(config: Config, services: Services, logger: boolean | object = false): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === 'true',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.decorate('config', config);
  // First, so a cached page is sent before sessions, cookies and headers are worked out again: the
  // cached entry carries the security headers of the response it was made from.
  await app.register(pageCachePlugin, { seconds: config.pageCacheSeconds });
  await app.register(securityPlugin, { config, sessions: services.repositories.sessions, secret: services.sessionSecret });
  await app.register(compress, { threshold: 1024 });
  await app.register(contextPlugin, { services });
  await app.register(errorsPlugin);
  await app.register(rootRoutes);
  await app.register(subtitleFileRoutes);
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.register(subtitleApiRoutes, { prefix: '/api/v1' });
  await app.register(siteRoutes, { prefix: '/:lang' });
  return app;
}
