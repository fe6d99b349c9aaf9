import { sql, type Kysely } from 'kysely';

// Personal API tokens: a person's named credentials for scripts and bots, each with scopes, an
// optional expiry and a revocation time (kept, not deleted, so a revoked token is told apart from an
// unknown one). Only the SHA-256 of the secret is stored: the secret is long and random, so a slow
// hash would add nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_tokens (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name text NOT NULL,
      secret_hash text NOT NULL UNIQUE,
      scopes text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    CREATE INDEX api_tokens_user ON api_tokens (user_id);
  `.execute(db);
}
