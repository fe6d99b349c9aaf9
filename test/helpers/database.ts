import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, migrate, type Database, type Engine } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations/index.ts';

/** The engines every integration test runs on: always the embedded one, PostgreSQL when DATABASE_URL is set. */
export function testEngines(): Engine[] {
  return process.env.DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];
}

const TEMPLATE_DIR = path.resolve('.tmp');

// A migrated embedded data directory, made once and reused by every test file: loading it
// takes a second where creating one takes several.
async function embeddedTemplate(): Promise<Blob> {
  const key = createHash('sha256').update(Object.keys(migrations).join(',')).digest('hex').slice(0, 12);
  const file = path.join(TEMPLATE_DIR, `pglite-template-${key}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const database = await openDatabase({});
  await migrate(database.db);
  const dump = await database.dump();
  await database.close();
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

/** A new, empty, migrated database of its own; dropped again by close() on PostgreSQL. */
export async function createTestDatabase(engine: Engine): Promise<Database> {
  if (engine === 'embedded') return openDatabase({ loadDataDir: await embeddedTemplate() });
  const fresh = await freshPostgres();
  const database = await openDatabase({ url: fresh.url });
  return {
    ...database,
    async close() {
      await database.close().catch(() => {});
      await fresh.drop();
    },
  };
}

/** Empties every table but the schema's own bookkeeping and the languages, so each test starts clean. */
export async function resetDatabase(database: Database): Promise<void> {
  await sql`TRUNCATE subtitle_reviews, subtitle_revisions, subtitle_tracks, jobs, media_files, sessions, rate_limits, role_grants, users, story_revisions, story_texts, story_storytellers, story_themes,
    stories, people, themes, regions, search_words, story_units, unit_translations, unit_history, unit_comments, translation_memory,
    glossary_terms RESTART IDENTITY CASCADE`.execute(database.db);
}

/** A fresh PostgreSQL database for one arrangement of processes; its address, and how to drop it. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = new URL(process.env.DATABASE_URL!);
  const name = `storyhub_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: server.toString() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
