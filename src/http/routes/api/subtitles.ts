import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError, notFound, notSignedIn } from '../../../errors.ts';
import { defaultCueSettings, type Cue } from '../../../domain/subtitles/index.ts';
import type { CueSplice } from '../../../domain/subtitles/changes.ts';
import { authorizeSubtitleEditing } from '../site/subtitle-editor.ts';

// The editor's JSON API: read a track and save it from a revision (compare-and-set), whole (PUT) or
// as the splices that change that revision (PATCH, what the editor sends). A save from an old
// revision is answered 409 with the current version, so the editor can offer a merge.

const CueSettings = Type.Object({
  vertical: Type.Union([Type.Literal(''), Type.Literal('rl'), Type.Literal('lr')]),
  line: Type.Union([Type.Number(), Type.Literal('auto')]),
  snapToLines: Type.Boolean(),
  lineAlign: Type.Union([Type.Literal('start'), Type.Literal('center'), Type.Literal('end')]),
  position: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Literal('auto')]),
  positionAlign: Type.Union([Type.Literal('line-left'), Type.Literal('center'), Type.Literal('line-right'), Type.Literal('auto')]),
  size: Type.Number({ minimum: 0, maximum: 100 }),
  align: Type.Union([Type.Literal('start'), Type.Literal('center'), Type.Literal('end'), Type.Literal('left'), Type.Literal('right')]),
  region: Type.String({ maxLength: 200 }),
});
// Lengths, times and the number of cues are checked by the service (bounded here by the body
// limit), so a person hears which cue and which field is wrong, in the editor's problem list.
const CueInput = Type.Object({
  id: Type.Optional(Type.String()),
  startTime: Type.Number(),
  endTime: Type.Number(),
  text: Type.String(),
  settings: Type.Optional(CueSettings),
});
const SaveFields = {
  baseRevision: Type.Integer({ minimum: 0 }),
  sourceLanguage: Type.Optional(Type.String({ maxLength: 20 })),
  /** The revision of the source the translator had beside them; the source's current one when left out. */
  sourceRevision: Type.Optional(Type.Integer({ minimum: 1 })),
  summary: Type.Optional(Type.String({ maxLength: 200 })),
};
/** PUT: the whole track. */
const SaveBody = Type.Object({ ...SaveFields, cues: Type.Array(CueInput) });
/** PATCH: only what changed, as runs of cues replaced at positions of the base revision (what the editor sends). */
const ChangeBody = Type.Object({
  ...SaveFields,
  splices: Type.Array(Type.Object({ at: Type.Integer({ minimum: 0 }), remove: Type.Integer({ minimum: 0 }), insert: Type.Array(CueInput) })),
});
const Params = Type.Object({ slug: Type.String({ maxLength: 200 }), language: Type.String({ maxLength: 20 }) });

/** The largest save body: 100,000 cues of ordinary length with their settings (a cue of two full lines in Devanagari is about 500 bytes). */
const SAVE_BODY_LIMIT = 64 * 1024 * 1024;

/** Before a large body is read: only a signed-in person may send one (rights are checked once the user is loaded). */
async function signedInFirst(request: FastifyRequest) {
  if (request.session?.userId === undefined) throw notSignedIn();
}

export async function subtitleApiRoutes(app: FastifyInstance) {
  const { subtitles, repositories } = app.services;

  async function target(request: FastifyRequest) {
    const { slug, language } = request.params as Static<typeof Params>;
    const languages = await app.enabledLanguages();
    if (!languages.some((l) => l.code === language)) throw notFound('language');
    authorizeSubtitleEditing(request, language);
    const storyId = await repositories.stories.idBySlug(slug);
    if (storyId === undefined) throw notFound('story');
    return { storyId, language };
  }

  app.get('/stories/:slug/subtitles/:language', { schema: { params: Params } }, async (request, reply) => {
    const { storyId, language } = await target(request);
    reply.header('cache-control', 'private, no-store');
    return subtitles.editorState(storyId, language);
  });

  async function save(request: FastifyRequest, reply: FastifyReply, changes: { cues: Cue[] } | { splices: CueSplice[] }) {
    const { storyId, language } = await target(request);
    const body = request.body as Static<typeof SaveBody> | Static<typeof ChangeBody>;
    const result = await subtitles.save({
      storyId, language, baseRevision: body.baseRevision, userId: request.user!.id,
      summary: body.summary, sourceLanguage: body.sourceLanguage, sourceRevision: body.sourceRevision, ...changes,
    });
    reply.header('cache-control', 'private, no-store');
    if (result.ok) {
      return { revision: result.track.revision, status: result.track.status, savedAt: result.track.updatedAt.toISOString() };
    }
    if ('problems' in result) {
      throw new AppError(400, 'invalid_cues', `${result.problems.length} cue problem(s); the first: cue ${result.problems[0]!.cue + 1}, ${result.problems[0]!.field}: ${result.problems[0]!.message}`, { problems: result.problems });
    }
    if ('spliceProblems' in result) throw new AppError(400, 'invalid_changes', result.spliceProblems[0]!.message, { problems: result.spliceProblems });
    return reply.code(409).send({
      error: { code: 'edit_conflict', message: 'Someone saved this track since you started; merge your changes with theirs.' },
      current: { ...result.conflict, savedAt: result.conflict.savedAt.toISOString() },
    });
  }

  const saving = { bodyLimit: SAVE_BODY_LIMIT, onRequest: signedInFirst, preHandler: app.csrfProtection };
  app.put('/stories/:slug/subtitles/:language', { ...saving, schema: { params: Params, body: SaveBody } }, (request, reply) =>
    save(request, reply, { cues: (request.body as Static<typeof SaveBody>).cues.map(toCue) }));
  app.patch('/stories/:slug/subtitles/:language', { ...saving, schema: { params: Params, body: ChangeBody } }, (request, reply) =>
    save(request, reply, { splices: (request.body as Static<typeof ChangeBody>).splices.map((splice) => ({ ...splice, insert: splice.insert.map(toCue) })) }));
}

const toCue = (cue: Static<typeof CueInput>): Cue => ({
  id: cue.id ?? '', startTime: cue.startTime, endTime: cue.endTime, text: cue.text, settings: cue.settings ?? defaultCueSettings(),
});
