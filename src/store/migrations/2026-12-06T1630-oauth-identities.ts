import { sql, type Kysely } from 'kysely';

// Accounts of an OAuth 2.0 / OpenID Connect provider (the movement's wikis) linked to local accounts.
// A provider's subject belongs to one account, and an account has at most one identity of each provider.
// An account made by signing in through a provider has no password until its owner sets one, so the
// password hash may be empty (NULL): such an account signs in only through its linked identity.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE oauth_identities (
      provider text NOT NULL,
      subject text NOT NULL,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      username text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (provider, subject),
      UNIQUE (user_id, provider)
    );

    ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
  `.execute(db);
}
