import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** A personal API token as its owner sees it (never its secret, which is not stored). */
export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const COLUMNS = ['id', 'user_id', 'name', 'scopes', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'] as const;

type Row = {
  id: number;
  user_id: number;
  name: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
};
const toToken = (row: Row): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  scopes: row.scopes,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

/** Personal API tokens, found by the SHA-256 of their secret; revoked ones are kept to be told apart from unknown ones. */
export function tokensRepository(db: Kysely<DB>) {
  return {
    async create(token: {
      userId: number;
      name: string;
      secretHash: string;
      scopes: string[];
      expiresAt: Date | null;
    }): Promise<ApiToken> {
      const row = await db
        .insertInto('api_tokens')
        .values({
          user_id: token.userId,
          name: token.name,
          secret_hash: token.secretHash,
          scopes: token.scopes,
          expires_at: token.expiresAt,
          revoked_at: null,
          last_used_at: null,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toToken(row);
    },
    /** The token whose secret hashes to `secretHash`, revoked or not. */
    async findByHash(secretHash: string): Promise<ApiToken | undefined> {
      const row = await db
        .selectFrom('api_tokens')
        .select(COLUMNS)
        .where('secret_hash', '=', secretHash)
        .executeTakeFirst();
      return row && toToken(row);
    },
    /** An account's tokens, newest first (revoked ones included, for the record). */
    async listFor(userId: number): Promise<ApiToken[]> {
      const rows = await db
        .selectFrom('api_tokens')
        .select(COLUMNS)
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toToken);
    },
    /** Revokes one of `userId`'s tokens; false when it has no such live token. */
    async revoke(userId: number, id: number): Promise<boolean> {
      const result = await db
        .updateTable('api_tokens')
        .set({ revoked_at: sql`now()` })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    /** Records a use; at most one write a minute per token, so a busy bot does not write on every request. */
    async touch(id: number): Promise<void> {
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: sql`now()` })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]),
        )
        .execute();
    },
  };
}
export type TokensRepository = ReturnType<typeof tokensRepository>;
