import { sql, type Kysely } from 'kysely';

// Typo-tolerant matching compares the query with every word of a text: on whole story bodies that
// costs a second per search at 1,000 stories. The head of each text (title, summary, opening) is
// indexed on its own for it; stemmed and substring matches still cover the whole text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX story_texts_search_head_trgm ON story_texts USING gin ((left(search_text, 400)) gin_trgm_ops)`.execute(
    db,
  );
}
