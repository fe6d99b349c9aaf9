import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axe, en, launchBrowser, screenshot, startBrowserSite, type BrowserSite } from '../helpers/browser.ts';
import { testEngines } from '../helpers/database.ts';
import { deliverMail, startMailServer, type MailServer } from '../helpers/mail-server.ts';

// The e-mail address in Chromium: given on the sign-up form, then changed on the account page, where
// an address the browser lets through but the site refuses comes back with the site's message and what
// was typed; the address confirmed through the link mailed to a real SMTP server on loopback. axe-core
// finds nothing on the account page and the link's pages in English, Arabic and Japanese, at desktop
// size and 360 px.
for (const engine of testEngines())
  describe(`e-mail on the account page in Chromium (${engine})`, () => {
    let web: BrowserSite;
    let browser: Browser;
    let mail: MailServer;
    before(async () => {
      mail = await startMailServer();
      [web, browser] = await Promise.all([startBrowserSite(engine, { SMTP_URL: mail.url }), launchBrowser()]);
    });
    after(async () => {
      await browser?.close();
      await web?.close();
      await mail?.close();
    });

    /** axe-core and screenshots of the page as it is, at desktop size and 360 px wide. */
    async function check(page: Page, name: string) {
      assert.deepEqual(await axe(page), [], name);
      await screenshot(page, name);
      await page.setViewportSize({ width: 360, height: 800 });
      assert.deepEqual(await axe(page), [], `${name} at 360 px`);
      await screenshot(page, `${name}-360`);
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    const t = (language: string) => web.site.services.messages.forLanguage(language);
    /** The e-mail form's own button (the page's language read from the page). */
    const save = async (page: Page) => {
      const language = (await page.locator('html').getAttribute('lang')) ?? 'en';
      return page.getByRole('button', { name: t(language)('account-email-save'), exact: true });
    };

    test('sign up with an address, confirm it through the mailed link, change it with a mistake, then set it', async () => {
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(web.url('/ar/sign-up'));
      assert.deepEqual(await axe(page), [], 'the sign-up form with its e-mail field');
      await page.locator('#username').fill('Nour');
      await page.locator('#password').fill('a long enough password');
      await page.locator('#email').fill('nour@example.org');
      await Promise.all([
        page.waitForURL((url) => !url.pathname.endsWith('/sign-up')),
        page.locator('.narrow-form button[type="submit"]').click(),
      ]);
      const nour = await web.site.services.repositories.users.findByUsername('Nour');
      assert.deepEqual(await web.site.services.repositories.mail.contact(nour!.id), {
        email: 'nour@example.org',
        language: 'ar',
      });

      for (const language of ['en', 'ar', 'ja']) {
        await page.goto(web.url(`/${language}/account`));
        assert.equal(await page.locator('#email').inputValue(), 'nour@example.org');
        assert.equal(await page.locator('#email-language').inputValue(), 'ar');
        await check(page, `account-email-waiting-${language}`);
        // The browser takes "nour@example" as an address; the site wants a domain of two labels.
        await page.locator('#email').fill('nour@example');
        await (await save(page)).click();
        await page.locator('#email-error').waitFor();
        assert.equal(await page.locator('#email').inputValue(), 'nour@example', 'what was typed is kept');
        assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
        await check(page, `account-email-error-${language}`);
      }

      // The link arrives in Arabic, the language chosen for mail; its page in any language confirms nothing by itself.
      await deliverMail(web.site.services);
      const [received] = mail.inbox.filter((message) => message.to.includes('nour@example.org'));
      assert.ok(received, 'the link was mailed');
      assert.equal(received.headers.get('content-language'), 'ar');
      const link = /https?:\/\/[^/\s]+\/ar\/account\/email\/confirm\/([A-Za-z0-9_-]{43})/.exec(received.text);
      assert.ok(link, `a link to the Arabic page in: ${received.text}`);
      for (const language of ['en', 'ja', 'ar']) {
        await page.goto(web.url(`/${language}/account/email/confirm/${link[1]}`));
        assert.equal(await page.locator('html').getAttribute('lang'), language);
        assert.equal(await page.locator('h1').textContent(), t(language)('email-confirm-title'));
        await check(page, `email-confirm-${language}`);
      }
      assert.equal((await web.site.services.emailConfirmation.state(nour!.id)).confirmedAt, null, 'not by opening it');
      await page.getByRole('button', { name: t('ar')('email-confirm-button') }).click();
      await page.locator('main .cdx-message--success').waitFor();
      await check(page, 'email-confirmed-ar');
      assert.ok((await web.site.services.emailConfirmation.state(nour!.id)).confirmedAt, 'the button confirmed it');

      for (const language of ['en', 'ar', 'ja']) {
        await page.goto(web.url(`/${language}/account/email/confirm/${link[1]}`));
        await check(page, `email-confirm-used-${language}`);
        await page.goto(web.url(`/${language}/account`));
        await page.locator('.account-email__state.cdx-message--success').waitFor();
        await check(page, `account-email-confirmed-${language}`);
      }
      await page.goto(web.url('/en/account'));
      assert.match(
        (await page.locator('.account-email__state').textContent()) ?? '',
        new RegExp(en('account-email-confirmed', 'nour@example.org').replace(/[.]/g, '\\.')),
      );

      await page.locator('#email').fill('nour.k@example.org');
      await page.locator('#email-language').selectOption('fr');
      await (await save(page)).click();
      await page.waitForURL((url) => url.search === '?done=email-saved');
      assert.match((await page.locator('main').textContent()) ?? '', new RegExp(en('account-email-saved-done')));
      assert.equal(await page.locator('#email').inputValue(), 'nour.k@example.org');
      assert.match((await page.locator('.account-email__state').textContent()) ?? '', /Waiting for confirmation/);
      assert.equal(await page.getByRole('button', { name: en('account-email-send-again') }).count(), 1);
      assert.deepEqual(await axe(page), []);
      await page.getByRole('button', { name: en('account-email-remove') }).click();
      await page.waitForURL((url) => url.search === '?done=email-removed');
      assert.equal(await page.locator('#email').inputValue(), '');
      assert.equal(await page.getByRole('button', { name: en('account-email-remove') }).count(), 0);
      await context.close();
    });
  });
