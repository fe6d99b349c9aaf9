// The database side of `storyhub backup` and `storyhub restore`: every table's rows as JSON text,
// read in one snapshot, and written back in one transaction. Rows travel as PostgreSQL's own
// row_to_json and come back through json_populate_recordset, so the server converts every type
// (timestamps, arrays, jsonb, bytea) both ways and the text is the same from either engine.
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type DatabaseConnection,
  type Driver,
  type MigrationProvider,
  type QueryResult,
  type Transaction,
} from 'kysely';
import { migrations } from './migrations/index.ts';
import type { DB } from './schema.ts';

/** The tables of ours (Kysely's migration bookkeeping left out), parents before the tables that refer to them. */
async function tablesInDependencyOrder(db: Kysely<DB>): Promise<string[]> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT relname AS name FROM pg_class
    WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname NOT LIKE 'kysely\_%'
    ORDER BY relname`.execute(db);
  const { rows: links } = await sql<{ child: string; parent: string }>`
    SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint c
    JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND child.oid <> parent.oid`.execute(db);
  const ordered: string[] = [];
  const placed = new Set<string>();
  const remaining = tables.map((table) => table.name);
  while (remaining.length > 0) {
    const ready = remaining.filter((table) =>
      links.every((link) => link.child !== table || placed.has(link.parent) || !remaining.includes(link.parent)),
    );
    // A cycle of references (none today) is broken alphabetically: restore adds the foreign keys last anyway.
    const next = ready.length > 0 ? ready : [remaining[0]!];
    for (const table of next) {
      ordered.push(table);
      placed.add(table);
      remaining.splice(remaining.indexOf(table), 1);
    }
  }
  return ordered;
}

/** The last migration the database has run: how far its schema is. */
export async function schemaLevel(db: Kysely<DB>): Promise<string | null> {
  const { rows } = await sql<{ name: string }>`SELECT max(name) AS name FROM kysely_migration`.execute(db);
  return rows[0]?.name ?? null;
}

/** The names of the migrations this version knows, in order. */
export const knownSchemaLevels = () => Object.keys(migrations).sort();

/** A consistent view of the whole database while the site goes on writing. */
export interface DatabaseSnapshot {
  schemaLevel: string;
  tables: string[];
  /** The table's rows as JSON text, a batch at a time, in primary-key order. */
  rows(table: string): AsyncIterable<string[]>;
  /** Every storage key the rows name (media files, photos): the files a backup must hold. */
  storageKeys(): Promise<string[]>;
}

const ROWS_PER_FETCH = 1000;

/** Runs `use` inside one read-only REPEATABLE READ transaction: every read sees the database as it was when it began. */
export async function withSnapshot<T>(db: Kysely<DB>, use: (snapshot: DatabaseSnapshot) => Promise<T>): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const level = await schemaLevel(trx);
      if (!level) throw new Error('the database has no schema yet: run storyhub migrate first');
      const tables = await tablesInDependencyOrder(trx);
      return use({
        schemaLevel: level,
        tables,
        async *rows(table) {
          const order = await primaryKey(trx, table);
          // A cursor, so a large table is never held in memory whole.
          await sql`DECLARE backup_rows NO SCROLL CURSOR FOR
            SELECT row_to_json(t)::text AS row FROM ${sql.table(table)} t
            ORDER BY ${sql.join(order.map((column) => sql.ref(`t.${column}`)))}`.execute(trx);
          try {
            for (;;) {
              const { rows } = await sql<{ row: string }>`FETCH ${sql.lit(ROWS_PER_FETCH)} FROM backup_rows`.execute(
                trx,
              );
              if (rows.length === 0) break;
              yield rows.map((row) => row.row);
            }
          } finally {
            await sql`CLOSE backup_rows`.execute(trx);
          }
        },
        async storageKeys() {
          const { rows: columns } = await sql<{ table: string }>`
            SELECT table_name AS table FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name = 'storage_key' ORDER BY table_name`.execute(trx);
          const keys = new Set<string>();
          for (const { table } of columns) {
            const { rows } = await sql<{ key: string }>`
              SELECT storage_key AS key FROM ${sql.table(table)} WHERE storage_key IS NOT NULL`.execute(trx);
            for (const row of rows) keys.add(row.key);
          }
          return [...keys].sort();
        },
      });
    });
}

/** The primary key's columns (every column when a table has none), for a stable order. */
async function primaryKey(db: Kysely<DB>, table: string): Promise<string[]> {
  const { rows } = await sql<{ column: string }>`
    SELECT a.attname AS column FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indrelid = ${table}::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`.execute(db);
  return rows.length > 0 ? rows.map((row) => row.column) : await insertableColumns(db, table);
}

/** The columns a row can be given (generated columns are computed again). */
async function insertableColumns(db: Kysely<DB>, table: string): Promise<string[]> {
  const { rows } = await sql<{ column: string }>`
    SELECT attname AS column FROM pg_attribute
    WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
    ORDER BY attnum`.execute(db);
  return rows.map((row) => row.column);
}

/** Rows in every table but those a new site fills by itself (languages, settings) and the job queue. */
export async function contentRowCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tablesInDependencyOrder(db)) {
    if (table === 'languages' || table === 'settings' || table === 'jobs') continue;
    const { rows } = await sql<{ count: number }>`SELECT count(*) AS count FROM ${sql.table(table)}`.execute(db);
    if (rows[0]!.count > 0) counts[table] = rows[0]!.count;
  }
  return counts;
}

/** Where restore puts rows: the tables of the backup's schema, emptied, with no foreign keys or triggers yet. */
export interface RestoreTarget {
  tables: string[];
  /** Adds rows given as JSON text (one object per row, as `withSnapshot` read them). */
  insert(table: string, rows: string[]): Promise<void>;
}

/**
 * Replaces the whole database in one transaction: the schema is built again up to `level` (the
 * backup's), `load` fills it, the foreign keys are checked, the id counters set past the restored
 * ids, and the later migrations run on the restored rows. Anything that throws (in `load` too)
 * rolls all of it back.
 */
export async function replaceDatabase(
  db: Kysely<DB>,
  level: string,
  load: (target: RestoreTarget) => Promise<void>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`DROP SCHEMA public CASCADE`.execute(trx);
    await sql`CREATE SCHEMA public`.execute(trx);
    await migrateInside(trx, (migrator) => migrator.migrateTo(level));
    const tables = await tablesInDependencyOrder(trx);
    // What a migration seeded is in the backup too.
    await sql`TRUNCATE ${sql.join(tables.map((table) => sql.table(table)))} RESTART IDENTITY CASCADE`.execute(trx);
    const { rows: foreignKeys } = await sql<{ table: string; name: string; definition: string }>`
      SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY conname`.execute(trx);
    // Rows go in in any order; the keys come back afterwards and check every row at once.
    for (const key of foreignKeys)
      await sql`ALTER TABLE ${sql.table(key.table)} DROP CONSTRAINT ${sql.id(key.name)}`.execute(trx);
    for (const table of tables) await sql`ALTER TABLE ${sql.table(table)} DISABLE TRIGGER USER`.execute(trx);
    const columns = new Map<string, string[]>();
    for (const table of tables) columns.set(table, await insertableColumns(trx, table));
    await load({
      tables,
      async insert(table, rows) {
        const names = columns.get(table);
        if (!names) throw new Error(`the backup has a table "${table}" its schema does not`);
        const list = sql.join(names.map((name) => sql.id(name)));
        await sql`INSERT INTO ${sql.table(table)} (${list}) OVERRIDING SYSTEM VALUE
          SELECT ${list} FROM json_populate_recordset(NULL::${sql.table(table)}, ${`[${rows.join(',')}]`}::json)`.execute(
          trx,
        );
      },
    });
    for (const table of tables) await sql`ALTER TABLE ${sql.table(table)} ENABLE TRIGGER USER`.execute(trx);
    for (const key of foreignKeys)
      await sql`ALTER TABLE ${sql.table(key.table)} ADD CONSTRAINT ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(
        trx,
      );
    await setCountersPastRows(trx);
    await migrateInside(trx, (migrator) => migrator.migrateToLatest());
  });
}

