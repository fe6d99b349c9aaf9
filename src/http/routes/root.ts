import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import { LANGUAGE_COOKIE, SAVE_DATA_COOKIE } from '../plugins/context.ts';
import { unknownLanguage } from '../../errors.ts';
import { safeReturnPath } from '../safe-return.ts';
import { builtWebDir } from '../assets.ts';

const require = createRequire(import.meta.url);
const codexDist = path.dirname(require.resolve('@wikimedia/codex/dist/codex.style.css'));
const webDir = new URL('../../web/', import.meta.url).pathname;

/** Language negotiation, the remembered language choice, health, and static assets. */
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

  app.get(
    '/healthz',
    {
      schema: {
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            engine: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]),
          }),
        },
      },
    },
    async () => app.services.health(),
  );

  await app.register(fastifyStatic, {
    root: [codexDist, webDir, ...(existsSync(builtWebDir) ? [builtWebDir] : [])],
    prefix: '/assets/',
    maxAge: '1d',
    allowedPath: (pathname) =>
      /^\/((codex\.style(-rtl)?|site|subtitle-editor|translate|embed|celebration|search)\.css|(transcript|search)\.js|editor\/(editor|translate)\.js(\.map)?)$/.test(
        pathname,
      ),
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
