import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { placeholder } from '../../src/domain/translation/markers.ts';
import { createCatalog, createUser, signIn } from '../helpers/app.ts';
import { startApertium } from '../helpers/apertium.ts';
import { testEngines } from '../helpers/database.ts';
import {
  axe,
  en,
  launchBrowser,
  screenshot,
  signInWithForm,
  startBrowserSite,
  type BrowserSite,
} from '../helpers/browser.ts';

// "Translate this post" in Chromium, from the keyboard: a member with no role translates a story
// into Arabic (typing, a placeholder inserted by key, a memory match), keeps unsaved work across a
// reload, merges a colleague's save of the same sentence, and a reviewer approves; the Arabic story
// page then shows those sentences and English for the rest. An outdated sentence shows what changed.
// The page is checked with axe-core and photographed in English, Arabic and Japanese, wide and at
// 360 px; and with a real Apertium, a machine suggestion is accepted by key.

const SLUG = 'water-for-schools';
const STORY = {
  title: 'Water for schools',
  summary: 'A village builds a well.',
  body: 'We teach *children* to read. Read the [guide](https://example.org/guide) today.\n\nThe river is long. Thanks to 3 volunteers.',
};
const ARABIC = {
  title: 'الماء للمدارس',
  // Typed around the placeholder pair, which goes in by key.
  teach: ['نعلّم ', 'الأطفال', ' القراءة.'],
  river: 'النهر طويل.',
  thanks: 'شكرًا لـ 3 متطوعين.',
  theirs: 'شكرًا جزيلًا لـ 3 من المتطوعين.',
};

let web: BrowserSite;
let browser: Browser;
let storyId: number;
let colleagueId: number;

