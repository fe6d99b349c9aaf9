import { sql, type Kysely } from 'kysely';

// Who made a change through a personal API token, and whether an account is a bot. Each history
// row written through a token keeps the token's id (set to NULL when the token row goes) and its
// name at the time, so a renamed or revoked token still reads as it did when the change was made.
// A bot account is marked by an admin (or made by the command line); its roles are granted as anyone's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users ADD COLUMN is_bot boolean NOT NULL DEFAULT false;
    ALTER TABLE subtitle_revisions
      ADD COLUMN api_token_id integer REFERENCES api_tokens (id) ON DELETE SET NULL,
      ADD COLUMN api_token_name text;
    ALTER TABLE unit_history
      ADD COLUMN api_token_id integer REFERENCES api_tokens (id) ON DELETE SET NULL,
      ADD COLUMN api_token_name text;
    ALTER TABLE unit_comments
      ADD COLUMN api_token_id integer REFERENCES api_tokens (id) ON DELETE SET NULL,
      ADD COLUMN api_token_name text;
  `.execute(db);
}
