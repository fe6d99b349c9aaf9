import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** The OpenAPI document of this API (made by the openapi plugin from the routes' schemas). */
export const openApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/openapi.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.swagger();
  });
};
