import { sql, type Kysely } from 'kysely';

// One subtitle track per story and language, its cues stored whole with every revision.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE subtitle_tracks (
      id serial PRIMARY KEY,
      story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
      language text NOT NULL REFERENCES languages(code),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
      revision integer NOT NULL DEFAULT 1,
      cues jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (story_id, language)
    );
    CREATE TABLE subtitle_revisions (
      id serial PRIMARY KEY,
      track_id integer NOT NULL REFERENCES subtitle_tracks(id) ON DELETE CASCADE,
      revision integer NOT NULL,
      user_id integer REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      summary text NOT NULL DEFAULT '',
      cues jsonb NOT NULL,
      UNIQUE (track_id, revision)
    );
  `.execute(db);
}
