import { mkdirSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import send from '@fastify/send';
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
  // Range requests let browsers seek. Uploaded originals are never served. The address is checked
  // against the shape storage keys have, and the file sent by that path: no directory is listed
  // (a static-files route reads every directory on the way to check the path's spelling, and the
  // stories' directory grows with the archive).
  mkdirSync(app.config.mediaDir, { recursive: true });
  app.get('/media/*', async (request, reply) => {
    const pathname = request.url.slice('/media'.length).split('?')[0]!;
    if (!MEDIA_FILE.test(pathname)) return reply.callNotFound();
    const sent = await send(request.raw, pathname, {
      root: app.config.mediaDir,
      maxAge: '365d',
      immutable: true,
      index: false,
    });
    if (sent.type === 'directory') return reply.callNotFound();
    if (sent.type === 'error') {
      // A range past the end (416) or a failed precondition (412) is answered as such, like any error.
      const error = sent.metadata.error as Error & { status?: number };
      if (error.status === 404) return reply.callNotFound();
      // "bytes */SIZE" tells a player how long the file is.
      const range = sent.headers['Content-Range'];
      if (range !== undefined) reply.header('content-range', range);
      throw error;
    }
    // Other sites may show a poster or play a video that oEmbed, Open Graph or JSON-LD point them to.
    return reply
      .code(sent.statusCode)
      .headers(sent.headers)
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(sent.stream);
  });
};

/** What a poster, thumbnail, rendition or timeline file's address may be under /media: stories/STORY/RUN/NAME. */
const MEDIA_FILE = /^\/stories\/\d+\/\d+-\d+\/[a-z0-9][a-z0-9.-]*$/;
