#!/usr/bin/env node
// The storyhub command. It needs Node.js 24: run it as `npx storyhub`, which uses the
// Node 24 that `npm install` puts in node_modules/.bin.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `storyhub needs Node.js 24 or newer (this is ${process.version}). Run it as "npx storyhub …" after "npm install".`,
  );
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
