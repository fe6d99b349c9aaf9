import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { testClipArguments } from '../../bench/lib.ts';
import { seedDemo } from '../../src/services/demo.ts';
import { axe, launchBrowser, screenshot, startBrowserSite, type BrowserSite } from '../helpers/browser.ts';
import { processVideoJobs } from '../helpers/clips.ts';

// Story cards in Chromium on the demo catalog, three of its stories with a processed video: their
// thumbnails load, the others show a tile in their region's colour (a colour of its own, with its
// name readable on it), in English, Arabic and Japanese, with axe-core finding nothing, on a
// desktop and a 360 px phone.

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const PAGES = [
  ['home', '/'],
  ['catalog', '/stories'],
  ['search', '/search?language=en'],
] as const;

let web: BrowserSite;
let browser: Browser;
let filmed: string[];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'storyhub-e2e-thumbnails-'));

/** The cards' pictures as the browser shows them: loaded images (with their natural width) and tiles. */
const pictures = (page: Page) =>
  page.locator('.story-picture').evaluateAll((elements) =>
    elements.map((element) => {
      const link = element.parentElement?.querySelector('a[href*="/stories/"]') as HTMLAnchorElement | null;
      const slug = link ? new URL(link.href).pathname.split('/').pop() : '';
      if (element instanceof HTMLImageElement)
        return {
          slug,
          kind: 'image',
          loaded: element.complete && element.naturalWidth > 0,
          lazy: element.loading === 'lazy',
        };
      const style = getComputedStyle(element);
      // WCAG's contrast ratio of the tile's text (the region's name) on its colour.
      const luminance = (colour: string) => {
        const [r, g, b] = colour
          .match(/[\d.]+/g)!
          .slice(0, 3)
          .map((channel) => {
            const c = Number(channel) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
      return {
        slug,
        kind: 'tile',
        region: element.textContent,
        colour: style.backgroundColor,
        contrast: (light! + 0.05) / (dark! + 0.05),
      };
    }),
  );

describe('thumbnails on story cards in Chromium', () => {
  before(async () => {
    [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
    const { services } = web.site;
    await seedDemo(services.repositories);
    const clip = path.join(scratch, 'clip.mp4');
    execFileSync('ffmpeg', testClipArguments(clip, { width: 640, height: 360, fps: 25, seconds: 2 }));
    const { stories } = await services.repositories.stories.list({ publishedOnly: true, limit: 3 });
    for (const story of stories) await services.video.upload(story.id, createReadStream(clip), 'clip.mp4');
    await processVideoJobs(
      services,
      stories.map((story) => story.id),
    );
    filmed = stories.map((story) => story.slug);
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  for (const language of ['en', 'ar', 'ja'])
    test(`cards show thumbnails or region tiles, and axe finds nothing (${language})`, async () => {
      for (const viewport of [DESKTOP, PHONE]) {
        const context = await browser.newContext({ viewport, bypassCSP: true });
        try {
          const page = await context.newPage();
          for (const [name, url] of PAGES) {
            await page.goto(web.url(`/${language}${url}`), { waitUntil: 'networkidle' });
            const shown = await pictures(page);
            const images = shown.filter((picture) => picture.kind === 'image');
            const tiles = shown.filter((picture) => picture.kind === 'tile');
            assert.ok(images.length > 0 && tiles.length > 0, `${name}: ${JSON.stringify(shown)}`);
            for (const image of images) {
              assert.ok(filmed.includes(image.slug!), `${name}: only stories with a video have a thumbnail`);
              // A lazy image off the screen may not have loaded yet; the first ones have.
              if (!image.lazy) assert.ok(image.loaded, `${name}: the thumbnail of ${image.slug} loaded`);
            }
            const colours = new Map<string, string>();
            for (const tile of tiles) {
              assert.notEqual(tile.colour, 'rgba(0, 0, 0, 0)', `${name}: a coloured tile`);
              assert.ok(tile.contrast! >= 4.5, `${name}: ${tile.region} on ${tile.colour}: ${tile.contrast}`);
              const colour = tile.colour!;
              assert.equal(colours.get(tile.region!) ?? colour, colour, `${name}: ${tile.region}`);
              colours.set(tile.region!, colour);
            }
            // Different regions, different colours.
            assert.equal(new Set(colours.values()).size, colours.size, `${name}: ${JSON.stringify([...colours])}`);
            assert.deepEqual(await axe(page), [], `${name} (${language}, ${viewport.width} px)`);
            await screenshot(page, `thumbnails-${name}-${language}-${viewport.width}`);
          }
        } finally {
          await context.close();
        }
      }
    });
});
