import { sql, type Kysely, type Selectable } from 'kysely';
import type { Language } from '../../domain/languages/languages.ts';
import type { DB, LanguagesTable } from '../schema.ts';

export interface LanguageRow extends Language { enabled: boolean; position: number }

export function languagesRepository(db: Kysely<DB>) {
  const toLanguage = (row: Selectable<LanguagesTable>): LanguageRow => ({
    code: row.code, autonym: row.autonym, dir: row.dir, enabled: row.enabled,
    fallbacks: row.fallbacks, searchConfig: row.search_config, position: row.position,
  });
  return {
    async list(): Promise<LanguageRow[]> {
      const rows = await db.selectFrom('languages').selectAll().orderBy('position').orderBy('code').execute();
      return rows.map(toLanguage);
    },
    async upsert(language: Language & { enabled?: boolean; position?: number }): Promise<void> {
      await db.insertInto('languages')
        .values({
          code: language.code, autonym: language.autonym, dir: language.dir,
          fallbacks: language.fallbacks, search_config: language.searchConfig,
          enabled: language.enabled ?? true, position: language.position ?? 0,
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
    },
    async setEnabled(code: string, enabled: boolean): Promise<void> {
      await db.updateTable('languages').set({ enabled }).where('code', '=', code).execute();
    },
    /** The text-search configurations this PostgreSQL has (they differ between versions). */
    async searchConfigs(): Promise<Set<string>> {
      const { rows } = await sql<{ cfgname: string }>`SELECT cfgname FROM pg_ts_config`.execute(db);
      return new Set(rows.map((row) => row.cfgname));
    },
  };
}
export type LanguagesRepository = ReturnType<typeof languagesRepository>;
