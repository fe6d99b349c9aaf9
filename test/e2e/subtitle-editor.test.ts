import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { defaultCueSettings, type Cue } from '../../src/domain/subtitles/index.ts';
import { createCatalog, createUser } from '../helpers/app.ts';
import { processVideoJobs } from '../helpers/clips.ts';
import {
  axe,
  en,
  launchBrowser,
  screenshot,
  signInWithForm,
  startBrowserSite,
  type BrowserSite,
} from '../helpers/browser.ts';

// The subtitle editor in Chromium, driven from the keyboard: edit, split, merge and save; a save
// that conflicts with someone else's; a translation into Arabic that a reviewer approves and
// viewers then see on the story page.

const SLUG = 'river-voices';
const cue = (startTime: number, endTime: number, text: string): Cue => ({
  id: '',
  startTime,
  endTime,
  text,
  settings: defaultCueSettings(),
});
const ENGLISH = [cue(0, 2, 'One two'), cue(2, 4, 'Three four'), cue(4, 6, 'Five six')];

let web: BrowserSite;
let browser: Browser;
let storyId: number;
let editorId: number;
let colleagueId: number;
const work = mkdtempSync(path.join(tmpdir(), 'storyhub-editor-'));

const editorUrl = (language: string, track: string, from?: string) =>
  web.url(`/${language}/edit/stories/${SLUG}/subtitles/${track}/edit${from ? `?from=${from}` : ''}`);
const texts = (page: Page) =>
  page
    .locator('.subtitle-cue__text')
    .evaluateAll((fields) => fields.map((field) => (field as HTMLTextAreaElement).value));
const state = (language: string) => web.site.services.subtitles.editorState(storyId, language);

