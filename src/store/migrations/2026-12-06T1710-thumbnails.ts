import { sql, type Kysely } from 'kysely';

// Story cards show a video's poster as small WebP thumbnails, media files of their own role. Videos
// processed before they existed get a job that makes only these (as 2026-12-06T1640-media-peaks did
// for the timeline files).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE media_files DROP CONSTRAINT media_files_role_check;
    ALTER TABLE media_files ADD CONSTRAINT media_files_role_check CHECK (role IN ('source', 'poster', 'rendition', 'audio', 'export', 'timeline', 'thumbnail'));
    INSERT INTO jobs (kind, payload, story_id)
      SELECT DISTINCT 'video-thumbnails', jsonb_build_object('storyId', story_id), story_id
      FROM media_files WHERE role = 'source';
  `.execute(db);
}
