import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createUser, PASSWORD, startTestSite, type TestSite } from '../helpers/app.ts';
import { webClient, type Visit, type WebClient } from '../helpers/cookie-jar.ts';
import { testEngines } from '../helpers/database.ts';
import { CLIENT_ID, CLIENT_SECRET, startOAuthProvider, type OAuthTestProvider } from '../helpers/oauth-provider.ts';

const ALICE = { sub: '1001', username: 'Alice Wiki' };
const BLOCKED = { sub: '1002', username: 'Vandal', blocked: true };
const CLASH = { sub: '1003', username: 'Local Name' };
const ODD = { sub: '1004', username: 'X' };

for (const engine of testEngines()) {
  describe(`sign-in with OAuth 2.0 against a loopback provider (${engine})`, () => {
    let site: TestSite;
    let wiki: OAuthTestProvider;
    let origin: string;
    // The same code, configured as any OpenID Connect provider: its endpoints one by one, userinfo for the profile.
    let generic: TestSite;
    let genericOrigin: string;

    before(async () => {
      wiki = await startOAuthProvider();
      site = await startTestSite(engine, {
        OAUTH_CLIENT_ID: CLIENT_ID,
        OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        OAUTH_BASE_URL: wiki.origin,
        OAUTH_NAME: 'TestWiki',
        // oidc-provider grants no token without a scope; Wikimedia's identity-only consumers ask none.
        OAUTH_SCOPE: 'openid',
        OAUTH_TIMEOUT_MS: '5000',
        SIGN_IN_RATE_LIMIT: '1000',
      });
      origin = await listen(site);
      generic = await startTestSite(engine, {
        OAUTH_CLIENT_ID: CLIENT_ID,
        OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        OAUTH_AUTHORIZE_URL: `${wiki.origin}/w/rest.php/oauth2/authorize`,
        OAUTH_TOKEN_URL: `${wiki.origin}/w/rest.php/oauth2/access_token`,
        OAUTH_PROFILE_URL: `${wiki.origin}/me`,
        OAUTH_SCOPE: 'openid profile',
        OAUTH_NAME: 'OpenID Test',
        OAUTH_TIMEOUT_MS: '1000',
        SIGN_IN_RATE_LIMIT: '5',
      });
      genericOrigin = await listen(generic);
      wiki.configure([`${origin}/en/oauth/callback`, `${genericOrigin}/en/oauth/callback`]);
      for (const account of [ALICE, BLOCKED, CLASH, ODD]) wiki.addAccount(account);
    });
    after(async () => {
      await site?.close();
      await generic?.close();
      await wiki?.close();
    });
    beforeEach(async () => {
      await site.reset();
      await generic.reset();
      Object.assign(wiki.state, {
        person: ALICE,
        decision: 'allow',
        breakToken: false,
        garbleProfile: false,
        hangToken: false,
      });
    });

    async function listen(testSite: TestSite) {
      await testSite.app.listen({ port: 0, host: '127.0.0.1' });
      return `http://127.0.0.1:${(testSite.app.server.address() as AddressInfo).port}`;
    }

    /** A browser's sign-in: the button on the sign-in page, the provider's screens, back to the site. */
    async function signInThroughWiki(
      client: WebClient,
      rewrite?: (next: URL) => URL,
      siteOrigin = origin,
    ): Promise<Visit> {
      const page = await client.visit(`${siteOrigin}/en/sign-in?returnTo=/en/stories`);
      const button = /href="([^"]*\/oauth\/start[^"]*)"/.exec(page.body)?.[1];
      assert.ok(button, 'the sign-in page has a "Sign in with" button');
      return client.visit(new URL(button.replace(/&amp;/g, '&'), siteOrigin), rewrite ? { rewrite } : {});
    }
    const usernames = async (testSite = site) => (await testSite.services.accounts.list()).map((user) => user.username);
    const signedInAs = (visit: Visit) => /class="site-account__name"[^>]*><bdi>([^<]*)<\/bdi>/.exec(visit.body)?.[1];
    const codeOf = (visit: Visit) => /oauth_[a-z_]+/.exec(visit.body)?.[0];
    // Names in messages are isolated (U+2068 … U+2069) for mixed directions; read the text without them.
    const text = (visit: Visit) => visit.body.replace(/[\u2068\u2069]/g, '');

    test('the sign-in page offers the provider by name, as a plain link', async () => {
      const page = await webClient().visit(`${origin}/en/sign-in`);
      assert.match(text(page), /Sign in with TestWiki/);
    });

    test('a first sign-in creates an account named after the wiki user; the second finds it', async () => {
      const first = await signInThroughWiki(webClient());
      assert.equal(first.status, 200, `${first.url.href} ${codeOf(first)} ${text(first).slice(-800)}`);
      assert.equal(first.url.pathname, '/en/stories', 'back where the person started');
      assert.equal(signedInAs(first), 'Alice Wiki');
      assert.deepEqual(await usernames(), ['Alice Wiki']);
      const identity = await site.services.repositories.identities.find(wiki.origin, ALICE.sub);
      assert.equal(identity?.username, 'Alice Wiki');

      const second = await signInThroughWiki(webClient());
      assert.equal(signedInAs(second), 'Alice Wiki');
      assert.deepEqual(await usernames(), ['Alice Wiki'], 'no second account');
      // No password: the account signs in only through the wiki.
      assert.equal(await site.services.accounts.signIn('Alice Wiki', ''), null);
    });

    test('a local account links the wiki account, signs in with it, and unlinks it', async () => {
      await createUser(site.services, 'Writer');
      const client = webClient();
      const signIn = await client.visit(`${origin}/en/sign-in`);
      await client.submit(signIn, '/en/sign-in', { username: 'Writer', password: PASSWORD });
      const account = await client.visit(`${origin}/en/account`);
      assert.match(text(account), /No TestWiki account is linked/);
      const linked = await client.submit(account, '/en/oauth/link');
      assert.equal(linked.url.pathname, '/en/account');
      assert.match(text(linked), /Your TestWiki account is now linked/);
      assert.match(text(linked), /Linked to the account \u2068?Alice Wiki/);

      const viaWiki = await signInThroughWiki(webClient());
      assert.equal(signedInAs(viaWiki), 'Writer', 'the wiki account signs in to the linked local account');
      assert.deepEqual(await usernames(), ['Writer']);

      const unlinked = await client.submit(linked, '/en/account/oauth/unlink');
      assert.match(text(unlinked), /Your TestWiki account is no longer linked/);
      assert.equal(await site.services.repositories.identities.find(wiki.origin, ALICE.sub), undefined);
    });

    test('a wiki account already linked to one account cannot be linked to another', async () => {
      await signInThroughWiki(webClient());
      const writer = await createUser(site.services, 'Writer');
      const client = webClient();
      const signIn = await client.visit(`${origin}/en/sign-in`);
      await client.submit(signIn, '/en/sign-in', { username: 'Writer', password: PASSWORD });
      const refused = await client.submit(await client.visit(`${origin}/en/account`), '/en/oauth/link');
      assert.equal(refused.status, 409);
      assert.equal(codeOf(refused), 'oauth_identity_taken');
      const identity = await site.services.repositories.identities.find(wiki.origin, ALICE.sub);
      assert.equal(identity?.username, 'Alice Wiki', 'still linked to the account it made');
      assert.equal(await site.services.repositories.identities.ofUser(writer.id, wiki.origin), undefined);
    });

    test('an account made through the wiki cannot unlink its only way to sign in', async () => {
      const client = webClient();
      await signInThroughWiki(client);
      const account = await client.visit(`${origin}/en/account`);
      const refused = await client.submit(account, '/en/account/oauth/unlink');
      assert.equal(refused.status, 409);
      assert.match(text(refused), /no password/);
      assert.ok(await site.services.repositories.identities.find(wiki.origin, ALICE.sub), 'still linked');
    });

    test('a wiki name taken by a local account is never merged: the person chooses', async () => {
      await createUser(site.services, 'local name');
      wiki.state.person = CLASH;
      const client = webClient();
      const clash = await signInThroughWiki(client);
      assert.equal(clash.status, 409);
      assert.match(text(clash), /already exists on this site/);
      assert.match(text(clash), /Sign in to the existing account/);
      assert.deepEqual(await usernames(), ['local name'], 'nothing created or merged');
      const taken = await client.submit(clash, '/en/oauth/choose-name', { username: 'Local Name' });
      assert.equal(taken.status, 400);
      assert.match(text(taken), /taken/i);
      const chosen = await client.submit(taken, '/en/oauth/choose-name', { username: 'Local Name 2' });
      assert.equal(signedInAs(chosen), 'Local Name 2');
      assert.deepEqual((await usernames()).sort(), ['Local Name 2', 'local name']);
      assert.equal((await signInThroughWiki(webClient())).url.pathname, '/en/stories');
    });

    test('a wiki name the site does not take asks for another name', async () => {
      wiki.state.person = ODD;
      const page = await signInThroughWiki(webClient());
      assert.equal(page.status, 409);
      assert.match(text(page), /cannot be used as an account name/);
      assert.deepEqual(await usernames(), []);
    });

    test('a blocked wiki account is refused and no account is made', async () => {
      wiki.state.person = BLOCKED;
      const page = await signInThroughWiki(webClient());
      assert.equal(page.status, 403);
      assert.equal(codeOf(page), 'oauth_blocked');
      assert.match(text(page), /is blocked/);
      assert.deepEqual(await usernames(), []);
    });

    test('denied consent: nobody is signed in', async () => {
      wiki.state.decision = 'deny';
      const page = await signInThroughWiki(webClient());
      assert.equal(page.status, 403);
      assert.equal(codeOf(page), 'oauth_denied');
      assert.match(text(page), /You did not allow TestWiki/);
      assert.equal(signedInAs(page), undefined);
      assert.deepEqual(await usernames(), []);
    });

    test('a forged callback (no sign-in started) is refused', async () => {
      const page = await webClient().visit(`${origin}/en/oauth/callback?code=forged&state=forged`);
      assert.equal(page.status, 400);
      assert.equal(codeOf(page), 'oauth_state_invalid');
      assert.deepEqual(await usernames(), []);
    });

    test('a callback with another state than the one sent is refused, and the sign-in is spent', async () => {
      const client = webClient();
      const page = await signInThroughWiki(client, (next) => {
        if (next.pathname === '/en/oauth/callback') next.searchParams.set('state', 'tampered');
        return next;
      });
      assert.equal(page.status, 400);
      assert.equal(codeOf(page), 'oauth_state_invalid');
      assert.deepEqual(await usernames(), []);
    });

    test('a replayed callback is refused', async () => {
      const client = webClient();
      let callback: URL | undefined;
      await signInThroughWiki(client, (next) => {
        if (next.pathname === '/en/oauth/callback') callback = new URL(next);
        return next;
      });
      assert.ok(callback);
      const replay = await webClient().visit(callback);
      assert.equal(replay.status, 400);
      assert.equal(codeOf(replay), 'oauth_state_invalid');
      const sameBrowser = await client.visit(callback);
      assert.equal(sameBrowser.status, 400, 'used once, even by the browser that used it');
      assert.deepEqual(await usernames(), ['Alice Wiki']);
    });

    test('a PKCE verifier that does not match the challenge is refused by the provider', async () => {
      const page = await signInThroughWiki(webClient(), (next) => {
        // In the middle: the provider is sent another challenge than the site's verifier answers.
        if (next.pathname.endsWith('/oauth2/authorize'))
          next.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
        return next;
      });
      assert.equal(page.status, 400);
      assert.equal(codeOf(page), 'oauth_code_refused');
      assert.deepEqual(await usernames(), []);
    });

    test('a provider that is down, or answers garbage, gets a clear page and changes nothing', async () => {
      wiki.state.breakToken = true;
      const down = await signInThroughWiki(webClient());
      assert.equal(down.status, 400);
      assert.equal(codeOf(down), 'oauth_unavailable');
      assert.match(text(down), /TestWiki did not answer/);

      wiki.state.breakToken = false;
      wiki.state.garbleProfile = true;
      const garbled = await signInThroughWiki(webClient());
      assert.equal(garbled.status, 400);
      assert.equal(codeOf(garbled), 'oauth_garbled');
      assert.deepEqual(await usernames(), []);
    });

    test('any OpenID Connect provider by its endpoints: the userinfo name makes the account', async () => {
      const page = await signInThroughWiki(webClient(), undefined, genericOrigin);
      assert.match(text(await webClient().visit(`${genericOrigin}/en/sign-in`)), /Sign in with OpenID Test/);
      assert.equal(signedInAs(page), 'Alice Wiki');
      assert.deepEqual(await usernames(generic), ['Alice Wiki']);
    });

    test('a provider that does not answer in time counts as down', async () => {
      wiki.state.hangToken = true;
      const page = await signInThroughWiki(webClient(), undefined, genericOrigin);
      assert.equal(page.status, 400);
      assert.equal(codeOf(page), 'oauth_unavailable');
      assert.deepEqual(await usernames(generic), []);
    });

    test('the sign-in rate limit covers the callback', async () => {
      const client = webClient();
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await client.visit(`${genericOrigin}/en/oauth/callback?code=x&state=y`));
      assert.equal(answers.at(-1)!.status, 429);
      assert.match(text(answers.at(-1)!), /Too many/i);
    });
  });
}
