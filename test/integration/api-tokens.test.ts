import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GrantableRole } from '../../src/domain/access/authorize.ts';
import type { Scope } from '../../src/domain/access/scopes.ts';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Tokens act as their owner with at most their scopes AND at most the owner's roles: each row of
// the table is an action through the real API; every role × scope pair is tried on it.
type Holder = 'plain' | GrantableRole;
const HOLDERS: Holder[] = ['plain', 'translator', 'reviewer', 'editor'];
const SCOPE_SETS: Scope[][] = [['read'], ['read', 'translate'], ['read', 'subtitle'], ['read', 'edit']];
// Who may do it (translators and reviewers hold French) and the scope a token needs (null: reading).
const ACTIONS: Record<string, { roles: Holder[]; scope: Scope | null }> = {
  'read French subtitles for editing': { roles: ['translator', 'reviewer', 'editor'], scope: null },
  'save French subtitles': { roles: ['translator', 'reviewer', 'editor'], scope: 'subtitle' },
  'save a French translation unit': { roles: ['plain', 'translator', 'reviewer', 'editor'], scope: 'translate' },
  'approve French translations': { roles: ['reviewer'], scope: 'translate' },
};

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

for (const engine of testEngines()) {
  describe(`personal API tokens (${engine})`, () => {
    let site: TestSite;
    let unit: { id: string; sourceVersion: number };
    const owners = new Map<Holder, number>();
    before(async () => {
      site = await startTestSite(engine);
      await site.reset();
      await createCatalog(site.services, [
        { slug: 'tokens', texts: { en: { title: 'Token story', body: 'One sentence to translate.' } } },
      ]);
      for (const holder of HOLDERS) {
        const grants = holder === 'plain' ? [] : [{ role: holder, ...(holder === 'editor' ? {} : { language: 'fr' }) }];
        owners.set(holder, (await createUser(site.services, `owner-${holder}`, grants)).id);
      }
      const translation = await site.app.inject({ url: '/api/v1/stories/tokens/translations/fr' });
      unit = translation.json().units[0];
    });
    after(() => site.close());

    async function tokenFor(holder: Holder, scopes: Scope[], name = `${holder} ${scopes.join('+')}`) {
      const made = await site.services.tokens.create(owners.get(holder)!, { name, scopes });
      assert.ok('secret' in made);
      return made.secret;
    }

    function attempt(action: string, secret: string) {
      const headers = bearer(secret);
      switch (action) {
        case 'read French subtitles for editing':
          return site.app.inject({ url: '/api/v1/stories/tokens/subtitles/fr', headers });
        case 'save French subtitles':
          return site.app.inject({
            method: 'PUT',
            url: '/api/v1/stories/tokens/subtitles/fr',
            headers,
            payload: { baseRevision: 0, cues: [{ startTime: 0, endTime: 2, text: 'Bonjour' }] },
          });
        case 'save a French translation unit':
          return site.app.inject({
            method: 'PUT',
            url: `/api/v1/stories/tokens/translations/fr/units/${unit.id}`,
            headers,
            payload: {
              baseRevision: 0,
              sourceVersion: unit.sourceVersion,
              text: 'Une phrase à traduire.',
              state: 'draft',
            },
          });
        default:
          return site.app.inject({
            method: 'POST',
            url: '/api/v1/stories/tokens/translations/fr/review',
            headers,
            payload: { units: [unit.id], decision: 'approve' },
          });
      }
    }

    for (const [action, rule] of Object.entries(ACTIONS)) {
      test(`${action}: allowed exactly when the owner's role and the token's scopes both allow it`, async () => {
        for (const holder of HOLDERS) {
          for (const scopes of SCOPE_SETS) {
            const response = await attempt(action, await tokenFor(holder, scopes));
            const label = `${holder} with ${scopes.join('+')}: ${response.statusCode} ${response.body.slice(0, 120)}`;
            if (!rule.roles.includes(holder)) {
              assert.equal(response.statusCode, 403, label);
              assert.equal(response.json().error.code, 'forbidden', label);
            } else if (rule.scope !== null && !scopes.includes(rule.scope)) {
              assert.equal(response.statusCode, 403, label);
              assert.equal(response.json().error.code, 'insufficient_scope', label);
              assert.equal(response.json().error.scope, rule.scope, label);
            } else {
              // Allowed: saved, or (a second save from the same base revision) a conflict to merge.
              assert.ok([200, 409].includes(response.statusCode), label);
            }
          }
        }
      });
    }

    test('a bearer request needs no CSRF token; the same save with a session and no CSRF token is refused', async () => {
      const secret = await tokenFor('translator', ['read', 'subtitle']);
      const state = await site.app.inject({ url: '/api/v1/stories/tokens/subtitles/fr', headers: bearer(secret) });
      const saved = await site.app.inject({
        method: 'PUT',
        url: '/api/v1/stories/tokens/subtitles/fr',
        headers: bearer(secret),
        payload: {
          baseRevision: state.json().track?.revision ?? 0,
          cues: [{ startTime: 1, endTime: 3, text: 'Salut' }],
        },
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const session = await signIn(site.app, 'owner-translator');
      const withoutCsrf = await site.app.inject({
        method: 'PUT',
        url: '/api/v1/stories/tokens/subtitles/fr',
        headers: { cookie: session.cookie },
        payload: { baseRevision: saved.json().revision, cues: [] },
      });
      assert.equal(withoutCsrf.statusCode, 403);
      assert.equal(withoutCsrf.json().error.code, 'csrf_invalid');
    });

    test('unknown, malformed, revoked and expired tokens are refused with 401 and their own code', async () => {
      const url = '/api/v1/stories/tokens/subtitles/fr';
      const unknown = await site.app.inject({ url, headers: bearer(`shp_${'A'.repeat(43)}`) });
      assert.equal(unknown.statusCode, 401);
      assert.equal(unknown.json().error.code, 'invalid_token');
      const malformed = await site.app.inject({ url, headers: { authorization: 'Bearer' } });
      assert.equal(malformed.json().error.code, 'invalid_token');

      const revokedSecret = await tokenFor('translator', ['read']);
      const [revoked] = await site.services.tokens.listFor(owners.get('translator')!);
      assert.equal(await site.services.tokens.revoke(owners.get('translator')!, revoked!.id), true);
      const refused = await site.app.inject({ url, headers: bearer(revokedSecret) });
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error.code, 'token_revoked');

      const made = await site.services.tokens.create(
        owners.get('translator')!,
        { name: 'short-lived', scopes: ['read'], expiresInDays: 1 },
        new Date(Date.now() - 2 * 86_400_000),
      );
      assert.ok('secret' in made);
      const expired = await site.app.inject({ url, headers: bearer(made.secret) });
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json().error.code, 'token_expired');
    });

    test('a token in the address is refused before anything else, even a good one', async () => {
      const secret = await tokenFor('translator', ['read']);
      for (const parameter of ['token', 'access_token']) {
        const response = await site.app.inject({ url: `/api/v1/stories/tokens/subtitles/fr?${parameter}=${secret}` });
        assert.equal(response.statusCode, 400);
        assert.equal(response.json().error.code, 'token_in_url');
        assert.match(response.json().error.message, /Authorization/);
      }
    });

    test('a use is recorded as the token\u2019s last use', async () => {
      const secret = await tokenFor('reviewer', ['read'], 'usage');
      const before = (await site.services.tokens.listFor(owners.get('reviewer')!)).find((t) => t.name === 'usage')!;
      assert.equal(before.lastUsedAt, null);
      await site.app.inject({ url: '/api/v1/stories/tokens/subtitles/fr', headers: bearer(secret) });
      const after = (await site.services.tokens.listFor(owners.get('reviewer')!)).find((t) => t.name === 'usage')!;
      assert.ok(after.lastUsedAt instanceof Date);
    });

    test('the account page makes a token (shown once, stored hashed) and revokes it', async () => {
      const session = await signIn(site.app, 'owner-reviewer');
      const page = await site.app.inject({ url: '/en/account', headers: { cookie: session.cookie } });
      assert.match(page.body, /API tokens/);
      const csrf = csrfFrom(page.body);
      const refused = await site.app.inject(
        form(
          '/en/account/tokens',
          { name: '', scopes: ['translate'], expiresInDays: 'soon', _csrf: csrf },
          session.cookie,
        ),
      );
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Give the token a name/);
      assert.match(refused.body, /whole number of days/);

      const made = await site.app.inject(
        form(
          '/en/account/tokens',
          { name: 'Subtitle bot', scopes: ['translate', 'subtitle'], expiresInDays: '30', _csrf: csrf },
          session.cookie,
        ),
      );
      assert.equal(made.statusCode, 200);
      const secret = /<code class="api-token-secret"[^>]*>(shp_[\w-]+)<\/code>/.exec(made.body)?.[1];
      assert.ok(secret, 'the secret is shown once');
      assert.match(made.body, /shown only this once/);
      const { rows } = await site.database.db
        .selectFrom('api_tokens')
        .select('secret_hash')
        .execute()
        .then((r) => ({ rows: r }));
      assert.ok(
        rows.every((row) => !row.secret_hash.includes(secret.slice(4))),
        'only a hash is stored',
      );
      const works = await site.app.inject({ url: '/api/v1/stories/tokens/subtitles/fr', headers: bearer(secret) });
      assert.equal(works.statusCode, 200);

      const again = await site.app.inject({ url: '/en/account', headers: { cookie: session.cookie } });
      assert.doesNotMatch(again.body, new RegExp(secret), 'never shown again');
      const id = /action="\/en\/account\/tokens\/(\d+)\/revoke"/.exec(again.body)?.[1];
      assert.ok(id);
      const revoked = await site.app.inject(form(`/en/account/tokens/${id}/revoke`, { _csrf: csrf }, session.cookie));
      assert.equal(revoked.statusCode, 200);
      assert.match(revoked.body, /The token was revoked/);
      const refusedNow = await site.app.inject({ url: '/api/v1/stories/tokens/subtitles/fr', headers: bearer(secret) });
      assert.equal(refusedNow.json().error.code, 'token_revoked');
      // Another account's token cannot be revoked from here.
      const other = await signIn(site.app, 'owner-plain');
      const otherPage = await site.app.inject({ url: '/en/account', headers: { cookie: other.cookie } });
      const notTheirs = await site.app.inject(
        form(`/en/account/tokens/${id}/revoke`, { _csrf: csrfFrom(otherPage.body) }, other.cookie),
      );
      assert.equal(notTheirs.statusCode, 404);
    });
  });
}
