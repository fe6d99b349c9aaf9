import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CelebrationCyclesTable, DB } from '../schema.ts';
import {
  isOpenFor,
  type ChoiceMode,
  type Cycle,
  type CyclePhase,
  type CycleSchedule,
  type CycleTransition,
  type TransitionHow,
} from '../../domain/celebration/cycle.ts';
import { tally, type Tally } from '../../domain/celebration/tally.ts';
import { addNotices } from './notices.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface CycleValues extends CycleSchedule {
  choiceMode: ChoiceMode;
  /** The committee's accounts (used in committee mode). */
  committeeIds: number[];
}

export type MoveResult = { moved: true; cycle: Cycle } | { moved: false; cycle: Cycle | undefined };
export type VoteOutcome = 'cast' | 'already-voted' | 'closed' | 'not-a-candidate' | 'missing';

const FINAL_PHASES: CyclePhase[] = ['announced', 'closed', 'cancelled'];

const toCycle = (row: Selectable<CelebrationCyclesTable>): Cycle => ({
  id: row.id,
  month: row.month,
  opensAt: row.opens_at,
  secondingAt: row.seconding_at,
  consentAt: row.consent_at,
  choiceAt: row.choice_at,
  closesAt: row.closes_at,
  phase: row.phase,
  choiceMode: row.choice_mode,
  honoreeNominationId: row.honoree_nomination_id,
  revision: row.revision,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * Reads a cycle and holds a share lock on its row until the caller's transaction ends. Every write
 * that depends on the phase (a nomination, a vote, a consent) takes it first; a phase move updates
 * the row, so it waits for those under way, and those that come after it see the new phase. So
 * no vote slips in after the tally, and no nomination after nominations close.
 */
export async function lockCycle(trx: Transaction<DB>, cycleId: number): Promise<Cycle | undefined> {
  const row = await trx
    .selectFrom('celebration_cycles')
    .selectAll()
    .where('id', '=', cycleId)
    .forShare()
    .executeTakeFirst();
  return row && toCycle(row);
}

/** The tally of a cycle's vote, read in one statement (in a transaction: with what it has written). */
async function countVotes(executor: Executor, cycleId: number): Promise<Tally> {
  const rows = await executor
    .selectFrom('nominations as n')
    .select([
      'n.id',
      'n.state',
      'n.created_at',
      sql<number>`(SELECT count(*) FROM nomination_seconds s WHERE s.nomination_id = n.id)`.as('seconds'),
      sql<number>`(SELECT count(*) FROM celebration_votes v WHERE v.cycle_id = n.cycle_id AND v.nomination_id = n.id)`.as(
        'votes',
      ),
    ])
    .where('n.cycle_id', '=', cycleId)
    .execute();
  return tally(
    rows.map((row) => ({
      nominationId: row.id,
      state: row.state,
      seconds: Number(row.seconds),
      nominatedAt: row.created_at,
    })),
    rows.map((row) => ({ nominationId: row.id, votes: Number(row.votes) })),
  );
}

/**
 * The monthly celebration's cycles: their dates and phase, who sits on the committee, each move
 * of a phase, and the vote. A phase moves by compare-and-set on the phase it moves from, in one
 * transaction with its transition row and its effects, so two workers (or a worker and an editor)
 * moving the same phase at once move it once.
 */
export function celebrationsRepository(db: Kysely<DB>) {
  async function cycle(id: number): Promise<Cycle | undefined> {
    const row = await db.selectFrom('celebration_cycles').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCycle(row);
  }

  async function replaceCommittee(trx: Transaction<DB>, cycleId: number, userIds: readonly number[]) {
    await trx.deleteFrom('celebration_committee').where('cycle_id', '=', cycleId).execute();
    const unique = [...new Set(userIds)];
    if (unique.length)
      await trx
        .insertInto('celebration_committee')
        .values(unique.map((userId) => ({ cycle_id: cycleId, user_id: userId })))
        .execute();
  }

  const scheduleColumns = (values: CycleValues) => ({
    opens_at: values.opensAt,
    seconding_at: values.secondingAt,
    consent_at: values.consentAt,
    choice_at: values.choiceAt,
    closes_at: values.closesAt,
    choice_mode: values.choiceMode,
  });

  /** What a move into `to` brings with it, in the move's transaction. */
  async function effects(trx: Transaction<DB>, moved: Cycle, from: CyclePhase, to: CyclePhase): Promise<CyclePhase> {
    if (to === 'consent') {
      await trx
        .updateTable('nominations')
        .set({ state: 'awaiting_consent', updated_at: new Date() })
        .where('cycle_id', '=', moved.id)
        .where('state', '=', 'open')
        .execute();
      // Those who answer for a nominee and have an account here are asked on the site too.
      const asked = await trx
        .selectFrom('nominations as n')
        .innerJoin('users as u', (join) =>
          join.on((eb) =>
            eb.or([
              eb.and([
                eb('n.kind', '=', 'human'),
                eb(sql`lower(replace(u.username, '_', ' '))`, '=', sql`lower(n.nominee)`),
              ]),
              eb.and([
                eb('n.kind', '=', 'bot'),
                eb.exists(
                  eb
                    .selectFrom('nomination_operators as o')
                    .select('o.position')
                    .whereRef('o.nomination_id', '=', 'n.id')
                    .where(sql`lower(o.username)`, '=', sql`lower(replace(u.username, '_', ' '))`),
                ),
              ]),
            ]),
          ),
        )
        .select(['u.id as user_id', 'n.id as nomination_id', 'n.kind'])
        .where('n.cycle_id', '=', moved.id)
        .where('n.state', '=', 'awaiting_consent')
        .execute();
      await addNotices(
        trx,
        asked.map((row) => ({
          userId: row.user_id,
          key: row.kind === 'bot' ? 'celebration-notice-consent-bot' : 'celebration-notice-consent',
          params: [moved.month],
          cycleId: moved.id,
          nominationId: row.nomination_id,
        })),
      );
    }
    if (to === 'choice' && moved.choiceMode === 'committee') {
      const members = await trx
        .selectFrom('celebration_committee')
        .select('user_id')
        .where('cycle_id', '=', moved.id)
        .execute();
      await addNotices(
        trx,
        members.map((member) => ({
          userId: member.user_id,
          key: 'celebration-notice-vote-open',
          params: [moved.month],
          cycleId: moved.id,
        })),
      );
    }
    if (from === 'choice' && to !== 'cancelled') {
      const result = await countVotes(trx, moved.id);
      const final: CyclePhase = result.winner === null ? 'closed' : 'announced';
      await trx
        .updateTable('celebration_cycles')
        .set({ phase: final, honoree_nomination_id: result.winner })
        .where('id', '=', moved.id)
        .execute();
      if (result.winner !== null) {
        const chosen = await trx
          .updateTable('nominations')
          .set({ state: 'chosen', updated_at: new Date() })
          .where('id', '=', result.winner)
          .returning(['id', 'nominee', 'nominator_id'])
          .executeTakeFirstOrThrow();
        if (chosen.nominator_id !== null)
          await addNotices(trx, [
            {
              userId: chosen.nominator_id,
              key: 'celebration-notice-chosen',
              params: [chosen.nominee, moved.month],
              cycleId: moved.id,
              nominationId: chosen.id,
            },
          ]);
      }
      return final;
    }
    return to;
  }

  return {
    cycle,

    async cycleByMonth(month: string): Promise<Cycle | undefined> {
      const row = await db.selectFrom('celebration_cycles').selectAll().where('month', '=', month).executeTakeFirst();
      return row && toCycle(row);
    },

    /** Every cycle, the latest month first. */
    async cycles(): Promise<Cycle[]> {
      const rows = await db.selectFrom('celebration_cycles').selectAll().orderBy('month', 'desc').execute();
      return rows.map(toCycle);
    },

    /** The cycles the schedule may still move (not announced, closed or cancelled). */
    async movingCycles(): Promise<Cycle[]> {
      const rows = await db
        .selectFrom('celebration_cycles')
        .selectAll()
        .where('phase', 'not in', FINAL_PHASES)
        .orderBy('month')
        .execute();
      return rows.map(toCycle);
    },

    /** A new cycle for `month`, in the `upcoming` phase; null when the month has one already. */
    async create(month: string, values: CycleValues, userId: number | null): Promise<Cycle | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('celebration_cycles')
          .values({ month, ...scheduleColumns(values), created_by: userId })
          .onConflict((oc) => oc.column('month').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await replaceCommittee(trx, row.id, values.committeeIds);
        return toCycle(row);
      });
    },

    /**
     * Saves a cycle's dates, mode and committee if it is still at `baseRevision` and not over; the
     * cycle as it is now otherwise (undefined when there is none).
     */
    async update(
      id: number,
      baseRevision: number,
      values: CycleValues,
    ): Promise<{ ok: true; cycle: Cycle } | { ok: false; current: Cycle } | undefined> {
      const saved = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('celebration_cycles')
          .set({ ...scheduleColumns(values), revision: sql<number>`revision + 1`, updated_at: new Date() })
          .where('id', '=', id)
          .where('revision', '=', baseRevision)
          .where('phase', 'not in', FINAL_PHASES)
          .returningAll()
          .executeTakeFirst();
        if (row) await replaceCommittee(trx, id, values.committeeIds);
        return row && toCycle(row);
      });
      if (saved) return { ok: true, cycle: saved };
      const current = await cycle(id);
      return current && { ok: false, current };
    },

    /** The committee of a cycle, by username. */
    async committee(cycleId: number): Promise<Array<{ id: number; username: string }>> {
      return db
        .selectFrom('celebration_committee as c')
        .innerJoin('users as u', 'u.id', 'c.user_id')
        .select(['u.id', 'u.username'])
        .where('c.cycle_id', '=', cycleId)
        .orderBy(sql`lower(u.username)`)
        .execute();
    },

    async isOnCommittee(cycleId: number, userId: number): Promise<boolean> {
      const row = await db
        .selectFrom('celebration_committee')
        .select('user_id')
        .where('cycle_id', '=', cycleId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Moves a cycle from `from` to `to` if it is still in `from` (compare-and-set), writing the
     * transition and the move's effects in the same transaction: into consent, open nominations
     * await their nominee's answer (who is told on the site); into the committee's choice, the
     * committee is told; out of the choice, the vote is counted and the cycle is announced with its
     * honoree, or closed when nobody got a counted vote. `moved: false` when someone else moved it first.
     */
    async move(
      cycleId: number,
      from: CyclePhase,
      to: CyclePhase,
      how: TransitionHow,
      userId: number | null,
      now: Date,
    ): Promise<MoveResult> {
      const moved = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('celebration_cycles')
          .set({ phase: to, revision: sql<number>`revision + 1`, updated_at: now })
          .where('id', '=', cycleId)
          .where('phase', '=', from)
          .returningAll()
          .executeTakeFirst();
        if (!row) return undefined;
        const final = await effects(trx, toCycle(row), from, to);
        await trx
          .insertInto('celebration_transitions')
          .values({ cycle_id: cycleId, from_phase: from, to_phase: final, how, user_id: userId, created_at: now })
          .execute();
        return true;
      });
      const current = await cycle(cycleId);
      return moved && current ? { moved: true, cycle: current } : { moved: false, cycle: current };
    },

    /** Every move of a cycle's phase, in order, with who made it. */
    async transitions(cycleId: number): Promise<CycleTransition[]> {
      const rows = await db
        .selectFrom('celebration_transitions as t')
        .leftJoin('users as u', 'u.id', 't.user_id')
        .select(['t.from_phase', 't.to_phase', 't.how', 't.user_id', 'u.username', 'u.is_bot', 't.created_at'])
        .where('t.cycle_id', '=', cycleId)
        .orderBy('t.id')
        .execute();
      return rows.map((row) => ({
        from: row.from_phase,
        to: row.to_phase,
        how: row.how,
        userId: row.user_id,
        username: row.username,
        bot: row.is_bot ?? false,
        at: row.created_at,
      }));
    },

    /**
     * Casts `userId`'s vote for a nomination if the cycle's choice is open at `now` and the nominee
     * agreed. The unique (cycle, account) constraint decides between attempts made at once: exactly
     * one is cast, the others are `already-voted`.
     */
    async castVote(cycleId: number, nominationId: number, userId: number, now: Date): Promise<VoteOutcome> {
      return db.transaction().execute(async (trx) => {
        const locked = await lockCycle(trx, cycleId);
        if (!locked) return 'missing';
        if (!isOpenFor(locked, 'vote', now)) return 'closed';
        const cast = await trx
          .insertInto('celebration_votes')
          .columns(['cycle_id', 'nomination_id', 'user_id'])
          .expression((eb) =>
            eb
              .selectFrom('nominations')
              .select(['cycle_id', 'id', sql<number>`${userId}::integer`.as('user_id')])
              .where('id', '=', nominationId)
              .where('cycle_id', '=', cycleId)
              .where('state', '=', 'consented'),
          )
          .onConflict((oc) => oc.columns(['cycle_id', 'user_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (cast) return 'cast';
        const earlier = await trx
          .selectFrom('celebration_votes')
          .select('id')
          .where('cycle_id', '=', cycleId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        return earlier ? 'already-voted' : 'not-a-candidate';
      });
    },

    /** The nomination `userId` voted for in a cycle, if any. */
    async voteOf(cycleId: number, userId: number): Promise<number | null> {
      const row = await db
        .selectFrom('celebration_votes')
        .select('nomination_id')
        .where('cycle_id', '=', cycleId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.nomination_id ?? null;
    },

    /** How many accounts voted in a cycle (a number that may be shown while the vote is open). */
    async voterCount(cycleId: number): Promise<number> {
      const row = await db
        .selectFrom('celebration_votes')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('cycle_id', '=', cycleId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** The count by the written rule; the service shows it only once the vote has closed. */
    tally: (cycleId: number) => countVotes(db, cycleId),
  };
}
export type CelebrationsRepository = ReturnType<typeof celebrationsRepository>;
