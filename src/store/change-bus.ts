// Processes sharing one PostgreSQL server (several sites behind a proxy, a separate worker) tell
// each other what they changed with LISTEN/NOTIFY, so every process's page cache drops what a
// change shows at once. The embedded engine has one process and needs none of this.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Change, ChangeFeed } from '../domain/changes.ts';
import type { DB } from './schema.ts';

const CHANNEL = 'storyhub_changes';
const RECONNECT_MS = 1000;

export interface ChangeBus {
  close(): Promise<void>;
}

/**
 * Sends this process's changes to the others and hands theirs to `changes`. While the listening
 * connection is down, changes may be missed: on reconnecting, everything counts as changed.
 */
export async function shareChanges(
  db: Kysely<DB>,
  url: string,
  changes: ChangeFeed,
  log: (message: string) => void,
): Promise<ChangeBus> {
  const origin = randomUUID();
  let closed = false;
  let client: pg.Client | null = null;
  const unsubscribe = changes.subscribe((change, fromElsewhere) => {
    if (fromElsewhere || closed) return;
    sql`SELECT pg_notify(${CHANNEL}, ${JSON.stringify({ origin, change })})`
      .execute(db)
      .catch((error: Error) => log(`Could not tell other processes of a change: ${error.message}`));
  });

  async function connect(first: boolean): Promise<void> {
    const listener = new pg.Client({ connectionString: url });
    listener.on('notification', (message) => {
      try {
        const { origin: from, change } = JSON.parse(message.payload ?? '') as { origin: string; change: Change };
        if (from !== origin) changes.receive(change);
      } catch {
        changes.receive({ everything: true });
      }
    });
    const lost = () => {
      if (closed || client !== listener) return;
      client = null;
      log('The connection that hears other processes\u2019 changes was lost; reconnecting');
      setTimeout(() => void reconnect(), RECONNECT_MS).unref();
    };
    listener.on('error', lost);
    listener.on('end', lost);
    await listener.connect();
    await listener.query(`LISTEN ${CHANNEL}`);
    client = listener;
    // Whatever changed while nobody listened is unknown.
    if (!first) changes.receive({ everything: true });
  }
  async function reconnect(): Promise<void> {
    if (closed) return;
    try {
      await connect(false);
    } catch (error) {
      log(`Still cannot hear other processes\u2019 changes: ${(error as Error).message}`);
      setTimeout(() => void reconnect(), RECONNECT_MS).unref();
    }
  }

  await connect(true);
  return {
    async close() {
      closed = true;
      unsubscribe();
      const listener = client;
      client = null;
      await listener?.end().catch(() => undefined);
    },
  };
}
