import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeed } from 'feedsmith';
import { atomFeed, feedUpdated, tagUri } from '../../src/domain/syndication/atom.ts';
import {
  embedFrameSize,
  EMBED_TITLE_BAR,
  fitsWithin,
  isoDuration,
  jsonForScript,
  openGraphLocale,
  storyAddress,
} from '../../src/domain/syndication/embed.ts';
import {
  entriesOfFile,
  planSitemaps,
  robotsTxt,
  sitemapEntries,
  sitemapIndex,
  urlSet,
  type SitemapPage,
} from '../../src/domain/syndication/sitemap.ts';
import { element, writeDocument, xmlAttribute, xmlText } from '../../src/domain/syndication/xml.ts';
import { assertWellFormed } from '../helpers/xml.ts';

// Every character XML 1.0 cannot carry, the markup-like ones, and a lone surrogate.
const HOSTILE =
  'A <script>alert(1)</script> & ]]> "q" \'s\' \u0000\u0001\u0008\u000B\u000C\u001F\u007F\u0085\uFFFE\uFFFF\uD800 end\r\n\ttab';
const CLEAN = 'A <script>alert(1)</script> & ]]> "q" \'s\'  end\r\n\ttab';

test('text and attribute values: markup escaped, characters XML forbids dropped, nothing else changed', () => {
  const text = xmlText(HOSTILE);
  assert.doesNotMatch(text, /[<>]|]]>/);
  assert.doesNotMatch(text, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  const attribute = xmlAttribute(HOSTILE);
  assert.doesNotMatch(attribute, /["<>\n\t]/);
  const document = writeDocument(element('root', { title: HOSTILE }, [element('child', {}, HOSTILE)]));
  assertWellFormed(document);
  // Another parser reads back exactly the clean text, in the element and in the attribute.
  const feed = atomFeed({
    id: 'urn:x',
    title: HOSTILE,
    language: 'en',
    self: 'https://example.org/en/feed.atom?a=1&b=2',
    page: 'https://example.org/en/stories',
    authors: [{ name: HOSTILE }],
    generator: { name: 'storyhub', uri: 'https://example.org/' },
    entries: [],
  });
  assertWellFormed(feed);
  const parsed = parseFeed(feed);
  assert.equal(parsed.format, 'atom');
  const atom = parsed.feed as { title?: { value?: string }; links?: Array<{ href?: string }> };
  assert.equal(atom.title?.value?.replace(/\r\n?/g, '\n'), CLEAN.replace(/\r\n?/g, '\n'));
  assert.equal(atom.links?.[0]?.href, 'https://example.org/en/feed.atom?a=1&b=2');
});

test('a feed is updated when its newest entry was; an empty one at the epoch; tag URIs name the host', () => {
  const entry = (updated: string) => ({
    id: 'x',
    title: 't',
    summary: '',
    language: 'en',
    link: 'https://example.org/',
    published: null,
    updated: new Date(updated),
    authors: [],
  });
  assert.equal(
    feedUpdated([entry('2026-01-01T00:00:00.900Z'), entry('2025-01-01T00:00:00Z')]).toISOString(),
    '2026-01-01T00:00:00.000Z',
  );
  assert.equal(feedUpdated([]).getTime(), 0);
  assert.equal(tagUri('stories.example.org', 'story/7/ar'), 'tag:stories.example.org,2026:story/7/ar');
});

const page = (slug: string, languages: string[]): SitemapPage => ({
  versions: languages.map((language) => ({
    hreflang: language,
    loc: `https://example.org/${language}/stories/${slug}`,
    lastmod: new Date('2026-05-01T00:00:00Z'),
  })),
  xDefault: `https://example.org/${languages[0]}/stories/${slug}`,
});

test('a sitemap entry per language version, each naming every version and the x-default', () => {
  const entries = [...sitemapEntries([page('a&b', ['en', 'ar'])])];
  assert.equal(entries.length, 2);
  for (const entry of entries) {
    assert.deepEqual(
      [...entry.matchAll(/hreflang="([^"]+)"/g)].map((match) => match[1]),
      ['en', 'ar', 'x-default'],
    );
    assert.match(entry, /<lastmod>2026-05-01T00:00:00Z<\/lastmod>/);
    assert.match(entry, /a&amp;b/);
  }
  assertWellFormed(urlSet(entries));
  assertWellFormed(sitemapIndex(['https://example.org/sitemap-1.xml']));
});

test('sitemap files are planned under both the address and the byte limits', () => {
  const pages = Array.from({ length: 7 }, (_, index) => page(`story-${index}`, ['en', 'ar', 'ja']));
  const entries = () => sitemapEntries(pages);
  assert.deepEqual(planSitemaps(entries(), { urls: 5, bytes: 50 * 1024 * 1024 }), [5, 5, 5, 5, 1]);
  const plan = planSitemaps(entries(), { urls: 5, bytes: 50 * 1024 * 1024 });
  const files = plan.map((_, index) => [...entriesOfFile(entries(), plan, index)]);
  assert.deepEqual(files.flat(), [...entries()], 'the files together hold every entry once, in order');
  const one = Buffer.byteLength([...entries()][0]!);
  const byBytes = planSitemaps(entries(), { urls: 50_000, bytes: 400 + one * 2 });
  assert.ok(byBytes.every((count) => count <= 2) && byBytes.reduce((a, b) => a + b) === 21);
  assert.deepEqual(planSitemaps([], { urls: 5, bytes: 1000 }), [0], 'an empty site still has one (empty) sitemap');
});

test('robots.txt keeps crawlers out of the given areas and names the sitemap; no line break gets in', () => {
  const robots = robotsTxt({ disallow: ['/en/edit/', '/x\nAllow: /'], sitemap: 'https://example.org/sitemap.xml' });
  assert.equal(
    robots,
    'User-agent: *\nDisallow: /en/edit/\nDisallow: /xAllow: /\n\nSitemap: https://example.org/sitemap.xml\n',
  );
});

test('the embed frame fits maxwidth and maxheight, keeping the video aspect and the title bar', () => {
  assert.deepEqual(embedFrameSize(null, {}), { width: 640, height: 360 + EMBED_TITLE_BAR });
  assert.deepEqual(embedFrameSize({ width: 1280, height: 720 }, { maxwidth: 320 }), {
    width: 320,
    height: 180 + EMBED_TITLE_BAR,
  });
  const tall = embedFrameSize({ width: 1280, height: 720 }, { maxheight: 200 });
  assert.ok(tall.height <= 200 && tall.width === Math.floor((200 - EMBED_TITLE_BAR) * (16 / 9)));
  const portrait = embedFrameSize({ width: 720, height: 1280 }, { maxwidth: 400, maxheight: 500 });
  assert.ok(portrait.width <= 400 && portrait.height <= 500);
  assert.deepEqual(embedFrameSize(null, { maxwidth: 1, maxheight: 1 }), { width: 1, height: 1 });
  assert.ok(fitsWithin({ width: 640, height: 360 }, { maxwidth: 640 }));
  assert.ok(!fitsWithin({ width: 640, height: 360 }, { maxheight: 300 }));
});

test('story addresses: reading and embed pages on this host only', () => {
  const origin = 'https://stories.example.org';
  assert.deepEqual(storyAddress('https://stories.example.org/ar/stories/tide-lines', origin), {
    slug: 'tide-lines',
    language: 'ar',
  });
  assert.deepEqual(storyAddress('http://stories.example.org/en/stories/tide-lines/?x=1#t', origin), {
    slug: 'tide-lines',
    language: 'en',
  });
  assert.deepEqual(storyAddress('https://stories.example.org/embed/tide-lines?lang=ja', origin), {
    slug: 'tide-lines',
    language: 'ja',
  });
  assert.deepEqual(storyAddress('https://stories.example.org/embed/tide-lines', origin), {
    slug: 'tide-lines',
    language: null,
  });
  for (const other of [
    'https://elsewhere.example/ar/stories/tide-lines',
    'https://stories.example.org.evil.example/ar/stories/x',
    'javascript:alert(1)',
    'https://stories.example.org/ar/stories/',
    'https://stories.example.org/ar/stories/x/transcript',
    'https://stories.example.org/ar/stories/%E0%A4%A',
    'not a url',
  ])
    assert.equal(storyAddress(other, origin), null, other);
});

test('schema.org durations, Open Graph locales, and JSON that cannot leave its <script> element', () => {
  assert.equal(isoDuration(65), 'PT1M5S');
  assert.equal(isoDuration(3600), 'PT1H');
  assert.equal(isoDuration(3725.4), 'PT1H2M5S');
  assert.equal(isoDuration(0), 'PT0S');
  assert.equal(openGraphLocale('zh-Hans'), 'zh_Hans');
  const value = { name: '</script><script>alert(1)</script> <!-- & \u2028 -->' };
  const json = jsonForScript(value);
  assert.doesNotMatch(json, /<|>|&|\u2028/);
  assert.deepEqual(JSON.parse(json), value);
});
