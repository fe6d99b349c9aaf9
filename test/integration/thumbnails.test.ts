import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { testClipArguments } from '../../bench/lib.ts';
import { THUMBNAILS_FAILED_LABEL } from '../../src/domain/media/media-file.ts';
import { ffmpegMediaTool } from '../../src/providers/media/ffmpeg.ts';
import { seedDemo } from '../../src/services/demo.ts';
import { createServices } from '../../src/services/index.ts';
import type { Services } from '../../src/services/index.ts';
import { VIDEO_THUMBNAILS } from '../../src/services/video.ts';
import * as thumbnailsMigration from '../../src/store/migrations/2026-12-06T1710-thumbnails.ts';
import { createCatalog, startTestSite, type TestSite } from '../helpers/app.ts';
import { processVideoJobs } from '../helpers/clips.ts';
import { testEngines } from '../helpers/database.ts';

// Story cards show the poster's thumbnails the processing job makes (WebP, two widths); a story
// without a video, or whose poster failed to make, shows a plain tile in its region's colour.

const scratch = mkdtempSync(path.join(os.tmpdir(), 'storyhub-thumbnails-'));
const clip = path.join(scratch, 'wide.mp4');
// 1280×720, two seconds: its poster is 1280×720, so both thumbnail widths are made.
execFileSync('ffmpeg', testClipArguments(clip, { width: 1280, height: 720, fps: 25, seconds: 2 }));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** What ffprobe reads of an image: codec and size. */
function probeImage(file: string): { codec: string; width: number; height: number } {
  const output = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', file], { encoding: 'utf8' }),
  ) as { streams: Array<{ codec_name: string; width: number; height: number }> };
  const [stream] = output.streams;
  return { codec: stream!.codec_name, width: stream!.width, height: stream!.height };
}

async function processed(services: Services, storyId: number) {
  await processVideoJobs(services, [storyId]);
  const states = (await services.video.jobs(storyId)).map((job) => job.state);
  assert.deepEqual(
    states,
    states.map(() => 'done'),
  );
}

/** The card (or search result) of the story whose link is `/en/stories/slug`. */
function cardOf(page: string, slug: string, element = 'article'): string {
  const cards = page.split(`<${element} `).slice(1);
  const card = cards.find((c) => c.includes(`/stories/${slug}"`));
  assert.ok(card, `a card of ${slug}`);
  return card.slice(0, card.indexOf(`</${element}>`));
}

