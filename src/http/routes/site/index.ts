import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notSignedIn, forbidden, unknownLanguage } from '../../../errors.ts';
import type { Action } from '../../../domain/access/authorize.ts';
import { can } from '../../../domain/access/authorize.ts';
import type { LanguageRow } from '../../../store/repositories/languages.ts';
import { renderDocument, type VNode } from '../../views/html.ts';
import { accountRoutes } from './account.ts';
import { browseRoutes } from './browse.ts';
import { editRoutes } from './edit.ts';
import { videoRoutes } from './video.ts';
import { subtitleEditorRoutes } from './subtitle-editor.ts';
import { subtitleTrackRoutes } from './subtitle-tracks.ts';
import { burnInRoutes } from './burn-in.ts';
import { adminRoutes } from '../admin/index.ts';

declare module 'fastify' {
  interface FastifyRequest { language: LanguageRow }
}

/** Sends a rendered page as HTML. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(renderDocument(page));
}

/** Refuses the request unless the signed-in user may perform `action`. */
export function authorize(request: FastifyRequest, action: Action, language?: string): void {
  if (!request.user) throw notSignedIn();
  if (!can(request.user.grants, action, language)) throw forbidden();
}

/** Every page lives under its language: /en/…, /ar/…; the prefix decides the interface language. */
export async function siteRoutes(app: FastifyInstance) {
  app.decorateRequest('language', null as unknown as LanguageRow);
  app.addHook('preHandler', async (request, reply) => {
    const code = (request.params as { lang: string }).lang;
    const languages = await app.enabledLanguages();
    const language = languages.find((l) => l.code === code);
    if (language) {
      request.language = language;
      return;
    }
    const lower = languages.find((l) => l.code === code.toLowerCase());
    if (lower) return reply.redirect(`/${lower.code}${request.url.slice(code.length + 1)}`, 301);
    throw unknownLanguage(code);
  });
  await app.register(browseRoutes);
  await app.register(accountRoutes);
  await app.register(editRoutes);
  await app.register(videoRoutes);
  await app.register(subtitleEditorRoutes);
  await app.register(subtitleTrackRoutes);
  await app.register(burnInRoutes);
  await app.register(adminRoutes, { prefix: '/admin' });
}
