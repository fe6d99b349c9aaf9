import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The third-party tools some tests check our files with, from Debian's packages.

/** The command, or a failure naming the Debian package that provides it. */
export function debianTool(command: string, debianPackage: string, versionFlag = '--version'): string {
  const run = spawnSync(command, [versionFlag], { stdio: 'ignore' });
  if (run.error || run.status !== 0)
    assert.fail(
      `${command} is missing: install the Debian package ${debianPackage} (apt-get install ${debianPackage}).`,
    );
  return command;
}

/** A Python that imports the Translate Toolkit (Debian's python3-translate is installed for the system Python). */
export function translateToolkitPython(): string {
  for (const python of ['python3', '/usr/bin/python3'])
    if (spawnSync(python, ['-c', 'import translate.storage.tmx'], { stdio: 'ignore' }).status === 0) return python;
  return assert.fail(
    'The Translate Toolkit is missing: install the Debian package translate-toolkit (apt-get install translate-toolkit).',
  );
}

/** Runs `use` with a fresh temporary directory, removed afterwards. */
export function withTemporaryDirectory(use: (directory: string) => void, prefix = 'storyhub-test-') {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  try {
    use(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
