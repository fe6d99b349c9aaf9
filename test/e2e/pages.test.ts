import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { seedDemo } from '../../src/services/demo.ts';
import { createUser } from '../helpers/app.ts';
import {
  axe,
  en,
  launchBrowser,
  screenshot,
  signInWithForm,
  startBrowserSite,
  type BrowserSite,
} from '../helpers/browser.ts';

// One site for the whole file: the demo catalog plus an editor who is also an admin. Tests that
// change data each use a story of their own, so they do not depend on the order they run in.
const EDITOR = 'Editor_Eve';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

let web: BrowserSite;
let browser: Browser;

/** A page in a context of its own, closed again after `use`. */
async function withPage<T>(
  options: BrowserContextOptions,
  use: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await use(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

const storyLinks = (page: Page) =>
  page
    .locator('.story-list .story-card__title')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

const searchLinks = (page: Page) =>
  page
    .locator('.search-result__title a')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

describe('storyhub in Chromium', () => {
  before(async () => {
    [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
    await seedDemo(web.site.services.repositories);
    await createUser(web.site.services, EDITOR, [{ role: 'editor' }, { role: 'admin' }]);
  });

  after(async () => {
    await browser?.close();
    await web?.close();
  });

  describe('home page layouts', { concurrency: 3 }, () => {
    for (const language of ['en', 'ar', 'ja']) {
      for (const [device, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        test(`/${language}/ at ${viewport.width}×${viewport.height}`, async () => {
          await withPage({ viewport }, async (page) => {
            const response = await page.goto(web.url(`/${language}/`));
            assert.equal(response?.status(), 200);
            const dir = language === 'ar' ? 'rtl' : 'ltr';
            assert.equal(await page.locator('html').getAttribute('dir'), dir);
            assert.equal(await page.locator('html').getAttribute('lang'), language);
            assert.ok((await page.locator('.story-list .story-card').count()) > 0, 'stories are listed');
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            );
            assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px too wide)`);
            // Mirroring: the site name starts the header on the reading side.
            const name = (await page.locator('.site-name').boundingBox())!;
            if (dir === 'rtl')
              assert.ok(name.x + name.width > viewport.width - 40, `site name at the right in rtl (x=${name.x})`);
            else assert.ok(name.x < 40, `site name at the left in ltr (x=${name.x})`);
            await screenshot(page, `home-${language}-${device}`);
          });
        });
      }
    }

    test('the open language switcher stays on screen on a phone (en, ar, ja)', async () => {
      for (const language of ['en', 'ar', 'ja']) {
        await withPage({ viewport: PHONE }, async (page) => {
          await page.goto(web.url(`/${language}/`));
          await page.locator('.language-switcher summary').click();
          const box = (await page.locator('.language-switcher__list').boundingBox())!;
          assert.ok(
            box.x >= 0 && box.x + box.width <= PHONE.width,
            `${language}: the list spans ${box.x}–${box.x + box.width}px of ${PHONE.width}`,
          );
          await screenshot(page, `language-switcher-${language}-phone`, { fullPage: false });
        });
      }
    });

    test('a story page in Arabic and Japanese, desktop and phone', async () => {
      for (const [language, slug] of [
        ['ar', 'tide-lines-coastal-villages'],
        ['ja', 'tide-lines-coastal-villages'],
        ['ja', 'school-wiki-clubs-kisumu'],
      ] as const) {
        for (const [device, viewport] of [
          ['desktop', DESKTOP],
          ['phone', PHONE],
        ] as const) {
          await withPage({ viewport }, async (page) => {
            assert.equal((await page.goto(web.url(`/${language}/stories/${slug}`)))?.status(), 200);
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            );
            assert.ok(overflow <= 0, `${language} ${slug} ${device}: no sideways scrolling (${overflow}px too wide)`);
            await screenshot(
              page,
              `story-${language}-${slug === 'tide-lines-coastal-villages' ? 'translated' : 'fallback'}-${device}`,
            );
          });
        }
      }
    });
  });

  // Each check has a page of its own, so several run at once.
  describe('accessibility (axe-core, WCAG 2.1 A and AA)', { concurrency: 4 }, () => {
    const STORY = 'tide-lines-coastal-villages';
    const publicPages: Record<string, (language: string) => string> = {
      home: () => '/',
      catalog: () => '/stories',
      'filtered catalog': () => '/stories?region=latin-america&inlang=1',
      story: () => `/stories/${STORY}`,
      'story shown in another language': () => '/stories/two-languages-one-script-border-workshops',
      region: () => '/regions/east-southeast-asia-pacific',
      theme: () => '/themes/climate',
      person: () => '/people/LintasBahasa',
      'search results': (language) => `/search?q=${encodeURIComponent(language === 'ja' ? '漁村' : 'mangrove')}`,
      'search with no results': () => '/search?q=zebra',
      'sign-in': () => '/sign-in',
      'sign-up': () => '/sign-up',
      '404 page': () => '/nothing-here',
    };
    const editorPages: Record<string, () => string> = {
      'story editor': () => `/edit/stories/${STORY}`,
      'story editor, another text language': () => `/edit/stories/${STORY}?text=ja`,
      'new story editor': () => '/edit/stories/new',
      'history page': () => `/edit/stories/${STORY}/history`,
      'home, signed in': () => '/',
    };

    let visitor: BrowserContext;
    let editor: BrowserContext;
    before(async () => {
      visitor = await browser.newContext({ bypassCSP: true, viewport: DESKTOP });
      editor = await browser.newContext({ bypassCSP: true, viewport: DESKTOP });
      const page = await editor.newPage();
      await signInWithForm(page, web.baseUrl, EDITOR);
      await page.close();
    });
    after(async () => {
      await visitor?.close();
      await editor?.close();
    });

    async function check(context: BrowserContext, path: string, expectedStatus = 200) {
      const page = await context.newPage();
      try {
        const response = await page.goto(web.url(path));
        assert.equal(response?.status(), expectedStatus, `${path} answers ${expectedStatus}`);
        const violations = await axe(page);
        assert.deepEqual(violations, [], `${path} has accessibility violations:\n  ${violations.join('\n  ')}`);
      } finally {
        await page.close();
      }
    }

    for (const language of ['en', 'ar', 'ja']) {
      for (const [name, path] of Object.entries(publicPages)) {
        test(`${name} (${language})`, () =>
          check(visitor, `/${language}${path(language)}`, name === '404 page' ? 404 : 200));
      }
      for (const [name, path] of Object.entries(editorPages)) {
        test(`${name} (${language})`, () => check(editor, `/${language}${path()}`));
      }
    }

    test('the open language switcher (en, ar)', async () => {
      for (const language of ['en', 'ar']) {
        const page = await visitor.newPage();
        await page.goto(web.url(`/${language}/`));
        await page.locator('.language-switcher summary').click();
        assert.ok(await page.locator('.language-switcher__list').isVisible());
        const violations = await axe(page);
        assert.deepEqual(violations, [], `${language}: ${violations.join('\n  ')}`);
        await page.close();
      }
    });

    test('forms with errors: failed sign-in and sign-up (en, ar)', async () => {
      for (const language of ['en', 'ar']) {
        const page = await visitor.newPage();
        await page.goto(web.url(`/${language}/sign-in`));
        await page.locator('#username').fill('nobody-here');
        await page.locator('#password').fill('wrong password');
        await page.locator('.narrow-form button[type="submit"]').click();
        await page.locator('.cdx-message--error').waitFor();
        let violations = await axe(page);
        assert.deepEqual(violations, [], `${language} sign-in: ${violations.join('\n  ')}`);
        await page.goto(web.url(`/${language}/sign-up`));
        await page.locator('#username').fill('x');
        await page.locator('#password').fill('short');
        await page.locator('.narrow-form button[type="submit"]').click();
        await page.locator('#username-error').waitFor();
        violations = await axe(page);
        assert.deepEqual(violations, [], `${language} sign-up: ${violations.join('\n  ')}`);
        await page.close();
      }
    });
  });

  describe('without JavaScript', () => {
    const noScript = { javaScriptEnabled: false, viewport: DESKTOP };

    test('the catalog filters narrow the list: a region, then "available in my language"', async () => {
      await withPage(noScript, async (page) => {
        // Chinese: of the two Latin American stories only one has a Chinese text.
        await page.goto(web.url('/zh-hans/stories'));
        const all = await storyLinks(page);
        assert.ok(
          all.length >= 7 && all.includes('/zh-hans/stories/school-wiki-clubs-kisumu'),
          'at first every story is listed',
        );
        await page.locator('#filter-region').selectOption('latin-america');
        await Promise.all([
          page.waitForURL(/region=latin-america/),
          page.locator('.catalog-filters button[type="submit"]').click(),
        ]);
        assert.deepEqual((await storyLinks(page)).sort(), [
          '/zh-hans/stories/andean-heritage-photo-contest',
          '/zh-hans/stories/behind-the-screen-a-year-of-stories',
        ]);
        assert.equal(await page.locator('#filter-region').inputValue(), 'latin-america', 'the select keeps the choice');
        await page.locator('#filter-inlang').check();
        await Promise.all([
          page.waitForURL(/inlang=1/),
          page.locator('.catalog-filters button[type="submit"]').click(),
        ]);
        assert.deepEqual(await storyLinks(page), ['/zh-hans/stories/behind-the-screen-a-year-of-stories']);
        assert.ok(await page.locator('#filter-inlang').isChecked(), 'the checkbox stays ticked');
        assert.equal(await page.locator('#filter-region').inputValue(), 'latin-america');
        assert.equal(
          await page.locator('.story-card__title').first().getAttribute('lang'),
          null,
          'the card is in the reader language',
        );
      });
    });

    test('the header search finds a story by an English word', async () => {
      await withPage(noScript, async (page) => {
        await page.goto(web.url('/en/'));
        await page.locator('#site-search-q').fill('mangrove');
        await Promise.all([page.waitForURL(/\/en\/search\?q=mangrove/), page.locator('#site-search-q').press('Enter')]);
        assert.deepEqual(await searchLinks(page), ['/en/stories/tide-lines-coastal-villages']);
        assert.equal(await page.locator('#search-q').inputValue(), 'mangrove', 'the search page keeps the query');
      });
    });

    test('the search page finds a Japanese substring', async () => {
      await withPage(noScript, async (page) => {
        await page.goto(web.url('/ja/search'));
        await page.locator('#search-q').fill('漁村');
        await Promise.all([
          page.waitForURL(/\/ja\/search\?q=/),
          page.locator('.search-form button[type="submit"]').click(),
        ]);
        assert.deepEqual(await searchLinks(page), ['/ja/stories/tide-lines-coastal-villages']);
        assert.match(
          (await page.locator('.search-result__title a').textContent()) ?? '',
          /潮の記憶/,
          'the Japanese title is shown',
        );
        assert.equal(await page.locator('#search-q').inputValue(), '漁村');
      });
    });

    test('the language switcher opens without script and switches to Arabic, right to left', async () => {
      await withPage(noScript, async (page) => {
        await page.goto(web.url('/en/stories?region=africa'));
        const list = page.locator('.language-switcher__list');
        assert.equal(await list.isVisible(), false);
        await page.locator('.language-switcher summary').click();
        assert.equal(await list.isVisible(), true);
        await Promise.all([page.waitForURL(/\/ar\/stories\?region=africa$/), list.locator('a[hreflang="ar"]').click()]);
        assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
        assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
        assert.equal(await page.locator('#filter-region').inputValue(), 'africa', 'the page and its filters are kept');
        // The choice is remembered: the bare address now leads to Arabic.
        await page.goto(web.url('/'));
        assert.equal(new URL(page.url()).pathname, '/ar/');
        await screenshot(page, 'switched-to-ar-desktop');
      });
    });
  });

  describe('editing in the browser', () => {
    test('sign in through the form, change an English title, see it saved and published', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        const slug = 'amman-women-editing-circle';
        await page.goto(web.url(`/en/stories/${slug}`));
        assert.equal(
          await page
            .locator('.story-header, .story__header')
            .getByRole('link', { name: en('story-edit') })
            .count(),
          0,
          'no edit link for visitors',
        );
        await page.goto(web.url(`/en/sign-in?returnTo=${encodeURIComponent(`/en/stories/${slug}`)}`));
        await page.getByLabel(en('field-username')).fill(EDITOR);
        await page.getByLabel(en('field-password')).fill('wrong password');
        await page
          .getByRole('button', { name: en('sign-in') })
          .last()
          .click();
        assert.equal(await page.getByRole('alert').textContent(), en('sign-in-failed'));
        assert.equal(await page.getByLabel(en('field-username')).inputValue(), EDITOR, 'the username is kept');
        await signInWithForm(page, web.baseUrl, EDITOR);
        assert.match((await page.locator('.site-account__name').textContent()) ?? '', new RegExp(EDITOR));

        await page.goto(web.url(`/en/stories/${slug}`));
        await Promise.all([
          page.waitForURL(`**/en/edit/stories/${slug}`),
          page.getByRole('link', { name: en('story-edit') }).click(),
        ]);
        const title = page.getByLabel(en('field-title'));
        assert.match(await title.inputValue(), /Women's Editing Circle/);
        await title.fill('Tuesday Evenings, Revised in a Browser');
        await Promise.all([page.waitForURL(/saved=1/), page.getByRole('button', { name: en('editor-save') }).click()]);
        assert.equal((await page.getByRole('status').textContent())?.trim(), en('editor-saved'));
        assert.equal(await page.getByLabel(en('field-title')).inputValue(), 'Tuesday Evenings, Revised in a Browser');

        await page.goto(web.url(`/en/stories/${slug}`));
        assert.equal(await page.locator('h1').textContent(), 'Tuesday Evenings, Revised in a Browser');
        assert.equal(await page.title(), en('page-title', 'Tuesday Evenings, Revised in a Browser'));
        // Other languages keep their own titles.
        await page.goto(web.url(`/fr/stories/${slug}`));
        assert.notEqual(await page.locator('h1').textContent(), 'Tuesday Evenings, Revised in a Browser');
      });
    });

    test('two editors save the same story: the second sees a conflict and keeps what they typed', async () => {
      await withPage({ viewport: DESKTOP }, async (first, context) => {
        const slug = 'village-ledgers-and-a-citation-bot';
        await signInWithForm(first, web.baseUrl, EDITOR);
        const second = await context.newPage();
        const editor = web.url(`/en/edit/stories/${slug}`);
        await Promise.all([first.goto(editor), second.goto(editor)]);

        await first.getByLabel(en('field-title')).fill('Ledgers: the first editor wins');
        await Promise.all([
          first.waitForURL(/saved=1/),
          first.getByRole('button', { name: en('editor-save') }).click(),
        ]);
        assert.equal((await first.getByRole('status').textContent())?.trim(), en('editor-saved'));

        await second.getByLabel(en('field-title')).fill('Ledgers: the second editor was slower');
        await second.getByLabel(en('field-summary')).fill('A summary typed by the second editor.');
        const [response] = await Promise.all([
          second.waitForResponse((r) => r.request().method() === 'POST'),
          second.getByRole('button', { name: en('editor-save') }).click(),
        ]);
        assert.equal(response.status(), 409);
        await second.waitForLoadState();
        const warning = (await second.locator('.conflict .cdx-message--warning').textContent())?.trim() ?? '';
        const [before, after] = en('editor-conflict').split('$1');
        assert.ok(warning.startsWith(before!) && warning.endsWith(after!), `conflict message: ${warning}`);
        assert.equal(
          await second.getByLabel(en('field-title')).inputValue(),
          'Ledgers: the second editor was slower',
          'the typed title is kept',
        );
        assert.equal(
          await second.getByLabel(en('field-summary')).inputValue(),
          'A summary typed by the second editor.',
          'the typed summary is kept',
        );
        assert.equal(
          await second.locator('.conflict__theirs dd').first().textContent(),
          'Ledgers: the first editor wins',
          'their version is shown',
        );
        await screenshot(second, 'editor-conflict-en-desktop');

        // The public page still has the first editor's title: nothing was overwritten.
        await first.goto(web.url(`/en/stories/${slug}`));
        assert.equal(await first.locator('h1').textContent(), 'Ledgers: the first editor wins');

        // Saving again, having seen their version, goes through.
        await Promise.all([
          second.waitForURL(/saved=1/),
          second.getByRole('button', { name: en('editor-save') }).click(),
        ]);
        await first.reload();
        assert.equal(await first.locator('h1').textContent(), 'Ledgers: the second editor was slower');
      });
    });

    test('hostile text typed into the editor is shown literally everywhere, never run', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        const title = '<img src=x onerror=alert(1)>';
        const body = '<script>alert(2)</script>';
        const dialogs: string[] = [];
        const cspReports: string[] = [];
        page.on('dialog', (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        // The CSP would also stop an injected handler; a refusal in the console means markup got through.
        page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) cspReports.push(message.text());
        });
        const noInjection = async (where: string) => {
          assert.deepEqual(dialogs, [], `no dialog on ${where}`);
          assert.deepEqual(cspReports, [], `nothing for the CSP to block on ${where}`);
          assert.equal(await page.locator('img[src="x"], img[onerror]').count(), 0, `no injected image on ${where}`);
          // The site's own optional scripts (search as you type) are the only script elements.
          assert.equal(await page.locator('script:not([src^="/assets/"])').count(), 0, `no script element on ${where}`);
        };

        await signInWithForm(page, web.baseUrl, EDITOR);
        await page.goto(web.url('/en/edit/stories/new'));
        await page.getByLabel(en('field-title')).fill(title);
        await page.getByLabel(en('field-summary')).fill(`Summary ${body}`);
        await page.getByLabel(en('field-body')).fill(body);
        await page.getByLabel(en('field-slug')).fill('hostile-markup');
        await page.getByLabel(en('field-region')).selectOption('1');
        await Promise.all([
          page.waitForURL(/\/en\/edit\/stories\/hostile-markup\?.*saved=1/),
          page.getByRole('button', { name: en('editor-save') }).click(),
        ]);
        assert.equal(await page.getByLabel(en('field-title')).inputValue(), title);
        await noInjection('the editor');
        await Promise.all([
          page.waitForURL(/saved=1/),
          page.getByRole('button', { name: en('editor-publish') }).click(),
        ]);
        assert.equal(
          (await page.locator('.editor-status p').first().textContent())?.trim(),
          en('story-status-published'),
        );

        await page.goto(web.url('/en/stories/hostile-markup'));
        assert.equal(await page.locator('h1').textContent(), title);
        assert.ok(
          await page.getByRole('heading', { level: 1, name: title }).isVisible(),
          'the title is visible as text',
        );
        assert.ok(
          await page.locator('.story__body').getByText(body, { exact: true }).isVisible(),
          'the body is visible as text',
        );
        assert.equal(await page.title(), en('page-title', title));
        await noInjection('the story page');

        for (const [where, path, selector] of [
          ['the catalog', '/en/stories', '.story-card__title'],
          ['the home page', '/en/', '.story-card__title'],
          ['search', '/en/search?q=onerror', '.search-result__title a'],
        ] as const) {
          await page.goto(web.url(path));
          const card = page.locator(selector, { hasText: title });
          assert.ok(await card.isVisible(), `the title is listed literally on ${where}`);
          assert.equal(await card.textContent(), title);
          await noInjection(where);
        }

        // The query itself is echoed back as text.
        await page.goto(web.url(`/en/search?q=${encodeURIComponent(body)}`));
        assert.equal(await page.locator('#search-q').inputValue(), body);
        assert.equal(await page.title(), en('page-title', en('search-results-title', body)));
        await noInjection('search for the script');
      });
    });
  });
});