const editorUrl = (ui: string, target = 'ar') => web.url(`/${ui}/translate/${SLUG}/${target}`);
const rows = () => web.site.services.translation.rows(storyId, 'ar');
const plain = (text: string) => text.replace(/\uE000\d+\uE001/g, '');
async function unitOf(sourceText: string) {
  const unit = (await rows()).find((row) => plain(row.source) === sourceText);
  if (!unit) throw new Error(`no unit reads "${sourceText}"`);
  return unit;
}
const field = (page: Page, id: string) => page.locator(`#translate-text-${id}`);
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Waits until the server has a unit in `state` (saves answer after the editor moved on). */
async function savedAs(sourceText: string, state: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const unit = await unitOf(sourceText);
    if (unit.state === state) return unit;
    if (Date.now() > deadline) throw new Error(`"${sourceText}" never became ${state} (it is ${unit.state})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The island's script and style are served (or every later step would only time out). */
async function assertIslandServed(site: BrowserSite) {
  for (const asset of ['/assets/editor/translate.js', '/assets/translate.css']) {
    const response = await fetch(site.url(asset));
    assert.equal(response.status, 200, `the site serves ${asset}`);
  }
}

async function openEditor(page: Page, url: string) {
  await page.goto(url);
  await page.locator('.translate-unit').first().waitFor();
  assert.equal(await page.locator('.translate-unit').count(), (await rows()).length);
}

for (const engine of testEngines())
  describe(`the translation editor in Chromium (${engine})`, () => {
    before(async () => {
      // No machine engine: the editor must say so and keep working.
      [web, browser] = await Promise.all([startBrowserSite(engine, { APERTIUM_URL: '' }), launchBrowser()]);
      await assertIslandServed(web);
      const { services } = web.site;
      const { stories } = await createCatalog(services, [{ slug: SLUG, texts: { en: STORY }, status: 'published' }]);
      storyId = stories[0]!.id;
      await createUser(services, 'volunteer');
      colleagueId = (await createUser(services, 'colleague')).id;
      await createUser(services, 'reviewer-ar', [{ role: 'reviewer', language: 'ar' }]);
      // The glossary has no repository method of its own yet (it comes from TBX files): one term, written directly.
      await web.site.database.db
        .insertInto('glossary_terms')
        .values({
          source_language: 'en',
          target_language: 'ar',
          term: 'river',
          translation: 'النهر',
          note: 'a natural stream',
          part_of_speech: 'noun',
          forbidden: ['النهير'],
        })
        .execute();
      const river = await unitOf('The river is long.');
      await services.repositories.translations.remember([
        { source: river.source, target: ARABIC.river, sourceLanguage: 'en', targetLanguage: 'ar', origin: 'test' },
      ]);
    });
    after(async () => {
      await browser?.close();
      await web?.close();
    });

    test('a member translates with the keyboard alone, keeps unsaved work across a reload and merges a colleague’s save', async () => {
      const [title, summary, teach, guide, river, thanks] = await rows();
      assert.equal(thanks?.source, 'Thanks to 3 volunteers.');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInWithForm(page, web.baseUrl, 'volunteer');
      await openEditor(page, editorUrl('en'));
      assert.equal(await field(page, title!.id).getAttribute('lang'), 'ar');
      assert.equal(await field(page, title!.id).getAttribute('dir'), 'rtl');
      assert.equal(await page.locator(`#translate-source-${teach!.id}`).getAttribute('lang'), 'en');
      assert.deepEqual(
        await page.locator(`#translate-source-${teach!.id} .translate-chip__token`).allInnerTexts(),
        ['⟦1⟧', '⟦/1⟧'],
        'the emphasis shows as a numbered pair of chips',
      );

      // The title, typed; Ctrl+Enter saves it (for review: the default) and goes on.
      await page.keyboard.press('Alt+ArrowDown');
      assert.equal(await focusedId(page), `translate-text-${title!.id}`);
      await page.getByText(en('translate-machine-off')).waitFor();
      await page.keyboard.type(ARABIC.title);
      await page.keyboard.press('Control+Enter');
      assert.equal(await focusedId(page), `translate-text-${summary!.id}`);

      // The summary stays English; the next sentence gets its emphasis by key, around the word typed.
      await page.keyboard.press('Alt+ArrowDown');
      assert.equal(await focusedId(page), `translate-text-${teach!.id}`);
      await page.keyboard.type(ARABIC.teach[0]!);
      await page.keyboard.press('Alt+Shift+Digit1');
      await page.keyboard.type(ARABIC.teach[1]!);
      await page.keyboard.press('Alt+Shift+Digit1');
      await page.keyboard.type(ARABIC.teach[2]!);
      assert.equal(
        await field(page, teach!.id).inputValue(),
        `${ARABIC.teach[0]}⟦1⟧${ARABIC.teach[1]}⟦/1⟧${ARABIC.teach[2]}`,
      );
      await page.keyboard.press('Control+Enter');

      // The link sentence is left; the river sentence takes the memory's exact match by key.
      assert.equal(await focusedId(page), `translate-text-${guide!.id}`);
      await page.keyboard.press('Alt+ArrowDown');
      assert.equal(await focusedId(page), `translate-text-${river!.id}`);
      await page.getByText(en('translate-memory-score', 100)).waitFor();
      assert.match(await page.locator('.translate-glossary').innerText(), /river\s+النهر — a natural stream/);
      await page.keyboard.press('Control+Shift+Digit1');
      assert.equal(await field(page, river!.id).inputValue(), ARABIC.river);
      await page.keyboard.press('Control+KeyS');
      await page.getByText(en('translate-saved-review', 5)).waitFor();

      const savedTitle = await savedAs(STORY.title, 'review');
      assert.equal(savedTitle.text, ARABIC.title);
      assert.equal(savedTitle.origin, 'human');
      const savedTeach = await savedAs('We teach children to read.', 'review');
      assert.equal(
        savedTeach.text,
        `${ARABIC.teach[0]}${placeholder(0)}${ARABIC.teach[1]}${placeholder(1)}${ARABIC.teach[2]}`,
        'the tokens went back to the exact markers',
      );
      assert.equal((await savedAs('The river is long.', 'review')).origin, 'memory');
      assert.equal((await unitOf(STORY.summary)).state, 'untranslated');
      await screenshot(page, 'translate-editor-en-working');

      // Typed but not saved: a reload brings it back from the browser's storage.
      await page.keyboard.press('Alt+ArrowDown');
      assert.equal(await focusedId(page), `translate-text-${thanks!.id}`);
      await page.keyboard.type(ARABIC.thanks);
      await page.waitForTimeout(600);
      await page.reload();
      await page.locator('.translate-editor__restored').waitFor();
      assert.equal(await field(page, thanks!.id).inputValue(), ARABIC.thanks);
      assert.equal((await unitOf('Thanks to 3 volunteers.')).state, 'untranslated', 'nothing was saved');

      // A colleague's bot saves the same sentence meanwhile: the save opens the merge, and nothing is overwritten.
      await web.site.services.accounts.setBot(colleagueId, true);
      const theirs = await web.site.services.translation.save(
        {
          storyId,
          unitId: thanks!.id,
          language: 'ar',
          baseRevision: 0,
          sourceVersion: thanks!.sourceVersion,
          text: ARABIC.theirs,
          state: 'draft',
          origin: 'human',
          userId: colleagueId,
        },
        'en',
      );
      assert.ok(theirs.ok);
      for (let i = 0; i < 6; i++) await page.keyboard.press('Alt+ArrowDown');
      assert.equal(await focusedId(page), `translate-text-${thanks!.id}`);
      await page.keyboard.press('Control+KeyS');
      await page.getByRole('heading', { name: en('translate-merge-title') }).waitFor();
      await page.locator('.translate-merge').getByText(ARABIC.theirs).waitFor();
      await page.locator('.translate-merge').getByText(ARABIC.thanks).waitFor();
      assert.equal((await unitOf('Thanks to 3 volunteers.')).text, ARABIC.theirs, 'theirs stands until I choose');
      const explained = page.locator('.translate-merge .cdx-message p');
      assert.equal(await explained.locator('bdi').innerText(), 'colleague');
      assert.equal(await explained.locator('.bot-label').innerText(), en('bot-label'), 'the bot is labelled');
      await screenshot(page, 'translate-editor-merge-en');
      // From the merge's heading: "use theirs", then "keep mine".
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(
        await page.evaluate(() => document.activeElement?.textContent?.trim()),
        en('translate-merge-keep-mine'),
      );
      await page.keyboard.press('Enter');
      await page.getByText(en('translate-saved-review', 6)).waitFor();
      const merged = await savedAs('Thanks to 3 volunteers.', 'review');
      assert.equal(merged.text, ARABIC.thanks);
      assert.equal(merged.translator, 'volunteer');
      assert.equal(merged.revision, 2, 'saved on top of theirs');
      // Every sentence is now by the member, a person: named without the bot label.
      const who = page.locator(`[data-unit="${thanks!.id}"] .translate-unit__who`);
      await who.locator('bdi', { hasText: 'volunteer' }).waitFor();
      assert.equal(await page.locator('.translate-unit__who .bot-label').count(), 0);
      assert.equal(await page.locator('.translate-unit__who').count(), 4, 'the four sentences translated');
      await web.site.services.accounts.setBot(colleagueId, false);
      assert.equal(await page.locator('.translate-editor__restored').count(), 0, 'the kept draft is gone once saved');
      await context.close();
    });

    test('a reviewer approves everything awaiting review, and the Arabic story page shows it with English for the rest', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInWithForm(page, web.baseUrl, 'reviewer-ar');
      await openEditor(page, editorUrl('en'));
      const awaiting = (await rows()).filter((row) => row.state === 'review').length;
      assert.equal(awaiting, 4);
      await page.getByRole('button', { name: en('translate-review-select-all') }).click();
      assert.equal(await page.locator('.translate-unit__select input:checked').count(), awaiting);
      await screenshot(page, 'translate-editor-review-en');
      await page.locator('.translate-review__selection .cdx-button--action-progressive').click();
      await page.locator('.translate-progress__label', { hasText: '4 of 6' }).waitFor();
      assert.equal((await rows()).filter((row) => row.state === 'approved').length, 4);

      const viewer = await (await browser.newContext()).newPage();
      await viewer.goto(web.url(`/ar/stories/${SLUG}`));
      const article = (await viewer.locator('main').innerText()).replace(/\s+/g, ' ');
      assert.match(await viewer.locator('h1').innerText(), new RegExp(ARABIC.title));
      assert.ok(article.includes(ARABIC.teach.join('')), 'the sentence with emphasis, in Arabic');
      assert.equal(await viewer.locator('main em', { hasText: ARABIC.teach[1]! }).count(), 1, 'with its emphasis');
      assert.ok(article.includes('Read the guide today.'), 'the untranslated sentence stays English');
      assert.ok(article.includes(ARABIC.river) && article.includes(ARABIC.thanks));
      assert.ok(article.includes(STORY.summary), 'the untranslated summary stays English');
      await context.close();
      await viewer.context().close();
    });

    test('an outdated sentence shows what changed in the source, and a reviewer’s reason for sending one back', async () => {
      const { repositories } = web.site.services;
      const story = (await repositories.stories.findById(storyId))!;
      const text = story.texts.en!;
      const blocks = text.blocks.map((block) =>
        block.text.startsWith('The river') ? { ...block, text: block.text.replace('is long', 'is very long') } : block,
      );
      const updated = await repositories.stories.update(
        storyId,
        story.revision,
        { ...story, text: { ...text, blocks } },
        null,
      );
      assert.ok(updated?.ok);
      assert.equal((await unitOf('The river is very long.')).state, 'outdated');

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInWithForm(page, web.baseUrl, 'volunteer');
      await openEditor(page, editorUrl('en'));
      // Alt+Shift+F twice: all → untranslated → outdated.
      await page.keyboard.press('Alt+Shift+KeyF');
      await page.keyboard.press('Alt+Shift+KeyF');
      await page.locator('.translate-unit').nth(1).waitFor({ state: 'detached' });
      assert.equal(await page.locator('.translate-unit').count(), 1);
      assert.equal(await page.locator('.translate-diff ins').textContent(), `${en('translate-diff-added')}very `);
      await page.keyboard.press('Alt+ArrowDown');
      await screenshot(page, 'translate-editor-outdated-en');
      // Ctrl+S on the unchanged text confirms it still holds ("still correct").
      await page.keyboard.press('Control+KeyS');
      const confirmed = await savedAs('The river is very long.', 'review');
      assert.equal(confirmed.text, ARABIC.river);

      const reviewer = await signIn(web.site.app, 'reviewer-ar');
      const sentBack = await web.site.app.inject({
        method: 'POST',
        url: `/api/v1/stories/${SLUG}/translations/ar/review`,
        headers: { cookie: reviewer.cookie, 'csrf-token': reviewer.csrf },
        payload: { units: [confirmed.id], decision: 'send-back', comment: 'أضف كلمة «جدًا» <b>' },
      });
      assert.equal(sentBack.statusCode, 200, sentBack.body);
      await openEditor(page, editorUrl('en'));
      assert.match(await page.locator('.translate-unit__feedback').innerText(), /أضف كلمة «جدًا» <b>/);
      assert.equal(await page.locator('.translate-unit__feedback bdi').innerText(), 'reviewer-ar');
      assert.equal(await page.locator('.translate-unit__feedback .bot-label').count(), 0, 'a person, not a bot');
      // The same, by a bot: the reviewer's name and the translator's carry the label.
      const reviewerAccount = (await web.site.services.repositories.users.findByUsername('reviewer-ar'))!;
      const volunteerAccount = (await web.site.services.repositories.users.findByUsername('volunteer'))!;
      for (const account of [reviewerAccount, volunteerAccount])
        await web.site.services.accounts.setBot(account.id, true);
      await openEditor(page, editorUrl('en'));
      assert.equal(await page.locator('.translate-unit__feedback .bot-label').innerText(), en('bot-label'));
      assert.equal(
        await page.locator('.translate-unit__who .bot-label').count(),
        (await rows()).filter((row) => row.translator === 'volunteer').length,
      );
      assert.ok(await page.locator('.translate-unit__who .bot-label').count());
      for (const account of [reviewerAccount, volunteerAccount])
        await web.site.services.accounts.setBot(account.id, false);
      await openEditor(page, editorUrl('en'));

      // A glossary variant to avoid is a warning, shown as it is typed; warnings do not block the save.
      for (let i = 0; i < 5; i++) await page.keyboard.press('Alt+ArrowDown');
      assert.equal(await focusedId(page), `translate-text-${confirmed.id}`);
      await page.keyboard.press('Control+KeyA');
      await page.keyboard.type('النهير طويل جدًا.');
      const warning = page.locator('.translate-unit--active .translate-problem--warning');
      await warning.first().waitFor();
      assert.match((await warning.allInnerTexts()).join(' '), /النهير/);
      await page.keyboard.press('Control+KeyS');
      await savedAs('The river is very long.', 'review');

      // A comment on the sentence, for the reviewer.
      await page.locator('.translate-unit--active .translate-comments summary').click();
      await page.getByLabel(en('translate-comment-label')).fill('Is «very» needed here?');
      await page.getByRole('button', { name: en('translate-comment-add') }).click();
      await page.locator('.translate-comments__body', { hasText: 'Is «very» needed here?' }).waitFor();
      assert.equal((await unitOf('The river is very long.')).comments, 1);
      await screenshot(page, 'translate-editor-comments-en');
      await context.close();
    });

    test('the editor is accessible and laid out in English, Arabic and Japanese, on a desktop and a 360 px phone', async () => {
      for (const [language, width] of [
        ['en', 1280],
        ['ar', 1280],
        ['ja', 1280],
        ['en', 360],
        ['ar', 360],
        ['ja', 360],
      ] as const) {
        const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
        const page = await context.newPage();
        await signInWithForm(page, web.baseUrl, 'reviewer-ar', language);
        await openEditor(page, editorUrl(language));
        assert.equal(await page.locator('html').getAttribute('dir'), language === 'ar' ? 'rtl' : 'ltr');
        // The third sentence, active: its memory, machine and glossary help shows.
        for (let i = 0; i < 3; i++) await page.keyboard.press('Alt+ArrowDown');
        await page.locator('.translate-aids').waitFor();
        assert.deepEqual(await axe(page), [], `${language} at ${width} px`);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `${language} at ${width} px: no sideways scrolling (${overflow} px)`);
        await screenshot(page, `translate-editor-${language}-${width}`);
        await context.close();
      }
    });

    test('into traditional Mongolian, written in vertical lines: the text fields are set vertically, typing and saving as usual', async () => {
      assert.equal(await web.site.services.languages.add('mn-mong'), null);
      const [title] = await web.site.services.translation.rows(storyId, 'mn-mong');
      for (const width of [1280, 360]) {
        const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
        const page = await context.newPage();
        await signInWithForm(page, web.baseUrl, 'volunteer');
        await page.goto(web.url(`/en/translate/${SLUG}/mn-mong`));
        const text = page.locator(`#translate-text-${title!.id}`);
        await text.waitFor();
        assert.equal(await text.evaluate((element) => getComputedStyle(element).writingMode), 'vertical-lr');
        assert.equal(
          await page
            .locator(`#translate-source-${title!.id}`)
            .evaluate((element) => getComputedStyle(element).writingMode),
          'horizontal-tb',
          'the English source stays horizontal',
        );
        if (width === 1280) {
          await text.focus();
          await page.keyboard.insertText('ᠭᠣᠣᠯ');
          await page.keyboard.press('Control+KeyS');
          const deadline = Date.now() + 10_000;
          while ((await web.site.services.translation.rows(storyId, 'mn-mong'))[0]!.text !== 'ᠭᠣᠣᠯ') {
            assert.ok(Date.now() < deadline, 'the Mongolian title is saved');
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        assert.deepEqual(await axe(page), [], `Mongolian at ${width} px`);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `Mongolian at ${width} px: no sideways scrolling (${overflow} px)`);
        await screenshot(page, `translate-editor-mn-mong-${width}`);
        await context.close();
      }
    });
  });

