import { sql, type Kysely } from 'kysely';
import type { User } from '../../domain/access/users.ts';
import type { DB } from '../schema.ts';

/** An account of a sign-in provider linked to a local account. */
export interface LinkedIdentity {
  provider: string;
  subject: string;
  userId: number;
  /** The provider's name for the account when it was linked. */
  username: string;
  createdAt: Date;
}

export type LinkOutcome = 'linked' | 'identity_taken' | 'already_linked';

/**
 * Identities of sign-in providers (OAuth 2.0 / OpenID Connect) and the accounts they sign in to. A
 * subject belongs to one account; an account holds at most one identity per provider (both unique in
 * the table, so two parallel first sign-ins make one account and one link).
 */
export function identitiesRepository(db: Kysely<DB>) {
  const toIdentity = (row: {
    provider: string;
    subject: string;
    user_id: number;
    username: string;
    created_at: Date;
  }): LinkedIdentity => ({
    provider: row.provider,
    subject: row.subject,
    userId: row.user_id,
    username: row.username,
    createdAt: row.created_at,
  });
  /** The provider's identity that matches `key` (its subject, or the account it is linked to). */
  async function findBy(provider: string, key: { subject: string } | { userId: number }) {
    const row = await db
      .selectFrom('oauth_identities')
      .select(['provider', 'subject', 'user_id', 'username', 'created_at'])
      .where('provider', '=', provider)
      .where((eb) => ('subject' in key ? eb('subject', '=', key.subject) : eb('user_id', '=', key.userId)))
      .executeTakeFirst();
    return row && toIdentity(row);
  }
  /** The link, unless the subject or the account's link to the provider exists already: then nothing. */
  async function insertLink(
    executor: Kysely<DB>,
    link: { provider: string; subject: string; username: string; userId: number },
  ): Promise<boolean> {
    const row = await executor
      .insertInto('oauth_identities')
      .values({ provider: link.provider, subject: link.subject, user_id: link.userId, username: link.username })
      .onConflict((oc) => oc.doNothing())
      .returning('user_id')
      .executeTakeFirst();
    return row !== undefined;
  }
  return {
    find: (provider: string, subject: string): Promise<LinkedIdentity | undefined> => findBy(provider, { subject }),
    ofUser: (userId: number, provider: string): Promise<LinkedIdentity | undefined> => findBy(provider, { userId }),

    /**
     * A new account without a password, named `username`, and its link to the identity, in one
     * transaction; null (nothing written) when the name is taken, case-blind, or the identity is
     * linked already.
     */
    async createLinkedUser(input: {
      provider: string;
      subject: string;
      username: string;
      language: string;
    }): Promise<User | null> {
      return db.transaction().execute(async (trx) => {
        const user = await trx
          .insertInto('users')
          .values({
            username: input.username,
            display_name: input.username,
            password_hash: null,
            language: input.language,
          })
          .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
          .returning(['id', 'username', 'display_name', 'created_at'])
          .executeTakeFirst();
        if (!user) return null;
        if (!(await insertLink(trx, { ...input, userId: user.id }))) {
          // Someone signed in with the same identity at the same moment: their account is the one.
          await trx.deleteFrom('users').where('id', '=', user.id).execute();
          return null;
        }
        return {
          id: user.id,
          username: user.username,
          displayName: user.display_name,
          createdAt: user.created_at,
          isBot: false,
        };
      });
    },

    /** Links an identity to an existing account, unless it or the account's link to the provider exists. */
    async link(input: { provider: string; subject: string; username: string; userId: number }): Promise<LinkOutcome> {
      if (await insertLink(db, input)) return 'linked';
      return (await findBy(input.provider, { subject: input.subject })) ? 'identity_taken' : 'already_linked';
    },

    /**
     * Removes the account's link to the provider, only while the account has a password to sign in
     * with (checked in the same statement). 'no_password' when that would leave it no way in.
     */
    async unlink(userId: number, provider: string): Promise<'unlinked' | 'not_linked' | 'no_password'> {
      const row = await db
        .deleteFrom('oauth_identities')
        .where('user_id', '=', userId)
        .where('provider', '=', provider)
        .where((eb) =>
          eb.exists(
            eb.selectFrom('users').select('id').where('id', '=', userId).where('password_hash', 'is not', null),
          ),
        )
        .returning('user_id')
        .executeTakeFirst();
      if (row) return 'unlinked';
      return (await findBy(provider, { userId })) ? 'no_password' : 'not_linked';
    },
  };
}
export type IdentitiesRepository = ReturnType<typeof identitiesRepository>;
