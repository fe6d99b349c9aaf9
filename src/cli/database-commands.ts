// The commands that work on the database. The same functions run in the `storyhub` process (on
// PostgreSQL, or on an embedded data directory no one else holds) and inside the running site when
// they come in over its control socket, so both ways behave alike.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ROLES, type GrantableRole } from '../domain/access/authorize.ts';
import { checkEmail } from '../domain/access/email.ts';
import { seedDemo } from '../services/demo.ts';
import { seedDemoMedia } from '../services/demo-media.ts';
import type { Services } from '../services/index.ts';
import type { CommandOutput } from './control.ts';
import { CelebrateUsageError, celebrateCommand } from './celebrate-command.ts';
import { backupCommand } from './backup-command.ts';

export const USAGE = `storyhub: stories of a global volunteer movement, in its own languages

Usage: storyhub <command>
  serve                          start the site (seeds the demo content on first run)
  worker                         process queued jobs (videos) without serving the site
  migrate                        bring the database schema up to date
  seed-demo                      add the demo catalog (only into an empty catalog)
  user add NAME [--password P] [--role ROLE [--language CODE]] [--email ADDRESS] [--bot]
  user list
  user grant NAME ROLE [--language CODE]
  user revoke NAME ROLE [--language CODE]
  celebrate status|advance|export MONTH           the monthly celebration (export: JSON on stdout)
  backup FILE                    database and media in one file (a running site writes it itself)
  restore FILE [--force]         replace the database and media with a backup (--force: even when not empty)
  subtitles parse FILE [--format F] [--json]       cues and problems of a subtitle file (no database)
  subtitles convert FILE --to F [-o OUT]           convert between vtt, srt, sbv and ttml
  subtitles check FILE --lang CODE [--json]        check cues against a language's subtitle limits

Roles: ${ROLES.join(', ')}. Settings come from the environment (see README).`;

/** A mistake in the command line: its message goes to stderr with exit code 2, no stack trace. */
export class UsageError extends Error {}

type DatabaseCommand = (services: Services, args: string[], output: CommandOutput) => Promise<number>;

// Opening the database migrated it already (createServices does, for every command).
const migrateCommand: DatabaseCommand = async (_services, _args, output) => {
  output.out('The database schema is up to date.');
  return 0;
};

const seedDemoCommand: DatabaseCommand = async (services, _args, output) => {
  const seeded = await seedDemo(services.repositories);
  if (seeded) await seedDemoMedia(services);
  output.out(seeded ? `Added ${seeded.stories} demo stories.` : 'The catalog already has stories; nothing added.');
  return 0;
};

const userCommand: DatabaseCommand = async ({ accounts, repositories }, args, output) => {
  const { values, positionals } = parseUserArgs(args);
  const [action, name, roleArg] = positionals;
  const checkRole = (role: string | undefined): GrantableRole => {
    if (!role || !ROLES.includes(role as GrantableRole))
      throw new UsageError(`Unknown role "${role ?? ''}". Roles: ${ROLES.join(', ')}`);
    return role as GrantableRole;
  };
  if (action === 'list') {
    for (const u of await repositories.users.list()) {
      const roles = u.grants.map((g) => (g.language ? `${g.role}:${g.language}` : g.role)).join(', ');
      output.out(`${u.username}\t${roles}${u.isBot ? '\t(bot)' : ''}`);
    }
  } else if (action === 'add' && name) {
    if (values.email !== undefined && !checkEmail(values.email).ok)
      throw new UsageError(`"${values.email}" is not a mail address`);
    const password = values.password ?? randomBytes(12).toString('base64url');
    // The address the celebration's mail goes to (when SMTP_URL is set).
    const result = await accounts.signUp({ username: name, password, email: values.email ?? '' });
    if ('errors' in result)
      throw new UsageError(
        `Cannot add ${name}: ${Object.entries(result.errors)
          .map(([f, e]) => `${f}: ${e}`)
          .join(', ')}`,
      );
    // A bot account (--bot): its work is labelled as a bot's; it gets roles as anyone does.
    if (values.bot) await accounts.setBot(result.user.id, true);
    if (values.role) await accounts.grant(result.user.id, checkRole(values.role), values.language ?? null, null);
    const added = values.bot ? `Added the bot ${name}` : `Added ${name}`;
    output.out(values.password ? added : `${added} with the password ${password}`);
  } else if ((action === 'grant' || action === 'revoke') && name) {
    const found = await repositories.users.findByUsername(name);
    if (!found) throw new UsageError(`No user named "${name}"`);
    const role = checkRole(roleArg);
    if (action === 'grant') await accounts.grant(found.id, role, values.language ?? null, null);
    else await accounts.revoke(found.id, role, values.language ?? null);
    output.out(
      `${action === 'grant' ? 'Granted' : 'Revoked'} ${role}${values.language ? ` (${values.language})` : ''} ${action === 'grant' ? 'to' : 'from'} ${name}`,
    );
  } else {
    throw new UsageError(USAGE);
  }
  return 0;
};

function parseUserArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        password: { type: 'string' },
        role: { type: 'string' },
        language: { type: 'string' },
        email: { type: 'string' },
        bot: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message); // an unknown option, or one without its value
  }
}

const COMMANDS = new Map<string, DatabaseCommand>([
  ['migrate', migrateCommand],
  ['seed-demo', seedDemoCommand],
  ['user', userCommand],
  ['celebrate', celebrateCommand],
  ['backup', backupCommand],
]);

export const isDatabaseCommand = (name: string | undefined) => name !== undefined && COMMANDS.has(name);

/** Runs `argv` (["user", "add", …]) on `services`; a usage mistake is reported with exit code 2. */
export async function runDatabaseCommand(services: Services, argv: string[], output: CommandOutput): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS.get(name);
  if (!command) {
    output.err(
      `"${name ?? ''}" is not a database command; the database commands are ${[...COMMANDS.keys()].join(', ')}.`,
    );
    return 2;
  }
  try {
    return await command(services, args, output);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof CelebrateUsageError)) throw error;
    output.err(error.message);
    return 2;
  }
}
