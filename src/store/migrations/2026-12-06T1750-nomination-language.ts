import { sql, type Kysely } from 'kysely';

// The language a nomination's texts (its reasons and a bot's tasks), a seconding's reason and an
// anecdote are written in, as their writer chose it from the site's languages: pages mark each text
// with it, so an English reason on an Arabic page reads left to right with its full stop in place.
// Rows written before have NULL: nobody said, and a guess would mislabel every text not in it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE nominations ADD COLUMN language text;
    ALTER TABLE nomination_seconds ADD COLUMN language text;
    ALTER TABLE nomination_anecdotes ADD COLUMN language text;
  `.execute(db);
}
