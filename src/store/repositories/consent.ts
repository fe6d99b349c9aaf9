import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import { isOpenFor, type Cycle } from '../../domain/celebration/cycle.ts';
import type { Nomination } from '../../domain/celebration/nomination.ts';
import { lockNomination, selectNominations, toNomination } from './nominations.ts';
import { addNotices } from './notices.ts';

export type AnswerOutcome = 'consented' | 'refused' | 'closed' | 'not-awaiting' | 'missing';
export type TokenOutcome = AnswerOutcome | 'forged' | 'used' | 'expired';

/**
 * The nominee's answer to a nomination: through a private link (only the token's SHA-256 is kept;
 * a link is used once and expires) or as their own signed-in account (for a bot, an operator's).
 * Nothing about a nominee is public until they agree; a refusal reaches the nominator only as
 * "will not go ahead".
 */
export function consentRepository(db: Kysely<DB>) {
  /** The nominee's answer, and the nominator told of it (a refusal only as "will not go ahead"). */
  async function answer(
    trx: Transaction<DB>,
    nomination: { id: number; nominee: string; nominator_id: number | null; cycle: Cycle },
    decision: 'consent' | 'refuse',
    now: Date,
  ): Promise<AnswerOutcome> {
    const state = decision === 'consent' ? 'consented' : 'refused';
    const updated = await trx
      .updateTable('nominations')
      .set({ state, answered_at: now, updated_at: now, revision: sql<number>`revision + 1` })
      .where('id', '=', nomination.id)
      .where('state', '=', 'awaiting_consent')
      .returning('id')
      .executeTakeFirst();
    if (!updated) return 'not-awaiting';
    if (nomination.nominator_id !== null)
      await addNotices(trx, [
        {
          userId: nomination.nominator_id,
          key: state === 'consented' ? 'celebration-notice-consented' : 'celebration-notice-not-going-ahead',
          params: [nomination.nominee, nomination.cycle.month],
          cycleId: nomination.cycle.id,
          nominationId: nomination.id,
        },
      ]);
    return state;
  }

  return {
    /** Nominations awaiting an answer from `username` (the nominee, or an operator of the bot). */
    async awaitingAnswerFrom(username: string): Promise<Nomination[]> {
      // Compared as the database lowers case, on both sides; local usernames may keep underscores.
      const name = sql`lower(${username.replace(/_/g, ' ')})`;
      const rows = await selectNominations(db)
        .where('n.state', '=', 'awaiting_consent')
        .where((eb) =>
          eb.or([
            eb.and([eb('n.kind', '=', 'human'), eb(sql`lower(n.nominee)`, '=', name)]),
            eb.and([
              eb('n.kind', '=', 'bot'),
              eb.exists(
                eb
                  .selectFrom('nomination_operators as o')
                  .select('o.position')
                  .whereRef('o.nomination_id', '=', 'n.id')
                  .where(sql`lower(o.username)`, '=', name),
              ),
            ]),
          ]),
        )
        .orderBy('n.id')
        .execute();
      return rows.map(toNomination);
    },

    /** Stores a consent link's hash for a nomination awaiting its nominee's answer. */
    async addConsentToken(
      nominationId: number,
      tokenHash: string,
      expiresAt: Date,
      createdBy: number | null,
      now: Date,
    ): Promise<'issued' | 'closed' | 'not-awaiting' | 'missing'> {
      return db.transaction().execute(async (trx) => {
        const nomination = await lockNomination(trx, nominationId);
        if (!nomination) return 'missing';
        if (!isOpenFor(nomination.cycle, 'consent', now)) return 'closed';
        if (nomination.state !== 'awaiting_consent') return 'not-awaiting';
        await trx
          .insertInto('consent_tokens')
          .values({
            nomination_id: nominationId,
            token_hash: tokenHash,
            expires_at: expiresAt,
            created_by: createdBy,
            created_at: now,
          })
          .execute();
        return 'issued';
      });
    },

    /** What a consent link is, without using it: unknown (forged), used, expired, or valid for its nomination. */
    async peekToken(
      tokenHash: string,
      now: Date,
    ): Promise<{ outcome: 'forged' | 'used' | 'expired' | 'valid'; nominationId?: number }> {
      const token = await db
        .selectFrom('consent_tokens')
        .select(['nomination_id', 'expires_at', 'used_at'])
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!token) return { outcome: 'forged' };
      const nominationId = token.nomination_id;
      if (token.used_at !== null) return { outcome: 'used', nominationId };
      if (token.expires_at.getTime() <= now.getTime()) return { outcome: 'expired', nominationId };
      return { outcome: 'valid', nominationId };
    },

    /**
     * Answers for a nominee with a consent link: unknown (forged), used or expired links are
     * refused; a link is used once (its row is locked, so two answers at once cannot both pass).
     */
    async answerWithToken(
      tokenHash: string,
      decision: 'consent' | 'refuse',
      now: Date,
    ): Promise<{ outcome: TokenOutcome; nominationId?: number }> {
      return db.transaction().execute(async (trx) => {
        const token = await trx
          .selectFrom('consent_tokens')
          .select(['id', 'nomination_id', 'expires_at', 'used_at'])
          .where('token_hash', '=', tokenHash)
          .forUpdate()
          .executeTakeFirst();
        if (!token) return { outcome: 'forged' as const };
        const nominationId = token.nomination_id;
        if (token.used_at !== null) return { outcome: 'used' as const, nominationId };
        if (token.expires_at.getTime() <= now.getTime()) return { outcome: 'expired' as const, nominationId };
        const nomination = (await lockNomination(trx, nominationId))!;
        if (!isOpenFor(nomination.cycle, 'consent', now)) return { outcome: 'closed' as const, nominationId };
        const outcome = await answer(trx, nomination, decision, now);
        if (outcome === 'consented' || outcome === 'refused')
          await trx.updateTable('consent_tokens').set({ used_at: now }).where('id', '=', token.id).execute();
        return { outcome, nominationId };
      });
    },

    /** Answers for a nominee as a signed-in account (the service has checked the account answers for them). */
    async answerAsAccount(nominationId: number, decision: 'consent' | 'refuse', now: Date): Promise<AnswerOutcome> {
      return db.transaction().execute(async (trx) => {
        const nomination = await lockNomination(trx, nominationId);
        if (!nomination) return 'missing';
        if (!isOpenFor(nomination.cycle, 'consent', now)) return 'closed';
        return answer(trx, nomination, decision, now);
      });
    },
  };
}
export type ConsentRepository = ReturnType<typeof consentRepository>;
