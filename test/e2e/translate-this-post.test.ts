import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createCatalog, createUser } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';
import {
  axe,
  launchBrowser,
  screenshot,
  signInWithForm,
  startBrowserSite,
  type BrowserSite,
} from '../helpers/browser.ts';

// "Translate this post" as a new visitor meets it: the story page offers the languages it is
// missing in, with how far each is; the visitor signs up on the way and lands in the editor for
// that story and language; translates into Japanese by keyboard (typing, and a memory match); a
// reviewer approves; the Japanese page reads that sentence in Japanese and the rest in English,
// each part with its own language; on every engine. The story page is checked with axe-core in en,
// ar and ja and photographed wide and at 360 px.

const SLUG = 'village-ledgers';
const STORY = {
  title: 'Village ledgers',
  summary: 'Old books, new citations.',
  body: 'The ledgers are *old*. Volunteers read them.\n\n> Every page counts.',
};

let web: BrowserSite;
let browser: Browser;
let storyId: number;

for (const engine of testEngines())
  describe(`"Translate this post" from a story page (Chromium, ${engine})`, () => {
    before(async () => {
      web = await startBrowserSite(engine);
      await web.site.reset();
      const { stories } = await createCatalog(web.site.services, [{ slug: SLUG, texts: { en: STORY } }]);
      storyId = stories[0]!.id;
      await createUser(web.site.services, 'JaReviewer', [{ role: 'reviewer', language: 'ja' }]);
      // A sentence translated before, elsewhere: the memory offers it.
      await web.site.services.repositories.translations.remember([
        {
          source: 'Volunteers read them.',
          target: 'ボランティアがそれを読みます。',
          sourceLanguage: 'en',
          targetLanguage: 'ja',
          origin: 'story:other',
        },
      ]);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await web?.close();
    });

    test('a visitor signs up from the story page, translates into Japanese by keyboard, a reviewer approves, the page reads unit by unit', async () => {
      const page = await browser.newPage();
      await page.goto(web.url(`/en/stories/${SLUG}`));
      const offer = page.locator('.story__translate');
      assert.match(await offer.innerText(), /Translate this post/);
      assert.match(await offer.locator('li', { hasText: '日本語' }).innerText(), /0% translated/);
      await offer.getByRole('link', { name: '日本語' }).click();
      await page.waitForURL(/\/en\/sign-in\?returnTo=/);
      await page.getByRole('link', { name: 'Create account' }).click();
      await page.locator('#username').fill('Keiko');
      await page.locator('#password').fill('a long enough passphrase');
      await page.locator('#password').press('Enter');
      await page.waitForURL(web.url(`/en/translate/${SLUG}/ja`));
      await page.locator('.translate-unit').first().waitFor();

      const units = await web.site.services.translation.rows(storyId, 'ja');
      const title = units.find((unit) => unit.part === 'title')!;
      const volunteers = units.find((unit) => unit.source === 'Volunteers read them.')!;
      await page.locator(`#translate-text-${title.id}`).focus();
      await page.keyboard.type('村の台帳');
      await page.keyboard.press('Control+Enter');
      // To the sentence the memory knows: next, next.
      while ((await page.evaluate(() => document.activeElement?.id)) !== `translate-text-${volunteers.id}`)
        await page.keyboard.press('Alt+ArrowDown');
      await page.locator('.translate-aids').getByText('100%').first().waitFor();
      await page.keyboard.press('Control+Shift+Digit1');
      await page.keyboard.press('Control+KeyS');
      const deadline = Date.now() + 10_000;
      let saved = await web.site.services.translation.rows(storyId, 'ja');
      while (saved.filter((unit) => unit.state === 'review').length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        saved = await web.site.services.translation.rows(storyId, 'ja');
      }
      assert.equal(saved.find((unit) => unit.id === volunteers.id)!.origin, 'memory');
      assert.equal(saved.find((unit) => unit.id === title.id)!.translator, 'Keiko');

      const reviewer = (await web.site.services.repositories.users.findByUsername('JaReviewer'))!;
      const review = await web.site.services.translation.review({
        storyId,
        language: 'ja',
        unitIds: [title.id, volunteers.id],
        decision: 'approve',
        comment: '',
        reviewerId: reviewer.id,
      });
      assert.deepEqual(review.approved, [title.id, volunteers.id]);

      const reader = await browser.newPage();
      await reader.goto(web.url(`/ja/stories/${SLUG}`));
      assert.equal(await reader.locator('h1').innerText(), '村の台帳');
      const body = reader.locator('.story__body p').first();
      assert.match(await body.innerText(), /ボランティアがそれを読みます。/);
      assert.equal(
        await body.locator('.story__untranslated').first().getAttribute('lang'),
        'en',
        'the rest in English',
      );
      assert.match(await reader.locator('.story__translation-note').innerText(), /40/);
      await reader.close();
      await page.close();
    });

    test('the story page, the list of work and the glossary page: no axe violations in en, ar and ja; screenshots wide and at 360 px', async () => {
      await createUser(web.site.services, 'ArReviewer', [{ role: 'reviewer', language: 'ar' }]);
      const pages: Array<[string, (language: string) => string]> = [
        ['story', (language) => `/${language}/stories/${SLUG}`],
        ['work', (language) => `/${language}/edit/subtitles?language=ar`],
        ['glossary', (language) => `/${language}/translation-resources?from=en&to=ar`],
      ];
      for (const [name, address] of pages) {
        for (const language of ['en', 'ar', 'ja']) {
          for (const width of [1280, 360]) {
            const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
            const page = await context.newPage();
            if (name !== 'story') await signInWithForm(page, web.baseUrl, 'ArReviewer');
            await page.goto(web.url(address(language)));
            assert.deepEqual(await axe(page), [], `${name} in ${language} at ${width}`);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            assert.ok(overflow <= 0, `${name} in ${language} at ${width}: no sideways scrolling`);
            await screenshot(page, `translate-${name}-${language}-${width}`);
            await context.close();
          }
        }
      }
    });
  });
