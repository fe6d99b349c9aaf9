import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { createUser } from '../helpers/app.ts';
import { axe, en, launchBrowser, screenshot, startBrowserSite, type BrowserSite } from '../helpers/browser.ts';
import { testEngines } from '../helpers/database.ts';
import { CLIENT_ID, CLIENT_SECRET, startOAuthProvider, type OAuthTestProvider } from '../helpers/oauth-provider.ts';

// Signing in with the wiki account in Chromium, JavaScript off: the button is a plain link, the provider's
// screens (answered by the test provider) lead back to the site signed in. The new pages pass axe-core.
for (const engine of testEngines())
  describe(`sign-in with the wiki in Chromium (${engine})`, () => {
    let web: BrowserSite;
    let wiki: OAuthTestProvider;
    let browser: Browser;
    before(async () => {
      wiki = await startOAuthProvider();
      [web, browser] = await Promise.all([
        startBrowserSite(engine, {
          OAUTH_CLIENT_ID: CLIENT_ID,
          OAUTH_CLIENT_SECRET: CLIENT_SECRET,
          OAUTH_BASE_URL: wiki.origin,
          OAUTH_NAME: 'TestWiki',
          OAUTH_SCOPE: 'openid',
        }),
        launchBrowser(),
      ]);
      wiki.configure([web.url('/en/oauth/callback')]);
      wiki.addAccount({ sub: '2001', username: 'Amani Wiki' });
      wiki.addAccount({ sub: '2002', username: 'Taken Name' });
      await createUser(web.site.services, 'Taken Name');
    });
    after(async () => {
      await browser?.close();
      await web?.close();
      await wiki?.close();
    });

    /** Clicks "Sign in with TestWiki" on the sign-in page of `language`, as `sub`, and waits to be back. */
    async function signInThroughWiki(context: BrowserContext, sub: string, language = 'en') {
      wiki.state.person = { sub, username: sub === '2001' ? 'Amani Wiki' : 'Taken Name' };
      const page = await context.newPage();
      await page.goto(web.url(`/${language}/sign-in`));
      await page.getByRole('link', { name: /TestWiki/ }).click();
      await page.waitForURL((url) => url.origin === web.baseUrl && !url.pathname.endsWith('/sign-in'));
      return page;
    }

    test('without JavaScript: the button signs in and the account page shows the link', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await signInThroughWiki(context, '2001');
      assert.equal(await page.locator('.site-account__name').textContent(), 'Amani Wiki');
      await page.locator('.site-account__name').click();
      assert.match((await page.locator('main').textContent()) ?? '', /Linked to the account\s*\u2068?Amani Wiki/);
      await context.close();
    });

    test('the account, name-choice and refusal pages have no axe violations, in English and Arabic', async () => {
      const context = await browser.newContext({ bypassCSP: true });
      const account = await signInThroughWiki(context, '2001', 'ar');
      await account.goto(web.url('/ar/account'));
      assert.deepEqual(await axe(account), []);
      await screenshot(account, 'oauth-account-ar');
      await context.clearCookies();

      const clash = await signInThroughWiki(context, '2002');
      assert.equal(await clash.locator('h1').textContent(), en('oauth-clash-title'));
      assert.deepEqual(await axe(clash), []);
      await screenshot(clash, 'oauth-choose-name-en');

      await clash.goto(web.url('/ar/oauth/callback?code=forged&state=forged'));
      assert.deepEqual(await axe(clash), []);
      await screenshot(clash, 'oauth-refused-ar');
      await context.close();
    });
  });
