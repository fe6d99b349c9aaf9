import { sql, type Kysely } from 'kysely';

// A job queue in the database (claimed with FOR UPDATE SKIP LOCKED) and the media files of stories.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE jobs (
      id serial PRIMARY KEY,
      kind text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}',
      state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
      progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
      error text,
      run_after timestamptz NOT NULL DEFAULT now(),
      locked_by text,
      locked_at timestamptz,
      story_id integer REFERENCES stories(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX jobs_due ON jobs (state, run_after);
    CREATE INDEX jobs_story ON jobs (story_id) WHERE story_id IS NOT NULL;
    CREATE TABLE media_files (
      id serial PRIMARY KEY,
      story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('source', 'poster', 'rendition', 'audio')),
      label text NOT NULL DEFAULT '',
      storage_key text NOT NULL UNIQUE,
      mime text NOT NULL,
      width integer,
      height integer,
      duration_seconds real,
      bytes bigint NOT NULL CHECK (bytes >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX media_files_story ON media_files (story_id, role);
  `.execute(db);
}
