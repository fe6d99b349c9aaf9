import { sql, type Kysely } from 'kysely';

// A language's subtitle limits (line length, reading speed, timing), set by admins. NULL means the
// professional defaults for the language, which the code keeps, so improving them reaches every
// language nobody customised; a stored object holds only the values that differ from them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE languages ADD COLUMN subtitle_limits jsonb`.execute(db);
}
