// `storyhub backup FILE` and `storyhub restore FILE [--force]`. A backup runs where the database is:
// in this process, or (embedded engine, site running) inside the site over its control socket, so
// FILE is made absolute before it travels. A restore replaces the whole database, so it runs only
// here: on the embedded engine with the site stopped (main.ts refuses otherwise).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, writeBackup } from '../services/backup.ts';
import { restoreBackup } from '../services/restore.ts';
import type { Services } from '../services/index.ts';
import type { Database } from '../store/database.ts';
import type { CommandOutput } from './control.ts';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function parse(
  name: string,
  args: string[],
  options: { force?: { type: 'boolean' } } = {},
): { error: string } | { file: string; force: boolean } {
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options });
    if (positionals.length !== 1) return { error: `Usage: storyhub ${name} FILE${options.force ? ' [--force]' : ''}` };
    return { file: path.resolve(positionals[0]!), force: (values as { force?: boolean }).force === true };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The command line with FILE made absolute (it may be run by the site, whose working directory differs). */
export function withAbsoluteFile(argv: string[]): string[] {
  return argv.map((arg, index) => (index > 0 && !arg.startsWith('-') ? path.resolve(arg) : arg));
}

export async function backupCommand(services: Services, args: string[], output: CommandOutput): Promise<number> {
  const parsed = parse('backup', args);
  if ('error' in parsed) return usage(output, parsed.error);
  try {
    const summary = await writeBackup(services.database, services.storage, parsed.file);
    output.out(
      `Backed up ${summary.tables} tables (${summary.rows} rows) and ${summary.mediaFiles} media files ` +
        `(${megabytes(summary.mediaBytes)}) from the ${services.database.engine} database to ${parsed.file} (${megabytes(summary.bytes)}).`,
    );
    return 0;
  } catch (error) {
    return failure(output, 'backup', error);
  }
}

export async function restoreCommand(
  database: Database,
  mediaDir: string,
  args: string[],
  output: CommandOutput,
): Promise<number> {
  const parsed = parse('restore', args, { force: { type: 'boolean' } });
  if ('error' in parsed) return usage(output, parsed.error);
  try {
    const { manifest, rows, mediaFiles } = await restoreBackup(database, mediaDir, parsed.file, {
      force: parsed.force,
    });
    output.out(
      `Restored ${manifest.tables.length} tables (${rows} rows) and ${mediaFiles} media files from ${parsed.file} ` +
        `(made ${manifest.createdAt} on the ${manifest.engine} database, schema ${manifest.schema}).`,
    );
    return 0;
  } catch (error) {
    return failure(output, 'restore', error);
  }
}

function usage(output: CommandOutput, message: string): number {
  output.err(message);
  return 2;
}

function failure(output: CommandOutput, command: string, error: unknown): number {
  // A file that cannot be written or read (no such folder, no space, no permission) is no bug: say which.
  const systemError = typeof (error as NodeJS.ErrnoException).syscall === 'string';
  if (!(error instanceof BackupError) && !systemError) throw error;
  output.err(`storyhub ${command}: ${(error as Error).message}`);
  return 1;
}
