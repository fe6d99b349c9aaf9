import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { defaultCueSettings } from '../../src/domain/subtitles/index.ts';
import { seedDemo } from '../../src/services/demo.ts';
import { createUser } from '../helpers/app.ts';
import { axe, launchBrowser, screenshot, startBrowserSite, type BrowserSite } from '../helpers/browser.ts';

// The coverage matrix and the contributors' board as a person sees them: on a 360 px phone in
// English and Arabic (the page never scrolls sideways; the matrix scrolls inside its own box, also
// from the keyboard), without JavaScript (the filters still work), and with no axe-core violations.

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const STORY = 'tide-lines-coastal-villages';

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

const pageOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const matrixWrapper = (page: Page) => page.locator('[aria-labelledby="coverage-matrix-caption"]');
const storyRows = (page: Page) => matrixWrapper(page).locator('tbody th[scope="row"]');

describe('coverage and contributors in Chromium', () => {
  before(async () => {
    [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
    const { services } = web.site;
    await seedDemo(services.repositories);
    // Some work in progress: a published Swahili track, half a Hindi translation, and the people who did it.
    const translator = await createUser(services, 'Nadia_translates');
    const reviewer = await createUser(services, 'مراجع');
    const storyId = (await services.repositories.stories.findBySlug(STORY))!.id;
    const cues = [{ id: '', startTime: 0, endTime: 2, text: 'Habari', settings: defaultCueSettings() }];
    await services.subtitles.save({ storyId, language: 'sw', baseRevision: 0, cues, userId: translator.id });
    await services.subtitles.submitForReview(storyId, 'sw', 1, translator.id);
    await services.subtitles.approve(storyId, 'sw', 1, reviewer.id);
    const { translations } = services.repositories;
    const rows = await translations.rows(storyId, 'hi');
    const half = rows.slice(0, Math.ceil(rows.length / 2));
    for (const row of half)
      await translations.save({
        storyId,
        unitId: row.id,
        language: 'hi',
        baseRevision: row.revision,
        sourceVersion: row.sourceVersion,
        text: row.source,
        state: 'review',
        origin: 'human',
        userId: translator.id,
      });
    await translations.review({
      storyId,
      language: 'hi',
      unitIds: half.map((row) => row.id),
      decision: 'approve',
      comment: '',
      reviewerId: reviewer.id,
    });
  });

  after(async () => {
    await browser?.close();
    await web?.close();
  });

  for (const language of ['en', 'ar']) {
    test(`/${language}/translations on a 360 px phone`, async () => {
      await withPage({ viewport: PHONE, bypassCSP: true }, async (page) => {
        assert.equal((await page.goto(web.url(`/${language}/translations`)))?.status(), 200);
        assert.equal(await page.locator('html').getAttribute('dir'), language === 'ar' ? 'rtl' : 'ltr');
        assert.ok((await storyRows(page).count()) > 1, 'stories are listed');
        const overflow = await pageOverflow(page);
        assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow}px too wide)`);
        const wrapper = matrixWrapper(page);
        const [scrollWidth, clientWidth] = await wrapper.evaluate((box) => [box.scrollWidth, box.clientWidth]);
        assert.ok(scrollWidth > clientWidth, 'the matrix scrolls inside its own box');
        await screenshot(page, `coverage-${language}-phone`);

        // The box scrolls from the keyboard (towards the end of the reading direction).
        await wrapper.focus();
        await page.keyboard.press('End');
        for (let step = 0; step < 4; step++) await page.keyboard.press('ArrowRight');
        for (let step = 0; step < 4; step++) await page.keyboard.press('ArrowLeft');
        await page.keyboard.press(language === 'ar' ? 'ArrowLeft' : 'ArrowRight');
        // Keyboard scrolling may be animated: give it a moment on a busy machine.
        let scrolled = 0;
        for (const deadline = Date.now() + 3000; scrolled === 0 && Date.now() < deadline;)
          scrolled = await wrapper.evaluate(async (box) => {
            await new Promise((resolve) => requestAnimationFrame(resolve));
            return box.scrollLeft;
          });
        assert.notEqual(scrolled, 0, 'the arrow keys scroll the matrix');
        await wrapper.scrollIntoViewIfNeeded();
        await screenshot(page, `coverage-${language}-phone-scrolled`, { fullPage: false });

        assert.deepEqual(await axe(page), [], 'no axe-core violations');
      });
    });
  }

  test('the matrix on a desktop, and the contributors board on a phone (en, ar)', async () => {
    await withPage({ viewport: DESKTOP }, async (page) => {
      await page.goto(web.url('/en/translations'));
      await screenshot(page, 'coverage-en-desktop');
    });
    for (const language of ['en', 'ar'])
      await withPage({ viewport: PHONE, bypassCSP: true }, async (page) => {
        assert.equal((await page.goto(web.url(`/${language}/contributors`)))?.status(), 200);
        assert.equal(await page.locator('tbody th[scope="row"]').count(), 2);
        const overflow = await pageOverflow(page);
        assert.ok(overflow <= 0, `the board does not scroll sideways (${overflow}px too wide)`);
        await screenshot(page, `contributors-${language}-phone`);
        assert.deepEqual(await axe(page), [], 'no axe-core violations');
      });
  });

  test('the filters work without JavaScript', async () => {
    await withPage({ viewport: PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto(web.url('/en/translations'));
      const before = await storyRows(page).count();
      await page.locator('#coverage-region').selectOption('africa');
      await Promise.all([page.waitForURL(/region=africa/), page.locator('.catalog-filters button').click()]);
      const after = await storyRows(page).count();
      assert.ok(after > 0 && after < before, `fewer stories (${after} of ${before})`);
      assert.equal(await page.locator('#coverage-region').inputValue(), 'africa');
    });
  });
});
