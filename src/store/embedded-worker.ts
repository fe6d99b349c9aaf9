// Runs PGlite on its own thread and exposes it over the PostgreSQL wire protocol on a
// unix socket, so that queries never block the thread that serves HTTP.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface EmbeddedWorkerData {
  dataDir: string | undefined;
  loadDataDir: Blob | undefined;
  socketPath: string;
}

const options = workerData as EmbeddedWorkerData;
const pglite = await PGlite.create({
  ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  extensions: { pg_trgm },
});
const server = new PGLiteSocketServer({ db: pglite, path: options.socketPath, maxConnections: 1 });
await server.start();
parentPort!.postMessage({ type: 'ready' });

parentPort!.on('message', async (message: { type: string }) => {
  if (message.type === 'dump') {
    const dump = await pglite.dumpDataDir('none');
    parentPort!.postMessage({ type: 'dump', dump });
  } else if (message.type === 'close') {
    await server.stop();
    await pglite.close();
    parentPort!.postMessage({ type: 'closed' });
  }
});
