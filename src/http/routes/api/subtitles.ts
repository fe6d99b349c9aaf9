import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { CueSplice } from '../../../domain/subtitles/changes.ts';
import { defaultCueSettings, type Cue as DomainCue } from '../../../domain/subtitles/index.ts';
import { AppError, notFound } from '../../../errors.ts';
import type { EditorState as State } from '../../../services/subtitles.ts';
import { Conflict, CueInput, EditorState, Saved, TrackHistory, withErrors } from './schemas.ts';

// The editor's JSON API: read a track and save it from a revision (compare-and-set), whole (PUT) or
// as the splices that change that revision (PATCH, what the editor sends). A save from an old
// revision is answered 409 with the current version, so the editor can offer a merge. The track's
// history names who saved each revision and the token it came through.

const SaveFields = {
  baseRevision: Type.Integer({
    minimum: 0,
    description: 'The revision the changes start from (0: the track does not exist yet)',
  }),
  sourceLanguage: Type.Optional(
    Type.String({ maxLength: 20, description: 'For a translation: the language translated from' }),
  ),
  sourceRevision: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: "The revision of the source the translator had beside them; the source's current one when left out",
    }),
  ),
  summary: Type.Optional(Type.String({ maxLength: 200 })),
};
/** PUT: the whole track. */
const SaveBody = Type.Object({ ...SaveFields, cues: Type.Array(CueInput) });
/** PATCH: only what changed, as runs of cues replaced at positions of the base revision (what the editor sends). */
const ChangeBody = Type.Object({
  ...SaveFields,
  splices: Type.Array(
    Type.Object({
      at: Type.Integer({ minimum: 0 }),
      remove: Type.Integer({ minimum: 0 }),
      insert: Type.Array(CueInput),
    }),
  ),
});
const Params = Type.Object({ slug: Type.String({ maxLength: 200 }), language: Type.String({ maxLength: 20 }) });
const SaveResponses = {
  200: Saved,
  400: Type.Ref('Error'),
  401: Type.Ref('Error'),
  403: Type.Ref('Error'),
  404: Type.Ref('Error'),
  409: Conflict,
  413: Type.Ref('Error'),
};

/** The largest save body: 100,000 cues of ordinary length with their settings (a cue of two full lines in Devanagari is about 500 bytes). */
const SAVE_BODY_LIMIT = 64 * 1024 * 1024;

const presentState = (state: State): Static<typeof EditorState> => ({
  ...state,
  review: state.review && { ...state.review, at: state.review.at.toISOString() },
});

export const subtitleApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { subtitles } = app.services;

  /** The story and language of the address, once the visitor may edit that language's subtitles. */
  async function target(request: FastifyRequest, params: Static<typeof Params>) {
    const { code: language } = await app.findLanguage(params.language);
    request.authorize('subtitles.edit', language);
    return { storyId: await app.findStoryId(params.slug), language };
  }

  app.get(
    '/stories/:slug/subtitles/:language',
    {
      schema: {
        summary: "A story's subtitle track in a language, with the track it is translated from and its latest review",
        tags: ['subtitles'],
        security: [{ session: [] }, { token: ['read'] }],
        params: Params,
        response: withErrors({ 200: EditorState }, [401, 403, 404]),
      },
    },
    async (request, reply) => {
      const { storyId, language } = await target(request, request.params);
      reply.header('cache-control', 'private, no-store');
      return presentState(await subtitles.editorState(storyId, language));
    },
  );

  app.get(
    '/stories/:slug/subtitles/:language/history',
    {
      schema: {
        summary:
          "A subtitle track's revisions, newest first: who saved each (and through which token), and what changed",
        tags: ['subtitles'],
        security: [{ session: [] }, { token: ['read'] }],
        params: Params,
        response: withErrors({ 200: TrackHistory }, [401, 403, 404]),
      },
    },
    async (request, reply) => {
      const { storyId, language } = await target(request, request.params);
      const history = await subtitles.history(storyId, language);
      if (!history) throw notFound('subtitle track');
      reply.header('cache-control', 'private, no-store');
      return {
        revisions: history.revisions.map((revision) => ({
          revision: revision.revision,
          at: revision.createdAt.toISOString(),
          user: revision.userName,
          bot: revision.bot,
          viaToken: revision.viaToken,
          summary: revision.summary,
          changedCues: revision.changedCues,
        })),
      };
    },
  );

  async function save(
    request: FastifyRequest,
    reply: FastifyReply,
    params: Static<typeof Params>,
    body: Static<typeof SaveBody> | Static<typeof ChangeBody>,
    changes: { cues: DomainCue[] } | { splices: CueSplice[] },
  ) {
    const { storyId, language } = await target(request, params);
    const result = await subtitles.save({
      storyId,
      language,
      baseRevision: body.baseRevision,
      userId: request.user!.id,
      viaToken: request.apiToken,
      summary: body.summary,
      sourceLanguage: body.sourceLanguage,
      sourceRevision: body.sourceRevision,
      ...changes,
    });
    reply.header('cache-control', 'private, no-store');
    if (result.ok)
      return {
        revision: result.track.revision,
        status: result.track.status,
        savedAt: result.track.updatedAt.toISOString(),
      };
    if ('problems' in result) {
      throw new AppError(
        400,
        'invalid_cues',
        `${result.problems.length} cue problem(s); the first: cue ${result.problems[0]!.cue + 1}, ${result.problems[0]!.field}: ${result.problems[0]!.message}`,
        { problems: result.problems },
      );
    }
    if ('spliceProblems' in result)
      throw new AppError(400, 'invalid_changes', result.spliceProblems[0]!.message, {
        problems: result.spliceProblems,
      });
    return reply.code(409).send({
      error: {
        code: 'edit_conflict',
        message: 'Someone saved this track since you started; merge your changes with theirs.',
      },
      current: { ...result.conflict, savedAt: result.conflict.savedAt.toISOString() },
    });
  }

  // Only a signed-in person or a token may send a large body (rights are checked once the user is loaded).
  const saving = { bodyLimit: SAVE_BODY_LIMIT, ...app.apiWrite };
  const security: Array<Record<string, string[]>> = [{ session: [], csrf: [] }, { token: ['subtitle'] }];
  app.put(
    '/stories/:slug/subtitles/:language',
    {
      ...saving,
      schema: {
        summary: 'Replace the whole track, from a revision',
        tags: ['subtitles'],
        security,
        params: Params,
        body: SaveBody,
        response: SaveResponses,
      },
    },
    (request, reply) => save(request, reply, request.params, request.body, { cues: request.body.cues.map(toCue) }),
  );
  app.patch(
    '/stories/:slug/subtitles/:language',
    {
      ...saving,
      schema: {
        summary: 'Change runs of cues of a revision (what the editor sends)',
        tags: ['subtitles'],
        security,
        params: Params,
        body: ChangeBody,
        response: SaveResponses,
      },
    },
    (request, reply) =>
      save(request, reply, request.params, request.body, {
        splices: request.body.splices.map((splice) => ({ ...splice, insert: splice.insert.map(toCue) })),
      }),
  );
};

const toCue = (cue: Static<typeof CueInput>): DomainCue => ({
  id: cue.id ?? '',
  startTime: cue.startTime,
  endTime: cue.endTime,
  text: cue.text,
  settings: cue.settings ?? defaultCueSettings(),
});
