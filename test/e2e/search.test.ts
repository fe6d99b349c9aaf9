import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { seedDemo } from '../../src/services/demo.ts';
import { axe, launchBrowser, screenshot, startBrowserSite, type BrowserSite } from '../helpers/browser.ts';

// The search page in Chromium, on the demo catalog: the plain form without JavaScript, results
// following the words as they are typed with it, accessibility in English, Arabic and Japanese,
// and how it looks on a desktop and a 360 px phone.

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const LEDGERS = 'village-ledgers-and-a-citation-bot';

let web: BrowserSite;
let browser: Browser;

async function withPage<T>(options: BrowserContextOptions, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await use(await context.newPage());
  } finally {
    await context.close();
  }
}

const resultLinks = (page: Page) =>
  page
    .locator('.search-result__title a')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

describe('search in Chromium', () => {
  before(async () => {
    [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
    await seedDemo(web.site.services.repositories);
  });
  after(async () => {
    await browser?.close();
    await web?.close();
  });

  test('without JavaScript the plain form searches and filters', async () => {
    await withPage({ javaScriptEnabled: false, viewport: DESKTOP }, async (page) => {
      await page.goto(web.url('/en/search'));
      await page.locator('#search-q').fill('ledgres');
      await Promise.all([page.waitForURL(/\/en\/search\?q=ledgres/), page.locator('#search-q').press('Enter')]);
      assert.ok((await resultLinks(page)).includes(`/en/stories/${LEDGERS}`), 'a swap of two letters still finds it');
      assert.equal(await page.locator('.search-result mark').first().textContent(), 'Ledgers');
      await page.locator('#search-q').fill('سجلات');
      await page.locator('#search-language').selectOption('ar');
      await Promise.all([
        page.waitForURL(/q=%D8%B3.*language=ar/),
        page.locator('.search-form button[type="submit"]').click(),
      ]);
      const arabic = page.locator(`.search-result__title a[href="/en/stories/${LEDGERS}"]`);
      assert.equal(await arabic.getAttribute('lang'), 'ar', 'the Arabic text, marked as Arabic');
      assert.equal(await arabic.getAttribute('dir'), 'rtl');
    });
  });

  test('with JavaScript the results follow the words as they are typed, without leaving the page', async () => {
    await withPage({ viewport: DESKTOP }, async (page) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // (The browser's own request for /favicon.ico is answered 404: not this page's doing.)
      page.on('console', (message) => {
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(message.text());
      });
      page.on('response', (response) => {
        if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
          errors.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(web.url('/en/search'));
      await page.evaluate(() => {
        (window as unknown as { stayed: boolean }).stayed = true;
      });
      await page.locator('#search-q').pressSequentially('dusty ledg', { delay: 40 });
      // On a busy machine a pause between keys may show the results of the words so far first; the
      // address follows the results shown, so once it names all the words the results are theirs.
      await page.waitForURL(/q=dusty\+ledg(&|$)/);
      assert.deepEqual(await resultLinks(page), [`/en/stories/${LEDGERS}`], 'the last word counts as a prefix');
      assert.equal(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'no reload');
      assert.equal(await page.locator('#search-q').evaluate((input) => input === document.activeElement), true);
      await page.locator('#search-q').fill('mangrvoes');
      await page.waitForFunction(() => !document.querySelector('.search-result a[href*="ledgers"]'));
      assert.ok((await resultLinks(page)).length > 0, 'a typo finds stories too');
      await page.locator('#search-q').fill('zzzzqqq');
      await page.waitForFunction(() => document.querySelector('.search-results__empty') !== null);
      assert.deepEqual(errors, []);
    });
  });

  test('what a visitor typed is shown as text, never run', async () => {
    await withPage({ viewport: DESKTOP }, async (page) => {
      let dialogs = 0;
      page.on('dialog', async (dialog) => {
        dialogs += 1;
        await dialog.dismiss();
      });
      const payload = '"><img src=x onerror=alert(1)><script>alert(2)</script> ledgers';
      await page.goto(web.url(`/en/search?q=${encodeURIComponent(payload)}`));
      assert.equal(await page.locator('#search-q').inputValue(), payload);
      await page.locator('#search-q').fill(`${payload} dusty`);
      await page.waitForURL(/dusty/);
      assert.equal(await page.locator('.search-results img').count(), 0);
      assert.equal(dialogs, 0);
    });
  });

  describe('accessibility and layout', () => {
    const pages: Record<string, (language: string) => string> = {
      results: (language) => `/search?q=${encodeURIComponent({ en: 'ledgres', ar: 'السجلات', ja: '海辺' }[language]!)}`,
      filtered: () => '/search?q=wiki&region=africa&video=1&subtitles=1',
      empty: () => '/search?q=zebra',
      form: () => '/search',
    };
    let context: BrowserContext;
    before(async () => {
      context = await browser.newContext({ bypassCSP: true, viewport: DESKTOP });
    });
    after(async () => {
      await context?.close();
    });
    for (const language of ['en', 'ar', 'ja']) {
      for (const [name, path] of Object.entries(pages)) {
        test(`axe-core: ${name} (${language})`, async () => {
          const page = await context.newPage();
          try {
            assert.equal((await page.goto(web.url(`/${language}${path(language)}`)))?.status(), 200);
            const violations = await axe(page);
            assert.deepEqual(violations, [], violations.join('\n'));
          } finally {
            await page.close();
          }
        });
      }
      for (const [device, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        test(`screenshot: results (${language}, ${device})`, async () => {
          await withPage({ viewport }, async (page) => {
            await page.goto(web.url(`/${language}${pages.results!(language)}`));
            assert.ok((await page.locator('.search-result').count()) > 0, 'results are shown');
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px too wide)`);
            await screenshot(page, `search-${language}-${device}`);
          });
        });
      }
    }
  });
});
