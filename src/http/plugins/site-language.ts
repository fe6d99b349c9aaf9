import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { LanguageRow } from '../../domain/languages/languages.ts';
import { unknownLanguage } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The interface language, from the address's first segment (/ar/…). */
    language: LanguageRow;
  }
}

/**
 * Every page lives under its language: /en/…, /ar/…; the prefix decides the interface language.
 * A code in other letter case is redirected to the site's own spelling; an unknown one is a 404.
 */
export const siteLanguagePlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('language', null as unknown as LanguageRow);
    app.addHook('preHandler', async (request, reply) => {
      const code = request.url.slice(1).split(/[/?#]/, 1)[0]!;
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
  },
  { name: 'site-language', dependencies: ['context'] },
);
