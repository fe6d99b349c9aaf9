import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../../../errors.ts';
import type { FieldErrors, StoryForm } from '../../../domain/stories/story-form.ts';
import type { StoryRecord } from '../../../store/repositories/stories.ts';
import { historyPage } from '../../views/pages/history.ts';
import { storyEditorPage, storyToForm } from '../../views/pages/story-editor.ts';
import { authorize, sendPage } from './index.ts';

// Browsers send one value for a single checkbox and an array for several.
const Many = Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 200 })]));
const StoryBody = Type.Object({
  slug: Type.Optional(Type.String()), region: Type.Optional(Type.String()), sourceLanguage: Type.Optional(Type.String()),
  featured: Type.Optional(Type.String()), themes: Many, storytellers: Many,
  title: Type.Optional(Type.String()), summary: Type.Optional(Type.String()), body: Type.Optional(Type.String()),
  revision: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()),
});
const TextQuery = Type.Object({ text: Type.Optional(Type.String({ maxLength: 20 })), saved: Type.Optional(Type.String({ maxLength: 1 })) });

const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function formFromBody(body: Record<string, string | string[] | undefined>): StoryForm {
  const text = (name: string) => { const value = body[name]; return typeof value === 'string' ? value : ''; };
  return {
    slug: text('slug'), region: text('region'), sourceLanguage: text('sourceLanguage'), featured: text('featured'),
    themes: list(body.themes), storytellers: list(body.storytellers),
    title: text('title'), summary: text('summary'), body: text('body'), revision: text('revision'),
  };
}

/** Where editors create and change stories; every save is a revision and stale forms are refused. */
export async function editRoutes(app: FastifyInstance) {
  const { stories: storyService, catalog, repositories } = app.services;

  async function textLanguage(request: FastifyRequest, fallback: string) {
    const wanted = (request.query as { text?: string }).text;
    const languages = await app.enabledLanguages();
    return languages.some((l) => l.code === wanted) ? wanted! : fallback;
  }

  async function render(request: FastifyRequest, reply: FastifyReply, data: {
    story: StoryRecord | null; form: StoryForm; textLanguage: string; errors?: FieldErrors; conflict?: StoryRecord | null; saved?: boolean;
  }, status = 200) {
    const [regions, themes, people] = await Promise.all([catalog.regions(), catalog.themes(), catalog.people()]);
    const context = request.pageContext(reply, request.language, { forms: true });
    return sendPage(reply, storyEditorPage(context, {
      errors: {}, conflict: null, saved: false, ...data, regions, themes, people,
    }), status);
  }

  async function findStory(slug: string) {
    const story = await repositories.stories.findBySlug(slug);
    if (!story) throw notFound('story');
    return story;
  }

  app.get('/edit/stories/new', { schema: { querystring: TextQuery } }, async (request, reply) => {
    authorize(request, 'story.edit');
    const language = await textLanguage(request, request.language.code);
    const form: StoryForm = { slug: '', region: '', sourceLanguage: language, featured: '', themes: [], storytellers: [], title: '', summary: '', body: '', revision: '0' };
    return render(request, reply, { story: null, form, textLanguage: language });
  });

  app.post('/edit/stories/new', { schema: { body: StoryBody, querystring: TextQuery }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'story.edit');
    const form = formFromBody(request.body as Record<string, string>);
    const language = await textLanguage(request, form.sourceLanguage || request.language.code);
    const result = await storyService.create(form, language, request.user!.id);
    if (result.ok) return reply.redirect(`/${request.language.code}/edit/stories/${result.story.slug}?text=${language}&saved=1`, 303);
    return render(request, reply, { story: null, form, textLanguage: language, errors: 'errors' in result ? result.errors : {} }, 400);
  });

  app.get('/edit/stories/:slug', { schema: { querystring: TextQuery } }, async (request, reply) => {
    authorize(request, 'story.edit');
    const story = await findStory((request.params as { slug: string }).slug);
    const language = await textLanguage(request, story.sourceLanguage);
    return render(request, reply, { story, form: storyToForm(story, language), textLanguage: language, saved: (request.query as { saved?: string }).saved === '1' });
  });

  app.post('/edit/stories/:slug', { schema: { body: StoryBody, querystring: TextQuery }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'story.edit');
    const story = await findStory((request.params as { slug: string }).slug);
    const language = await textLanguage(request, story.sourceLanguage);
    const form = formFromBody(request.body as Record<string, string>);
    const result = await storyService.update(story.id, form, language, request.user!.id);
    if (!result) throw notFound('story');
    if (result.ok) return reply.redirect(`/${request.language.code}/edit/stories/${result.story.slug}?text=${language}&saved=1`, 303);
    if ('conflict' in result) {
      // Keep what the editor typed; the next save is based on the revision they have now seen.
      return render(request, reply, { story: result.conflict, form: { ...form, revision: String(result.conflict.revision) }, textLanguage: language, conflict: result.conflict }, 409);
    }
    return render(request, reply, { story, form, textLanguage: language, errors: result.errors }, 400);
  });

  app.post('/edit/stories/:slug/status', {
    schema: { body: Type.Object({ status: Type.Union([Type.Literal('draft'), Type.Literal('published')]), revision: Type.String({ maxLength: 12 }), _csrf: Type.Optional(Type.String()) }) },
    preHandler: app.csrfProtection,
  }, async (request, reply) => {
    authorize(request, 'story.publish');
    const story = await findStory((request.params as { slug: string }).slug);
    const body = request.body as { status: 'draft' | 'published'; revision: string };
    const result = await storyService.setStatus(story.id, Number(body.revision), body.status, request.user!.id);
    if (result && !result.ok) {
      return render(request, reply, { story: result.current, form: storyToForm(result.current, result.current.sourceLanguage), textLanguage: result.current.sourceLanguage, conflict: result.current }, 409);
    }
    return reply.redirect(`/${request.language.code}/edit/stories/${story.slug}?saved=1`, 303);
  });

  app.get('/edit/stories/:slug/history', async (request, reply) => {
    authorize(request, 'story.edit');
    const story = await findStory((request.params as { slug: string }).slug);
    const context = request.pageContext(reply, request.language);
    return sendPage(reply, historyPage(context, { story, revisions: await storyService.revisions(story.id) }));
  });
}
