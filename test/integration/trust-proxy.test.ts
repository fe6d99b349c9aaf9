import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createUser, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Behind a proxy the rate limits count the visitor's address as the proxy saw it: nginx appends it
// to whatever X-Forwarded-For the visitor sent, so the entries left of it are the visitor's own words.
// Over real HTTP on loopback, as nginx would talk to the site (the connection comes from 127.0.0.1).

/** Signs in with a wrong password as a request forwarded with `forwardedFor`: the answer's status. */
async function failedSignIn(origin: string, forwardedFor: string): Promise<number> {
  const headers = { 'x-forwarded-for': forwardedFor };
  const page = await fetch(`${origin}/en/sign-in`, { headers });
  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const answer = await fetch(`${origin}/en/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'Ana', password: 'not the password', _csrf: csrf }),
  });
  await answer.body?.cancel();
  return answer.status;
}

for (const engine of testEngines()) {
  // `behindTwo`: the visitor counted for a request that came through 10.1.2.3 and then the local proxy.
  for (const [trustProxy, described, behindTwo] of [
    ['true', 'one proxy in front (TRUST_PROXY=true)', '10.1.2.3'],
    ['127.0.0.1,10.0.0.0/8', 'proxies by address (TRUST_PROXY=127.0.0.1,10.0.0.0/8)', '198.51.100.4'],
  ] as const) {
    describe(`rate limits behind ${described} (${engine})`, () => {
      let site: TestSite;
      let origin: string;
      before(async () => {
        site = await startTestSite(engine, { TRUST_PROXY: trustProxy, SIGN_IN_RATE_LIMIT: '9' });
        await site.app.listen({ host: '127.0.0.1', port: 0 });
        origin = `http://127.0.0.1:${(site.app.server.address() as AddressInfo).port}`;
      });
      after(async () => {
        await site.close();
      });
      beforeEach(async () => {
        await site.reset();
        await createUser(site.services, 'Ana');
      });

      test('a forged left X-Forwarded-For entry changes nothing: the address the proxy saw is counted', async () => {
        const statuses = [];
        for (let attempt = 1; attempt <= 10; attempt++)
          statuses.push(await failedSignIn(origin, `203.0.113.${attempt}, 127.0.0.5`));
        assert.deepEqual(statuses, [...Array<number>(9).fill(401), 429], 'the tenth attempt is refused');
        const keys = (await site.database.db.selectFrom('rate_limits').select('key').execute()).map((row) => row.key);
        assert.ok(
          keys.some((key) => key.endsWith(' 127.0.0.5')),
          `counted for 127.0.0.5: ${JSON.stringify(keys)}`,
        );
        assert.ok(!keys.some((key) => key.includes('203.0.113.')), 'never for an address the visitor wrote');
        assert.equal(await failedSignIn(origin, '203.0.113.1, 127.0.0.6'), 401, 'another visitor is not limited');
      });

      test('through two proxies, a hop count stops at the first and an address list at the first it does not know', async () => {
        await failedSignIn(origin, '203.0.113.9, 198.51.100.4, 10.1.2.3');
        const keys = (await site.database.db.selectFrom('rate_limits').select('key').execute()).map((row) => row.key);
        assert.deepEqual(
          keys.map((key) => key.split(' ').at(-1)),
          [behindTwo],
        );
      });
    });
  }
}
