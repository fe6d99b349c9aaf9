import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorResponse, TranslationUnit } from '../routes/api/schemas.ts';

/**
 * The OpenAPI 3.1 document of the JSON API, made from the routes' own schemas: a route under
 * /api/v1 appears in it by declaring them, nothing more. Pages and files are left out.
 */
export const openApiPlugin = fp(
  async (app: FastifyInstance) => {
    app.addSchema(ErrorResponse);
    app.addSchema(TranslationUnit);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'storyhub API',
          version: '1',
          description:
            'Stories of a global volunteer movement, their languages and their subtitle tracks. Reading needs no account; ' +
            'writing needs a signed-in session (the `storyhub_session` cookie) and, for every change, the CSRF token of that session ' +
            'in the `csrf-token` header, or a personal API token (`Authorization: Bearer shp_…`, made on the account page; no CSRF ' +
            'token). A token acts as its owner with at most its scopes: `read` (implied), `translate` (save, review translation ' +
            'units), `subtitle` (save and review subtitle tracks), `edit` (stories and the catalog). Every response carries ' +
            '`RateLimit` and `RateLimit-Policy` headers; GETs carry an `ETag`. Every error is `{ "error": { "code", "message" } }` ' +
            'with a stable code.',
        },
        servers: [{ url: '/' }],
        tags: [
          { name: 'catalog', description: 'Published stories, read in any of the site\u2019s languages' },
          {
            name: 'subtitles',
            description: 'Subtitle tracks, read and saved by those who may edit them (compare-and-set on a revision)',
          },
        ],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'storyhub_session', description: 'A signed-in session' },
            token: {
              type: 'http',
              scheme: 'bearer',
              description: 'A personal API token (shp_…); its scopes are listed per operation',
            },
            csrf: {
              type: 'apiKey',
              in: 'header',
              name: 'csrf-token',
              description: 'The CSRF token of the session (given on its pages)',
            },
          },
        },
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) =>
          typeof json.$id === 'string' ? json.$id : `schema-${i}`,
      },
      transform: ({ schema, url }) => ({
        schema: url.startsWith('/api/v1/') && url !== '/api/v1/openapi.json' ? schema : { ...schema, hide: true },
        url,
      }),
    });
  },
  { name: 'openapi' },
);
