import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { can } from '../../../domain/access/authorize.ts';
import { bcp47 } from '../../../domain/languages/languages.ts';
import { forbidden, notFound, notSignedIn } from '../../../errors.ts';
import type { LanguageRow } from '../../../store/repositories/languages.ts';
import type { EditorLanguage } from '../../../web/editor/boot.ts';
import { orderedRenditions, posterUrl } from '../../views/components/player.ts';
import { subtitleEditorPage } from '../../views/pages/subtitle-editor.ts';
import { builtWebDir } from '../root.ts';
import { sendPage } from './index.ts';

// The editor's script, named with a digest of its content so a new build is never hidden by a cache.
let editorScript: string | undefined;
function editorScriptUrl(): string {
  if (!editorScript) {
    let digest = 'unbuilt';
    try {
      digest = createHash('sha256').update(readFileSync(`${builtWebDir}editor/editor.js`)).digest('hex').slice(0, 12);
    } catch {
      // Not built: the page still works as a page, and says the editor needs its script.
    }
    editorScript = `/assets/editor/editor.js?v=${digest}`;
  }
  return editorScript;
}

// The messages the editor island shows, sent with the page in the reader's language.
const EDITOR_MESSAGE_PREFIXES = ['editor-', 'subtitle-quality-'];

const editorLanguage = (language: LanguageRow): EditorLanguage =>
  ({ code: language.code, bcp47: bcp47(language.code), autonym: language.autonym, dir: language.dir });

/** May this visitor edit subtitles in this language: a translator of it, or an editor of stories. */
export function authorizeSubtitleEditing(request: FastifyRequest, language: string): void {
  if (!request.user) throw notSignedIn();
  if (!can(request.user.grants, 'translation.edit', language) && !can(request.user.grants, 'story.edit')) throw forbidden();
}

/** The subtitle editor page: a track of a story in one language, optionally translated from another. */
export async function subtitleEditorRoutes(app: FastifyInstance) {
  const { subtitles, video, repositories, messages } = app.services;

  app.get('/edit/stories/:slug/subtitles/:language/edit', {
    schema: { querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 20 })) }) },
  }, async (request, reply) => {
    const params = request.params as { slug: string; language: string };
    const languages = await app.enabledLanguages();
    const language = languages.find((l) => l.code === params.language);
    if (!language) throw notFound('language');
    authorizeSubtitleEditing(request, language.code);
    const story = await repositories.stories.findBySlug(params.slug);
    if (!story) throw notFound('story');
    const fromCode = (request.query as { from?: string }).from;
    const from = fromCode && fromCode !== language.code ? languages.find((l) => l.code === fromCode) : undefined;
    if (fromCode && fromCode !== language.code && !from) throw notFound('language');
    const [state, files, limits] = await Promise.all([
      subtitles.editorState(story.id, language.code, from?.code),
      video.files(story.id),
      repositories.languages.subtitleLimits(language.code),
    ]);
    if (from && !state.source) throw notFound('subtitle track');
    const sourceLanguage = state.source ? languages.find((l) => l.code === state.source!.language) : undefined;
    const storyTitle = story.texts[request.language.code]?.title ?? story.texts[story.sourceLanguage]?.title ?? story.slug;
    const context = request.pageContext(reply, request.language, { forms: true });
    reply.header('cache-control', 'private, no-store');
    return sendPage(reply, subtitleEditorPage(context, {
      slug: story.slug, script: editorScriptUrl(), storyTitle, languageName: language.autonym, sourceName: sourceLanguage?.autonym ?? null,
      boot: {
        story: { slug: story.slug, title: storyTitle },
        language: editorLanguage(language),
        source: state.source && sourceLanguage ? { language: editorLanguage(sourceLanguage), revision: state.source.revision, cues: state.source.cues } : null,
        track: state.track ? { revision: state.track.revision, status: state.track.status, cues: state.track.cues } : { revision: 0, status: 'draft', cues: [] },
        limits,
        video: { sources: orderedRenditions(files), poster: posterUrl(files), seconds: files.find((file) => file.role === 'rendition')?.durationSeconds ?? null },
        review: state.review ? { ...state.review, at: new Date(state.review.at).toISOString() } : null,
        saveUrl: `/api/v1/stories/${encodeURIComponent(story.slug)}/subtitles/${language.code}`,
        trackUrl: `/${request.language.code}/edit/stories/${story.slug}/subtitles/${language.code}`,
        csrfToken: context.csrfToken ?? '',
        ui: { code: request.language.code, bcp47: bcp47(request.language.code), dir: request.language.dir },
        messages: messages.texts(request.language.code, EDITOR_MESSAGE_PREFIXES),
      },
    }));
  });
}
