import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError, notFound } from '../../../errors.ts';
import type { UnitRow } from '../../../domain/translation/unit-row.ts';
import type { WordChange } from '../../../domain/translation/word-diff.ts';
import {
  MachineAnswer,
  MemoryMatches,
  ReviewResult,
  Translation,
  TranslationUnit,
  UnitComments,
  UnitConflict,
  UnitHistory,
  UnitSaved,
  withErrors,
} from './schemas.ts';

// A story's translation into one language, unit by unit: what the translation editor reads and
// saves. A save names the translation's revision it started from and the source version it
// translated; a stale one is answered 409 with the unit as it is now, for the editor to merge.

const Params = Type.Object({ slug: Type.String({ maxLength: 200 }), language: Type.String({ maxLength: 20 }) });
const UnitParams = Type.Object({ ...Params.properties, unit: Type.String({ maxLength: 20 }) });
const UnitText = Type.String({ maxLength: 20_000 });

const presentUnit = (row: UnitRow, diff: WordChange[] | null = null): Static<typeof TranslationUnit> => ({
  id: row.id,
  part: row.part,
  block: row.block,
  blockType: row.blockType,
  source: row.source,
  placeholders: row.placeholders,
  sourceVersion: row.sourceVersion,
  previousSource: row.previousSource,
  diff,
  text: row.text,
  state: row.state,
  revision: row.revision,
  origin: row.origin,
  translator: row.translator,
  translatorBot: row.translatorBot,
  reviewer: row.reviewer,
  reviewerBot: row.reviewerBot,
  feedback: row.feedback,
  updatedAt: row.updatedAt?.toISOString() ?? null,
  comments: row.comments,
});

