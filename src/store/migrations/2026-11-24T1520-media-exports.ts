import { sql, type Kysely } from 'kysely';

// Videos made for sharing (subtitles burned into the picture) are media files of their own role.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE media_files DROP CONSTRAINT media_files_role_check;
    ALTER TABLE media_files ADD CONSTRAINT media_files_role_check CHECK (role IN ('source', 'poster', 'rendition', 'audio', 'export'));
  `.execute(db);
}
