import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig, type Config } from '../config.ts';
import { buildApp } from '../http/app.ts';
import { seedDemo } from '../services/demo.ts';
import { seedDemoMedia } from '../services/demo-media.ts';
import { createServices, type Services } from '../services/index.ts';
import { DataDirectoryInUse, describeOwner, type DataDirectoryOwner } from '../store/data-directory-lock.ts';
import { openDatabase, whileStarting } from '../store/database.ts';
import { startWorker } from '../jobs/worker.ts';
import { sendToControlServer, startControlServer, type CommandOutput, type ControlServer } from './control.ts';
import { isDatabaseCommand, runDatabaseCommand, USAGE } from './database-commands.ts';
import { restoreCommand, withAbsoluteFile } from './backup-command.ts';
import { subtitlesCommand } from './subtitles.ts';

const consoleOutput: CommandOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

const embeddedDataDir = (config: Config) => path.join(config.dataDir, 'db');

/** Opens the database; on the embedded engine this takes the data directory for `command` (or throws DataDirectoryInUse). */
const open = (config: Config, command: string) =>
  openDatabase({ url: config.databaseUrl, dataDir: embeddedDataDir(config), command: `storyhub ${command}` });

async function serve(config: Config) {
  const database = await open(config, 'serve');
  const services = await createServices(database, config);
  // Two sites starting together on one PostgreSQL database seed it once: the second waits and finds it seeded.
  if (process.env.SEED_DEMO !== 'false') await whileStarting(database, () => seedOnFirstStart(services));
  const app = await buildApp(config, services, { level: config.logLevel });
  const worker = config.runWorker
    ? startWorker({
        jobs: services.repositories.jobs,
        handlers: services.jobHandlers,
        log: app.log,
        staleAfterSeconds: 600,
      })
    : null;
  // The celebration's phases move by a job that queues its own next run; queue it if none is (a
  // restored database, or a run that failed for good).
  if (worker) await services.celebration.schedule();
  let control: ControlServer | null = null;
  const stop = async () => {
    await control?.close(); // first: no command may start on a database about to close
    await worker?.stop({ abort: true });
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ host: config.host, port: config.port });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/`;
  if (database.lock) {
    // This process holds the embedded database: commands from other processes run here (control.ts).
    control = await startControlServer(`${embeddedDataDir(config)}.control.sock`, async (argv, output) => {
      try {
        return await runDatabaseCommand(services, argv, output);
      } catch (error) {
        app.log.error({ err: error, argv }, 'a command from the command line failed');
        output.err(`storyhub: ${(error as Error).message}`);
        return 1;
      }
    });
    database.lock.announce({ url, controlSocket: control.path });
  }
  console.log(`storyhub is serving ${url} from the ${database.engine} database`);
}

async function seedOnFirstStart(services: Services) {
  const seeded = await seedDemo(services.repositories);
  if (!seeded) return;
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

async function runWorker(config: Config) {
  const database = await open(config, 'worker');
  const services = await createServices(database, config);
  const log = {
    info: (details: object, message: string) => console.log(message, JSON.stringify(details)),
    error: (details: object, message: string) => console.error(message, JSON.stringify(details)),
  };
  const worker = startWorker({
    jobs: services.repositories.jobs,
    handlers: services.jobHandlers,
    log,
    staleAfterSeconds: 600,
  });
  await services.celebration.schedule();
  console.log(`storyhub worker ${worker.workerId} is processing jobs from the ${database.engine} database`);
  const stop = async () => {
    await worker.stop({ abort: true });
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Runs a database command here, or, when a running site holds the embedded data directory, in that
 * site over its control socket (the only process that may write there). Tries again a few times when
 * the socket does not answer: the site may be stopping, and then the directory is free a moment later.
 */
async function runCommand(config: Config, argv: string[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const site = await runHereUnlessASiteHolds(config, argv);
    if (typeof site === 'number') return site;
    try {
      const code = await sendToControlServer(site.controlSocket, argv, consoleOutput);
      console.error(`Ran in the running site: ${describeOwner(site)}.`);
      return code;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt < 5 && (code === 'ECONNREFUSED' || code === 'ENOENT')) {
        await delay(300);
        continue;
      }
      console.error(`Could not run the command in ${describeOwner(site)}: ${(error as Error).message}`);
      return 1;
    }
  }
}

/** The command's exit code, or the live site that holds the data directory and takes commands instead. */
async function runHereUnlessASiteHolds(
  config: Config,
  argv: string[],
): Promise<number | (DataDirectoryOwner & { controlSocket: string })> {
  let database;
  try {
    database = await open(config, argv.slice(0, argv[0] === 'user' ? 2 : 1).join(' '));
  } catch (error) {
    if (error instanceof DataDirectoryInUse && error.ownerIsLive && error.owner?.controlSocket) {
      return { ...error.owner, controlSocket: error.owner.controlSocket };
    }
    throw error;
  }
  try {
    return await runDatabaseCommand(await createServices(database, config), argv, consoleOutput);
  } finally {
    await database.close();
  }
}

/**
 * Restores here, never in a running site: it replaces the database the site is using. No services
 * and no migration first: the restore builds the schema itself.
 */
async function runRestore(config: Config, args: string[]): Promise<number> {
  const database = await open(config, 'restore');
  try {
    return await restoreCommand(database, config.mediaDir, args, consoleOutput);
  } finally {
    await database.close();
  }
}

/** Why `command` cannot have the embedded data directory now, and what to do about it. */
function refusal(command: string, { message, owner, ownerIsLive }: DataDirectoryInUse): string {
  if (!owner || !ownerIsLive) return message; // the message says which lock file to remove
  const ownerRuns = (name: string) => owner.command === `storyhub ${name}`;
  if (command === 'worker' && ownerRuns('serve')) {
    return `${message} The site runs the jobs itself; separate workers need a PostgreSQL server (DATABASE_URL).`;
  }
  if (ownerRuns('serve') || ownerRuns('worker')) {
    if (command === 'restore') return `${message} Stop it first: a restore replaces its whole database.`;
    if (command === 'serve' || command === 'worker')
      return `${message} Stop it first, or set DATA_DIR to another directory.`;
    // A site that serves takes commands; this one has not got that far yet.
    if (ownerRuns('serve')) return `${message} The site is still starting; run the command again once it serves.`;
    return `${message} A worker runs until it is stopped: stop it, then run the command again.`;
  }
  return `${message} Wait for it to finish (or stop it), then try again.`;
}

export async function main(argv: string[]) {
  // Works on files alone, so it needs no configuration or database.
  if (argv[0] === 'subtitles') return void (process.exitCode = await subtitlesCommand(argv.slice(1)));
  const config = loadConfig();
  const [command = ''] = argv;
  try {
    if (command === 'serve') return await serve(config);
    if (command === 'worker') return await runWorker(config);
    if (command === 'restore') return void (process.exitCode = await runRestore(config, argv.slice(1)));
    if (command === 'backup') return void (process.exitCode = await runCommand(config, withAbsoluteFile(argv)));
    if (isDatabaseCommand(command)) return void (process.exitCode = await runCommand(config, argv));
    console.log(USAGE);
    process.exitCode = command && command !== 'help' && command !== '--help' ? 2 : 0;
  } catch (error) {
    if (!(error instanceof DataDirectoryInUse)) throw error;
    console.error(refusal(command, error));
    process.exitCode = 1;
  }
}

if (import.meta.main) await main(process.argv.slice(2));