describe('machine suggestions from a real Apertium', () => {
  test('a member accepts the machine translation into Spanish by key, and the save says where it came from', async () => {
    const apertium = await startApertium();
    const site = await startBrowserSite('embedded', { APERTIUM_URL: apertium.url });
    const chromium = await launchBrowser();
    try {
      await assertIslandServed(site);
      await createCatalog(site.site.services, [{ slug: SLUG, texts: { en: STORY }, status: 'published' }]);
      await createUser(site.site.services, 'volunteer');
      const page = await (await chromium.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signInWithForm(page, site.baseUrl, 'volunteer');
      await page.goto(site.url(`/en/translate/${SLUG}/es`));
      await page.locator('.translate-unit').first().waitFor();
      await page.keyboard.press('Alt+ArrowDown');
      await page.keyboard.press('Alt+ArrowDown');
      await page.keyboard.press('Alt+ArrowDown');
      // Alt+Shift+M waits for the engine if it has not answered yet.
      await page.keyboard.press('Alt+Shift+KeyM');
      const text = page.locator('.translate-unit--active .translate-unit__text');
      await page.waitForFunction(
        () => (document.querySelector('.translate-unit--active textarea') as HTMLTextAreaElement | null)?.value,
      );
      const suggested = await text.inputValue();
      assert.match(suggested, /⟦1⟧.+⟦\/1⟧/, `the emphasis kept its place: ${suggested}`);
      await screenshot(page, 'translate-editor-machine-es');
      await page.keyboard.press('Control+KeyS');
      const deadline = Date.now() + 10_000;
      let unit: { state: string; origin: string | null; text: string } | undefined;
      while (Date.now() < deadline) {
        const answer = await site.site.app.inject({ url: `/api/v1/stories/${SLUG}/translations/es` });
        unit = (JSON.parse(answer.body) as { units: (typeof unit & object)[] }).units[2];
        if (unit?.state === 'review') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(unit?.state, 'review');
      assert.equal(unit?.origin, 'machine:apertium');
      assert.match(unit!.text, /\uE0000\uE001.+\uE0001\uE001/);
    } finally {
      await chromium.close();
      await site.close();
      await apertium.stop();
    }
  });
});
