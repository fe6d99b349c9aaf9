import { sql, type Kysely } from 'kysely';
import { memoryBandsLiteral } from '../../domain/translation/memory-bands.ts';

// Translation memory lookups through MinHash bands (domain/translation/memory-bands.ts) instead of
// the GiST trigram index, which a lookup walked from end to end: its inner pages' signatures are all
// ones once a few sentences are united under them, so nothing was ever ruled out. Every stored pair
// gets its band values here; new pairs get them as they are remembered.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE translation_memory ADD COLUMN source_bands integer[]`.execute(db);
  for (let after = 0; ;) {
    const page = await sql<{ id: number; source_text: string }>`
      SELECT id, source_text FROM translation_memory WHERE id > ${after} ORDER BY id LIMIT 2000`.execute(db);
    if (!page.rows.length) break;
    await sql`
      UPDATE translation_memory AS memory SET source_bands = bands.value::integer[]
      FROM unnest(${page.rows.map((row) => row.id)}::integer[], ${page.rows.map((row) =>
        memoryBandsLiteral(row.source_text),
      )}::text[]) AS bands(id, value)
      WHERE memory.id = bands.id`.execute(db);
    after = page.rows.at(-1)!.id;
  }
  await sql`
    ALTER TABLE translation_memory ALTER COLUMN source_bands SET NOT NULL;
    CREATE INDEX translation_memory_bands ON translation_memory USING gin (source_bands);
    DROP INDEX translation_memory_trgm;
  `.execute(db);
}
