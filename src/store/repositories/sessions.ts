import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** Sessions live in the database so that every app process sees them and none is lost on restart. */
export function sessionsRepository(db: Kysely<DB>) {
  return {
    async get(id: string): Promise<unknown | undefined> {
      const row = await db
        .selectFrom('sessions')
        .select('data')
        .where('id', '=', id)
        .where('expires_at', '>', new Date())
        .executeTakeFirst();
      return row?.data;
    },
    async set(id: string, data: unknown, expiresAt: Date): Promise<void> {
      const json = JSON.stringify(data);
      await db
        .insertInto('sessions')
        .values({ id, data: json, expires_at: expiresAt })
        .onConflict((oc) => oc.column('id').doUpdateSet({ data: json, expires_at: expiresAt }))
        .execute();
    },
    async destroy(id: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },
    async prune(): Promise<void> {
      await db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
    },
  };
}
export type SessionsRepository = ReturnType<typeof sessionsRepository>;
