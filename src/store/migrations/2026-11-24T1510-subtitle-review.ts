import { sql, type Kysely } from 'kysely';

// Review of subtitle tracks: a track moves draft → in review → published (approved); viewers see
// the last approved revision (kept beside the working copy, so public pages read one row) while a
// newer one waits for review. A translated track records its source; each revision how much changed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE subtitle_tracks DROP CONSTRAINT subtitle_tracks_status_check;
    ALTER TABLE subtitle_tracks ADD CONSTRAINT subtitle_tracks_status_check CHECK (status IN ('draft', 'in_review', 'published'));
    ALTER TABLE subtitle_tracks
      ADD COLUMN published_revision integer,
      ADD COLUMN published_cues jsonb,
      ADD COLUMN source_language text REFERENCES languages(code),
      ADD COLUMN source_revision integer;
    UPDATE subtitle_tracks SET published_revision = revision, published_cues = cues WHERE status = 'published';
    ALTER TABLE subtitle_revisions ADD COLUMN changed_cues integer NOT NULL DEFAULT 0;
    CREATE TABLE subtitle_reviews (
      id serial PRIMARY KEY,
      track_id integer NOT NULL REFERENCES subtitle_tracks(id) ON DELETE CASCADE,
      revision integer NOT NULL,
      user_id integer REFERENCES users(id),
      decision text NOT NULL CHECK (decision IN ('submitted', 'approved', 'sent_back')),
      comment text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX subtitle_reviews_track ON subtitle_reviews (track_id, id);
  `.execute(db);
}
