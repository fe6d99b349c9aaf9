import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { SubtitleTrackPageData } from '../../views/pages/subtitle-track.ts';
import { subtitleDiffPage, subtitleTrackPage } from '../../views/pages/subtitle-track.ts';
import { subtitleQueuePage } from '../../views/pages/subtitle-queue.ts';
import { forbidden, notFound, notSignedIn } from '../../../errors.ts';
import { REVIEW_COMMENT_MAX_LENGTH } from '../../../domain/forms/limits.ts';

// A subtitle track's own page: status and review, revisions, comparison and rollback; the
// "translate into" chooser that opens the editor on a new language from an existing track; and a
// translator's list of stories to subtitle in their language.

const Revision = Type.Object({
  revision: Type.String({ pattern: '^[0-9]{1,9}$' }),
  _csrf: Type.Optional(Type.String()),
});
const ReviewBody = Type.Object({
  revision: Type.String({ pattern: '^[0-9]{1,9}$' }),
  decision: Type.Union([Type.Literal('submitted'), Type.Literal('approved'), Type.Literal('sent_back')]),
  // Longer than the limit is still read, so the page can say what the limit is and keep what was typed.
  comment: Type.Optional(Type.String({ maxLength: 10 * REVIEW_COMMENT_MAX_LENGTH })),
  _csrf: Type.Optional(Type.String()),
});
const Compare = Type.Object({
  from: Type.String({ pattern: '^[0-9]{1,9}$' }),
  to: Type.String({ pattern: '^[0-9]{1,9}$' }),
});
const TrackParams = Type.Object({ slug: Type.String({ maxLength: 200 }), language: Type.String({ maxLength: 20 }) });
type Track = { slug: string; language: string };
const TrackQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 20 })),
  from: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
  to: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
});

