import { sql, type Kysely } from 'kysely';

// Rate limits (sign-in, sign-up, nominations, votes) counted in the database, so that several app
// processes behind one proxy count one visitor's attempts together. One row per limited route and
// visitor: the start of the current window and the attempts in it. Unlogged on PostgreSQL: counters
// lost in a crash only give a visitor a fresh window, and a sign-in writes no WAL for them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE rate_limits (
      key text PRIMARY KEY,
      window_started timestamptz NOT NULL,
      hits integer NOT NULL
    );
    CREATE INDEX rate_limits_window_started ON rate_limits (window_started);
  `.execute(db);
}
