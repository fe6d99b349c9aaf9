import { sql, type Kysely } from 'kysely';

// The catalog, accounts and sessions: the foundation every later capability builds on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`
    CREATE TABLE settings (
      name text PRIMARY KEY,
      value text NOT NULL
    );
    CREATE TABLE languages (
      code text PRIMARY KEY,
      autonym text NOT NULL,
      dir text NOT NULL CHECK (dir IN ('ltr', 'rtl')),
      enabled boolean NOT NULL DEFAULT true,
      fallbacks text[] NOT NULL DEFAULT '{}',
      search_config text NOT NULL DEFAULT 'simple',
      position integer NOT NULL DEFAULT 0
    );
    CREATE TABLE users (
      id serial PRIMARY KEY,
      username text NOT NULL,
      display_name text NOT NULL,
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_username_key ON users (lower(username));
    CREATE TABLE role_grants (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('translator', 'reviewer', 'editor', 'admin')),
      language text REFERENCES languages(code),
      granted_by integer REFERENCES users(id),
      granted_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX role_grants_key ON role_grants (user_id, role, coalesce(language, '*'));
    CREATE TABLE sessions (
      id text PRIMARY KEY,
      data jsonb NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_expires_at ON sessions (expires_at);
    CREATE TABLE regions (
      id serial PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      names jsonb NOT NULL DEFAULT '{}',
      position integer NOT NULL DEFAULT 0
    );
    CREATE TABLE themes (
      id serial PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      names jsonb NOT NULL DEFAULT '{}'
    );
    CREATE TABLE people (
      id serial PRIMARY KEY,
      username text NOT NULL,
      display_name text NOT NULL,
      home_wiki text NOT NULL DEFAULT '',
      bios jsonb NOT NULL DEFAULT '{}',
      photo_url text
    );
    CREATE UNIQUE INDEX people_username_key ON people (lower(username));
    CREATE TABLE stories (
      id serial PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      region_id integer NOT NULL REFERENCES regions(id),
      source_language text NOT NULL REFERENCES languages(code),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
      featured boolean NOT NULL DEFAULT false,
      published_at timestamptz,
      revision integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX stories_published ON stories (status, published_at DESC);
    CREATE TABLE story_themes (
      story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
      theme_id integer NOT NULL REFERENCES themes(id),
      PRIMARY KEY (story_id, theme_id)
    );
    CREATE TABLE story_storytellers (
      story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
      person_id integer NOT NULL REFERENCES people(id),
      position integer NOT NULL DEFAULT 0,
      PRIMARY KEY (story_id, person_id)
    );
    CREATE TABLE story_texts (
      story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
      language text NOT NULL REFERENCES languages(code),
      title text NOT NULL,
      summary text NOT NULL DEFAULT '',
      blocks jsonb NOT NULL DEFAULT '[]',
      search_text text NOT NULL DEFAULT '',
      search_vector tsvector NOT NULL DEFAULT ''::tsvector,
      PRIMARY KEY (story_id, language)
    );
    CREATE INDEX story_texts_search_vector ON story_texts USING gin (search_vector);
    CREATE INDEX story_texts_search_trgm ON story_texts USING gin (search_text gin_trgm_ops);
    CREATE TABLE story_revisions (
      id serial PRIMARY KEY,
      story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
      revision integer NOT NULL,
      user_id integer REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      summary text NOT NULL DEFAULT '',
      snapshot jsonb NOT NULL,
      UNIQUE (story_id, revision)
    );
  `.execute(db);
}
