import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices } from '../../src/services/index.ts';
import { createTestDatabase, testEngines } from '../helpers/database.ts';

for (const engine of testEngines()) {
  describe(`server errors (${engine})`, () => {
    test('a failure inside a request is a localized 500 page or JSON error, logged with the request, never a stack trace', async () => {
      const database = await createTestDatabase(engine);
      const services = await createServices(database);
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const app = await buildApp(loadConfig({ PAGE_CACHE_SECONDS: '0' }), services, { level: 'error', stream });
      await app.ready();
      await app.inject({ method: 'GET', url: '/fr/' }); // warms the language list
      // Break the database under the running app: every query now fails.
      await database.db.destroy();
      const page = await app.inject({ method: 'GET', url: '/fr/stories' });
      assert.equal(page.statusCode, 500);
      assert.match(page.body, /<html lang="fr"/);
      assert.doesNotMatch(page.body, /Error:|at .*\.ts:\d+|node_modules/);
      const api = await app.inject({ method: 'GET', url: '/api/v1/stories' });
      assert.equal(api.statusCode, 500);
      assert.deepEqual(api.json(), { error: { code: 'internal', message: 'Something went wrong on our side' } });
      const logged = lines.map(
        (line) => JSON.parse(line) as { msg: string; url?: string; method?: string; err?: { stack?: string } },
      );
      const failure = logged.find((entry) => entry.url === '/fr/stories');
      assert.ok(failure, 'the failing request is logged');
      assert.equal(failure.method, 'GET');
      assert.ok(failure.err?.stack, 'with the error for operators');
      await app.close();
      await database.close().catch(() => {});
    });
  });
}
