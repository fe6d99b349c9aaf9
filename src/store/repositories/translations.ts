import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { TokenAttribution } from '../../domain/access/scopes.ts';
import type { StoryText } from '../../domain/stories/story.ts';
import { plainText, unitsFromWholeText } from '../../domain/translation/story-units.ts';
import { memoryBandsLiteral } from '../../domain/translation/memory-bands.ts';
import type { TranslationState, UnitRow, UnitHistoryEntry, UnitComment } from '../../domain/translation/unit-row.ts';
import { loadUnits, publishTranslations, publishedInChain, publishedUnits } from './story-units.ts';

export interface UnitSave {
  storyId: number;
  unitId: string;
  language: string;
  /** The translation's revision the work started from; 0 for a unit not translated yet. */
  baseRevision: number;
  /** The unit's source version the translator saw: a save against a changed source is refused. */
  sourceVersion: number;
  text: string;
  state: 'draft' | 'review';
  /** Where the text came from: 'human', 'memory', 'machine:apertium', 'import'. */
  origin: string;
  userId: number;
  /** The personal API token the save comes through, if any: recorded in the unit's history. */
  viaToken?: TokenAttribution | null;
}

export type UnitSaveResult =
  | { ok: true; unit: UnitRow }
  | { ok: false; reason: 'conflict' | 'source-changed'; current: UnitRow }
  | { ok: false; reason: 'missing' };

export interface ReviewOutcome {
  approved: string[];
  sentBack: string[];
  refused: Array<{ unitId: string; reason: 'own-translation' | 'not-awaiting-review' | 'outdated' }>;
}

