import type { Kysely, Transaction } from 'kysely';
import { confirmationLinkState, type ConfirmationLinkState } from '../../domain/access/email-confirmation.ts';
import type { DB } from '../schema.ts';

/** A person's address as their account page shows it: whether it is confirmed, and the link still open for it. */
export interface EmailState {
  email: string | null;
  confirmedAt: Date | null;
  /** The last link sent to the address, while it can still be used. */
  pending: { sentAt: Date; expiresAt: Date } | null;
}

/** Who a new link goes to: the account's name, address and the language of its mail. */
export interface ConfirmationRecipient {
  username: string;
  email: string;
  language: string;
}

/**
 * The links that confirm an address. An account has at most one open link: a new one replaces the
 * others, and so does a change of address (mail.ts). A link is taken with its row locked, so two
 * confirmations with one link cannot both pass.
 */
export function emailConfirmationsRepository(db: Kysely<DB>) {
  /** A stored link with the address its account has now; the row locked when `lock`. */
  const findLink = (trx: Kysely<DB> | Transaction<DB>, tokenHash: string, lock: boolean) => {
    const query = trx
      .selectFrom('email_confirmations as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .select([
        'c.id',
        'c.user_id',
        'c.email',
        'c.expires_at',
        'c.used_at',
        'c.superseded_at',
        'u.email as current_email',
      ])
      .where('c.token_hash', '=', tokenHash);
    return (lock ? query.forUpdate('c') : query).executeTakeFirst();
  };
  const stateOf = (row: Awaited<ReturnType<typeof findLink>>, now: Date): ConfirmationLinkState =>
    confirmationLinkState(
      row && {
        email: row.email,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
        supersededAt: row.superseded_at,
        currentEmail: row.current_email,
      },
      now,
    );

  return {
    async state(userId: number, now: Date): Promise<EmailState | undefined> {
      const user = await db
        .selectFrom('users')
        .select(['email', 'email_confirmed_at'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!user) return undefined;
      const link =
        user.email && !user.email_confirmed_at
          ? await db
              .selectFrom('email_confirmations')
              .select(['created_at', 'expires_at'])
              .where('user_id', '=', userId)
              .where('email', '=', user.email)
              .where('used_at', 'is', null)
              .where('superseded_at', 'is', null)
              .where('expires_at', '>', now)
              .orderBy('id', 'desc')
              .executeTakeFirst()
          : undefined;
      return {
        email: user.email,
        confirmedAt: user.email_confirmed_at,
        pending: link ? { sentAt: link.created_at, expiresAt: link.expires_at } : null,
      };
    },

    /**
     * Stores a new link for the account's address, replacing its open ones, and queues its mail (made
     * by `mail.compose` for the recipient) as a job of `mail.kind` in the same transaction: a link
     * is never stored without its mail. Refused when there is no address or it is confirmed.
     */
    async issue(
      userId: number,
      link: { tokenHash: string; expiresAt: Date; now: Date },
      mail: { kind: string; compose: (recipient: ConfirmationRecipient) => object },
    ): Promise<'issued' | 'no_address' | 'confirmed'> {
      return db.transaction().execute(async (trx) => {
        const user = await trx
          .selectFrom('users')
          .select(['username', 'email', 'language', 'email_confirmed_at'])
          .where('id', '=', userId)
          .forUpdate()
          .executeTakeFirst();
        if (!user?.email) return 'no_address';
        if (user.email_confirmed_at) return 'confirmed';
        await supersedeOpen(trx, userId, link.now);
        await trx
          .insertInto('email_confirmations')
          .values({
            user_id: userId,
            email: user.email,
            token_hash: link.tokenHash,
            created_at: link.now,
            expires_at: link.expiresAt,
          })
          .execute();
        const payload = mail.compose({ username: user.username, email: user.email, language: user.language });
        await trx
          .insertInto('jobs')
          .values({ kind: mail.kind, payload: JSON.stringify(payload) })
          .execute();
        return 'issued';
      });
    },

    /** What a link is, without using it, and the address it confirms when it still can. */
    async peek(
      tokenHash: string,
      now: Date,
    ): Promise<{ state: 'valid'; email: string } | { state: Exclude<ConfirmationLinkState, 'valid'> }> {
      const row = await findLink(db, tokenHash, false);
      const state = stateOf(row, now);
      return state === 'valid' ? { state, email: row!.email } : { state };
    },

    /** Confirms the address a link was sent to, using the link; a link that cannot be used says why. */
    async confirm(tokenHash: string, now: Date): Promise<ConfirmationLinkState> {
      return db.transaction().execute(async (trx) => {
        const row = await findLink(trx, tokenHash, true);
        const state = stateOf(row, now);
        if (state !== 'valid') return state;
        const confirmed = await trx
          .updateTable('users')
          .set({ email_confirmed_at: now })
          .where('id', '=', row!.user_id)
          .where('email', '=', row!.email)
          .returning('id')
          .executeTakeFirst();
        // The address changed between the read and the lock of the account: the link is for another one.
        if (!confirmed) return 'superseded';
        await trx.updateTable('email_confirmations').set({ used_at: now }).where('id', '=', row!.id).execute();
        return 'valid';
      });
    },
  };
}

/** Marks an account's open links replaced (a newer link, or its address changed or removed). */
export async function supersedeOpen(trx: Kysely<DB> | Transaction<DB>, userId: number, now: Date): Promise<void> {
  await trx
    .updateTable('email_confirmations')
    .set({ superseded_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .execute();
}
export type EmailConfirmationsRepository = ReturnType<typeof emailConfirmationsRepository>;
