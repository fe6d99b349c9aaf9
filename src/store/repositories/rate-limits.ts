import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** Windows older than this are deleted now and then (longer than any limit's window). */
const KEEP_HOURS = 24;
/** One attempt in this many also deletes the old windows. */
const SWEEP_EVERY = 500;

/** Attempts counted per key in fixed windows, shared by every process on the database. */
export function rateLimitsRepository(db: Kysely<DB>) {
  let attempts = 0;
  return {
    /**
     * Counts one attempt for `key` in a window of `windowMs` (a new window when the last one is
     * over): the attempts in the window so far, this one included, and the milliseconds it has left.
     */
    async hit(key: string, windowMs: number): Promise<{ hits: number; remainingMs: number }> {
      if (++attempts % SWEEP_EVERY === 0)
        await sql`DELETE FROM rate_limits WHERE window_started < now() - make_interval(hours => ${KEEP_HOURS})`.execute(
          db,
        );
      const window = sql`make_interval(secs => ${windowMs / 1000}::float8)`;
      const { rows } = await sql<{ hits: number; remaining_ms: number }>`
        INSERT INTO rate_limits AS r (key, window_started, hits) VALUES (${key}, now(), 1)
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN r.window_started + ${window} <= now() THEN 1 ELSE r.hits + 1 END,
          window_started = CASE WHEN r.window_started + ${window} <= now() THEN now() ELSE r.window_started END
        RETURNING hits, greatest(0, extract(epoch FROM window_started + ${window} - now()) * 1000)::float8 AS remaining_ms`.execute(
        db,
      );
      const row = rows[0]!;
      return { hits: row.hits, remainingMs: Math.ceil(row.remaining_ms) };
    },
  };
}
export type RateLimitsRepository = ReturnType<typeof rateLimitsRepository>;
