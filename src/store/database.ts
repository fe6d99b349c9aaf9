import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { lockDataDirectory, type DataDirectoryLock } from './data-directory-lock.ts';
import { migrations } from './migrations/index.ts';
import type { DB } from './schema.ts';

export type Engine = 'embedded' | 'postgres';

/** An open database: Kysely over `pg`, whichever engine is behind it. */
export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** The PostgreSQL server's address (absent on the embedded engine). */
  url?: string | undefined;
  /** Runs `hook` when the database closes, before its connections do (for what was opened beside them). */
  beforeClose(hook: () => Promise<void>): void;
  /** The embedded data directory's lock, held until close (absent in memory and on PostgreSQL). */
  lock?: DataDirectoryLock | undefined;
  /** A copy of the embedded data directory (used to give tests a clean, migrated database fast). */
  dump(): Promise<Blob>;
  /**
   * Vacuums the tables whose dead rows passed autovacuum's threshold; returns their names. The
   * embedded engine runs this every minute by itself (PGlite has no autovacuum); a PostgreSQL
   * server's own autovacuum does it there, and this is only for an operator who turned that off.
   */
  maintain(): Promise<string[]>;
  /** The connection pool now: connections open, idle, and queries waiting for one (the embedded engine has one connection). */
  poolUse(): PoolUse;
  close(): Promise<void>;
}

export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}
const poolUse = (pool: pg.Pool) => (): PoolUse => ({
  total: pool.totalCount,
  idle: pool.idleCount,
  waiting: pool.waitingCount,
});

/** How often the embedded engine looks for tables to vacuum. */
const MAINTENANCE_MS = 60_000;

/**
 * Vacuums (and analyzes) every table of ours with more dead rows, its TOAST table's counted in,
 * than PostgreSQL's autovacuum would let pass (50 + 20% of the live rows). Without it every save of
 * a subtitle track would leave its old cue list behind for good: about 12 KB per save of a
 * 300-cue track.
 */
