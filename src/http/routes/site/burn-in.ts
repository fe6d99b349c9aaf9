import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../../../errors.ts';
import { CsrfBody } from '../../forms.ts';

// Burned-in subtitle exports: ask for one (a background job makes it) and download it.

const LANGUAGE_CODE = '[a-z]{2,3}(?:-[a-z0-9]{2,8})*';

export const burnInRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { burnIn } = app.services;

  async function target(request: FastifyRequest, slug: string, code: string) {
    const { code: language } = await app.findLanguage(code);
    request.authorize('exports.make', language);
    return { story: await app.findStory(slug), language };
  }

  app.post(
    '/edit/stories/:slug/subtitles/:language/burn-in',
    {
      schema: {
        params: Type.Object({ slug: Type.String({ maxLength: 200 }), language: Type.String({ maxLength: 20 }) }),
        body: CsrfBody,
      },
      preHandler: app.csrfProtection,
    },
    async (request, reply) => {
      const { story, language } = await target(request, request.params.slug, request.params.language);
      const outcome = await burnIn.request(story.id, language);
      const done = typeof outcome === 'string' ? outcome : 'queued';
      return reply.redirect(
        `/${request.language.code}/edit/stories/${story.slug}/video?burnIn=${done}&track=${language}`,
        303,
      );
    },
  );

  app.get(
    '/edit/stories/:slug/exports/:file',
    {
      schema: { params: Type.Object({ slug: Type.String({ maxLength: 200 }), file: Type.String({ maxLength: 30 }) }) },
    },
    async (request, reply) => {
      const match = new RegExp(`^(${LANGUAGE_CODE})\\.mp4$`).exec(request.params.file);
      if (!match) throw notFound('export');
      const { story, language } = await target(request, request.params.slug, match[1]!);
      const made = (await burnIn.exports(story.id)).find((entry) => entry.label === language);
      if (!made) throw notFound('export');
      reply
        .header('content-disposition', `attachment; filename="${story.slug}-${language}.mp4"`)
        .header('cache-control', 'private, no-store')
        .header('content-length', made.bytes)
        .type('video/mp4');
      return reply.send(burnIn.open(made));
    },
  );
};
