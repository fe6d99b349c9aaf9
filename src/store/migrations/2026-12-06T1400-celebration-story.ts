import { sql, type Kysely } from 'kysely';

// The celebration's announcement and its mail. A cycle keeps the story that announces its honoree
// (written once: the announcement sets it only where it is still empty). The honoree's photo is a
// media file of that story with its licence and attribution kept beside it. People get a language
// (what their mail is written in; the site's source language until they choose) and an optional
// e-mail address; a notice remembers when it was queued as mail, so it is sent once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE celebration_cycles ADD COLUMN story_id integer REFERENCES stories(id) ON DELETE SET NULL;

    CREATE TABLE celebration_photos (
      cycle_id integer PRIMARY KEY REFERENCES celebration_cycles(id) ON DELETE CASCADE,
      storage_key text NOT NULL,
      mime text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
      width integer,
      height integer,
      bytes bigint NOT NULL,
      licence text NOT NULL,
      author text NOT NULL,
      source_url text,
      uploaded_by integer REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'en';
    ALTER TABLE users ADD COLUMN email text;

    ALTER TABLE notices ADD COLUMN mailed_at timestamptz;
    -- The notices not yet queued as mail (few at any time).
    CREATE INDEX notices_unmailed ON notices (id) WHERE mailed_at IS NULL;
  `.execute(db);
}
