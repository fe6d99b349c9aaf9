import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import type { LocalizedNames } from '../../domain/catalog/vocabulary.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { Region, Theme, Person, PersonInput } from '../../domain/catalog/vocabulary.ts';
import { refreshCatalogNames, storiesNaming } from './search-index.ts';

export function catalogRepository(db: Kysely<DB>, changes: ChangeFeed) {
  const toPerson = (row: {
    id: number;
    username: string;
    display_name: string;
    home_wiki: string;
    bios: LocalizedNames;
    photo_url: string | null;
  }): Person => ({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    homeWiki: row.home_wiki,
    bios: row.bios,
    photoUrl: row.photo_url,
  });
  const personValues = (input: PersonInput) => ({
    username: input.username,
    display_name: input.displayName,
    home_wiki: input.homeWiki,
    bios: JSON.stringify(input.bios),
    photo_url: input.photoUrl,
  });
  // Renaming onto another row's slug would break the unique index; report it as a clash instead.
  const slugTaken = async (table: 'regions' | 'themes', slug: string, id: number) =>
    (await db.selectFrom(table).select('id').where('slug', '=', slug).where('id', '!=', id).executeTakeFirst()) !==
    undefined;
  // A rename reaches search in the same transaction: stories are found by their region's, themes' and storytellers' names.
  async function renamed<T extends { id: number }>(
    entry: (id: number) => Parameters<typeof storiesNaming>[1],
    update: (trx: Transaction<DB>) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    return db.transaction().execute(async (trx) => {
      const row = await update(trx);
      if (row) await refreshCatalogNames(trx, await storiesNaming(trx, entry(row.id)));
      return row;
    });
  }
  return {
    regions: () =>
      db.selectFrom('regions').selectAll().orderBy('position').orderBy('slug').execute() as Promise<Region[]>,
    themes: () => db.selectFrom('themes').selectAll().orderBy('slug').execute() as Promise<Theme[]>,
    async regionBySlug(slug: string): Promise<Region | undefined> {
      return db.selectFrom('regions').selectAll().where('slug', '=', slug).executeTakeFirst();
    },
    async themeBySlug(slug: string): Promise<Theme | undefined> {
      return db.selectFrom('themes').selectAll().where('slug', '=', slug).executeTakeFirst();
    },
    /** Creates or renames a region; false when another region has the slug. */
    async saveRegion(input: { id?: number; slug: string; names: LocalizedNames; position?: number }): Promise<boolean> {
      const values = { slug: input.slug, names: JSON.stringify(input.names), position: input.position ?? 0 };
      if (input.id && (await slugTaken('regions', input.slug, input.id))) return false;
      const row = input.id
        ? await renamed(
            (regionId) => ({ regionId }),
            (trx) =>
              trx.updateTable('regions').set(values).where('id', '=', input.id!).returning('id').executeTakeFirst(),
          )
        : await db
            .insertInto('regions')
            .values(values)
            .onConflict((oc) => oc.column('slug').doNothing())
            .returning('id')
            .executeTakeFirst();
      if (row) changes.announce({ everything: true });
      return row !== undefined;
    },
    async saveTheme(input: { id?: number; slug: string; names: LocalizedNames }): Promise<boolean> {
      const values = { slug: input.slug, names: JSON.stringify(input.names) };
      if (input.id && (await slugTaken('themes', input.slug, input.id))) return false;
      const row = input.id
        ? await renamed(
            (themeId) => ({ themeId }),
            (trx) =>
              trx.updateTable('themes').set(values).where('id', '=', input.id!).returning('id').executeTakeFirst(),
          )
        : await db
            .insertInto('themes')
            .values(values)
            .onConflict((oc) => oc.column('slug').doNothing())
            .returning('id')
            .executeTakeFirst();
      if (row) changes.announce({ everything: true });
      return row !== undefined;
    },
    async people(): Promise<Person[]> {
      const rows = await db
        .selectFrom('people')
        .selectAll()
        .orderBy(sql`lower(display_name)`)
        .execute();
      return rows.map(toPerson);
    },
    async personByUsername(username: string): Promise<Person | undefined> {
      const row = await db
        .selectFrom('people')
        .selectAll()
        .where(sql`lower(username)`, '=', username.toLowerCase())
        .executeTakeFirst();
      return row && toPerson(row);
    },
    async peopleByIds(ids: number[]): Promise<Person[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('people').selectAll().where('id', 'in', ids).execute();
      return rows.map(toPerson);
    },
    /** Creates or updates a person; null when the username belongs to someone else. */
    async savePerson(input: PersonInput & { id?: number }): Promise<Person | null> {
      const clash = await db
        .selectFrom('people')
        .select('id')
        .where(sql`lower(username)`, '=', input.username.toLowerCase())
        .executeTakeFirst();
      if (clash && clash.id !== input.id) return null;
      const row = input.id
        ? await renamed(
            (personId) => ({ personId }),
            (trx) =>
              trx
                .updateTable('people')
                .set(personValues(input))
                .where('id', '=', input.id!)
                .returningAll()
                .executeTakeFirst(),
          )
        : await db.insertInto('people').values(personValues(input)).returningAll().executeTakeFirst();
      if (!row) return null;
      changes.announce({ everything: true });
      return toPerson(row);
    },
  };
}
export type CatalogRepository = ReturnType<typeof catalogRepository>;
