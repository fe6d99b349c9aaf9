import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bcp47 } from '../../../domain/languages/languages.ts';
import { notFound } from '../../../errors.ts';
import { orderedRenditions, posterUrl } from '../../views/components/player.ts';
import { subtitleEditorPage } from '../../views/pages/subtitle-editor.ts';
import { islandLanguage as editorLanguage, islandScriptUrl } from '../../assets.ts';

// The messages the editor island shows, sent with the page in the reader's language.
const EDITOR_MESSAGE_PREFIXES = ['editor-', 'subtitle-quality-', 'bot-label'];

/** The subtitle editor page: a track of a story in one language, optionally translated from another. */
export const subtitleEditorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { subtitles, video, messages } = app.services;

  app.get(
    '/edit/stories/:slug/subtitles/:language/edit',
    {
      schema: {
        params: Type.Object({ slug: Type.String({ maxLength: 200 }), language: Type.String({ maxLength: 20 }) }),
        querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const language = await app.findLanguage(request.params.language);
      request.authorize('subtitles.edit', language.code);
      const story = await app.findStory(request.params.slug);
      const languages = await app.enabledLanguages();
      const fromCode = request.query.from;
      const from = fromCode && fromCode !== language.code ? languages.find((l) => l.code === fromCode) : undefined;
      if (fromCode && fromCode !== language.code && !from) throw notFound('language');
      const [state, files, limits] = await Promise.all([
        subtitles.editorState(story.id, language.code, from?.code),
        video.files(story.id),
        subtitles.limits(language.code),
      ]);
      if (from && !state.source) throw notFound('subtitle track');
      const timeline = await video.timeline(story.id, files);
      const sourceLanguage = state.source ? languages.find((l) => l.code === state.source!.language) : undefined;
      const storyTitle =
        story.texts[request.language.code]?.title ?? story.texts[story.sourceLanguage]?.title ?? story.slug;
      const context = request.pageContext(reply, request.language, { forms: true });
      reply.header('cache-control', 'private, no-store');
      return reply.page(
        subtitleEditorPage(context, {
          slug: story.slug,
          script: islandScriptUrl('editor'),
          storyTitle,
          languageName: language.autonym,
          sourceName: sourceLanguage?.autonym ?? null,
          boot: {
            story: { slug: story.slug, title: storyTitle },
            language: editorLanguage(language),
            source:
              state.source && sourceLanguage
                ? { language: editorLanguage(sourceLanguage), revision: state.source.revision, cues: state.source.cues }
                : null,
            track: state.track
              ? { revision: state.track.revision, status: state.track.status, cues: state.track.cues }
              : { revision: 0, status: 'draft', cues: [] },
            limits,
            video: {
              sources: orderedRenditions(files),
              poster: posterUrl(files),
              seconds: files.find((file) => file.role === 'rendition')?.durationSeconds ?? null,
              timeline,
            },
            review: state.review ? { ...state.review, at: new Date(state.review.at).toISOString() } : null,
            saveUrl: `/api/v1/stories/${encodeURIComponent(story.slug)}/subtitles/${language.code}`,
            trackUrl: `/${request.language.code}/edit/stories/${story.slug}/subtitles/${language.code}`,
            csrfToken: context.csrfToken ?? '',
            ui: { code: request.language.code, bcp47: bcp47(request.language.code), dir: request.language.dir },
            messages: messages.texts(request.language.code, EDITOR_MESSAGE_PREFIXES),
          },
        }),
      );
    },
  );
};
