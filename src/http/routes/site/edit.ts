import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../../../errors.ts';
import { LIMITS, type FieldErrors, type StoryForm } from '../../../domain/stories/story-form.ts';
import type { StoryRecord } from '../../../domain/stories/story.ts';
import type { MarkupProblem } from '../../../domain/stories/markup.ts';
import { historyPage } from '../../views/pages/history.ts';
import { storyEditorPage, storyToForm } from '../../views/pages/story-editor.ts';

// Browsers send one value for a single checkbox and an array for several.
const Many = Type.Optional(
  Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 200 })]),
);
// Bounds well above the form's own limits, so an over-long field is reported on its field by the form check.
const text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const StoryBody = Type.Object({
  slug: text(10 * LIMITS.slug),
  region: text(20),
  sourceLanguage: text(20),
  featured: text(10),
  themes: Many,
  storytellers: Many,
  title: text(10 * LIMITS.title),
  summary: text(10 * LIMITS.summary),
  body: text(4 * LIMITS.body),
  revision: text(12),
  typoFix: text(10),
  _csrf: text(200),
});
const TextQuery = Type.Object({
  text: Type.Optional(Type.String({ maxLength: 20 })),
  saved: Type.Optional(Type.String({ maxLength: 1 })),
});
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
const StatusBody = Type.Object({
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  revision: Type.String({ maxLength: 12 }),
  _csrf: Type.Optional(Type.String()),
});

const failure = (result: { errors: FieldErrors; markup?: MarkupProblem[] } | { conflict: StoryRecord }) =>
  'errors' in result ? { errors: result.errors, markup: result.markup ?? [] } : { errors: {}, markup: [] };

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function formFromBody(body: Record<string, string | string[] | undefined>): StoryForm {
  const text = (name: string) => {
    const value = body[name];
    return typeof value === 'string' ? value : '';
  };
  return {
    slug: text('slug'),
    region: text('region'),
    sourceLanguage: text('sourceLanguage'),
    featured: text('featured'),
    themes: list(body.themes),
    storytellers: list(body.storytellers),
    title: text('title'),
    summary: text('summary'),
    body: text('body'),
    revision: text('revision'),
    typoFix: text('typoFix'),
  };
}

/** Where editors create and change stories; every save is a revision and stale forms are refused. */
export const editRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stories: storyService, catalog } = app.services;

  async function textLanguage(wanted: string | undefined, fallback: string) {
    const languages = await app.enabledLanguages();
    return languages.some((l) => l.code === wanted) ? wanted! : fallback;
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    data: {
      story: StoryRecord | null;
      form: StoryForm;
      textLanguage: string;
      errors?: FieldErrors;
      markup?: MarkupProblem[];
      conflict?: StoryRecord | null;
      saved?: boolean;
    },
    status = 200,
  ) {
    const [regions, themes, people] = await Promise.all([catalog.regions(), catalog.themes(), catalog.people()]);
    const context = request.pageContext(reply, request.language, { forms: true });
    return reply.page(
      storyEditorPage(context, {
        errors: {},
        markup: [],
        conflict: null,
        saved: false,
        ...data,
        regions,
        themes,
        people,
      }),
      status,
    );
  }

  app.get('/edit/stories/new', { schema: { querystring: TextQuery } }, async (request, reply) => {
    request.authorize('story.edit');
    const language = await textLanguage(request.query.text, request.language.code);
    const form: StoryForm = {
      slug: '',
      region: '',
      sourceLanguage: language,
      featured: '',
      themes: [],
      storytellers: [],
      title: '',
      summary: '',
      body: '',
      revision: '0',
    };
    return render(request, reply, { story: null, form, textLanguage: language });
  });

  app.post(
    '/edit/stories/new',
    { schema: { body: StoryBody, querystring: TextQuery }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('story.edit');
      const form = formFromBody(request.body);
      const language = await textLanguage(form.sourceLanguage, request.language.code);
      const result = await storyService.create(form, request.user!.id);
      if (result.ok) return reply.redirect(`/${request.language.code}/edit/stories/${result.story.slug}?saved=1`, 303);
      return render(request, reply, { story: null, form, textLanguage: language, ...failure(result) }, 400);
    },
  );

  app.get('/edit/stories/:slug', { schema: { params: SlugParams, querystring: TextQuery } }, async (request, reply) => {
    request.authorize('story.edit');
    const story = await app.findStory(request.params.slug);
    const language = await textLanguage(request.query.text, story.sourceLanguage);
    // Other languages are translated unit by unit, in the translation editor.
    if (language !== story.sourceLanguage)
      return reply.redirect(`/${request.language.code}/translate/${story.slug}/${language}`, 303);
    return render(request, reply, {
      story,
      form: storyToForm(story),
      textLanguage: language,
      saved: request.query.saved === '1',
    });
  });

  app.post(
    '/edit/stories/:slug',
    { schema: { params: SlugParams, body: StoryBody, querystring: TextQuery }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('story.edit');
      const story = await app.findStory(request.params.slug);
      const form = formFromBody(request.body);
      const language = await textLanguage(form.sourceLanguage, story.sourceLanguage);
      const result = await storyService.update(story.id, form, request.user!.id);
      if (!result) throw notFound('story');
      if (result.ok) return reply.redirect(`/${request.language.code}/edit/stories/${result.story.slug}?saved=1`, 303);
      if ('conflict' in result) {
        // Keep what the editor typed; the next save is based on the revision they have now seen.
        return render(
          request,
          reply,
          {
            story: result.conflict,
            form: { ...form, revision: String(result.conflict.revision) },
            textLanguage: language,
            conflict: result.conflict,
          },
          409,
        );
      }
      return render(request, reply, { story, form, textLanguage: language, ...failure(result) }, 400);
    },
  );

  app.post(
    '/edit/stories/:slug/status',
    { schema: { params: SlugParams, body: StatusBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('story.publish');
      const story = await app.findStory(request.params.slug);
      const { body } = request;
      const result = await storyService.setStatus(story.id, Number(body.revision), body.status, request.user!.id);
      if (result && !result.ok) {
        return render(
          request,
          reply,
          {
            story: result.current,
            form: storyToForm(result.current),
            textLanguage: result.current.sourceLanguage,
            conflict: result.current,
          },
          409,
        );
      }
      return reply.redirect(`/${request.language.code}/edit/stories/${story.slug}?saved=1`, 303);
    },
  );

  app.get('/edit/stories/:slug/history', { schema: { params: SlugParams } }, async (request, reply) => {
    request.authorize('story.edit');
    const story = await app.findStory(request.params.slug);
    const context = request.pageContext(reply, request.language);
    return reply.page(historyPage(context, { story, revisions: await storyService.revisions(story.id) }));
  });
};