for (const engine of testEngines()) {
  describe(`thumbnails on story cards (${engine})`, () => {
    let site: TestSite;
    let filmed: number;
    let others: number[];
    before(async () => {
      site = await startTestSite(engine);
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      const { stories } = await createCatalog(site.services, [
        { slug: 'harbour', texts: { en: { title: 'Harbour lights' } } },
        { slug: 'unfilmed', texts: { en: { title: 'Harbour without pictures' } } },
        ...Array.from({ length: 4 }, (_, i) => ({ slug: `more-${i}`, texts: { en: { title: `More ${i}` } } })),
      ]);
      filmed = stories[0]!.id;
      others = stories.slice(2).map((story) => story.id);
    });

    test('processing a video makes WebP thumbnails 360 and 720 wide, served with long caching', async () => {
      await site.services.video.upload(filmed, createReadStream(clip), 'wide.mp4');
      await processed(site.services, filmed);
      const thumbnails = (await site.services.video.files(filmed))
        .filter((file) => file.role === 'thumbnail')
        .sort((a, b) => a.width! - b.width!);
      assert.deepEqual(
        thumbnails.map((file) => [file.label, file.mime, file.width, file.height]),
        [
          ['360', 'image/webp', 360, 202],
          ['720', 'image/webp', 720, 406],
        ],
      );
      for (const file of thumbnails) {
        const image = probeImage(site.services.storage.path(file.storageKey));
        assert.deepEqual(image, { codec: 'webp', width: file.width, height: file.height });
        const response = await site.app.inject({ method: 'GET', url: `/media/${file.storageKey}` });
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['content-type'], 'image/webp');
        assert.match(String(response.headers['cache-control']), /max-age=31536000/);
      }
    });

    test('cards link the thumbnails with srcset, width and height; a story without a video has a tile', async () => {
      await site.services.video.upload(filmed, createReadStream(clip), 'wide.mp4');
      await processed(site.services, filmed);
      const keys = (await site.services.video.files(filmed))
        .filter((file) => file.role === 'thumbnail')
        .sort((a, b) => a.width! - b.width!)
        .map((file) => `/media/${file.storageKey}`);
      const pages = ['/en', '/en/stories', '/en/regions/africa', '/en/themes/education', '/en/people/Amani'];
      for (const url of pages) {
        const response = await site.app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 200, url);
        const card = cardOf(response.body, 'harbour');
        assert.ok(card.includes(`srcset="${keys[0]} 360w, ${keys[1]} 720w"`), `${url}: ${card}`);
        assert.match(card, /<img [^>]*width="720" height="406"/, url);
        // An empty alt (rendered as a bare attribute): the title beside it is the link's name.
        assert.match(card, /<img [^>]*\salt(="")?[\s/>]/, url);
        assert.match(card, /<img [^>]*decoding="async"/, url);
        const tile = cardOf(response.body, 'unfilmed');
        assert.doesNotMatch(tile, /<img/, url);
        assert.match(tile, /class="story-picture story-picture--tile story-picture--tone-\d"/, url);
      }
      const search = await site.app.inject({ method: 'GET', url: '/en/search?q=harbour' });
      assert.ok(cardOf(search.body, 'harbour').includes(`srcset="${keys[0]} 360w, ${keys[1]} 720w"`));
      assert.match(cardOf(search.body, 'unfilmed'), /story-picture--tile/);
      // The story page's poster is the wide thumbnail, shown before the video loads.
      const story = await site.app.inject({ method: 'GET', url: '/en/stories/harbour' });
      assert.match(story.body, new RegExp(`<video [^>]*poster="${keys[1]}"`));
    });

    test('the first cards of a list load their pictures at once, the rest lazily', async () => {
      // Newest first: more-3 … more-0, then the story without a video (a tile), then harbour.
      const ids = [filmed, ...others];
      for (const id of ids) await site.services.video.upload(id, createReadStream(clip), 'wide.mp4');
      await processVideoJobs(site.services, ids);
      const page = (await site.app.inject({ method: 'GET', url: '/en/stories' })).body;
      const loading = [...page.matchAll(/<img [^>]*loading="(\w+)"/g)].map((match) => match[1]);
      assert.deepEqual(loading, ['eager', 'eager', 'eager', 'lazy', 'lazy']);
    });

    test('a poster that fails to make leaves the job done, the failure recorded and the card a tile', async () => {
      const broken = await createServices(site.database, site.app.config, {
        media: { ...ffmpegMediaTool(), poster: () => Promise.reject(new Error('the frame could not be read')) },
      });
      await broken.video.upload(filmed, createReadStream(clip), 'wide.mp4');
      await processed(broken, filmed);
      const files = await broken.video.files(filmed);
      assert.ok(files.some((file) => file.role === 'rendition'));
      assert.ok(!files.some((file) => file.role === 'poster'));
      const [note, ...others] = files.filter((file) => file.role === 'thumbnail');
      assert.equal(others.length, 0);
      assert.equal(note!.label, THUMBNAILS_FAILED_LABEL);
      assert.match(await readText(broken, note!.storageKey), /the frame could not be read/);
      const card = cardOf((await site.app.inject({ method: 'GET', url: '/en/stories' })).body, 'harbour');
      assert.doesNotMatch(card, /<img/);
      assert.match(card, /story-picture--tile/);
    });

    test("every demo region's tile has a colour of its own, and a new region changes none of them", async () => {
      await site.reset();
      await seedDemo(site.services.repositories);
      /** Each region's tile colour on the catalog page (every demo story is a tile: no videos here). */
      const tones = async () => {
        const page = (await site.app.inject({ method: 'GET', url: '/en/stories' })).body;
        const tiles = [...page.matchAll(/story-picture--tone-(\d)" aria-hidden="true" lang="en">([^<]+)</g)];
        const byRegion = new Map<string, string>();
        for (const [, tone, region] of tiles) {
          assert.equal(byRegion.get(region!) ?? tone, tone, `${region}: one colour on every card`);
          byRegion.set(region!, tone!);
        }
        return byRegion;
      };
      const demo = await tones();
      assert.equal(demo.size, 6, [...demo.keys()].join(', '));
      assert.equal(new Set(demo.values()).size, 6, JSON.stringify(Object.fromEntries(demo)));

      // A region added later, even one listed first, takes the next colour; the others keep theirs.
      const { catalog } = site.services.repositories;
      await catalog.saveRegion({ slug: 'antarctica', names: { en: 'Antarctica' }, position: -1 });
      assert.deepEqual(await tones(), demo);
      const added = (await catalog.regions()).find((region) => region.slug === 'antarctica')!;
      const [summary] = (await site.services.repositories.stories.list({ limit: 1 })).stories;
      const [card] = await site.services.catalog.cards([{ ...summary!, regionId: added.id, thumbnails: [] }], ['en']);
      assert.equal(card!.region!.serial, 6);
      assert.ok(![...demo.values()].includes(String(card!.region!.serial % 8)));
    });

    test('a video processed before thumbnails existed gains them from the job the migration queues', async () => {
      await site.services.video.upload(filmed, createReadStream(clip), 'wide.mp4');
      await processed(site.services, filmed);
      const before = await site.services.repositories.media.removeForStory(filmed, 'thumbnail');
      assert.equal(before.length, 2);
      // As the migration runs on a site whose videos were processed before thumbnails existed.
      await thumbnailsMigration.up(site.database.db as never);
      assert.deepEqual(
        (await site.services.video.jobs(filmed)).filter((job) => job.state === 'queued').map((job) => job.kind),
        [VIDEO_THUMBNAILS],
      );
      await processed(site.services, filmed);
      const made = (await site.services.video.files(filmed)).filter((file) => file.role === 'thumbnail');
      assert.deepEqual(made.map((file) => [file.width, file.height]).sort(), [
        [360, 202],
        [720, 406],
      ]);
      for (const file of made) assert.equal(probeImage(site.services.storage.path(file.storageKey)).codec, 'webp');
    });
  });
}

async function readText(services: Services, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of services.storage.open(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