/** Every serial or identity column's sequence set so the next id follows the largest restored one. */
async function setCountersPastRows(trx: Transaction<DB>): Promise<void> {
  const { rows } = await sql<{ table: string; column: string; sequence: string }>`
    SELECT c.relname AS table, a.attname AS column, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS sequence
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
      AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`.execute(trx);
  for (const { table, column, sequence } of rows) {
    await sql`SELECT setval(${sequence}::regclass, coalesce(max(${sql.ref(column)}), 0) + 1, false)
      FROM ${sql.table(table)}`.execute(trx);
  }
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Kysely's Migrator, run inside a transaction that is already open: its own transaction becomes a
 * savepoint, so the migrations commit or roll back with the restore around them.
 */
async function migrateInside(
  trx: Transaction<DB>,
  run: (migrator: Migrator) => ReturnType<Migrator['migrateToLatest']>,
): Promise<void> {
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery) => trx.executeQuery(query) as Promise<QueryResult<R>>,
    streamQuery: () => {
      throw new Error('streaming is not used by migrations');
    },
  };
  const savepoint = (statement: string) => async (target: DatabaseConnection) => {
    await target.executeQuery(CompiledQuery.raw(statement));
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: savepoint('SAVEPOINT storyhub_migrations'),
    commitTransaction: savepoint('RELEASE SAVEPOINT storyhub_migrations'),
    rollbackTransaction: savepoint('ROLLBACK TO SAVEPOINT storyhub_migrations'),
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  const inside = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const { error } = await run(new Migrator({ db: inside, provider }));
  if (error) throw error;
}
