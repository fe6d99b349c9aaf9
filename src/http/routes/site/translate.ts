import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { bcp47 } from '../../../domain/languages/languages.ts';
import { notFound } from '../../../errors.ts';
import { islandLanguage, islandScriptUrl } from '../../assets.ts';
import { translateImportPage, translatePage, type ImportPageData } from '../../views/pages/translate.ts';
import { formFile, uploadProblem } from '../../forms.ts';

// The messages the translation editor island shows, sent with the page in the reader's language.
const TRANSLATE_MESSAGE_PREFIXES = ['translate-', 'translation-check-', 'bot-label', 'history-via-token'];

/** The largest exchange file taken: a long story with every unit and its notes is far smaller. */
const IMPORT_BYTES = 20 * 1024 * 1024;

const Params = Type.Object({ slug: Type.String({ maxLength: 200 }), language: Type.String({ maxLength: 20 }) });

/** "Translate this post": the translation editor of a story in one language, and its exchange files. */
export const translateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { translation, translationExchange, messages } = app.services;

  /** The story and target language of the address; a visitor not signed in is sent to sign in (or up) and back. */
  async function target(request: FastifyRequest, reply: FastifyReply, slug: string, code: string) {
    const language = await app.findLanguage(code);
    const story = await app.findStory(slug);
    if (story.status !== 'published' && !request.can('story.edit')) throw notFound('story');
    if (language.code === story.sourceLanguage) {
      reply.redirect(`/${request.language.code}/edit/stories/${story.slug}`, 303);
      return null;
    }
    if (!request.user) {
      const here = `/${request.language.code}/translate/${story.slug}/${language.code}`;
      reply.redirect(`/${request.language.code}/sign-in?returnTo=${encodeURIComponent(here)}`, 303);
      return null;
    }
    request.authorize('translation.suggest', language.code);
    return { story, language };
  }

  app.get('/translate/:slug/:language', { schema: { params: Params } }, async (request, reply) => {
    const found = await target(request, reply, request.params.slug, request.params.language);
    if (!found) return reply;
    const { story, language } = found;
    const languages = await app.enabledLanguages();
    const source =
      languages.find((l) => l.code === story.sourceLanguage) ?? (await app.findLanguage(story.sourceLanguage));
    const editor = await translation.editor(story.id, language.code, story.sourceLanguage);
    const storyTitle = story.texts[story.sourceLanguage]?.title ?? story.slug;
    const context = request.pageContext(reply, request.language, { forms: true });
    const base = `/${request.language.code}/translate/${story.slug}/${language.code}`;
    reply.header('cache-control', 'private, no-store');
    return reply.page(
      translatePage(context, {
        script: islandScriptUrl('translate'),
        rows: editor.rows,
        percent: editor.percent,
        boot: {
          story: { slug: story.slug, title: storyTitle },
          source: islandLanguage(source),
          target: islandLanguage(language),
          apiUrl: `/api/v1/stories/${encodeURIComponent(story.slug)}/translations/${language.code}`,
          csrfToken: context.csrfToken ?? '',
          user: { username: request.user!.username, canReview: request.can('translation.review', language.code) },
          storyUrl: `/${language.code}/stories/${story.slug}`,
          exportUrls: { xliff: `${base}/export.xlf`, po: `${base}/export.po` },
          glossary: await translation.glossary(story.sourceLanguage, language.code),
          ui: { code: request.language.code, bcp47: bcp47(request.language.code), dir: request.language.dir },
          messages: messages.texts(request.language.code, TRANSLATE_MESSAGE_PREFIXES),
        },
      }),
    );
  });

  for (const [extension, format] of [
    ['xlf', 'xliff'],
    ['po', 'po'],
  ] as const) {
    app.get(
      `/translate/:slug/:language/export.${extension}`,
      { schema: { params: Params } },
      async (request, reply) => {
        const found = await target(request, reply, request.params.slug, request.params.language);
        if (!found) return reply;
        const file = await translationExchange.export(found.story, found.language.code, format);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('cache-control', 'private, no-store')
          .send(file.body);
      },
    );
  }

  app.post(
    '/translate/:slug/:language/import',
    { schema: { params: Params }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const found = await target(request, reply, request.params.slug, request.params.language);
      if (!found) return reply;
      const { story, language } = found;
      const context = request.pageContext(reply, request.language, { forms: true });
      const show = (result: ImportPageData['result'], status: number) =>
        reply.page(translateImportPage(context, { slug: story.slug, language, result }), status);
      const file = await formFile(request, { limits: { fileSize: IMPORT_BYTES } });
      if (!file) return show({ ok: false, refusals: [{ unit: null, reason: 'file', detail: 'no_file' }] }, 400);
      let bytes: Buffer;
      try {
        bytes = await file.toBuffer();
      } catch (error) {
        const problem = uploadProblem(error, { FST_REQ_FILE_TOO_LARGE: true });
        if (!problem) throw error;
        return show({ ok: false, refusals: [{ unit: null, reason: 'file', detail: problem }] }, 400);
      }
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      const result = await translationExchange.import(story, language.code, text, request.user!.id);
      return show(result, result.ok ? 200 : 400);
    },
  );
};