/** A story's translation into one language, unit by unit: its rows, saves, review, comments and the memory they feed. */
export function translationsRepository(db: Kysely<DB>, changes: ChangeFeed) {
  async function rows(storyId: number, language: string, unitIds?: string[]): Promise<UnitRow[]> {
    let query = db
      .selectFrom('story_units as u')
      .leftJoin('unit_translations as t', (join) =>
        join.onRef('t.story_id', '=', 'u.story_id').onRef('t.unit_id', '=', 'u.id').on('t.language', '=', language),
      )
      .leftJoin('users as tr', 'tr.id', 't.translator_id')
      .leftJoin('users as rv', 'rv.id', 't.reviewer_id')
      .select([
        'u.id',
        'u.part',
        'u.block',
        'u.block_type',
        'u.text as source',
        'u.placeholders',
        'u.version',
        'u.previous_text',
        't.text',
        't.state',
        't.revision',
        't.source_version',
        't.origin',
        't.translator_id',
        'tr.username as translator',
        'tr.is_bot as translator_bot',
        'rv.username as reviewer',
        'rv.is_bot as reviewer_bot',
        't.feedback',
        't.updated_at',
        sql<number>`(SELECT count(*) FROM unit_comments c
          WHERE c.story_id = u.story_id AND c.unit_id = u.id AND c.language = ${language})`.as('comments'),
      ])
      .where('u.story_id', '=', storyId)
      .where('u.active', '=', true)
      .orderBy('u.position');
    if (unitIds) query = query.where('u.id', 'in', unitIds.length ? unitIds : ['']);
    const found = await query.execute();
    return found.map((row) => {
      const outdated = row.state !== null && row.source_version! < row.version;
      const state: TranslationState = row.state === null ? 'untranslated' : outdated ? 'outdated' : row.state;
      return {
        id: row.id,
        part: row.part,
        block: row.block,
        blockType: row.block_type,
        source: row.source,
        placeholders: row.placeholders,
        sourceVersion: row.version,
        previousSource: outdated ? row.previous_text : null,
        text: row.text ?? '',
        state,
        savedState: row.state,
        revision: row.revision ?? 0,
        origin: row.origin,
        translatorId: row.translator_id,
        translator: row.translator,
        translatorBot: row.translator_bot ?? false,
        reviewer: row.reviewer,
        reviewerBot: row.reviewer_bot ?? false,
        feedback: row.feedback,
        updatedAt: row.updated_at,
        comments: Number(row.comments),
      };
    });
  }

  async function saveWithin(trx: Transaction<DB>, input: UnitSave) {
    const unit = await trx
      .selectFrom('story_units')
      .select(['version'])
      .where('story_id', '=', input.storyId)
      .where('id', '=', input.unitId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!unit) return 'missing' as const;
    if (unit.version !== input.sourceVersion) return 'source-changed' as const;
    // Whether this save takes a published translation off the page (it goes back to review).
    const before = await trx
      .selectFrom('unit_translations')
      .select(['state', 'source_version'])
      .where('story_id', '=', input.storyId)
      .where('unit_id', '=', input.unitId)
      .where('language', '=', input.language)
      .executeTakeFirst();
    const unpublishes = before?.state === 'approved' && before.source_version === unit.version;
    const values = {
      text: input.text,
      state: input.state,
      source_version: unit.version,
      origin: input.origin,
      translator_id: input.userId,
      reviewer_id: null,
      feedback: null,
      updated_at: new Date(),
    };
    const saved =
      input.baseRevision === 0
        ? await trx
            .insertInto('unit_translations')
            .values({ story_id: input.storyId, unit_id: input.unitId, language: input.language, ...values })
            .onConflict((oc) => oc.doNothing())
            .returning('revision')
            .executeTakeFirst()
        : await trx
            .updateTable('unit_translations')
            .set({ ...values, revision: sql<number>`revision + 1` })
            .where('story_id', '=', input.storyId)
            .where('unit_id', '=', input.unitId)
            .where('language', '=', input.language)
            .where('revision', '=', input.baseRevision)
            .returning('revision')
            .executeTakeFirst();
    if (!saved) return 'conflict' as const;
    await trx
      .insertInto('unit_history')
      .values({
        story_id: input.storyId,
        unit_id: input.unitId,
        language: input.language,
        revision: saved.revision,
        text: input.text,
        state: input.state,
        action: 'saved',
        origin: input.origin,
        user_id: input.userId,
        api_token_id: input.viaToken?.id ?? null,
        api_token_name: input.viaToken?.name ?? null,
      })
      .execute();
    return unpublishes ? ('saved-unpublished' as const) : ('saved' as const);
  }

  /**
   * A unit saved in one statement (no transaction to hold a connection through several round trips):
   * the compare-and-set update or first insert and its history row, unless the translation it
   * replaces is approved and current ('published': taking it off the page needs the transaction).
   */
  async function saveAtOnce(input: UnitSave) {
    const found = await sql<{
      version: number | null;
      state: string | null;
      source_version: number | null;
      revision: number | null;
      at: Date | null;
      translator: string | null;
      translator_bot: boolean | null;
    }>`
      WITH unit AS (
        SELECT version FROM story_units WHERE story_id = ${input.storyId} AND id = ${input.unitId} AND active
      ), before AS (
        SELECT state, source_version FROM unit_translations
        WHERE story_id = ${input.storyId} AND unit_id = ${input.unitId} AND language = ${input.language}
      ), updated AS (
        UPDATE unit_translations AS t
        SET text = ${input.text}, state = ${input.state}, source_version = unit.version, origin = ${input.origin},
          translator_id = ${input.userId}, reviewer_id = NULL, feedback = NULL, updated_at = now(),
          revision = t.revision + 1
        FROM unit
        WHERE ${input.baseRevision} > 0 AND t.story_id = ${input.storyId} AND t.unit_id = ${input.unitId}
          AND t.language = ${input.language} AND t.revision = ${input.baseRevision}
          AND unit.version = ${input.sourceVersion}
          AND NOT (t.state = 'approved' AND t.source_version = unit.version)
        RETURNING t.revision, t.updated_at
      ), inserted AS (
        INSERT INTO unit_translations (story_id, unit_id, language, text, state, source_version, origin, translator_id)
        SELECT ${input.storyId}, ${input.unitId}, ${input.language}, ${input.text}, ${input.state}, unit.version,
          ${input.origin}, ${input.userId}
        FROM unit WHERE ${input.baseRevision} = 0 AND unit.version = ${input.sourceVersion}
        ON CONFLICT DO NOTHING
        RETURNING revision, updated_at
      ), saved AS (
        SELECT revision, updated_at FROM updated UNION ALL SELECT revision, updated_at FROM inserted
      ), history AS (
        INSERT INTO unit_history (story_id, unit_id, language, revision, text, state, action, origin, user_id,
          api_token_id, api_token_name)
        SELECT ${input.storyId}, ${input.unitId}, ${input.language}, revision, ${input.text}, ${input.state}, 'saved',
          ${input.origin}, ${input.userId}, ${input.viaToken?.id ?? null}::integer, ${input.viaToken?.name ?? null}::text
        FROM saved
      )
      SELECT (SELECT version FROM unit) AS version, (SELECT state FROM before) AS state,
        (SELECT source_version FROM before) AS source_version, (SELECT revision FROM saved) AS revision,
        (SELECT updated_at FROM saved) AS at, (SELECT username FROM users WHERE id = ${input.userId}) AS translator,
        (SELECT is_bot FROM users WHERE id = ${input.userId}) AS translator_bot
    `.execute(db);
    const row = found.rows[0]!;
    if (row.version === null) return { outcome: 'missing' as const };
    if (row.version !== input.sourceVersion) return { outcome: 'source-changed' as const };
    if (row.revision !== null)
      return {
        outcome: 'saved' as const,
        revision: row.revision,
        at: new Date(row.at!),
        translator: row.translator,
        translatorBot: row.translator_bot ?? false,
      };
    if (row.state === 'approved' && row.source_version === row.version) return { outcome: 'published' as const };
    return { outcome: 'conflict' as const };
  }

  /** Saves every term or none (a glossary file). */
  async function saveTerms(
    sourceLanguage: string,
    targetLanguage: string,
    entries: Array<{ term: string; translation: string; note: string; partOfSpeech: string; forbidden: string[] }>,
    userId: number,
  ) {
    await db.transaction().execute(async (trx) => {
      for (const entry of entries) {
        const values = {
          term: entry.term,
          translation: entry.translation,
          note: entry.note,
          part_of_speech: entry.partOfSpeech,
          forbidden: entry.forbidden,
          updated_by: userId,
          updated_at: new Date(),
        };
        await trx
          .insertInto('glossary_terms')
          .values({ source_language: sourceLanguage, target_language: targetLanguage, ...values })
          .onConflict((oc) => oc.expression(sql`source_language, target_language, lower(term)`).doUpdateSet(values))
          .execute();
      }
    });
  }

  const one = async (storyId: number, language: string, unitId: string) => (await rows(storyId, language, [unitId]))[0];

  /** Approved pairs go into the memory (once per pair, with where they came from). */
  async function remember(
    executor: Kysely<DB> | Transaction<DB>,
    pairs: Array<{ source: string; target: string; sourceLanguage: string; targetLanguage: string; origin: string }>,
  ) {
    const useful = pairs.filter((pair) => plainText(pair.source).trim() && plainText(pair.target).trim());
    if (!useful.length) return;
    await executor
      .insertInto('translation_memory')
      .values(
        useful.map((pair) => ({
          source_language: pair.sourceLanguage,
          target_language: pair.targetLanguage,
          source_text: pair.source,
          target_text: pair.target,
          source_bands: memoryBandsLiteral(pair.source),
          origin: pair.origin,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  return {
    rows,
    units: (storyId: number) => loadUnits(db, storyId),
    published: (storyId: number, language: string) => publishedUnits(db, storyId, language),
    publishedInChain: (storyId: number, languages: readonly string[]) => publishedInChain(db, storyId, languages),

    /** Saves one unit's translation if nobody saved it since `baseRevision` and its source is still the one translated. */
    /**
     * Saves one unit with compare-and-set. `known` is the unit as the caller read it (for its checks):
     * a save that publishes nothing (no approved translation is taken off the page) is then one
     * statement, which also gives what the answer shows; any other goes through a transaction that
     * puts the language's text together again.
     */
    async save(input: UnitSave, known?: UnitRow): Promise<UnitSaveResult> {
      if (known) {
        const quick = await saveAtOnce(input);
        if (quick.outcome === 'saved')
          return {
            ok: true,
            unit: {
              ...known,
              sourceVersion: input.sourceVersion,
              previousSource: null,
              text: input.text,
              state: input.state,
              savedState: input.state,
              revision: quick.revision,
              origin: input.origin,
              translatorId: input.userId,
              translator: quick.translator,
              translatorBot: quick.translatorBot,
              reviewer: null,
              reviewerBot: false,
              feedback: null,
              updatedAt: quick.at,
            },
          };
        if (quick.outcome === 'missing') return { ok: false, reason: 'missing' };
        if (quick.outcome !== 'published') {
          const current = await one(input.storyId, input.language, input.unitId);
          return current ? { ok: false, reason: quick.outcome, current } : { ok: false, reason: 'missing' };
        }
      }
      const outcome = await db.transaction().execute(async (trx) => {
        const result = await saveWithin(trx, input);
        // An approved translation saved again is no longer approved: the page shows the source until
        // review. Any other save changes nothing public (a draft, a unit awaiting review).
        if (result === 'saved-unpublished') await publishTranslations(trx, input.storyId, [input.language]);
        return result;
      });
      if (outcome === 'missing') return { ok: false, reason: 'missing' };
      const current = (await one(input.storyId, input.language, input.unitId))!;
      if (outcome === 'saved-unpublished') changes.announce({ story: input.storyId, lists: true });
      if (outcome === 'saved' || outcome === 'saved-unpublished') return { ok: true, unit: current };
      return { ok: false, reason: outcome, current };
    },

    /** Saves every one of `inputs` or none (an import): the ids of those that could not be saved, if any. */
    async saveAll(inputs: UnitSave[]): Promise<string[]> {
      if (!inputs.length) return [];
      const failed: string[] = [];
      const rollback = new Error('not every unit could be saved');
      try {
        const unpublished = await db.transaction().execute(async (trx) => {
          const languages = new Set<string>();
          for (const input of inputs) {
            const outcome = await saveWithin(trx, input);
            if (outcome === 'saved-unpublished') languages.add(input.language);
            else if (outcome !== 'saved') failed.push(input.unitId);
          }
          if (failed.length) throw rollback;
          for (const language of languages) await publishTranslations(trx, inputs[0]!.storyId, [language]);
          return languages.size > 0;
        });
        if (unpublished) changes.announce({ story: inputs[0]!.storyId, lists: true });
      } catch (error) {
        if (error !== rollback) throw error;
        return failed;
      }
      return [];
    },

    /**
     * A reviewer's decision on units awaiting review: approved ones are published (and go into the
     * memory), sent-back ones return to their translator as drafts with the comment. Nobody approves
     * their own translation; an outdated unit must be translated again first.
     */
    async review(input: {
      storyId: number;
      language: string;
      unitIds: string[];
      decision: 'approve' | 'send-back';
      comment: string;
      reviewerId: number;
      /** The personal API token the review comes through, if any: recorded in each unit's history. */
      viaToken?: TokenAttribution | null;
    }): Promise<ReviewOutcome> {
      const outcome: ReviewOutcome = { approved: [], sentBack: [], refused: [] };
      await db.transaction().execute(async (trx) => {
        const found = await trx
          .selectFrom('unit_translations as t')
          .innerJoin('story_units as u', (join) =>
            join.onRef('u.story_id', '=', 't.story_id').onRef('u.id', '=', 't.unit_id'),
          )
          .innerJoin('stories as s', 's.id', 't.story_id')
          .select([
            't.unit_id',
            't.state',
            't.translator_id',
            't.source_version',
            't.text',
            'u.version',
            'u.text as source',
          ])
          .select('s.source_language')
          .where('t.story_id', '=', input.storyId)
          .where('t.language', '=', input.language)
          .where('t.unit_id', 'in', input.unitIds.length ? input.unitIds : [''])
          .forUpdate()
          .execute();
        const byId = new Map(found.map((row) => [row.unit_id, row]));
        const memory = [];
        for (const unitId of input.unitIds) {
          const row = byId.get(unitId);
          if (!row || row.state !== 'review') {
            outcome.refused.push({ unitId, reason: 'not-awaiting-review' });
            continue;
          }
          if (row.source_version < row.version) {
            outcome.refused.push({ unitId, reason: 'outdated' });
            continue;
          }
          if (input.decision === 'approve' && row.translator_id === input.reviewerId) {
            outcome.refused.push({ unitId, reason: 'own-translation' });
            continue;
          }
          const approve = input.decision === 'approve';
          const updated = await trx
            .updateTable('unit_translations')
            .set({
              state: approve ? 'approved' : 'draft',
              reviewer_id: input.reviewerId,
              feedback: approve ? null : input.comment,
              revision: sql<number>`revision + 1`,
              updated_at: new Date(),
            })
            .where('story_id', '=', input.storyId)
            .where('unit_id', '=', unitId)
            .where('language', '=', input.language)
            .returning('revision')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('unit_history')
            .values({
              story_id: input.storyId,
              unit_id: unitId,
              language: input.language,
              revision: updated.revision,
              text: row.text,
              state: approve ? 'approved' : 'draft',
              action: approve ? 'approved' : 'sent-back',
              user_id: input.reviewerId,
              api_token_id: input.viaToken?.id ?? null,
              api_token_name: input.viaToken?.name ?? null,
              comment: input.comment || null,
            })
            .execute();
          (approve ? outcome.approved : outcome.sentBack).push(unitId);
          if (approve)
            memory.push({
              source: row.source,
              target: row.text,
              sourceLanguage: row.source_language,
              targetLanguage: input.language,
              origin: `story:${input.storyId}:${unitId}`,
            });
        }
        await remember(trx, memory);
        if (outcome.approved.length) await publishTranslations(trx, input.storyId, [input.language]);
      });
      if (outcome.approved.length) changes.announce({ story: input.storyId, lists: true });
      return outcome;
    },

    async history(storyId: number, language: string, unitId: string): Promise<UnitHistoryEntry[]> {
      const found = await db
        .selectFrom('unit_history as h')
        .leftJoin('users as u', 'u.id', 'h.user_id')
        .select([
          'h.revision',
          'h.text',
          'h.state',
          'h.action',
          'h.origin',
          'h.comment',
          'h.created_at',
          'h.api_token_name',
          'u.username',
          'u.is_bot',
        ])
        .where('h.story_id', '=', storyId)
        .where('h.language', '=', language)
        .where('h.unit_id', '=', unitId)
        .orderBy('h.id', 'desc')
        .limit(100)
        .execute();
      return found.map((row) => ({
        revision: row.revision,
        text: row.text,
        state: row.state,
        action: row.action,
        origin: row.origin,
        comment: row.comment,
        at: row.created_at,
        user: row.username,
        bot: row.is_bot ?? false,
        viaToken: row.api_token_name,
      }));
    },

    async comments(storyId: number, language: string, unitId: string): Promise<UnitComment[]> {
      const found = await db
        .selectFrom('unit_comments as c')
        .leftJoin('users as u', 'u.id', 'c.user_id')
        .select(['c.id', 'c.body', 'c.created_at', 'c.api_token_name', 'u.username', 'u.is_bot'])
        .where('c.story_id', '=', storyId)
        .where('c.language', '=', language)
        .where('c.unit_id', '=', unitId)
        .orderBy('c.id')
        .execute();
      return found.map((row) => ({
        id: row.id,
        body: row.body,
        at: row.created_at,
        user: row.username,
        bot: row.is_bot ?? false,
        viaToken: row.api_token_name,
      }));
    },

    async addComment(
      storyId: number,
      language: string,
      unitId: string,
      userId: number,
      body: string,
      viaToken: TokenAttribution | null = null,
    ) {
      await db
        .insertInto('unit_comments')
        .values({
          story_id: storyId,
          unit_id: unitId,
          language,
          user_id: userId,
          body,
          api_token_id: viaToken?.id ?? null,
          api_token_name: viaToken?.name ?? null,
        })
        .execute();
    },

    /**
     * A whole translation made before units existed (or the demo's), given to the units and
     * published as approved, as it was before: the page in that language reads as it did.
     */
    async importWholeText(storyId: number, text: StoryText): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const units = await loadUnits(trx, storyId);
        const versions = new Map(units.map((unit) => [unit.id, unit.version]));
        for (const [unitId, translated] of unitsFromWholeText(units, text)) {
          const values = {
            text: translated,
            state: 'approved' as const,
            source_version: versions.get(unitId)!,
            origin: 'whole-text',
          };
          await trx
            .insertInto('unit_translations')
            .values({ story_id: storyId, unit_id: unitId, language: text.language, ...values })
            .onConflict((oc) => oc.columns(['story_id', 'unit_id', 'language']).doUpdateSet(values))
            .execute();
        }
        await publishTranslations(trx, storyId, [text.language]);
      });
      changes.announce({ story: storyId, lists: true });
    },

    /** Per story and language: how many units, and how many are published or awaiting review. */
    async coverage(storyIds: number[]) {
      if (!storyIds.length) return { units: new Map<number, number>(), languages: [] };
      // One statement: each story's count of units (the row without a language), then its languages'.
      const found = await sql<{
        story_id: number;
        language: string | null;
        total: number;
        approved: number;
        review: number;
        outdated: number;
      }>`
        WITH units AS (
          SELECT story_id, id, version FROM story_units WHERE active AND story_id IN (${sql.join(storyIds)})
        )
        SELECT story_id, NULL AS language, count(*) AS total, 0 AS approved, 0 AS review, 0 AS outdated
        FROM units GROUP BY story_id
        UNION ALL
        SELECT u.story_id, t.language,
          count(*),
          count(*) FILTER (WHERE t.state = 'approved' AND t.source_version = u.version),
          count(*) FILTER (WHERE t.state = 'review' AND t.source_version = u.version),
          count(*) FILTER (WHERE t.source_version < u.version)
        FROM units u
        JOIN unit_translations t ON t.story_id = u.story_id AND t.unit_id = u.id
        GROUP BY u.story_id, t.language`.execute(db);
      const units = new Map<number, number>();
      const languages: { storyId: number; language: string; approved: number; review: number; outdated: number }[] = [];
      for (const row of found.rows) {
        if (row.language === null) units.set(row.story_id, Number(row.total));
        else
          languages.push({
            storyId: row.story_id,
            language: row.language,
            approved: Number(row.approved),
            review: Number(row.review),
            outdated: Number(row.outdated),
          });
      }
      return { units, languages };
    },

    /**
     * The stories to translate into `language`, for a translator's list: published stories in another
     * source language, with their units' states, and what waits on `userId` (units sent back to
     * them, their translations outdated by a source edit).
     */
    async workList(language: string, userId: number) {
      const found = await sql<{
        story_id: number;
        slug: string;
        source_language: string;
        total: number;
        approved: number;
        review: number;
        outdated: number;
        drafts: number;
        sent_back_to_me: number;
        mine_outdated: number;
        mine_in_review: number;
      }>`
        SELECT s.id AS story_id, s.slug, s.source_language,
          count(u.id) AS total,
          count(t.unit_id) FILTER (WHERE t.state = 'approved' AND t.source_version = u.version) AS approved,
          count(t.unit_id) FILTER (WHERE t.state = 'review' AND t.source_version = u.version) AS review,
          count(t.unit_id) FILTER (WHERE t.source_version < u.version) AS outdated,
          count(t.unit_id) FILTER (WHERE t.state = 'draft' AND t.source_version = u.version) AS drafts,
          count(t.unit_id) FILTER (WHERE t.translator_id = ${userId} AND t.state = 'draft' AND t.feedback IS NOT NULL) AS sent_back_to_me,
          count(t.unit_id) FILTER (WHERE t.translator_id = ${userId} AND t.source_version < u.version) AS mine_outdated,
          count(t.unit_id) FILTER (WHERE t.translator_id = ${userId} AND t.state = 'review') AS mine_in_review
        FROM stories s
        JOIN story_units u ON u.story_id = s.id AND u.active
        LEFT JOIN unit_translations t ON t.story_id = u.story_id AND t.unit_id = u.id AND t.language = ${language}
        WHERE s.status = 'published' AND s.source_language <> ${language}
        GROUP BY s.id, s.slug, s.source_language, s.published_at
        ORDER BY s.published_at DESC NULLS LAST, s.id DESC`.execute(db);
      return found.rows.map((row) => ({
        storyId: row.story_id,
        slug: row.slug,
        sourceLanguage: row.source_language,
        total: Number(row.total),
        approved: Number(row.approved),
        review: Number(row.review),
        outdated: Number(row.outdated),
        drafts: Number(row.drafts),
        sentBackToMe: Number(row.sent_back_to_me),
        mineOutdated: Number(row.mine_outdated),
        mineInReview: Number(row.mine_in_review),
      }));
    },

    /** Saves a glossary term of a pair (a term already there, in any case, is replaced). */
    saveTerm: (
      sourceLanguage: string,
      targetLanguage: string,
      entry: { term: string; translation: string; note: string; partOfSpeech: string; forbidden: string[] },
      userId: number,
    ) => saveTerms(sourceLanguage, targetLanguage, [entry], userId),

    saveTerms,

    /** Adds memory pairs (a TMX file) in one transaction: all of them or none. */
    async rememberAll(
      pairs: Array<{ source: string; target: string; sourceLanguage: string; targetLanguage: string; origin: string }>,
    ) {
      await db.transaction().execute(async (trx) => {
        for (let at = 0; at < pairs.length; at += 1000) await remember(trx, pairs.slice(at, at + 1000));
      });
    },

    async deleteTerm(sourceLanguage: string, targetLanguage: string, term: string) {
      await db
        .deleteFrom('glossary_terms')
        .where('source_language', '=', sourceLanguage)
        .where('target_language', '=', targetLanguage)
        .where(sql`lower(term)`, '=', term.toLowerCase())
        .execute();
    },

    /** The memory of a pair a page at a time (by id), for an export that never holds it all. */
    async memoryPage(sourceLanguage: string, targetLanguage: string, afterId: number, limit: number) {
      return db
        .selectFrom('translation_memory')
        .select(['id', 'source_text', 'target_text', 'origin', 'created_at'])
        .where('source_language', '=', sourceLanguage)
        .where('target_language', '=', targetLanguage)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    async memoryCount(sourceLanguage: string, targetLanguage: string): Promise<number> {
      const row = await db
        .selectFrom('translation_memory')
        .select(sql<number>`count(*)`.as('count'))
        .where('source_language', '=', sourceLanguage)
        .where('target_language', '=', targetLanguage)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async glossary(sourceLanguage: string, targetLanguage: string) {
      const found = await db
        .selectFrom('glossary_terms')
        .select(['term', 'translation', 'note', 'part_of_speech', 'forbidden'])
        .where('source_language', '=', sourceLanguage)
        .where('target_language', '=', targetLanguage)
        .orderBy(sql`lower(term)`)
        .execute();
      return found.map((row) => ({
        term: row.term,
        translation: row.translation,
        note: row.note,
        partOfSpeech: row.part_of_speech,
        forbidden: row.forbidden,
      }));
    },

    remember: (
      pairs: Array<{ source: string; target: string; sourceLanguage: string; targetLanguage: string; origin: string }>,
    ) => remember(db, pairs),

    /**
     * Memory matches for `text`: the pairs whose source shares a MinHash band with it (the GIN index
     * finds them; domain/translation/memory-bands.ts) within a length window, the most alike by
     * trigram similarity first, for the caller to score by edit distance.
     */
    async memoryCandidates(sourceLanguage: string, targetLanguage: string, text: string, limit: number) {
      const length = text.length;
      const found = await db
        .selectFrom('translation_memory')
        .select(['source_text', 'target_text', 'origin'])
        .where('source_language', '=', sourceLanguage)
        .where('target_language', '=', targetLanguage)
        .where(sql<boolean>`source_bands && ${memoryBandsLiteral(text)}::integer[]`)
        .where(sql<number>`length(source_text)`, '>=', Math.floor(length * 0.6))
        .where(sql<number>`length(source_text)`, '<=', Math.ceil(length / 0.6) + 2)
        .orderBy(sql`similarity(source_text, ${text})`, 'desc')
        .limit(limit)
        .execute();
      return found.map((row) => ({ source: row.source_text, target: row.target_text, origin: row.origin }));
    },
  };
}
export type TranslationsRepository = ReturnType<typeof translationsRepository>;
