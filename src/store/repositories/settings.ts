import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

export function settingsRepository(db: Kysely<DB>) {
  return {
    async get(name: string): Promise<string | undefined> {
      const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
      return row?.value;
    },
    /** Stores `value` unless a value is already there; returns the one that is stored. */
    async getOrCreate(name: string, value: string): Promise<string> {
      await db
        .insertInto('settings')
        .values({ name, value })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      return (await this.get(name))!;
    },
  };
}
