import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { LANGUAGE_COOKIE, SAVE_DATA_COOKIE } from '../plugins/context.ts';
import { unknownLanguage } from '../../errors.ts';

const require = createRequire(import.meta.url);
const codexDist = path.dirname(require.resolve('@wikimedia/codex/dist/codex.style.css'));
const webDir = new URL('../../web/', import.meta.url).pathname;
// The built browser islands (scripts/build-web.ts).
export const builtWebDir = new URL('../../../dist/web/', import.meta.url).pathname;

/** Language negotiation, the remembered language choice, health, and static assets. */
export async function rootRoutes(app: FastifyInstance) {
  app.get('/', async (request, reply) => {
    reply.header('vary', 'accept-language, cookie').header('cache-control', 'private, no-cache');
    return reply.redirect(`/${await request.preferredLanguage()}/`, 302);
  });

  app.get('/language/:code', {
    schema: { querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 2000 })) }) },
  }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const languages = await app.enabledLanguages();
    if (!languages.some((l) => l.code === code)) throw unknownLanguage(code);
    const to = (request.query as { to?: string }).to ?? '/';
    const target = /^\/(?![/\\])/.test(to) ? to : '/';
    reply.setCookie(LANGUAGE_COOKIE, code, { path: '/', maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true, secure: app.config.secureCookies });
    return reply.redirect(`/${code}${target}`, 303);
  });

  app.get('/save-data', {
    schema: { querystring: Type.Object({ on: Type.Union([Type.Literal('0'), Type.Literal('1')]), to: Type.Optional(Type.String({ maxLength: 2000 })) }) },
  }, async (request, reply) => {
    const { on, to = '/' } = request.query as { on: '0' | '1'; to?: string };
    reply.setCookie(SAVE_DATA_COOKIE, on, { path: '/', maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true, secure: app.config.secureCookies });
    return reply.redirect(/^\/(?![/\\])/.test(to) ? to : '/', 303);
  });

  app.get('/healthz', async () => {
    await sql`SELECT 1`.execute(app.services.database.db);
    return { status: 'ok', engine: app.services.database.engine };
  });

  await app.register(fastifyStatic, {
    root: [codexDist, webDir, ...(existsSync(builtWebDir) ? [builtWebDir] : [])], prefix: '/assets/', maxAge: '1d',
    allowedPath: (pathname) => /^\/((codex\.style(-rtl)?|site|subtitle-editor)\.css|transcript\.js|editor\/editor\.js(\.map)?)$/.test(pathname),
  });

  // Posters and renditions: every processing run writes new file names, so they never change.
  // Range requests let browsers seek. Uploaded originals are never served.
  mkdirSync(app.config.mediaDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: app.config.mediaDir, prefix: '/media/', decorateReply: false, maxAge: '365d', immutable: true,
    allowedPath: (pathname) => /^\/stories\/\d+\/\d+-\d+\/[a-z0-9.-]+$/.test(pathname),
  });
}
