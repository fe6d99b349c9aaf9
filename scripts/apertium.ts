// Starts Apertium APy, the machine translation server, beside `npm start`:
//   node scripts/apertium.ts [--port 2737] [--print]
// --print only shows the command. APy 0.11 has no option for its address and listens on every
// interface: on a shared machine, keep its port closed to the outside.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.APERTIUM_PORT ?? '2737' },
    modes: { type: 'string', default: process.env.APERTIUM_MODES ?? '/usr/share/apertium/modes' },
    print: { type: 'boolean', default: false },
  },
});

// APy refuses to start without a UTF-8 locale. -j 1: one process (0 would start one per core).
const args = ['-p', values.port, '-j', '1', values.modes];
const command = `LC_ALL=C.UTF-8 apertium-apy ${args.join(' ')}`;
if (values.print) {
  console.log(command);
  process.exit(0);
}
console.log(`${command}\nMachine translation at http://127.0.0.1:${values.port} (ready in about a second).`);
const apy = spawn('apertium-apy', args, { stdio: 'inherit', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
apy.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'ENOENT'
      ? 'apertium-apy is not installed. Debian: apt-get install apertium-apy apertium-eng-spa (and a package per ' +
          'language pair: apt-cache search apertium-)'
      : error.message,
  );
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => apy.kill(signal));
apy.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