export const subtitleTrackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { subtitles } = app.services;

  async function target(request: FastifyRequest, params: Track) {
    const language = await app.findLanguage(params.language);
    request.authorize('subtitles.edit', language.code);
    const story = await app.findStory(params.slug);
    const storyTitle =
      story.texts[request.language.code]?.title ?? story.texts[story.sourceLanguage]?.title ?? story.slug;
    return { story, language, storyTitle };
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    params: Track,
    notice?: SubtitleTrackPageData['notice'],
    status = 200,
    comment?: string,
  ) {
    const { story, language, storyTitle } = await target(request, params);
    const history = await subtitles.history(story.id, language.code);
    if (!history) throw notFound('subtitle track');
    const context = request.pageContext(reply, request.language, { forms: true });
    reply.header('cache-control', 'private, no-store');
    return reply.page(
      subtitleTrackPage(context, {
        slug: story.slug,
        storyTitle,
        language,
        ...history,
        canEdit: true,
        canReview: request.can('subtitles.review', language.code),
        notice,
        ...(comment === undefined ? {} : { comment }),
      }),
      status,
    );
  }

  const back = (request: FastifyRequest, { slug, language }: Track, query = '') => {
    return `/${request.language.code}/edit/stories/${slug}/subtitles/${language}${query}`;
  };

  app.get(
    '/edit/stories/:slug/subtitles/:language',
    { schema: { params: TrackParams, querystring: TrackQuery } },
    async (request, reply) => {
      const { done, from, to } = request.query;
      if (done === 'rollback' && from && to)
        return render(request, reply, request.params, {
          type: 'success',
          key: 'subtitle-track-rolled-back',
          params: [from, to],
        });
      if (done && ['submitted', 'approved', 'sent_back'].includes(done))
        return render(request, reply, request.params, {
          type: 'success',
          key: `subtitle-review-${done.replace(/_/g, '-')}`,
        });
      return render(request, reply, request.params);
    },
  );

  app.post(
    '/edit/stories/:slug/subtitles/:language/review',
    { schema: { params: TrackParams, body: ReviewBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { story, language } = await target(request, request.params);
      const { body } = request;
      const comment = (body.comment ?? '').trim();
      const length = [...comment].length;
      if (length > REVIEW_COMMENT_MAX_LENGTH) {
        const { formatNumber } = request.pageContext(reply, request.language);
        const params = [formatNumber(REVIEW_COMMENT_MAX_LENGTH), formatNumber(length)];
        const notice = { type: 'error' as const, key: 'form-error-too-long-limit', params };
        return render(request, reply, request.params, notice, 400, comment);
      }
      if (body.decision !== 'submitted' && !request.can('subtitles.review', language.code))
        return render(request, reply, request.params, { type: 'error', key: 'subtitle-track-not-reviewer' }, 403);
      const revision = Number(body.revision);
      const userId = request.user!.id;
      const outcome =
        body.decision === 'submitted'
          ? await subtitles.submitForReview(story.id, language.code, revision, userId)
          : body.decision === 'approved'
            ? await subtitles.approve(story.id, language.code, revision, userId, comment)
            : await subtitles.sendBack(story.id, language.code, revision, userId, comment);
      if (outcome === 'no_track') throw notFound('subtitle track');
      if (outcome === 'comment_needed')
        return render(request, reply, request.params, { type: 'error', key: 'subtitle-track-comment-needed' }, 400);
      if (outcome === 'moved')
        return render(request, reply, request.params, { type: 'error', key: 'subtitle-track-moved' }, 409);
      return reply.redirect(back(request, request.params, `?done=${body.decision}`), 303);
    },
  );

  app.post(
    '/edit/stories/:slug/subtitles/:language/rollback',
    { schema: { params: TrackParams, body: Revision }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { story, language } = await target(request, request.params);
      const revision = Number(request.body.revision);
      const track = await subtitles.rollback(story.id, language.code, revision, request.user!.id);
      if (!track) return render(request, reply, request.params, { type: 'error', key: 'subtitle-track-stale' }, 409);
      return reply.redirect(back(request, request.params, `?done=rollback&from=${revision}&to=${track.revision}`), 303);
    },
  );

  app.get(
    '/edit/stories/:slug/subtitles/:language/diff',
    { schema: { params: TrackParams, querystring: Compare } },
    async (request, reply) => {
      const { story, language, storyTitle } = await target(request, request.params);
      const { query } = request;
      const operations = await subtitles.diff(story.id, language.code, Number(query.from), Number(query.to));
      if (!operations) throw notFound('revision');
      const context = request.pageContext(reply, request.language, {});
      reply.header('cache-control', 'private, no-store');
      return reply.page(
        subtitleDiffPage(context, {
          slug: story.slug,
          storyTitle,
          language,
          from: Number(query.from),
          to: Number(query.to),
          operations,
        }),
      );
    },
  );

  // A translator's starting point: one list of the work in one of their languages — story texts to
  // translate (every signed-in person may) and subtitle tracks (for those who may subtitle it) —
  // what waits on them first (chosen with ?language=, else the interface language, else their first).
  app.get(
    '/edit/subtitles',
    { schema: { querystring: Type.Object({ language: Type.Optional(Type.String({ maxLength: 20 })) }) } },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      const enabled = await app.enabledLanguages();
      const mayWork = (code: string) => request.can('translation.suggest', code) || request.can('subtitles.edit', code);
      // The languages they hold a role in come first, then every other.
      const own = new Set(request.user.grants.map((grant) => grant.language).filter((code) => code !== null));
      const languages = [...enabled.filter((l) => own.has(l.code)), ...enabled.filter((l) => !own.has(l.code))].filter(
        (l) => mayWork(l.code),
      );
      if (languages.length === 0) throw forbidden();
      const asked = request.query.language;
      const language =
        languages.find((l) => l.code === asked) ??
        languages.find((l) => own.has(l.code)) ??
        languages.find((l) => l.code === request.language.code) ??
        languages[0]!;
      const context = request.pageContext(reply, request.language);
      const [tracks, texts] = await Promise.all([
        request.can('subtitles.edit', language.code)
          ? subtitles.translationQueue(language.code, request.language.code)
          : Promise.resolve([]),
        app.services.translation.workList(
          language.code,
          request.user.id,
          request.can('translation.review', language.code),
          context.chain,
        ),
      ]);
      reply.header('cache-control', 'private, no-store');
      return reply.page(subtitleQueuePage(context, { language, languages, items: tracks, texts }));
    },
  );

  // The "translate into" chooser is a plain GET form; this turns its choice into the editor's address.
  app.get(
    '/edit/stories/:slug/subtitles/translate',
    {
      schema: {
        params: Type.Object({ slug: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ from: Type.String({ maxLength: 20 }), to: Type.String({ maxLength: 20 }) }),
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const { from, to } = request.query;
      const languages = await app.enabledLanguages();
      if (!languages.some((l) => l.code === from) || !languages.some((l) => l.code === to)) throw notFound('language');
      return reply.redirect(
        `/${request.language.code}/edit/stories/${encodeURIComponent(slug)}/subtitles/${to}/edit${from === to ? '' : `?from=${from}`}`,
        303,
      );
    },
  );
};
