import { sql, type Kysely } from 'kysely';

// An e-mail address is used for mail only once its owner has opened a single-use link mailed to it.
// `users.email_confirmed_at` says when (NULL: not confirmed). Each link sent is a row of its own:
// the SHA-256 of its secret (the secret is long and random, so a slow hash would add nothing), the
// address it was sent to, when it expires, and when it was used or replaced (by a newer link or a
// change of address), so a link that comes back is told apart as used, superseded, expired or unknown.
//
// Addresses saved before this change stay confirmed: only their owners could set them (on the sign-up
// form or their own account page), and the celebration already writes to them; dropping them would
// silently stop the mail of everyone who gave one. Any new or changed address needs the link.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users ADD COLUMN email_confirmed_at timestamptz;
    UPDATE users SET email_confirmed_at = now() WHERE email IS NOT NULL;

    CREATE TABLE email_confirmations (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      email text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      superseded_at timestamptz
    );
    -- An account's links still open (at most one: a new one replaces the others).
    CREATE INDEX email_confirmations_open ON email_confirmations (user_id)
      WHERE used_at IS NULL AND superseded_at IS NULL;
  `.execute(db);
}
