import { mkdirSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import { LANGUAGE_COOKIE, SAVE_DATA_COOKIE } from '../plugins/context.ts';
import { unknownLanguage } from '../../errors.ts';
import { safeReturnPath } from '../safe-return.ts';
import { isPublicAsset, publicAssets } from '../assets.ts';

/** Language negotiation, the remembered language choice, and static assets. */
export const rootRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', async (request, reply) => {
    reply.header('vary', 'accept-language, cookie').header('cache-control', 'private, no-cache');
    return reply.redirect(`/${await request.preferredLanguage()}/`, 302);
  });

  app.get(
    '/language/:code',
    {
      schema: {
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      const languages = await app.enabledLanguages();
      if (!languages.some((l) => l.code === code)) throw unknownLanguage(code);
      const target = safeReturnPath(request.query.to, '/');
      reply.setCookie(LANGUAGE_COOKIE, code, {
        path: '/',
        maxAge: 365 * 86_400,
        sameSite: 'lax',
        httpOnly: true,
        secure: app.config.secureCookies,
      });
      return reply.redirect(`/${code}${target}`, 303);
    },
  );

  app.get(
    '/save-data',
    {
      schema: {
        querystring: Type.Object({
          on: Type.Union([Type.Literal('0'), Type.Literal('1')]),
          to: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
    },
    async (request, reply) => {
      const { on, to } = request.query;
      reply.setCookie(SAVE_DATA_COOKIE, on, {
        path: '/',
        maxAge: 365 * 86_400,
        sameSite: 'lax',
        httpOnly: true,
        secure: app.config.secureCookies,
      });
      return reply.redirect(safeReturnPath(to, '/'), 303);
    },
  );

  // The build's copies with their Brotli and gzip forms (Content-Encoding from Accept-Encoding,
  // Vary: Accept-Encoding), or the sources while those copies are out of date.
  const assets = publicAssets();
  await app.register(fastifyStatic, {
    root: assets.roots,
    preCompressed: assets.preCompressed,
    prefix: '/assets/',
    maxAge: '1d',
    allowedPath: isPublicAsset,
  });

  // Posters and renditions: every processing run writes new file names, so they never change.
  // Range requests let browsers seek. Uploaded originals are never served.
  mkdirSync(app.config.mediaDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: app.config.mediaDir,
    prefix: '/media/',
    decorateReply: false,
    maxAge: '365d',
    immutable: true,
    allowedPath: (pathname) => /^\/stories\/\d+\/\d+-\d+\/[a-z0-9.-]+$/.test(pathname),
    // Other sites may show a poster or play a video that oEmbed, Open Graph or JSON-LD point them to.
    setHeaders: (reply) => reply.header('cross-origin-resource-policy', 'cross-origin'),
  });
};
