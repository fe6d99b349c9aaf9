// The one command that runs every test: unit, integration (embedded database, and PostgreSQL
// when DATABASE_URL is set) and browser tests in Chromium. Installs missing system packages
// with apt-get when it can, or says exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { APERTIUM_PACKAGES } from '../test/helpers/apertium.ts';

interface SystemNeed {
  check: () => boolean;
  packages: string[];
  what: string;
}

const hasFont = (family: string) => {
  const result = spawnSync('fc-list', [family], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim().length > 0;
};

const runs = (command: string, flag = '-version') => spawnSync(command, [flag], { stdio: 'ignore' }).status === 0;

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NEEDS: SystemNeed[] = [
  { what: 'Chromium (browser tests)', packages: ['chromium'], check: () => existsSync(chromiumPath) },
  {
    what: 'ffmpeg and ffprobe (media tests: probing, posters, renditions)',
    packages: ['ffmpeg'],
    check: () => runs('ffmpeg') && runs('ffprobe'),
  },
  {
    what: 'gettext, translate-toolkit and xmllint (third-party readers of the exchange files)',
    packages: ['gettext', 'translate-toolkit', 'libxml2-utils'],
    check: () => runs('msgfmt', '--version') && runs('pocount', '--version') && runs('xmllint', '--version'),
  },
  {
    what: 'Apertium APy and language pairs (machine translation tests)',
    packages: [...APERTIUM_PACKAGES],
    check: () => existsSync('/usr/bin/apertium-apy') && existsSync('/usr/share/apertium/modes/eng-spa.mode'),
  },
  {
    what: 'nginx (the load balancer in front of several processes)',
    packages: ['nginx'],
    check: () => existsSync('/usr/sbin/nginx'),
  },
  {
    what: 'Noto fonts (Arabic, Devanagari, Chinese and Japanese glyphs in screenshots)',
    packages: ['fonts-noto-core', 'fonts-noto-cjk'],
    check: () => hasFont('Noto Sans Arabic') && hasFont('Noto Sans CJK JP'),
  },
];

const missing = NEEDS.filter((need) => !need.check());
if (missing.length) {
  const packages = missing.flatMap((need) => need.packages);
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`Missing: ${missing.map((need) => need.what).join('; ')}.\nInstall with: sudo ${command}`);
    process.exit(1);
  }
  console.log(`Installing ${packages.join(', ')} for ${missing.map((need) => need.what).join('; ')}: ${command}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

console.log(
  process.env.DATABASE_URL
    ? 'Integration tests run on the embedded database and on the PostgreSQL server in DATABASE_URL.'
    : 'Integration tests run on the embedded database (set DATABASE_URL=postgres://… to also run them on a PostgreSQL server).',
);

// The browser tests use the built editor island; build it from the current sources first.
const built = spawnSync(process.execPath, [new URL('./build-web.ts', import.meta.url).pathname], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

// Browser tests run after the others, not beside them: the integration tests start servers and
// commands as processes of their own, and a page waiting for a CPU beside them can miss its timeouts.
const phases = process.argv.slice(2).length
  ? [process.argv.slice(2)]
  : [['test/unit/**/*.test.ts', 'test/integration/*.test.ts'], ['test/e2e/*.test.ts']];
let failed = false;
for (const suites of phases) {
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...suites], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
