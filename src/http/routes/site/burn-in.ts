import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can } from '../../../domain/access/authorize.ts';
import { forbidden, notFound, notSignedIn } from '../../../errors.ts';

// Burned-in subtitle exports: ask for one (a background job makes it) and download it.

/** Editors of stories, and reviewers of the language, may make and fetch exports. */
function authorizeExport(request: FastifyRequest, language: string) {
  if (!request.user) throw notSignedIn();
  const { grants } = request.user;
  if (!can(grants, 'story.edit') && !can(grants, 'translation.review', language)) throw forbidden();
}

export async function burnInRoutes(app: FastifyInstance) {
  const { burnIn, repositories } = app.services;

  async function target(request: FastifyRequest) {
    const { slug, language } = request.params as { slug: string; language: string };
    if (!(await app.enabledLanguages()).some((l) => l.code === language)) throw notFound('language');
    authorizeExport(request, language);
    const story = await repositories.stories.findBySlug(slug);
    if (!story) throw notFound('story');
    return { story, language };
  }

  app.post('/edit/stories/:slug/subtitles/:language/burn-in', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { story, language } = await target(request);
    const outcome = await burnIn.request(story.id, language);
    const done = typeof outcome === 'string' ? outcome : 'queued';
    return reply.redirect(`/${request.language.code}/edit/stories/${story.slug}/video?burnIn=${done}&track=${language}`, 303);
  });

  app.get('/edit/stories/:slug/exports/:language', async (request, reply) => {
    const { language: file } = request.params as { language: string };
    const match = /^([a-z]{2,3}(?:-[a-z0-9]{2,8})*)\.mp4$/.exec(file);
    if (!match) throw notFound('export');
    (request.params as { language: string }).language = match[1]!;
    const { story, language } = await target(request);
    const made = (await burnIn.exports(story.id)).find((entry) => entry.label === language);
    if (!made) throw notFound('export');
    reply.header('content-disposition', `attachment; filename="${story.slug}-${language}.mp4"`).header('cache-control', 'private, no-store')
      .header('content-length', made.bytes).type('video/mp4');
    return reply.send(app.services.storage.open(made.storageKey));
  });
}
