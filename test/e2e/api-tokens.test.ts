import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createCatalog, createUser } from '../helpers/app.ts';
import {
  axe,
  en,
  launchBrowser,
  screenshot,
  signInWithForm,
  startBrowserSite,
  type BrowserSite,
} from '../helpers/browser.ts';
import { testEngines } from '../helpers/database.ts';

// The account page's API tokens in Chromium: a token made with scopes shows its secret once, the
// secret works against the running site from outside the browser, the history names the token, and
// once revoked the same secret is refused. axe-core finds nothing on the page in English, Arabic and
// Japanese, with and without a secret on show, at desktop size and 360 px.
const LANGUAGES = ['en', 'ar', 'ja'] as const;

async function shoot(page: Page, name: string) {
  await screenshot(page, name);
  await page.setViewportSize({ width: 360, height: 800 });
  await screenshot(page, `${name}-360`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

for (const engine of testEngines())
  describe(`API tokens on the account page in Chromium (${engine})`, () => {
    let web: BrowserSite;
    let browser: Browser;
    before(async () => {
      [web, browser] = await Promise.all([startBrowserSite(engine), launchBrowser()]);
      await createCatalog(web.site.services, [
        { slug: 'token-story', texts: { en: { title: 'A story for scripts', body: 'One sentence.' } } },
      ]);
      await createUser(web.site.services, 'Leila', [{ role: 'translator', language: 'fr' }]);
    });
    after(async () => {
      await browser?.close();
      await web?.close();
    });

    test('make a token with scopes, use it from outside the browser, revoke it, see it refused', async () => {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await signInWithForm(page, web.baseUrl, 'Leila');
      const secrets: Record<string, string> = {};
      for (const language of LANGUAGES) {
        await page.goto(web.url(`/${language}/account`));
        assert.deepEqual(await axe(page), [], `${language}: the account page before a token is made`);
        await page.locator('#token-name').fill(`script-${language}`);
        await page.locator('#token-scope-subtitle').check();
        await page.locator('#token-scope-translate').check();
        await page.locator(`form[action="/${language}/account/tokens"] button[type="submit"]`).click();
        const secret = (await page.locator('code.api-token-secret').textContent({ timeout: 10_000 })) ?? '';
        assert.match(secret, /^shp_[\w-]{43}$/, `${language}: the secret is shown`);
        secrets[language] = secret;
        assert.deepEqual(await axe(page), [], `${language}: the account page showing a new secret`);
        await shoot(page, `api-tokens-created-${language}`);
      }
      // The list names each token with its scopes; the secret is not on the page again.
      await page.goto(web.url('/en/account'));
      const section = page.locator('.account-api-tokens');
      for (const language of LANGUAGES)
        assert.match((await section.textContent()) ?? '', new RegExp(`script-${language}`));
      assert.match((await section.textContent()) ?? '', new RegExp(en('api-token-scope-subtitle')));
      assert.equal((await page.content()).includes(secrets.en!), false, 'the secret is shown only once');

      // The token from the test itself, over real HTTP: it saves a track as its owner.
      const api = web.url('/api/v1/stories/token-story/subtitles/fr');
      const headers = { authorization: `Bearer ${secrets.en}`, 'content-type': 'application/json' };
      const saved = await fetch(api, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ baseRevision: 0, cues: [{ startTime: 0, endTime: 2, text: 'Bonjour' }] }),
      });
      assert.equal(saved.status, 200, await saved.clone().text());
      const history = (await (await fetch(`${api}/history`, { headers })).json()) as {
        revisions: Array<{ user: string; viaToken: string }>;
      };
      assert.deepEqual(
        history.revisions.map((r) => [r.user, r.viaToken]),
        [['Leila', 'script-en']],
      );
      // The track's history page names the token (and, once the account is a bot's, says so).
      await web.site.services.accounts.setBot(
        (await web.site.services.repositories.users.findByUsername('Leila'))!.id,
        true,
      );
      for (const language of LANGUAGES) {
        await page.goto(web.url(`/${language}/edit/stories/token-story/subtitles/fr`));
        const who = (await page.locator('.history-table tbody tr').first().textContent()) ?? '';
        assert.ok(who.includes('script-en'), `${language}: the history names the token: ${who}`);
        assert.equal(await page.locator('.history-table .bot-label').count(), 1);
        assert.deepEqual(await axe(page), [], `${language}: the track's history with a token and a bot`);
        await shoot(page, `api-tokens-history-${language}`);
      }

      // A translation and a comment through the token: the translation editor's history and comments say so.
      const translation = web.url('/api/v1/stories/token-story/translations/fr');
      const [unit] = (
        (await (await fetch(translation, { headers })).json()) as {
          units: Array<{ id: string; sourceVersion: number }>;
        }
      ).units;
      const unitSaved = await fetch(`${translation}/units/${unit!.id}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({
          baseRevision: 0,
          sourceVersion: unit!.sourceVersion,
          text: 'Une histoire',
          state: 'draft',
        }),
      });
      assert.equal(unitSaved.status, 200, await unitSaved.clone().text());
      const commented = await fetch(`${translation}/units/${unit!.id}/comments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ body: 'Saved by a script.' }),
      });
      assert.equal(commented.status, 200);
      for (const language of ['en', 'ar'] as const) {
        await page.goto(web.url(`/${language}/translate/token-story/fr`));
        await page.locator(`#translate-text-${unit!.id}`).click();
        await page.locator('.translate-unit--active .translate-comments summary').click();
        const history = page.locator('.translate-comments__history li').first();
        await history.waitFor();
        assert.match((await history.innerText()) ?? '', /script-en/, `${language}: the unit's history names the token`);
        assert.equal(await page.locator('.translate-comments .bot-label').count(), 2, 'the comment and the save');
        assert.deepEqual(await axe(page), [], `${language}: the translation editor with a bot's work`);
        await screenshot(page, `api-tokens-unit-history-${language}`, { fullPage: false });
      }

      // Revoked on the account page: the same secret is now refused.
      await page.goto(web.url('/en/account'));
      await page.getByRole('button', { name: en('api-token-revoke-named', 'script-en') }).click();
      await page.locator('main').getByText(en('api-token-revoked')).waitFor();
      assert.deepEqual(await axe(page), [], 'en: the account page after revoking');
      await shoot(page, 'api-tokens-revoked-en');
      const refused = await fetch(`${api}/history`, { headers });
      assert.equal(refused.status, 401);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'token_revoked');
      // The other tokens still work.
      const other = await fetch(`${api}/history`, { headers: { authorization: `Bearer ${secrets.ja}` } });
      assert.equal(other.status, 200);
      await context.close();
    });
  });
