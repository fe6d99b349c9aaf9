import { randomBytes } from 'node:crypto';
import { preconfiguredLanguages } from '../domain/languages/languages.ts';
import { migrate, whileStarting, type Database } from '../store/database.ts';
import type { Repositories } from '../store/repositories/index.ts';

/**
 * Migrates, adds the preconfigured languages, and makes the session secret; safe to run at every
 * start, and by processes starting together (one at a time).
 */
export function prepareDatabase(database: Database, repositories: Repositories): Promise<{ sessionSecret: string }> {
  return whileStarting(database, () => prepare(database, repositories));
}

async function prepare(database: Database, repositories: Repositories): Promise<{ sessionSecret: string }> {
  await migrate(database.db);
  const configs = await repositories.languages.searchConfigs();
  const languages = preconfiguredLanguages(configs);
  for (const [position, language] of languages.entries()) {
    await repositories.languages.upsert({ ...language, position });
  }
  const sessionSecret = await repositories.settings.getOrCreate(
    'session_secret',
    randomBytes(32).toString('base64url'),
  );
  return { sessionSecret };
}