export const translationApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { translation } = app.services;

  /** The story and the language of the address; the source language itself is not translated. */
  async function target(params: Static<typeof Params>) {
    const language = await app.findLanguage(params.language);
    const story = await app.findStoryHead(params.slug);
    if (language.code === story.sourceLanguage) throw notFound('translation');
    return { story, language: language.code };
  }

  app.get(
    '/stories/:slug/translations/:language',
    {
      schema: {
        summary: "A story's translation into a language, unit by unit, with each unit's state",
        tags: ['translation'],
        params: Params,
        response: withErrors({ 200: Translation }),
      },
    },
    async (request, reply) => {
      const { story, language } = await target(request.params);
      if (story.status !== 'published' && !request.can('story.edit')) throw notFound('story');
      const editor = await translation.editor(story.id, language, story.sourceLanguage);
      reply.header('cache-control', 'private, no-store');
      return {
        story: story.slug,
        sourceLanguage: story.sourceLanguage,
        language,
        percent: editor.percent,
        machine: editor.machine,
        units: editor.rows.map((row) => presentUnit(row, editor.diffs[row.id] ?? null)),
      };
    },
  );

  const writing = app.apiWrite;
  const security: Array<Record<string, string[]>> = [{ session: [], csrf: [] }, { token: ['translate'] }];

  app.put(
    '/stories/:slug/translations/:language/units/:unit',
    {
      ...writing,
      schema: {
        summary: "Save one unit's translation, from its revision (compare-and-set)",
        tags: ['translation'],
        security,
        params: UnitParams,
        body: Type.Object({
          baseRevision: Type.Integer({ minimum: 0, description: "The translation's revision the work started from" }),
          sourceVersion: Type.Integer({ minimum: 1, description: 'The source version translated' }),
          text: UnitText,
          state: Type.Union([Type.Literal('draft'), Type.Literal('review')], {
            description: 'Keep as a draft, or send for review',
          }),
          origin: Type.Optional(
            Type.String({
              maxLength: 40,
              description: 'human (default), memory or machine:ENGINE: where the text came from',
            }),
          ),
        }),
        response: withErrors({ 200: UnitSaved, 409: UnitConflict }, [400, 401, 403, 404]),
      },
    },
    async (request, reply) => {
      const { story, language } = await target(request.params);
      request.authorize('translation.suggest', language);
      const { body } = request;
      const result = await translation.save(
        {
          storyId: story.id,
          unitId: request.params.unit,
          language,
          baseRevision: body.baseRevision,
          sourceVersion: body.sourceVersion,
          text: body.text,
          state: body.state,
          origin: body.origin ?? 'human',
          userId: request.user!.id,
          viaToken: request.apiToken,
        },
        story.sourceLanguage,
      );
      reply.header('cache-control', 'private, no-store');
      if (result.ok) return { unit: presentUnit(result.unit), warnings: result.warnings };
      if (result.reason === 'missing') throw notFound('unit');
      if (result.reason === 'invalid')
        throw new AppError(400, 'invalid_translation', `The translation has ${result.problems.length} problem(s).`, {
          problems: result.problems,
        });
      return reply.code(409).send({
        error: {
          code: result.reason === 'conflict' ? 'edit_conflict' : 'source_changed',
          message:
            result.reason === 'conflict'
              ? 'Someone saved this unit since you started; merge your translation with theirs.'
              : 'The source sentence changed since you started; check your translation against it.',
        },
        current: presentUnit(result.current),
      });
    },
  );

  app.post(
    '/stories/:slug/translations/:language/review',
    {
      ...writing,
      schema: {
        summary: 'Approve units awaiting review (publishing them), or send them back with a comment',
        tags: ['translation'],
        security,
        params: Params,
        body: Type.Object({
          units: Type.Array(Type.String({ maxLength: 20 }), { minItems: 1, maxItems: 5000 }),
          decision: Type.Union([Type.Literal('approve'), Type.Literal('send-back')]),
          comment: Type.Optional(Type.String({ maxLength: 5000 })),
        }),
        response: withErrors({ 200: ReviewResult }, [400, 401, 403, 404]),
      },
    },
    async (request) => {
      const { story, language } = await target(request.params);
      request.authorize('translation.review', language);
      const comment = (request.body.comment ?? '').trim();
      if (request.body.decision === 'send-back' && !comment)
        throw new AppError(
          400,
          'comment_required',
          'Say why the units go back, so the translator knows what to change.',
        );
      return translation.review({
        storyId: story.id,
        language,
        unitIds: request.body.units,
        decision: request.body.decision,
        comment,
        reviewerId: request.user!.id,
        viaToken: request.apiToken,
      });
    },
  );

  app.get(
    '/stories/:slug/translations/:language/units/:unit/memory',
    {
      schema: {
        summary: 'Translation memory matches for a unit (stories and subtitles), best first',
        tags: ['translation'],
        params: UnitParams,
        response: withErrors({ 200: MemoryMatches }),
      },
    },
    async (request) => {
      const { story, language } = await target(request.params);
      const matches = await translation.memory(story.id, request.params.unit, language);
      if (!matches) throw notFound('unit');
      return { matches };
    },
  );

  app.get(
    '/memory',
    {
      schema: {
        summary:
          'Translation memory matches for a text (stories and subtitles), best first: what the subtitle editor shows per cue',
        tags: ['translation'],
        querystring: Type.Object({
          from: Type.String({ maxLength: 20, description: 'The language of the text' }),
          to: Type.String({ maxLength: 20, description: 'The language wanted' }),
          q: Type.String({ minLength: 1, maxLength: 2000 }),
        }),
        response: withErrors({ 200: MemoryMatches }),
      },
    },
    async (request) => {
      const [from, to] = await Promise.all([app.findLanguage(request.query.from), app.findLanguage(request.query.to)]);
      return { matches: await translation.lookup(from.code, to.code, request.query.q) };
    },
  );

  app.get(
    '/stories/:slug/translations/:language/units/:unit/machine',
    {
      schema: {
        summary: 'A machine translation of a unit, to start from (never saved unless a person accepts it)',
        tags: ['translation'],
        security: [{ session: [] }],
        params: UnitParams,
        response: withErrors({ 200: MachineAnswer }, [401, 403, 404]),
      },
    },
    async (request) => {
      const { story, language } = await target(request.params);
      request.authorize('translation.suggest', language);
      const result = await translation.machine(story.id, request.params.unit, language);
      if (!result) throw notFound('unit');
      return result.ok
        ? { ok: true as const, text: result.suggestion.text, engine: result.suggestion.engine }
        : { ok: false as const, reason: result.reason, message: result.message };
    },
  );

  app.get(
    '/stories/:slug/translations/:language/units/:unit/comments',
    {
      schema: {
        summary: "Comments on a unit's translation",
        tags: ['translation'],
        params: UnitParams,
        response: withErrors({ 200: UnitComments }),
      },
    },
    async (request) => {
      const { story, language } = await target(request.params);
      const comments = await translation.comments(story.id, language, request.params.unit);
      return { comments: comments.map((comment) => ({ ...comment, at: comment.at.toISOString() })) };
    },
  );

  app.post(
    '/stories/:slug/translations/:language/units/:unit/comments',
    {
      ...writing,
      schema: {
        summary: "Comment on a unit's translation",
        tags: ['translation'],
        security,
        params: UnitParams,
        body: Type.Object({ body: Type.String({ maxLength: 20_000 }) }),
        response: withErrors({ 200: UnitComments }, [400, 401, 403, 404]),
      },
    },
    async (request) => {
      const { story, language } = await target(request.params);
      request.authorize('translation.suggest', language);
      const result = await translation.addComment(
        story.id,
        language,
        request.params.unit,
        request.user!.id,
        request.body.body,
        request.apiToken,
      );
      if (!result.ok) {
        if (result.error === 'missing') throw notFound('unit');
        throw new AppError(
          400,
          'invalid_comment',
          result.error === 'empty' ? 'The comment is empty.' : 'The comment is too long.',
        );
      }
      return { comments: result.comments.map((comment) => ({ ...comment, at: comment.at.toISOString() })) };
    },
  );

  app.get(
    '/stories/:slug/translations/:language/units/:unit/history',
    {
      schema: {
        summary: "A unit's translation history: every save and review, newest first",
        tags: ['translation'],
        params: UnitParams,
        response: withErrors({ 200: UnitHistory }),
      },
    },
    async (request) => {
      const { story, language } = await target(request.params);
      const history = await translation.history(story.id, language, request.params.unit);
      return { history: history.map((entry) => ({ ...entry, at: entry.at.toISOString() })) };
    },
  );
};
