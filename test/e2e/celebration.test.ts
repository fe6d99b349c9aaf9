import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Actor } from '../../src/services/celebration.ts';
import { cycleForm, openCycle, seedCelebration } from '../helpers/celebration.ts';
import { testEngines } from '../helpers/database.ts';
import {
  axe,
  launchBrowser,
  screenshot,
  signInWithForm,
  startBrowserSite,
  type BrowserSite,
} from '../helpers/browser.ts';

// A whole month of the celebration through its pages, as new users meet it, mostly with JavaScript
// off (the pages need none; those who read the hostile text have it on, and no dialog may open): a member nominates a person and another a bot, a third seconds, the
// editor moves the phases with the page's "next phase" button and makes a consent link that the
// nominee answers, the bot's operator answers as their account, members vote, the editor closes
// the vote and the results show with their written rule. Each new page is checked with axe-core
// in en, ar and ja and photographed at 1280 and 360 px in en and ar (nothing may overflow at 360).

const MONTH = '2031-03';
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const REASONS = `Organised twelve edit-a-thons this year and trained sixty newcomers on three wikis. ${HOSTILE}`;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

let web: BrowserSite;
let editorActor: Actor;
let browser: Browser;

for (const engine of testEngines())
  describe(`the monthly celebration through its pages (Chromium, ${engine})`, () => {
    const contexts: BrowserContext[] = [];
    before(async () => {
      web = await startBrowserSite(engine);
      await web.site.reset();
      ({ editor: editorActor } = await seedCelebration(web.site, {
        region: { slug: 'africa', names: { en: 'Africa', ar: 'أفريقيا' } },
        members: ['Amani', 'Kofi', 'Mei', 'Harej', 'Nour'],
      }));
      await openCycle(web.site, editorActor, cycleForm(MONTH));
      browser = await launchBrowser();
    });
    after(async () => {
      for (const context of contexts) await context.close();
      await browser?.close();
      await web?.close();
    });

    /** A person's own browser, JavaScript off; any dialog (a script that ran) fails the test. */
    async function person(username: string | null, options: { javaScript?: boolean } = {}): Promise<Page> {
      const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? false, viewport: DESKTOP });
      contexts.push(context);
      const page = await context.newPage();
      page.on('dialog', () => assert.fail('a script typed by a visitor ran'));
      if (username) await signInWithForm(page, web.baseUrl, username);
      return page;
    }

    async function fillNomination(page: Page, fields: Record<string, string>) {
      await page.goto(web.url(`/en/celebration/${MONTH}`));
      for (const [name, value] of Object.entries(fields)) {
        if (name === 'kind') await page.locator(`#kind-${value}`).check();
        else if (name === 'region' || name === 'category') await page.locator(`#${name}`).selectOption(value);
        else await page.locator(`#${name}`).fill(value);
      }
    }
    const submitNomination = (page: Page) => page.locator('.celebration-nominate button[type="submit"]').click();
    async function nominate(page: Page, fields: Record<string, string>) {
      await fillNomination(page, fields);
      await Promise.all([page.waitForURL(/done=(nominated|joined)/), submitNomination(page)]);
    }

    async function nextPhase(editor: Page) {
      await editor.goto(web.url(`/en/celebration/${MONTH}`));
      await Promise.all([
        editor.waitForURL(/done=moved/),
        editor.locator('form[action$="/advance"]:has(input[name="to"]:not([value="cancelled"])) button').click(),
      ]);
    }

    const nominationId = async (nominee: string) =>
      (
        await web.site.services.celebration.list(
          (await web.site.services.celebration.cycleByMonth(MONTH))!.id,
          editorActor,
        )
      ).find((nomination) => nomination.nominee === nominee)!.id;

    const problems: string[] = [];
    /** axe-core on the page as `as` sees it now, in en, ar and ja (a context that lets axe's script in). */
    async function check(name: string, path: string, as: Page) {
      const context = await browser.newContext({ bypassCSP: true, storageState: await as.context().storageState() });
      const page = await context.newPage();
      for (const language of ['en', 'ar', 'ja']) {
        await page.goto(web.url(`/${language}${path}`));
        for (const violation of await axe(page)) problems.push(`${name} (${language}): ${violation}`);
      }
      await context.close();
    }

    test('a whole cycle: nominate a human and a bot, second, consent by link and by account, vote, close, results, the honoree story and the archive', async () => {
      const region = String((await web.site.services.repositories.catalog.regions())[0]!.id);
      const amani = await person('Amani');
      await amani.goto(web.url('/en/celebration'));
      await amani.locator(`a[href="/en/celebration/${MONTH}"]`).first().click();
      // A problem first: the form comes back with what was typed.
      await fillNomination(amani, {
        nominee: 'Lucía',
        homeWiki: 'es.wikipedia.org',
        kind: 'human',
        region,
        category: 'organiser',
        reasons: 'Short',
      });
      await submitNomination(amani);
      await amani.locator('#reasons-error').waitFor();
      assert.equal(await amani.locator('#reasons').inputValue(), 'Short');
      assert.equal(await amani.locator('#reasons').getAttribute('aria-invalid'), 'true');
      await check('cycle-form-errors', `/celebration/${MONTH}`, amani);
      await nominate(amani, {
        nominee: 'Lucía',
        homeWiki: 'es.wikipedia.org',
        kind: 'human',
        region,
        category: 'organiser',
        reasons: REASONS,
        evidence:
          'https://es.wikipedia.org/wiki/Special:Contributions/Lucía\nhttps://commons.wikimedia.org/wiki/User:Lucía',
      });
      await screenshots(amani, 'nominate', `/celebration/${MONTH}`);
      const kofi = await person('Kofi');
      await nominate(kofi, {
        nominee: 'LinkBot',
        homeWiki: 'en.wikipedia.org',
        kind: 'bot',
        operators: 'Harej',
        botTasks: 'Rescues dead links with archived copies.',
        region,
        category: 'technical',
        reasons: 'It rescued ten thousand dead links on three wikis this year, quietly and without a single complaint.',
      });
      const lucia = await nominationId('Lucía');
      const bot = await nominationId('LinkBot');

      // Those who read the hostile text have JavaScript on: nothing typed may run.
      const mei = await person('Mei', { javaScript: true });
      await mei.goto(web.url(`/en/celebration/nominations/${lucia}`));
      await mei.locator('#second-reason').fill(`She taught me to cite. ${HOSTILE}`);
      await Promise.all([mei.waitForURL(/done=seconded/), mei.locator('form[action$="/second"] button').click()]);
      assert.match(await mei.locator('main').innerText(), /She taught me to cite\. <img src=x/);
      await mei.locator('#anecdote-body').fill('We ran a workshop in Lagos together.');
      await Promise.all([mei.waitForURL(/done=anecdote/), mei.locator('form[action$="/anecdote"] button').click()]);
      await check('nomination', `/celebration/nominations/${lucia}`, mei);

      const editor = await person('Editor');
      await editor.goto(web.url(`/en/admin/celebration/${MONTH}`));
      await Promise.all([
        editor.waitForURL(/saved=1/),
        editor.locator('form[action*="/anecdotes/"]:has(input[value="approved"]) button').click(),
      ]);
      await check('admin-cycle', `/admin/celebration/${MONTH}`, editor);
      await check('admin-list', '/admin/celebration', editor);

      await nextPhase(editor); // seconding
      await nextPhase(editor); // consent
      await editor.goto(web.url(`/en/celebration/nominations/${lucia}`));
      await editor.locator('form[action$="/consent-link"] button').click();
      const link = await editor.locator('.celebration-link').innerText();
      assert.match(link, /\/en\/celebration\/consent\/[A-Za-z0-9_-]+$/);

      const nominee = await person(null);
      await nominee.goto(link);
      await check('consent-link', new URL(link).pathname.slice(3), nominee);
      await screenshots(nominee, 'consent-link', new URL(link).pathname.slice(3));
      await nominee.goto(link);
      await nominee.locator('form:has(input[value="consent"]) button').click();
      await nominee.locator('.cdx-message--success').waitFor();
      await nominee.goto(link);
      assert.match(await nominee.locator('main').innerText(), /already been used/);

      const harej = await person('Harej');
      await harej.goto(web.url('/en/notices'));
      assert.match(await harej.locator('main').innerText(), /A bot you operate has been nominated/);
      await check('notices', '/notices', harej);
      await screenshots(harej, 'notices', '/notices');
      await harej.goto(web.url('/en/celebration/consent'));
      await check('consent-requests', '/celebration/consent', harej);
      await screenshots(harej, 'consent-requests', '/celebration/consent');
      await Promise.all([
        harej.waitForURL(/done=consented/),
        harej.locator(`form:has(input[name="nomination"][value="${bot}"]):has(input[value="consent"]) button`).click(),
      ]);

      await nextPhase(editor); // choice
      for (const [voter, choice] of [
        [mei, lucia],
        [kofi, lucia],
        [amani, bot],
      ] as const) {
        await voter.goto(web.url(`/en/celebration/${MONTH}`));
        await voter.locator(`#nomination-${choice}`).check();
        await Promise.all([
          voter.waitForURL(/done=voted/),
          voter.locator('.celebration-ballot button[type="submit"]').click(),
        ]);
        assert.equal(await voter.locator('.celebration-ballot').count(), 0, 'the ballot is gone after voting');
      }
      const nour = await person('Nour');
      await nour.goto(web.url(`/en/celebration/${MONTH}`));
      assert.equal(await nour.locator('#results-heading').count(), 0, 'no tallies before the close');
      await check('ballot', `/celebration/${MONTH}`, nour);
      await screenshots(nour, 'ballot', `/celebration/${MONTH}`);

      await nextPhase(editor); // announced
      const visitor = await person(null, { javaScript: true });
      await visitor.goto(web.url(`/en/celebration/${MONTH}`));
      const results = await visitor.locator('.celebration-results').innerText();
      assert.match(results, /Lucía/);
      assert.match(results, /The nomination with the most votes is chosen/);
      await check('results', `/celebration/${MONTH}`, visitor);
      await check('front', '/celebration', visitor);
      await visitor.goto(web.url(`/en/celebration/nominations/${lucia}`));
      assert.match(await visitor.locator('main').innerText(), /We ran a workshop in Lagos together\./);
      await screenshots(visitor, 'results', `/celebration/${MONTH}`);
      await screenshots(visitor, 'nomination', `/celebration/nominations/${lucia}`);
      await screenshots(visitor, 'front', '/celebration');
      await screenshots(editor, 'admin-cycle', `/admin/celebration/${MONTH}`);
      await screenshots(editor, 'admin-list', '/admin/celebration');

      // Announced: the honoree's story, in English and in Arabic (its parts not translated yet read in
      // English, marked as such), the archive that lists it, and the form for its photo.
      const story = `/stories/celebration-${MONTH}`;
      await visitor.goto(web.url(`/en${story}`));
      assert.match(await visitor.locator('h1').innerText(), /Lucía/);
      await visitor.goto(web.url(`/ar${story}`));
      assert.equal(await visitor.locator('html').getAttribute('dir'), 'rtl');
      assert.match(await visitor.locator('main').innerText(), /Lucía/);
      assert.ok((await visitor.locator('main [lang="en"]').count()) > 0, 'untranslated parts say they are English');
      await visitor.goto(web.url('/en/celebration/archive'));
      assert.equal(
        (await visitor.locator(`main a[href="/en${story}"]`).count()) > 0,
        true,
        'the archive links the story',
      );
      await check('archive', '/celebration/archive', visitor);
      await check('honoree story', story, visitor);
      await check('photo form', `/admin/celebration/${MONTH}/photo`, editor);
      await screenshots(visitor, 'archive', '/celebration/archive');
      await screenshots(visitor, 'honoree-story', story);
      await screenshots(editor, 'photo-form', `/admin/celebration/${MONTH}/photo`);
      assert.deepEqual(problems, [], 'axe-core finds nothing on the new pages in en, ar and ja');
    });

    /** The page wide and at 360 px, in English and Arabic; at 360 px nothing may stick out sideways. */
    async function screenshots(as: Page, name: string, path: string) {
      const context = await browser.newContext({
        storageState: await as.context().storageState(),
        javaScriptEnabled: false,
      });
      const page = await context.newPage();
      for (const language of ['en', 'ar'])
        for (const [size, viewport] of [
          ['wide', DESKTOP],
          ['phone', PHONE],
        ] as const) {
          await page.setViewportSize(viewport);
          await page.goto(web.url(`/${language}${path}`));
          await screenshot(page, `celebration-${name}-${language}-${size}`);
          if (size === 'phone') {
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            );
            assert.ok(overflow <= 0, `${name} (${language}) overflows at 360 px by ${overflow}px`);
          }
        }
      await context.close();
    }
  });
