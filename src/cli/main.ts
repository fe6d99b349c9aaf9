import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { ROLES, type Role } from '../domain/access/authorize.ts';
import { buildApp } from '../http/app.ts';
import { seedDemo } from '../services/demo.ts';
import { seedDemoMedia } from '../services/demo-media.ts';
import { createServices, type Services } from '../services/index.ts';
import { openDatabase } from '../store/database.ts';
import { startWorker } from '../jobs/worker.ts';
import { subtitlesCommand } from './subtitles.ts';

const USAGE = `storyhub: stories of a global volunteer movement, in its own languages

Usage: storyhub <command>
  serve                          start the site (seeds the demo content on first run)
  worker                         process queued jobs (videos) without serving the site
  migrate                        bring the database schema up to date
  seed-demo                      add the demo catalog (only into an empty catalog)
  user add NAME [--password P] [--role ROLE [--language CODE]]
  user list
  user grant NAME ROLE [--language CODE]
  user revoke NAME ROLE [--language CODE]
  subtitles parse FILE [--format F] [--json]       cues and problems of a subtitle file (no database)
  subtitles convert FILE --to F [-o OUT]           convert between vtt, srt, sbv and ttml
  subtitles check FILE --lang CODE [--json]        check cues against a language's subtitle limits

Roles: ${ROLES.join(', ')}. Settings come from the environment (see README).`;

async function withServices<T>(config: Config, run: (services: Services) => Promise<T>): Promise<T> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'db') });
  try {
    return await run(await createServices(database, config));
  } finally {
    await database.close();
  }
}

async function serve(config: Config) {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'db') });
  const services = await createServices(database, config);
  if (process.env.SEED_DEMO !== 'false') {
    const seeded = await seedDemo(services.repositories);
    if (seeded) {
      const media = await seedDemoMedia(services);
      console.log(media.note ?? `Demo videos queued for processing (${media.videos}), with published subtitles.`);
      const password = process.env.DEMO_PASSWORD || randomBytes(9).toString('base64url');
      const account = await services.accounts.signUp({ username: 'demo-editor', displayName: 'Demo Editor', password });
      if ('user' in account) {
        await services.accounts.grant(account.user.id, 'editor', null, null);
        await services.accounts.grant(account.user.id, 'admin', null, null);
        console.log(`Demo catalog added (${seeded.stories} stories). Sign in as demo-editor with the password ${password}`);
      }
    }
  }
  const app = await buildApp(config, services, { level: config.logLevel });
  const worker = config.runWorker
    ? startWorker({ jobs: services.repositories.jobs, handlers: services.jobHandlers, log: app.log, staleAfterSeconds: 600 })
    : null;
  const stop = async () => {
    await worker?.stop({ abort: true });
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ host: config.host, port: config.port });
  console.log(`storyhub is serving http://${config.host}:${config.port}/ from the ${database.engine} database`);
}

async function runWorker(config: Config) {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'db') });
  const services = await createServices(database, config);
  const log = { info: (details: object, message: string) => console.log(message, JSON.stringify(details)), error: (details: object, message: string) => console.error(message, JSON.stringify(details)) };
  const worker = startWorker({ jobs: services.repositories.jobs, handlers: services.jobHandlers, log, staleAfterSeconds: 600 });
  console.log(`storyhub worker ${worker.workerId} is processing jobs from the ${database.engine} database`);
  const stop = async () => {
    await worker.stop({ abort: true });
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function user(config: Config, args: string[]) {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { password: { type: 'string' }, role: { type: 'string' }, language: { type: 'string' } },
  });
  const [action, name, roleArg] = positionals;
  await withServices(config, async ({ accounts, repositories }) => {
    const checkRole = (role: string | undefined): Role => {
      if (!role || !ROLES.includes(role as Role)) throw new UsageError(`Unknown role "${role ?? ''}". Roles: ${ROLES.join(', ')}`);
      return role as Role;
    };
    const find = async () => {
      const found = name ? await repositories.users.findByUsername(name) : undefined;
      if (!found) throw new UsageError(`No user named "${name ?? ''}"`);
      return found;
    };
    if (action === 'list') {
      for (const u of await repositories.users.list()) {
        console.log(`${u.username}\t${u.grants.map((g) => (g.language ? `${g.role}:${g.language}` : g.role)).join(', ')}`);
      }
    } else if (action === 'add' && name) {
      const password = values.password ?? randomBytes(12).toString('base64url');
      const result = await accounts.signUp({ username: name, password });
      if ('errors' in result) throw new UsageError(`Cannot add ${name}: ${Object.entries(result.errors).map(([f, e]) => `${f}: ${e}`).join(', ')}`);
      if (values.role) await accounts.grant(result.user.id, checkRole(values.role), values.language ?? null, null);
      console.log(values.password ? `Added ${name}` : `Added ${name} with the password ${password}`);
    } else if ((action === 'grant' || action === 'revoke') && name) {
      const found = await find();
      const role = checkRole(roleArg);
      if (action === 'grant') await accounts.grant(found.id, role, values.language ?? null, null);
      else await accounts.revoke(found.id, role, values.language ?? null);
      console.log(`${action === 'grant' ? 'Granted' : 'Revoked'} ${role}${values.language ? ` (${values.language})` : ''} ${action === 'grant' ? 'to' : 'from'} ${name}`);
    } else {
      throw new UsageError(USAGE);
    }
  });
}

class UsageError extends Error {}

export async function main(argv: string[]) {
  // Works on files alone, so it needs no configuration or database.
  if (argv[0] === 'subtitles') return void (process.exitCode = await subtitlesCommand(argv.slice(1)));
  const config = loadConfig();
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') return await serve(config);
    if (command === 'worker') return await runWorker(config);
    if (command === 'migrate') return await withServices(config, async () => console.log('The database schema is up to date.'));
    if (command === 'seed-demo') {
      return await withServices(config, async (services) => {
        const seeded = await seedDemo(services.repositories);
        if (seeded) await seedDemoMedia(services);
        console.log(seeded ? `Added ${seeded.stories} demo stories.` : 'The catalog already has stories; nothing added.');
      });
    }
    if (command === 'user') return await user(config, rest);
    console.log(USAGE);
    process.exitCode = command && command !== 'help' && command !== '--help' ? 2 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = 2;
    } else {
      throw error;
    }
  }
}

if (import.meta.main) await main(process.argv.slice(2));
