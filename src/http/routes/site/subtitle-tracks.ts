import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { can } from '../../../domain/access/authorize.ts';
import type { SubtitleTrackPageData } from '../../views/pages/subtitle-track.ts';
import { subtitleDiffPage, subtitleTrackPage } from '../../views/pages/subtitle-track.ts';
import { subtitleQueuePage } from '../../views/pages/subtitle-queue.ts';
import { forbidden, notFound, notSignedIn } from '../../../errors.ts';
import { authorizeSubtitleEditing } from './subtitle-editor.ts';
import { sendPage } from './index.ts';

// A subtitle track's own page: status and review, revisions, comparison and rollback; the
// "translate into" chooser that opens the editor on a new language from an existing track; and a
// translator's list of stories to subtitle in their language.

const Revision = Type.Object({ revision: Type.String({ pattern: '^[0-9]{1,9}$' }), _csrf: Type.Optional(Type.String()) });
const ReviewBody = Type.Object({
  revision: Type.String({ pattern: '^[0-9]{1,9}$' }),
  decision: Type.Union([Type.Literal('submitted'), Type.Literal('approved'), Type.Literal('sent_back')]),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
});
const Compare = Type.Object({ from: Type.String({ pattern: '^[0-9]{1,9}$' }), to: Type.String({ pattern: '^[0-9]{1,9}$' }) });

/** Approving or sending back needs a reviewer of the language, or an editor who may publish. */
const mayReview = (request: FastifyRequest, language: string) =>
  Boolean(request.user && (can(request.user.grants, 'translation.review', language) || can(request.user.grants, 'story.publish')));

export async function subtitleTrackRoutes(app: FastifyInstance) {
  const { subtitles, repositories } = app.services;

  async function target(request: FastifyRequest) {
    const { slug, language: code } = request.params as { slug: string; language: string };
    const language = (await app.enabledLanguages()).find((l) => l.code === code);
    if (!language) throw notFound('language');
    authorizeSubtitleEditing(request, language.code);
    const story = await repositories.stories.findBySlug(slug);
    if (!story) throw notFound('story');
    const storyTitle = story.texts[request.language.code]?.title ?? story.texts[story.sourceLanguage]?.title ?? story.slug;
    return { story, language, storyTitle };
  }

  async function render(request: FastifyRequest, reply: FastifyReply, notice?: SubtitleTrackPageData['notice'], status = 200) {
    const { story, language, storyTitle } = await target(request);
    const history = await subtitles.history(story.id, language.code);
    if (!history) throw notFound('subtitle track');
    const context = request.pageContext(reply, request.language, { forms: true });
    reply.header('cache-control', 'private, no-store');
    return sendPage(reply, subtitleTrackPage(context, {
      slug: story.slug, storyTitle, language, ...history, canEdit: true, canReview: mayReview(request, language.code), notice,
    }), status);
  }

  const back = (request: FastifyRequest, query = '') => {
    const { slug, language } = request.params as { slug: string; language: string };
    return `/${request.language.code}/edit/stories/${slug}/subtitles/${language}${query}`;
  };

  app.get('/edit/stories/:slug/subtitles/:language', async (request, reply) => {
    const { done, from, to } = request.query as { done?: string; from?: string; to?: string };
    if (done === 'rollback' && from && to) return render(request, reply, { type: 'success', key: 'subtitle-track-rolled-back', params: [from, to] });
    if (done && ['submitted', 'approved', 'sent_back'].includes(done)) return render(request, reply, { type: 'success', key: `subtitle-review-${done.replace(/_/g, '-')}` });
    return render(request, reply);
  });

  app.post('/edit/stories/:slug/subtitles/:language/review', { schema: { body: ReviewBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    const { story, language } = await target(request);
    const body = request.body as Static<typeof ReviewBody>;
    const comment = (body.comment ?? '').trim();
    if (body.decision !== 'submitted' && !mayReview(request, language.code)) return render(request, reply, { type: 'error', key: 'subtitle-track-not-reviewer' }, 403);
    const revision = Number(body.revision);
    const userId = request.user!.id;
    const outcome = body.decision === 'submitted' ? await subtitles.submitForReview(story.id, language.code, revision, userId)
      : body.decision === 'approved' ? await subtitles.approve(story.id, language.code, revision, userId, comment)
      : await subtitles.sendBack(story.id, language.code, revision, userId, comment);
    if (outcome === 'no_track') throw notFound('subtitle track');
    if (outcome === 'comment_needed') return render(request, reply, { type: 'error', key: 'subtitle-track-comment-needed' }, 400);
    if (outcome === 'moved') return render(request, reply, { type: 'error', key: 'subtitle-track-moved' }, 409);
    return reply.redirect(back(request, `?done=${body.decision}`), 303);
  });

  app.post('/edit/stories/:slug/subtitles/:language/rollback', { schema: { body: Revision }, preHandler: app.csrfProtection }, async (request, reply) => {
    const { story, language } = await target(request);
    const revision = Number((request.body as Static<typeof Revision>).revision);
    const track = await subtitles.rollback(story.id, language.code, revision, request.user!.id);
    if (!track) return render(request, reply, { type: 'error', key: 'subtitle-track-stale' }, 409);
    return reply.redirect(back(request, `?done=rollback&from=${revision}&to=${track.revision}`), 303);
  });

  app.get('/edit/stories/:slug/subtitles/:language/diff', { schema: { querystring: Compare } }, async (request, reply) => {
    const { story, language, storyTitle } = await target(request);
    const query = request.query as Static<typeof Compare>;
    const operations = await subtitles.diff(story.id, language.code, Number(query.from), Number(query.to));
    if (!operations) throw notFound('revision');
    const context = request.pageContext(reply, request.language, {});
    reply.header('cache-control', 'private, no-store');
    return sendPage(reply, subtitleDiffPage(context, { slug: story.slug, storyTitle, language, from: Number(query.from), to: Number(query.to), operations }));
  });

  // A translator's starting point: the stories to subtitle in one of their languages (chosen with
  // ?language=, else the interface language when they may translate into it, else their first).
  app.get('/edit/subtitles', { schema: { querystring: Type.Object({ language: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
    if (!request.user) throw notSignedIn();
    const grants = request.user.grants;
    const languages = (await app.enabledLanguages()).filter((l) => can(grants, 'translation.edit', l.code));
    if (languages.length === 0) throw forbidden();
    const asked = (request.query as { language?: string }).language;
    const language = languages.find((l) => l.code === asked) ?? languages.find((l) => l.code === request.language.code) ?? languages[0]!;
    const items = await subtitles.translationQueue(language.code, request.language.code);
    reply.header('cache-control', 'private, no-store');
    return sendPage(reply, subtitleQueuePage(request.pageContext(reply, request.language), { language, languages, items }));
  });

  // The "translate into" chooser is a plain GET form; this turns its choice into the editor's address.
  app.get('/edit/stories/:slug/subtitles/translate', {
    schema: { querystring: Type.Object({ from: Type.String({ maxLength: 20 }), to: Type.String({ maxLength: 20 }) }) },
  }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const { from, to } = request.query as { from: string; to: string };
    const languages = await app.enabledLanguages();
    if (!languages.some((l) => l.code === from) || !languages.some((l) => l.code === to)) throw notFound('language');
    return reply.redirect(`/${request.language.code}/edit/stories/${encodeURIComponent(slug)}/subtitles/${to}/edit${from === to ? '' : `?from=${from}`}`, 303);
  });
}
