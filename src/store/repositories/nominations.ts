import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import { isOpenFor } from '../../domain/celebration/cycle.ts';
import type {
  Anecdote,
  AnecdoteState,
  Category,
  Nomination,
  NominationInput,
  NominationState,
  NomineeKind,
  Seconding,
} from '../../domain/celebration/nomination.ts';
import { lockCycle } from './celebrations.ts';
import { addNotices } from './notices.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export type NominateOutcome =
  | { outcome: 'nominated'; nominationId: number }
  /** The nominee was nominated already: this nomination became a seconding of that one. */
  | { outcome: 'seconded'; nominationId: number }
  | { outcome: 'already-seconded'; nominationId: number }
  | { outcome: 'own-nomination'; nominationId: number }
  | { outcome: 'closed' }
  | { outcome: 'missing' };
export type EditOutcome = 'saved' | 'conflict' | 'duplicate' | 'not-yours' | 'closed' | 'missing';
export type SecondOutcome = 'seconded' | 'already-seconded' | 'own-nomination' | 'closed' | 'missing';

const NOMINATION_COLUMNS = {
  nominee: (input: NominationInput) => ({
    nominee: input.nominee,
    home_wiki: input.homeWiki,
    kind: input.kind,
    bot_tasks: input.botTasks,
    region_id: input.regionId,
    category: input.category,
    reasons: input.reasons,
    evidence: JSON.stringify(input.evidence),
    // A form that did not ask leaves the language as it was (unknown for a new nomination).
    ...(input.language !== null ? { language: input.language } : {}),
  }),
};

