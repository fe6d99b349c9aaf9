import { sql, type Kysely } from 'kysely';

// The editor's timeline files (the sound's peaks; frame rate and shot changes) are media files of
// their own role. Videos processed before they existed get a job that makes only these.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE media_files DROP CONSTRAINT media_files_role_check;
    ALTER TABLE media_files ADD CONSTRAINT media_files_role_check CHECK (role IN ('source', 'poster', 'rendition', 'audio', 'export', 'timeline'));
    INSERT INTO jobs (kind, payload, story_id)
      SELECT DISTINCT 'video-timeline', jsonb_build_object('storyId', story_id), story_id
      FROM media_files WHERE role = 'source';
  `.execute(db);
}