async function vacuumWhereNeeded(db: Kysely<DB>): Promise<string[]> {
  // Counts of dead rows reach the statistics a moment after each transaction; take them as they are now.
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c
    JOIN pg_stat_all_tables s ON s.relid = c.oid OR s.relid = c.reltoastrelid
    WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
    GROUP BY c.relname HAVING sum(s.n_dead_tup) > 50 + 0.2 * sum(s.n_live_tup)
    ORDER BY c.relname`.execute(db);
  for (const { name } of rows) await sql`VACUUM (ANALYZE) ${sql.table(name)}`.execute(db);
  return rows.map((row) => row.name);
}

export interface DatabaseOptions {
  /** postgres://… to use a PostgreSQL server; otherwise the embedded engine. */
  url?: string | undefined;
  /** Where the embedded engine keeps its files; in memory when absent. */
  dataDir?: string | undefined;
  /** Start the embedded engine from this copy of a data directory. */
  loadDataDir?: Blob | undefined;
  /** Who opens the data directory ("storyhub serve"…), written into its lock for others to read. */
  command?: string | undefined;
}

// pg returns int8 (count(*)) as text by default; our counts fit in a double.
pg.types.setTypeParser(20, (value) => Number(value));

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle connection the server drops (restart, failover) must not take the process down.
    pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const hooks: Array<() => Promise<void>> = [];
    return {
      db,
      engine: 'postgres',
      url: options.url,
      beforeClose: (hook) => hooks.push(hook),
      dump: () => Promise.reject(new Error('dump is only for the embedded engine')),
      maintain: () => vacuumWhereNeeded(db),
      poolUse: poolUse(pool),
      async close() {
        for (const hook of hooks.splice(0)) await hook();
        await db.destroy();
      },
    };
  }
  return openEmbedded(options);
}

async function openEmbedded(options: DatabaseOptions): Promise<Database> {
  if (!options.dataDir) return startEmbedded(options, undefined);
  mkdirSync(path.dirname(options.dataDir), { recursive: true });
  // Before anything touches the directory: a second process on it would lose its writes (see data-directory-lock.ts).
  const lock = lockDataDirectory(options.dataDir, options.command ?? path.basename(process.argv[1] ?? 'node'));
  try {
    return await startEmbedded(options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startEmbedded(options: DatabaseOptions, lock: DataDirectoryLock | undefined): Promise<Database> {
  // A short private directory: unix socket paths are limited to about 100 bytes.
  const socketDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-'));
  const worker = new Worker(new URL('./embedded-worker.ts', import.meta.url), {
    workerData: {
      dataDir: options.dataDir,
      loadDataDir: options.loadDataDir,
      socketPath: path.join(socketDir, '.s.PGSQL.5432'),
    },
  });
  const nextMessage = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        worker.off('error', reject);
        worker.off('message', onMessage);
        resolve(message as T);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  await nextMessage('ready');
  // PGlite is a single connection: one pooled client serialises every query and transaction.
  const pool = new pg.Pool({ host: socketDir, user: 'postgres', database: 'postgres', max: 1 });
  pool.on('error', (error) => console.error(`Embedded database connection lost: ${error.message}`));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  // One maintenance run at a time, through the one pooled connection (so never inside a transaction).
  let maintaining: Promise<string[]> | null = null;
  const maintain = () =>
    (maintaining ??= vacuumWhereNeeded(db).finally(() => {
      maintaining = null;
    }));
  const timer = setInterval(() => {
    maintain().catch((error: Error) => console.error(`Embedded database maintenance failed: ${error.message}`));
  }, MAINTENANCE_MS);
  timer.unref();
  const hooks: Array<() => Promise<void>> = [];
  return {
    db,
    engine: 'embedded',
    lock,
    beforeClose: (hook) => hooks.push(hook),
    maintain,
    poolUse: poolUse(pool),
    async dump() {
      const reply = nextMessage<{ dump: Blob }>('dump');
      worker.postMessage({ type: 'dump' });
      return (await reply).dump;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const hook of hooks.splice(0)) await hook();
      clearInterval(timer);
      await maintaining?.catch(() => undefined);
      await db.destroy();
      const reply = nextMessage('closed');
      worker.postMessage({ type: 'close' });
      await reply;
      await worker.terminate();
      rmSync(socketDir, { recursive: true, force: true });
      lock?.release();
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; the same migrations run on both engines. */
/** The PostgreSQL advisory lock that processes starting together take in turn (any fixed number serves). */
const STARTUP_LOCK = 0x5354_4f52; // "STOR"

/**
 * Runs `work` (migrating, first-start setup, seeding) while no other process starting on the same
 * database does: on PostgreSQL under a session advisory lock held by a connection of its own, so that
 * two `storyhub serve` and a worker started together migrate and seed one after another, and the
 * later ones find the work done. The embedded engine has one owner already (its data directory's lock).
 */
export async function whileStarting<T>(database: Database, work: () => Promise<T>): Promise<T> {
  if (database.engine !== 'postgres' || !database.url) return work();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    return await work();
  } finally {
    await client.end(); // ending the session releases the lock
  }
}

export async function migrate(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The migrations this code knows that the database has not run (none: the schema is current). One
 * read of Kysely's bookkeeping table (Migrator.getMigrations would introspect every table first):
 * readiness probes ask this every few seconds.
 */
export async function pendingMigrations(db: Kysely<DB>): Promise<string[]> {
  const exists = await sql<{
    found: boolean;
  }>`SELECT to_regclass('public.kysely_migration') IS NOT NULL AS found`.execute(db);
  const { rows } = exists.rows[0]?.found
    ? await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db)
    : { rows: [] };
  const done = new Set(rows.map((row) => row.name));
  return Object.keys(migrations).filter((name) => !done.has(name));
}