export function selectNominations(executor: Executor) {
  return executor
    .selectFrom('nominations as n')
    .leftJoin('users as nominator', 'nominator.id', 'n.nominator_id')
    .leftJoin('users as hider', 'hider.id', 'n.hidden_by')
    .selectAll('n')
    .select([
      'nominator.username as nominator',
      'nominator.is_bot as nominator_bot',
      'hider.username as hidden_by_name',
      sql<
        string[]
      >`array(SELECT o.username FROM nomination_operators o WHERE o.nomination_id = n.id ORDER BY o.position)`.as(
        'operators',
      ),
      sql<number>`(SELECT count(*) FROM nomination_seconds s WHERE s.nomination_id = n.id)`.as('seconds'),
    ]);
}
type NominationRow = Awaited<ReturnType<ReturnType<typeof selectNominations>['execute']>>[number];
export const toNomination = (row: NominationRow): Nomination => ({
  id: row.id,
  cycleId: row.cycle_id,
  nominee: row.nominee,
  homeWiki: row.home_wiki,
  kind: row.kind as NomineeKind,
  operators: row.operators,
  botTasks: row.bot_tasks,
  regionId: row.region_id,
  category: row.category as Category,
  reasons: row.reasons,
  evidence: row.evidence,
  language: row.language,
  nominatorId: row.nominator_id,
  nominator: row.nominator,
  nominatorBot: row.nominator_bot ?? false,
  state: row.state as NominationState,
  revision: row.revision,
  seconds: Number(row.seconds),
  hiddenReason: row.hidden_reason,
  hiddenBy: row.hidden_by_name,
  hiddenAt: row.hidden_at,
  answeredAt: row.answered_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

async function writeOperators(trx: Transaction<DB>, nominationId: number, operators: readonly string[]) {
  await trx.deleteFrom('nomination_operators').where('nomination_id', '=', nominationId).execute();
  if (operators.length)
    await trx
      .insertInto('nomination_operators')
      .values(operators.map((username, position) => ({ nomination_id: nominationId, position, username })))
      .execute();
}

/**
 * The nomination's cycle share-locked, then its row locked for update, in `trx`: always in this
 * order (the order a phase move takes them in), so the two never wait on each other in a circle.
 */
export async function lockNomination(trx: Transaction<DB>, nominationId: number) {
  const found = await trx
    .selectFrom('nominations')
    .select('cycle_id')
    .where('id', '=', nominationId)
    .executeTakeFirst();
  if (!found) return undefined;
  const cycle = (await lockCycle(trx, found.cycle_id))!;
  const row = await trx
    .selectFrom('nominations')
    .select(['id', 'cycle_id', 'nominee', 'nominator_id', 'state'])
    .where('id', '=', nominationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { ...row, cycle };
}

/**
 * Nominations and what gathers around them: seconds, anecdotes (moderated), hiding by moderators
 * and withdrawal (the nominee's answer is in consent.ts). Nothing is deleted. Each write that
 * depends on the cycle's phase holds the cycle's share lock (`lockCycle`) while it checks and
 * writes, so it is either in before a phase moves or refused after.
 */
export function nominationsRepository(db: Kysely<DB>) {
  return {
    async find(id: number): Promise<Nomination | undefined> {
      const row = await selectNominations(db).where('n.id', '=', id).executeTakeFirst();
      return row && toNomination(row);
    },

    /** Every nomination of a cycle, in the order they came (the service decides who sees which). */
    async ofCycle(cycleId: number): Promise<Nomination[]> {
      const rows = await selectNominations(db).where('n.cycle_id', '=', cycleId).orderBy('n.id').execute();
      return rows.map(toNomination);
    },

    /** The honorees of announced cycles, the latest month first, filtered by region, category and kind. */
    async honorees(filter: { regionId?: number; category?: Category; kind?: NomineeKind } = {}) {
      let query = selectNominations(db)
        .innerJoin('celebration_cycles as c', 'c.honoree_nomination_id', 'n.id')
        .select('c.month')
        .where('c.phase', '=', 'announced');
      if (filter.regionId !== undefined) query = query.where('n.region_id', '=', filter.regionId);
      if (filter.category !== undefined) query = query.where('n.category', '=', filter.category);
      if (filter.kind !== undefined) query = query.where('n.kind', '=', filter.kind);
      const rows = await query.orderBy('c.month', 'desc').execute();
      return rows.map((row) => ({ month: row.month, nomination: toNomination(row) }));
    },

    /**
     * Files a nomination while the cycle takes nominations. The same nominee (username, home wiki)
     * nominated again in the cycle joins the first nomination as a seconding (the unique index
     * decides between two at once); nominating one's own nominee again changes nothing.
     */
    async nominate(cycleId: number, input: NominationInput, nominatorId: number, now: Date): Promise<NominateOutcome> {
      return db.transaction().execute(async (trx): Promise<NominateOutcome> => {
        const cycle = await lockCycle(trx, cycleId);
        if (!cycle) return { outcome: 'missing' };
        if (!isOpenFor(cycle, 'nominate', now)) return { outcome: 'closed' };
        const created = await trx
          .insertInto('nominations')
          .values({
            cycle_id: cycleId,
            ...NOMINATION_COLUMNS.nominee(input),
            nominator_id: nominatorId,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.expression(sql`cycle_id, lower(nominee), home_wiki`).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (created) {
          await writeOperators(trx, created.id, input.operators);
          return { outcome: 'nominated', nominationId: created.id };
        }
        const first = await trx
          .selectFrom('nominations')
          .select(['id', 'nominator_id'])
          .where('cycle_id', '=', cycleId)
          .where(sql`lower(nominee)`, '=', sql`lower(${input.nominee})`)
          .where('home_wiki', '=', input.homeWiki)
          .executeTakeFirstOrThrow();
        if (first.nominator_id === nominatorId) return { outcome: 'own-nomination', nominationId: first.id };
        const seconded = await trx
          .insertInto('nomination_seconds')
          .values({
            nomination_id: first.id,
            user_id: nominatorId,
            reason: input.reasons,
            language: input.language,
            evidence: JSON.stringify(input.evidence),
            from_nomination: true,
            created_at: now,
          })
          .onConflict((oc) => oc.columns(['nomination_id', 'user_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        return { outcome: seconded ? 'seconded' : 'already-seconded', nominationId: first.id };
      });
    },

    /** The nominator's edit, while nominations are open, if nobody changed it since `baseRevision`. */
    async edit(
      nominationId: number,
      baseRevision: number,
      input: NominationInput,
      userId: number,
      now: Date,
    ): Promise<EditOutcome> {
      try {
        return await db.transaction().execute(async (trx): Promise<EditOutcome> => {
          const nomination = await lockNomination(trx, nominationId);
          if (!nomination) return 'missing';
          if (nomination.nominator_id !== userId) return 'not-yours';
          if (nomination.state !== 'open' || !isOpenFor(nomination.cycle, 'edit-nomination', now)) return 'closed';
          const saved = await trx
            .updateTable('nominations')
            .set({ ...NOMINATION_COLUMNS.nominee(input), revision: sql<number>`revision + 1`, updated_at: now })
            .where('id', '=', nominationId)
            .where('revision', '=', baseRevision)
            .returning('id')
            .executeTakeFirst();
          if (!saved) return 'conflict';
          await writeOperators(trx, nominationId, input.operators);
          return 'saved';
        });
      } catch (error) {
        // Renamed to a nominee already nominated in the cycle.
        if ((error as { code?: string }).code === '23505') return 'duplicate';
        throw error;
      }
    },

    /** A member's seconding (its reason and the language it is written in), while the cycle takes them and the nomination is open; one per account. */
    async second(
      nominationId: number,
      userId: number,
      seconding: { reason: string; language: string | null },
      now: Date,
    ): Promise<SecondOutcome> {
      return db.transaction().execute(async (trx): Promise<SecondOutcome> => {
        const nomination = await lockNomination(trx, nominationId);
        if (!nomination) return 'missing';
        if (nomination.state !== 'open' || !isOpenFor(nomination.cycle, 'second', now)) return 'closed';
        if (nomination.nominator_id === userId) return 'own-nomination';
        const added = await trx
          .insertInto('nomination_seconds')
          .values({
            nomination_id: nominationId,
            user_id: userId,
            reason: seconding.reason,
            language: seconding.language,
            created_at: now,
          })
          .onConflict((oc) => oc.columns(['nomination_id', 'user_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        return added ? 'seconded' : 'already-seconded';
      });
    },

    async seconds(nominationId: number): Promise<Seconding[]> {
      const rows = await db
        .selectFrom('nomination_seconds as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select([
          's.user_id',
          'u.username',
          'u.is_bot',
          's.reason',
          's.language',
          's.evidence',
          's.from_nomination',
          's.created_at',
        ])
        .where('s.nomination_id', '=', nominationId)
        .orderBy('s.id')
        .execute();
      return rows.map((row) => ({
        userId: row.user_id,
        username: row.username,
        bot: row.is_bot,
        reason: row.reason,
        language: row.language,
        evidence: row.evidence,
        fromNomination: row.from_nomination,
        createdAt: row.created_at,
      }));
    },

    /** An anecdote (its text and the language it is written in), pending moderation; 'closed' when the nomination takes none now. */
    async addAnecdote(
      nominationId: number,
      userId: number,
      anecdote: { body: string; language: string | null },
      now: Date,
    ) {
      return db.transaction().execute(async (trx) => {
        const nomination = await lockNomination(trx, nominationId);
        if (!nomination) return 'missing' as const;
        const takes = ['open', 'awaiting_consent', 'consented'].includes(nomination.state);
        if (!takes || !isOpenFor(nomination.cycle, 'anecdote', now)) return 'closed' as const;
        const row = await trx
          .insertInto('nomination_anecdotes')
          .values({
            nomination_id: nominationId,
            author_id: userId,
            body: anecdote.body,
            language: anecdote.language,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      });
    },

    /** A nomination's anecdotes in the given states (approved only, for everyone but moderators). */
    async anecdotes(nominationId: number, states: readonly AnecdoteState[]): Promise<Anecdote[]> {
      return anecdoteRows(db)
        .where('a.nomination_id', '=', nominationId)
        .where('a.state', 'in', [...states])
        .execute()
        .then((rows) => rows.map(toAnecdote));
    },

    /** Anecdotes waiting for a moderator in a cycle, oldest first. */
    async pendingAnecdotes(cycleId: number): Promise<Anecdote[]> {
      return anecdoteRows(db)
        .innerJoin('nominations as n', 'n.id', 'a.nomination_id')
        .where('n.cycle_id', '=', cycleId)
        .where('a.state', '=', 'pending')
        .execute()
        .then((rows) => rows.map(toAnecdote));
    },

    /** A moderator approves or refuses an anecdote (and may change their mind); undefined when there is none. */
    async moderateAnecdote(
      anecdoteId: number,
      state: 'approved' | 'refused',
      moderatorId: number,
      now: Date,
    ): Promise<Anecdote | undefined> {
      const updated = await db
        .updateTable('nomination_anecdotes')
        .set({ state, moderated_by: moderatorId, moderated_at: now })
        .where('id', '=', anecdoteId)
        .returning('id')
        .executeTakeFirst();
      if (!updated) return undefined;
      const row = await anecdoteRows(db).where('a.id', '=', anecdoteId).executeTakeFirstOrThrow();
      return toAnecdote(row);
    },

    /**
     * Hides a nomination with the moderator's reason (kept, with who and when; never deleted). A
     * chosen nomination stays. The nominator is told only that it will not go ahead.
     */
    async hide(nominationId: number, reason: string, moderatorId: number, now: Date) {
      return db.transaction().execute(async (trx) => {
        const nomination = await lockNomination(trx, nominationId);
        if (!nomination) return 'missing' as const;
        if (nomination.state === 'chosen' || nomination.state === 'hidden') return 'closed' as const;
        await trx
          .updateTable('nominations')
          .set({
            state: 'hidden',
            hidden_reason: reason,
            hidden_by: moderatorId,
            hidden_at: now,
            updated_at: now,
            revision: sql<number>`revision + 1`,
          })
          .where('id', '=', nominationId)
          .execute();
        const wasLive = nomination.state !== 'refused' && nomination.state !== 'withdrawn';
        if (wasLive && nomination.nominator_id !== null)
          await addNotices(trx, [
            {
              userId: nomination.nominator_id,
              key: 'celebration-notice-not-going-ahead',
              params: [nomination.nominee, nomination.cycle.month],
              cycleId: nomination.cycle.id,
              nominationId,
            },
          ]);
        return 'hidden' as const;
      });
    },

    /** Withdraws a nomination until the choice closes (votes for it then count for nobody). */
    async withdraw(nominationId: number, now: Date, tellNominator: boolean) {
      return db.transaction().execute(async (trx) => {
        const nomination = await lockNomination(trx, nominationId);
        if (!nomination) return 'missing' as const;
        const live = ['open', 'awaiting_consent', 'consented'].includes(nomination.state);
        if (!live || !isOpenFor(nomination.cycle, 'withdraw', now)) return 'closed' as const;
        await trx
          .updateTable('nominations')
          .set({ state: 'withdrawn', updated_at: now, revision: sql<number>`revision + 1` })
          .where('id', '=', nominationId)
          .execute();
        if (tellNominator && nomination.nominator_id !== null)
          await addNotices(trx, [
            {
              userId: nomination.nominator_id,
              key: 'celebration-notice-not-going-ahead',
              params: [nomination.nominee, nomination.cycle.month],
              cycleId: nomination.cycle.id,
              nominationId,
            },
          ]);
        return 'withdrawn' as const;
      });
    },
  };
}
export type NominationsRepository = ReturnType<typeof nominationsRepository>;

function anecdoteRows(executor: Executor) {
  return executor
    .selectFrom('nomination_anecdotes as a')
    .leftJoin('users as author', 'author.id', 'a.author_id')
    .leftJoin('users as moderator', 'moderator.id', 'a.moderated_by')
    .selectAll('a')
    .select(['author.username as author', 'author.is_bot as author_bot', 'moderator.username as moderator'])
    .orderBy('a.id');
}
const toAnecdote = (row: Awaited<ReturnType<ReturnType<typeof anecdoteRows>['execute']>>[number]): Anecdote => ({
  id: row.id,
  nominationId: row.nomination_id,
  authorId: row.author_id,
  author: row.author,
  authorBot: row.author_bot ?? false,
  body: row.body,
  language: row.language,
  state: row.state,
  moderatedBy: row.moderator,
  moderatedAt: row.moderated_at,
  createdAt: row.created_at,
});
