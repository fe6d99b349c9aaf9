// The storyhub server the throughput benchmark loads: embedded engine in memory, the demo
// catalog, page cache on, listening on a free port of 127.0.0.1. Started by bench/throughput.ts
// with an IPC channel: it sends { port, slugs } once listening and stops when told to (or when
// its parent goes away).
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { seedDemo } from '../src/services/demo.ts';
import { createServices } from '../src/services/index.ts';
import { openDatabase } from '../src/store/database.ts';

const cacheSeconds = process.env.BENCH_PAGE_CACHE_SECONDS ?? '3600';
const database = await openDatabase({});
const services = await createServices(database);
await seedDemo(services.repositories);
const { stories } = await services.repositories.stories.list({ publishedOnly: true, limit: 100 });
const app = await buildApp(loadConfig({ HOST: '127.0.0.1', PAGE_CACHE_SECONDS: cacheSeconds }), services, false);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  await app.close().catch(() => {});
  await database.close().catch(() => {});
  process.exit(0);
}
process.on('message', (message) => {
  if (message === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.send?.({ port, slugs: stories.map((story) => story.slug), cacheSeconds: Number(cacheSeconds) });
