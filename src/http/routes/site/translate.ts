import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { bcp47 } from '../../../domain/languages/languages.ts';
import { notFound } from '../../../errors.ts';
import { islandLanguage, islandScriptUrl } from '../../assets.ts';
import { translatePage } from '../../views/pages/translate.ts';

// The messages the translation editor island shows, sent with the page in the reader's language.
const TRANSLATE_MESSAGE_PREFIXES = ['translate-', 'translation-check-'];

const Params = Type.Object({ slug: Type.String({ maxLength: 200 }), language: Type.String({ maxLength: 20 }) });

/** "Translate this post": the translation editor of a story in one language, and its exchange files. */
export const translateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { translation, messages } = app.services;

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
};