/** Waits until the server has the track at `revision` (the page says so in the reader's own digits). */
async function savedAs(language: string, revision: number) {
  const deadline = Date.now() + 10_000;
  while ((await state(language)).track?.revision !== revision) {
    if (Date.now() > deadline) throw new Error(`the ${language} track never reached revision ${revision}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function openEditor(page: Page, url: string, cues: number) {
  await page.goto(url);
  await page
    .locator('.subtitle-cue')
    .nth(cues - 1)
    .waitFor();
  assert.equal(await page.locator('.subtitle-cue').count(), cues);
}

describe('the subtitle editor in Chromium', () => {
  before(async () => {
    [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
    const { services } = web.site;
    await createCatalog(services, [
      { slug: SLUG, texts: { en: { title: 'River voices' }, ar: { title: 'أصوات النهر' } }, status: 'published' },
    ]);
    storyId = (await services.repositories.stories.findBySlug(SLUG))!.id;
    editorId = (await createUser(services, 'editor-one', [{ role: 'editor' }])).id;
    colleagueId = (await createUser(services, 'editor-two', [{ role: 'editor' }])).id;
    await createUser(services, 'translator-ar', [{ role: 'translator', language: 'ar' }]);
    await createUser(services, 'reviewer-ar', [{ role: 'reviewer', language: 'ar' }]);
    const clip = path.join(work, 'clip.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x180:rate=25:duration=6',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=6',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      clip,
    ]);
    await services.video.upload(storyId, createReadStream(clip), 'clip.mp4');
    await processVideoJobs(services, [storyId]);
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('edit, split, merge and save a track with the keyboard alone; unsaved work survives a closed tab', async () => {
    await web.site.services.subtitles.save({
      storyId,
      language: 'en',
      baseRevision: 0,
      cues: ENGLISH,
      userId: editorId,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInWithForm(page, web.baseUrl, 'editor-one');
    await openEditor(page, editorUrl('en', 'en'), 3);

    await page.locator('#cue-text-0').focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' and');
    for (let i = 0; i < ' two and'.length; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Alt+KeyS');
    assert.deepEqual(await texts(page), ['One', 'two and', 'Three four', 'Five six']);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cue-text-1', 'the second half has the cursor');

    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Alt+KeyM');
    assert.deepEqual(await texts(page), ['One', 'two and', 'Three four\nFive six']);
    // A tenth of a second is three frames at 25 fps; the clip ends at 6 s, so only earlier is possible.
    await page.keyboard.press('Alt+Shift+Period');
    await page.keyboard.press('Alt+Shift+Comma');
    assert.equal(
      await page.locator('.subtitle-cue').nth(2).getByLabel(en('editor-end-of', 3)).inputValue(),
      '0:05.880',
    );

    await screenshot(page, 'subtitle-editor-en-desktop');
    await page.keyboard.press('Control+KeyS');
    await page.getByText(en('editor-saved-revision', 2)).waitFor();
    const saved = await state('en');
    assert.equal(saved.track?.revision, 2);
    assert.deepEqual(
      saved.track?.cues.map((c) => c.text),
      ['One', 'two and', 'Three four\nFive six'],
    );
    assert.deepEqual(
      saved.track?.cues.map((c) => c.endTime),
      [0.545, 2, 5.88],
      'the split falls where the text was divided, the end was nudged',
    );

    // Typed but not saved: a reload (or a closed tab) brings it back from the browser's storage.
    await page.locator('#cue-text-0').focus();
    await page.keyboard.type(', well');
    await page.waitForTimeout(500);
    await page.reload();
    await page.locator('.subtitle-cue').first().waitFor();
    await page.getByText(en('editor-draft-restored')).waitFor();
    assert.equal((await texts(page))[0], 'One, well');
    await page.getByRole('button', { name: en('editor-draft-discard') }).click();
    assert.equal((await texts(page))[0], 'One');
    await context.close();
  });

  test('a save based on an old revision opens the merge view and keeps both people’s changes', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInWithForm(page, web.baseUrl, 'editor-one');
    const before = (await state('en')).track!;
    await openEditor(page, editorUrl('en', 'en'), before.cues.length);

    // A colleague saves a change to the first cue meanwhile.
    const theirs = before.cues.map((c, i) => (i === 0 ? { ...c, text: 'One (theirs)' } : c));
    const result = await web.site.services.subtitles.save({
      storyId,
      language: 'en',
      baseRevision: before.revision,
      cues: theirs,
      userId: colleagueId,
    });
    assert.ok(result.ok);

    await page.locator('#cue-text-2').focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' (mine)');
    await page.keyboard.press('Control+KeyS');
    await page.getByRole('heading', { name: en('editor-conflict-title') }).waitFor();
    assert.equal(await page.locator('.subtitle-merge__item').count(), 2);
    await page.getByText('One (theirs)').waitFor();
    // The colleague is a person: named, without the bot label.
    const explained = page.locator('.subtitle-merge .cdx-message p');
    assert.equal(await explained.locator('bdi').innerText(), 'editor-two');
    assert.equal(await explained.locator('.bot-label').count(), 0);
    assert.deepEqual(
      (await state('en')).track!.cues.map((c) => c.text),
      theirs.map((c) => c.text),
      'nothing was overwritten',
    );
    await screenshot(page, 'subtitle-editor-merge-en');
    await page.getByRole('button', { name: en('editor-conflict-save') }).click();
    await page.getByText(en('editor-saved-revision', before.revision + 2)).waitFor();
    assert.deepEqual(
      (await state('en')).track!.cues.map((c) => c.text),
      ['One (theirs)', 'two and', 'Three four\nFive six (mine)'],
    );

    // Once the colleague's account is a bot's, the merge view says so after the name.
    await web.site.services.accounts.setBot(colleagueId, true);
    const merged = (await state('en')).track!;
    const fromBot = await web.site.services.subtitles.save({
      storyId,
      language: 'en',
      baseRevision: merged.revision,
      cues: merged.cues.map((c, i) => (i === 0 ? { ...c, text: 'One (bot)' } : c)),
      userId: colleagueId,
    });
    assert.ok(fromBot.ok);
    await page.locator('#cue-text-1').focus();
    await page.keyboard.press('End');
    await page.keyboard.type('!');
    await page.keyboard.press('Control+KeyS');
    await page.getByText('One (bot)').waitFor();
    assert.equal(await explained.locator('bdi').innerText(), 'editor-two');
    assert.equal(await explained.locator('.bot-label').innerText(), en('bot-label'));
    await page.getByRole('button', { name: en('editor-conflict-save') }).click();
    await page.getByText(en('editor-saved-revision', merged.revision + 2)).waitFor();
    await web.site.services.accounts.setBot(colleagueId, false);
    await context.close();
  });

  test('a translator translates the track into Arabic, a reviewer approves it, and the story page plays the approved revision', async () => {
    const arabic = ['واحد', 'اثنان و', 'ثلاثة أربعة خمسة ستة'];
    const english = (await state('en')).track!;
    // The memory knows the second cue's sentence from another story: offered beside that cue.
    await web.site.services.repositories.translations.remember([
      {
        source: english.cues[1]!.text,
        target: arabic[1]!,
        sourceLanguage: 'en',
        targetLanguage: 'ar',
        origin: 'story:1:u1',
      },
    ]);
    const translator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInWithForm(translator, web.baseUrl, 'translator-ar', 'ar');
    await openEditor(translator, editorUrl('ar', 'ar', 'en'), english.cues.length);
    assert.deepEqual(
      await translator.locator('.subtitle-cue__source').allInnerTexts(),
      english.cues.map((c) => c.text),
    );
    assert.deepEqual(
      await texts(translator),
      english.cues.map(() => ''),
      'timings copied, text left to the translator',
    );
    assert.equal(await translator.locator('.subtitle-cue__text').first().getAttribute('dir'), 'rtl');
    // Every empty cue is reported.
    assert.equal(await translator.locator('.subtitle-editor__quality-error').count(), english.cues.length);
    await translator.locator('#cue-text-0').focus();
    for (const [index, text] of arabic.entries()) {
      if (index > 0) await translator.keyboard.press('Alt+ArrowDown');
      if (index !== 1) {
        await translator.keyboard.insertText(text);
        continue;
      }
      // Only the active cue asks the memory; its match is one click from the text.
      const offered = translator.locator('.subtitle-cue--active .subtitle-cue__memory button');
      await offered.waitFor();
      assert.equal(await translator.locator('.subtitle-cue__memory').count(), 1);
      assert.match(await offered.innerText(), new RegExp(`${new Intl.NumberFormat('ar').format(100)}[\\s\\S]*${text}`));
      await screenshot(translator, 'subtitle-editor-memory-ar');
      await offered.click();
      assert.equal(await translator.locator('#cue-text-1').inputValue(), text);
      await translator.locator('#cue-text-1').focus();
    }
    const hundred = new Intl.NumberFormat('ar').format(100);
    await translator.waitForFunction(
      (value) => document.querySelector('.subtitle-editor__progress')?.textContent?.includes(value),
      hundred,
    );
    // Left: warnings only (the first cue, cut short by the split, is brief; the cues touch without the 2-frame gap).
    assert.equal(await translator.locator('.subtitle-editor__quality-error').count(), 0);
    assert.equal(await translator.locator('.subtitle-editor__quality-warning').count(), 3);
    await screenshot(translator, 'subtitle-editor-translate-ar');
    await translator.keyboard.press('Control+KeyS');
    await savedAs('ar', 1);
    let track = (await state('ar')).track!;
    assert.deepEqual(
      track.cues.map((c) => c.text),
      arabic,
    );
    assert.deepEqual(
      track.cues.map((c) => [c.startTime, c.endTime]),
      english.cues.map((c) => [c.startTime, c.endTime]),
    );
    assert.equal(track.sourceLanguage, 'en');

    const trackPage = web.url(`/ar/edit/stories/${SLUG}/subtitles/ar`);
    await translator.goto(trackPage);
    await translator.locator('button[name="decision"][value="submitted"]').click();
    await translator.waitForURL(/done=submitted/);
    assert.equal((await state('ar')).track!.status, 'in_review');

    // (bypassCSP only lets axe-core in: these pages have no script of their own.)
    const reviewer = await (
      await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } })
    ).newPage();
    await signInWithForm(reviewer, web.baseUrl, 'reviewer-ar', 'ar');
    await reviewer.goto(trackPage);
    assert.deepEqual(await axe(reviewer), [], 'the track page');
    await screenshot(reviewer, 'subtitle-track-ar');
    await reviewer.locator('button[name="decision"][value="approved"]').click();
    await reviewer.waitForURL(/done=approved/);
    assert.equal((await state('ar')).track!.publishedRevision, 1);

    const viewer = await (await browser.newContext()).newPage();
    const watched = async () => {
      await viewer.goto(web.url(`/ar/stories/${SLUG}`));
      return viewer.evaluate(async () => {
        const video = document.querySelector('video')!;
        const element = Array.from(video.querySelectorAll('track')).find((t) => t.srclang === 'ar')!;
        element.track.mode = 'hidden';
        if (element.readyState !== 2)
          await new Promise((resolve, reject) => {
            element.onload = resolve;
            element.onerror = reject;
          });
        return Array.from(element.track.cues ?? []).map((cue) => (cue as VTTCue).text);
      });
    };
    assert.deepEqual(await watched(), arabic);

    // Edited again: back in review; viewers keep the approved words until a reviewer approves anew.
    await openEditor(translator, editorUrl('ar', 'ar'), arabic.length);
    await translator.locator('#cue-text-0').focus();
    await translator.keyboard.press('End');
    await translator.keyboard.insertText(' (مسودة)');
    await translator.keyboard.press('Control+KeyS');
    await savedAs('ar', 2);
    track = (await state('ar')).track!;
    assert.equal(track.status, 'in_review');
    assert.equal(track.publishedRevision, 1);
    assert.deepEqual(await watched(), arabic);

    await reviewer.goto(web.url(`/ar/edit/stories/${SLUG}/subtitles/ar/diff?from=1&to=2`));
    assert.equal(await reviewer.locator('tr.subtitle-diff__changed').count(), 1);
    assert.deepEqual(await axe(reviewer), [], 'the diff page');
    await screenshot(reviewer, 'subtitle-diff-ar');

    // Sent back with a comment: the translator reads it in the editor.
    await reviewer.goto(trackPage);
    await reviewer.locator('#review-comment').fill('راجع المقطع الأول من فضلك <b>');
    await reviewer.locator('button[name="decision"][value="sent_back"]').click();
    await reviewer.waitForURL(/done=sent_back/);
    await openEditor(translator, editorUrl('ar', 'ar'), arabic.length);
    assert.match(
      await translator.locator('.subtitle-editor__review blockquote').innerText(),
      /راجع المقطع الأول من فضلك <b>/,
    );
    assert.equal(await translator.locator('.subtitle-editor__review bdi').innerText(), 'reviewer-ar');
    assert.equal(await translator.locator('.subtitle-editor__review .bot-label').count(), 0, 'a person, not a bot');
    assert.equal((await state('ar')).track!.status, 'draft');
    await screenshot(translator, 'subtitle-editor-sent-back-ar');
    for (const page of [translator, reviewer, viewer]) await page.context().close();
  });

  test('the editor is accessible and laid out for English, Arabic and Japanese, on a desktop and a 360 px phone', async () => {
    for (const [language, width] of [
      ['en', 1280],
      ['ar', 1280],
      ['ja', 1280],
      ['ar', 360],
      ['en', 360],
    ] as const) {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await signInWithForm(page, web.baseUrl, 'editor-one', language);
      await openEditor(page, editorUrl(language, 'en'), (await state('en')).track!.cues.length);
      assert.equal(await page.locator('html').getAttribute('dir'), language === 'ar' ? 'rtl' : 'ltr');
      assert.deepEqual(await axe(page), [], `${language} at ${width} px`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `${language} at ${width} px: no sideways scrolling (${overflow} px)`);
      await screenshot(page, `subtitle-editor-${language}-${width}`);
      await context.close();
    }
  });

  test("a translator's list of stories to subtitle is accessible and laid out in English, Arabic and Japanese, on a desktop and a phone", async () => {
    if (!(await state('en')).track)
      await web.site.services.subtitles.save({
        storyId,
        language: 'en',
        baseRevision: 0,
        cues: ENGLISH,
        userId: editorId,
      });
    for (const [language, width] of [
      ['en', 1280],
      ['ar', 1280],
      ['ja', 1280],
      ['ar', 360],
      ['ja', 360],
    ] as const) {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } }); // axe is injected as a script
      const page = await context.newPage();
      await signInWithForm(page, web.baseUrl, 'translator-ar', language);
      await page.goto(`${web.baseUrl}/${language}/edit/subtitles`);
      assert.equal(
        await page.locator('.subtitle-queue__item').count(),
        1,
        `${language}: the story with subtitles is listed`,
      );
      await page.locator('.site-nav a[href$="/edit/subtitles"]').waitFor();
      assert.deepEqual(await axe(page), [], `${language} at ${width} px`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `${language} at ${width} px: no sideways scrolling (${overflow} px)`);
      await screenshot(page, `subtitle-queue-${language}-${width}`);
      await context.close();
    }
  });
});
