import { sql, type Kysely, type Selectable } from 'kysely';
import type { Language } from '../../domain/languages/languages.ts';
import { customSubtitleLimits, effectiveSubtitleLimits, type SubtitleLimits } from '../../domain/subtitles/quality.ts';
import type { DB, LanguagesTable } from '../schema.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { LanguageRow } from '../../domain/languages/languages.ts';

export function languagesRepository(db: Kysely<DB>, changes: ChangeFeed) {
  const toLanguage = (row: Selectable<LanguagesTable>): LanguageRow => ({
    code: row.code,
    autonym: row.autonym,
    dir: row.dir,
    enabled: row.enabled,
    fallbacks: row.fallbacks,
    searchConfig: row.search_config,
    position: row.position,
    subtitleLimits: effectiveSubtitleLimits(row.code, row.subtitle_limits),
    customSubtitleLimits: row.subtitle_limits !== null,
  });
  return {
    async list(): Promise<LanguageRow[]> {
      const rows = await db.selectFrom('languages').selectAll().orderBy('position').orderBy('code').execute();
      return rows.map(toLanguage);
    },
    async upsert(language: Language & { enabled?: boolean; position?: number }): Promise<void> {
      await db
        .insertInto('languages')
        .values({
          code: language.code,
          autonym: language.autonym,
          dir: language.dir,
          fallbacks: language.fallbacks,
          search_config: language.searchConfig,
          enabled: language.enabled ?? true,
          position: language.position ?? 0,
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
      changes.announce({ everything: true });
    },
    async setEnabled(code: string, enabled: boolean): Promise<void> {
      await db.updateTable('languages').set({ enabled }).where('code', '=', code).execute();
      changes.announce({ everything: true });
    },
    /** The subtitle limits of a language: stored values over the defaults (the defaults for a language not on the list). */
    async subtitleLimits(code: string): Promise<SubtitleLimits> {
      const row = await db
        .selectFrom('languages')
        .select('subtitle_limits')
        .where('code', '=', code)
        .executeTakeFirst();
      return effectiveSubtitleLimits(code, row?.subtitle_limits ?? null);
    },
    /** Saves a language's subtitle limits (only those that differ from its defaults); null returns it to the defaults. */
    async saveSubtitleLimits(code: string, limits: SubtitleLimits | null): Promise<void> {
      const custom = limits && customSubtitleLimits(code, limits);
      await db
        .updateTable('languages')
        .set({ subtitle_limits: custom ? JSON.stringify(custom) : null })
        .where('code', '=', code)
        .execute();
    },
    /** The text-search configurations this PostgreSQL has (they differ between versions). */
    async searchConfigs(): Promise<Set<string>> {
      const { rows } = await sql<{ cfgname: string }>`SELECT cfgname FROM pg_ts_config`.execute(db);
      return new Set(rows.map((row) => row.cfgname));
    },
  };
}
export type LanguagesRepository = ReturnType<typeof languagesRepository>;
