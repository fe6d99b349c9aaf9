import { sql, type Kysely } from 'kysely';

// A revision is stored as what changed since the one before (splices of cues), with a whole copy of
// the cues every so often and whenever much changed: a long history of small edits stays small, and
// any revision is rebuilt from the nearest whole copy before it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE subtitle_revisions ALTER COLUMN cues DROP NOT NULL;
    ALTER TABLE subtitle_revisions ADD COLUMN splices jsonb;
    ALTER TABLE subtitle_revisions ADD CONSTRAINT subtitle_revisions_cues_or_splices CHECK (cues IS NOT NULL OR splices IS NOT NULL);
  `.execute(db);
}
