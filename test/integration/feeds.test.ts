import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parseFeed } from 'feedsmith';
import { defaultCueSettings } from '../../src/domain/subtitles/index.ts';
import { createCatalog, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';
import { assertWellFormed, childrenNamed, readXml, type XmlNode } from '../helpers/xml.ts';

// Feeds, the sitemap, robots.txt, oEmbed, the embed page and the previews of story pages, as feed
// readers, crawlers and other sites read them: through a third-party Atom parser, xmllint and a strict
// XML parser, never by the English text of the site's messages (new messages may not be merged yet).

/** A title with markup, a CDATA end, a comment start and characters XML cannot carry. */
const HOSTILE = 'Tide </script><script>alert(1)</script> & ]]> <!-- \u0001\u000B\uFFFE end';
/** The same as XML can carry it: the forbidden characters dropped, the rest kept. */
const HOSTILE_IN_XML = 'Tide </script><script>alert(1)</script> & ]]> <!--  end';
const ARABIC_TITLE = 'خطوط المد';
const PUBLIC_URL = 'https://stories.example.org';
const LANGUAGES = 15;

interface ParsedEntry {
  id?: string;
  title?: { value?: string };
  summary?: { value?: string };
  links?: Array<{ href?: string; rel?: string }>;
  authors?: Array<{ name?: string }>;
  updated?: string;
  xml?: { lang?: string };
}
interface ParsedAtom {
  title?: { value?: string };
  id?: string;
  updated?: string;
  xml?: { lang?: string };
  links?: Array<{ href?: string; rel?: string }>;
  entries?: ParsedEntry[];
}

/** A feed as a third-party parser reads it, after xmllint found it well-formed. */
function readFeed(body: string): ParsedAtom {
  assertWellFormed(body);
  const parsed = parseFeed(body);
  assert.equal(parsed.format, 'atom');
  return parsed.feed as ParsedAtom;
}
const titles = (feed: ParsedAtom) => (feed.entries ?? []).map((entry) => entry.title?.value).sort();

/** The <meta property content> pairs of a page's head, values unescaped. */
function metaProperties(page: string): Array<[string, string]> {
  const unescape = (value: string) =>
    value
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return [...page.matchAll(/<meta property="([^"]+)" content="([^"]*)"\/>/g)].map((m) => [m[1]!, unescape(m[2]!)]);
}
const property = (page: string, name: string) => metaProperties(page).find(([key]) => key === name)?.[1];

/** Every <url> of a sitemap: its address and its alternates by hreflang. */
function sitemapUrls(body: string) {
  assertWellFormed(body);
  const root = readXml(body);
  assert.equal(root.name, 'urlset');
  return childrenNamed(root, 'url').map((url: XmlNode) => ({
    loc: childrenNamed(url, 'loc')[0]!.text,
    lastmod: childrenNamed(url, 'lastmod')[0]?.text,
    alternates: Object.fromEntries(
      childrenNamed(url, 'xhtml:link').map((link) => [link.attributes.hreflang!, link.attributes.href!]),
    ),
  }));
}

for (const engine of testEngines()) {
  describe(`feeds, sitemap, embeds and previews (${engine})`, () => {
    // `site`: addresses from each request's host, pages cached; `publicSite`: PUBLIC_URL, five addresses per sitemap file.
    let site: TestSite;
    let publicSite: TestSite;
    before(async () => {
      site = await startTestSite(engine, { PAGE_CACHE_SECONDS: '60' });
      publicSite = await startTestSite(engine, { PAGE_CACHE_SECONDS: '60', PUBLIC_URL, SITEMAP_MAX_URLS: '5' });
    });
    after(async () => {
      await site?.close();
      await publicSite?.close();
    });

    /** tide (English with hostile title, and Arabic), plain (English), a draft, and far (another region, no theme or storyteller). */
    async function seed(target: TestSite) {
      await target.reset();
      const { stories } = await createCatalog(target.services, [
        {
          slug: 'tide',
          texts: {
            en: { title: HOSTILE, summary: 'Summary & <b>bold</b>' },
            ar: { title: ARABIC_TITLE, summary: 'ملخص' },
          },
        },
        { slug: 'plain', texts: { en: { title: 'Plain story' } } },
        { slug: 'hidden', texts: { en: { title: 'Draft story' } }, status: 'draft' },
      ]);
      const { catalog, stories: repository } = target.services.repositories;
      await catalog.saveRegion({ slug: 'asia', names: { en: 'Asia' } });
      const asia = (await catalog.regionBySlug('asia'))!;
      const far = (await repository.create(
        {
          slug: 'far',
          regionId: asia.id,
          sourceLanguage: 'en',
          featured: false,
          themeIds: [],
          storytellerIds: [],
          text: { language: 'en', title: 'Far story', summary: '', blocks: [] },
        },
        null,
      ))!;
      await repository.setPublished(far.id, new Date('2026-06-01T00:00:00Z'));
      return { tide: stories[0]!, plain: stories[1]! };
    }

    /** A video for a story: a poster, two renditions 65 s long (rows only: no test here reads the files). */
    async function addVideo(target: TestSite, storyId: number) {
      const { media } = target.services.repositories;
      const folder = `stories/${storyId}/1-1`;
      await media.add({
        storyId,
        role: 'poster',
        storageKey: `${folder}/poster.jpg`,
        mime: 'image/jpeg',
        width: 1280,
        height: 720,
        bytes: 1000,
      });
      for (const [label, mime] of [
        ['360p-webm', 'video/webm'],
        ['360p-mp4', 'video/mp4'],
      ] as const) {
        await media.add({
          storyId,
          role: 'rendition',
          label,
          storageKey: `${folder}/${label}.${mime === 'video/mp4' ? 'mp4' : 'webm'}`,
          mime,
          width: 640,
          height: 360,
          durationSeconds: 65,
          bytes: 100_000,
        });
      }
    }
    /** A published subtitle track with one cue. */
    async function addTrack(target: TestSite, storyId: number, language: string, text: string) {
      const { subtitles } = target.services.repositories;
      const cue = { id: '', startTime: 0, endTime: 2, text, settings: defaultCueSettings() };
      await subtitles.save({ storyId, language, cues: [cue], userId: null, summary: 'test', changedCues: 1 });
      await subtitles.publishCurrent(storyId, language);
    }

    const get = (target: TestSite, url: string, headers: Record<string, string> = {}) =>
      target.app.inject({ method: 'GET', url, headers });

    describe('Atom feeds', () => {
      beforeEach(async () => {
        await seed(site);
      });

      test('a language’s feed parses as Atom; hostile titles stay text; drafts stay out', async () => {
        const response = await get(site, '/en/feed.atom');
        assert.equal(response.statusCode, 200);
        assert.match(String(response.headers['content-type']), /^application\/atom\+xml; charset=utf-8/);
        assert.doesNotMatch(response.body, /<script|<!--|]]>/, 'no markup, comment or CDATA end from a title');
        const feed = readFeed(response.body);
        assert.equal(feed.xml?.lang, 'en');
        assert.equal(feed.id, 'http://localhost:80/en/feed.atom');
        assert.ok(feed.title?.value, 'the feed has a title');
        assert.deepEqual(titles(feed), ['Far story', 'Plain story', HOSTILE_IN_XML].sort());
        const tide = feed.entries!.find((entry) => entry.title?.value === HOSTILE_IN_XML)!;
        assert.equal(tide.summary?.value, 'Summary & <b>bold</b>');
        assert.equal(tide.links?.find((link) => link.rel === 'alternate')?.href, 'http://localhost:80/en/stories/tide');
        assert.deepEqual(
          tide.authors?.map((author) => author.name),
          ['Amani K.'],
        );
        assert.equal(tide.xml?.lang, 'en');
        assert.match(tide.id!, /^tag:localhost,2026:story\/\d+\/en$/);
        // Newest first: far was published a month after the others.
        assert.equal(feed.entries![0]!.title?.value, 'Far story');
      });

      test('in Arabic, each entry says the language of the text it shows', async () => {
        const feed = readFeed((await get(site, '/ar/feed.atom')).body);
        assert.equal(feed.xml?.lang, 'ar');
        const byTitle = new Map(feed.entries!.map((entry) => [entry.title?.value, entry]));
        assert.equal(byTitle.get(ARABIC_TITLE)?.xml?.lang, 'ar');
        assert.equal(byTitle.get(ARABIC_TITLE)?.links?.[0]?.href, 'http://localhost:80/ar/stories/tide');
        assert.equal(byTitle.get('Plain story')?.xml?.lang, 'en', 'no Arabic text: the English one, so marked');
        assert.equal(byTitle.get('Plain story')?.links?.[0]?.href, 'http://localhost:80/ar/stories/plain');
      });

      test('a region’s, a theme’s and a person’s feed hold only their stories; unknown ones are 404', async () => {
        const feedTitles = async (url: string) => titles(readFeed((await get(site, url)).body));
        assert.deepEqual(await feedTitles('/en/regions/africa/feed.atom'), ['Plain story', HOSTILE_IN_XML].sort());
        assert.deepEqual(await feedTitles('/en/regions/asia/feed.atom'), ['Far story']);
        assert.deepEqual(await feedTitles('/en/themes/education/feed.atom'), ['Plain story', HOSTILE_IN_XML].sort());
        assert.deepEqual(await feedTitles('/en/people/Amani/feed.atom'), ['Plain story', HOSTILE_IN_XML].sort());
        const region = readFeed((await get(site, '/ar/regions/africa/feed.atom')).body);
        assert.equal(
          region.links?.find((link) => link.rel === 'self')?.href,
          'http://localhost:80/ar/regions/africa/feed.atom',
        );
        assert.equal(
          region.links?.find((link) => link.rel === 'alternate')?.href,
          'http://localhost:80/ar/regions/africa',
        );
        for (const url of [
          '/en/regions/nowhere/feed.atom',
          '/en/themes/nothing/feed.atom',
          '/en/people/Nobody/feed.atom',
          '/xx/feed.atom',
        ])
          assert.equal((await get(site, url)).statusCode, 404, url);
      });

      test('the pages that list stories announce their feed in the head', async () => {
        const feedLinks = async (url: string) =>
          [
            ...(await get(site, url)).body.matchAll(
              /<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="([^"]+)"\/>/g,
            ),
          ].map((match) => match[1]);
        assert.deepEqual(await feedLinks('/en/'), ['/en/feed.atom']);
        assert.deepEqual(await feedLinks('/ar/stories'), ['/ar/feed.atom']);
        assert.deepEqual(await feedLinks('/en/regions/africa'), ['/en/regions/africa/feed.atom']);
        assert.deepEqual(await feedLinks('/en/themes/education'), ['/en/themes/education/feed.atom']);
        assert.deepEqual(await feedLinks('/ja/people/Amani'), ['/ja/people/Amani/feed.atom']);
      });

      test('a reader whose copy is current gets 304, by ETag or by date, from the page or from the cache', async () => {
        const first = await get(site, '/en/feed.atom');
        const etag = String(first.headers.etag);
        const modified = String(first.headers['last-modified']);
        assert.match(etag, /^W\/"[\w-]+"$/);
        assert.equal(new Date(modified).toUTCString(), modified);
        for (let round = 0; round < 2; round += 1) {
          const byTag = await get(site, '/en/feed.atom', { 'if-none-match': etag });
          assert.equal(byTag.statusCode, 304);
          assert.equal(byTag.body, '');
          assert.equal((await get(site, '/en/feed.atom', { 'if-modified-since': modified })).statusCode, 304);
          const changed = await get(site, '/en/feed.atom', {
            'if-none-match': 'W/"something-else"',
            'if-modified-since': modified,
          });
          assert.equal(changed.statusCode, 200, 'a tag that does not match decides, whatever the date');
          assert.equal(changed.headers['x-cache'], 'hit');
        }
      });

      test('the cache keeps feeds until a change to what they list, and keeps each host’s copy apart', async () => {
        const miss = await get(site, '/en/feed.atom');
        assert.equal(miss.headers['x-cache'], 'miss');
        assert.equal((await get(site, '/en/feed.atom')).headers['x-cache'], 'hit');
        const oembedUrl = `/oembed?url=${encodeURIComponent('http://localhost:80/en/stories/plain')}`;
        const others = ['/ar/regions/africa/feed.atom', '/sitemap.xml', '/robots.txt', oembedUrl];
        for (const url of others) await get(site, url);
        for (const url of others) assert.equal((await get(site, url)).headers['x-cache'], 'hit', url);
        // A forged host gets a copy of its own and never reaches anyone else's.
        const forged = await get(site, '/en/feed.atom', { host: 'evil.example' });
        assert.equal(forged.headers['x-cache'], 'miss');
        assert.match(forged.body, /http:\/\/evil\.example\//);
        const again = await get(site, '/en/feed.atom');
        assert.equal(again.headers['x-cache'], 'hit');
        assert.doesNotMatch(again.body, /evil\.example/);
        // A story's title changes: every feed listing it is rendered again.
        const plain = (await site.services.repositories.stories.findBySlug('plain'))!;
        await site.services.repositories.stories.update(
          plain.id,
          plain.revision,
          {
            slug: 'plain',
            regionId: plain.regionId,
            sourceLanguage: 'en',
            featured: false,
            themeIds: plain.themeIds,
            storytellerIds: plain.storytellerIds,
            text: { ...plain.texts.en!, title: 'Renamed story' },
          },
          null,
        );
        const renamed = await get(site, '/en/feed.atom');
        assert.equal(renamed.headers['x-cache'], 'miss');
        assert.ok(titles(readFeed(renamed.body)).includes('Renamed story'));
        assert.notEqual(renamed.headers.etag, miss.headers.etag);
        for (const url of others) assert.equal((await get(site, url)).headers['x-cache'], 'miss', url);
        assert.equal((await get(site, oembedUrl)).json().title, 'Renamed story');
      });
    });

    describe('sitemap and robots.txt', () => {
      test('every published story in each language it is readable in, with exactly those alternates', async () => {
        await seed(site);
        const urls = sitemapUrls((await get(site, '/sitemap.xml')).body);
        const origin = 'http://localhost:80';
        const byLoc = new Map(urls.map((url) => [url.loc, url]));
        for (const language of ['en', 'ar']) {
          const tide = byLoc.get(`${origin}/${language}/stories/tide`);
          assert.ok(tide, `tide in ${language}`);
          assert.deepEqual(tide.alternates, {
            en: `${origin}/en/stories/tide`,
            ar: `${origin}/ar/stories/tide`,
            'x-default': `${origin}/en/stories/tide`,
          });
          assert.match(tide.lastmod!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        }
        assert.deepEqual(byLoc.get(`${origin}/en/stories/plain`)?.alternates, {
          en: `${origin}/en/stories/plain`,
          'x-default': `${origin}/en/stories/plain`,
        });
        assert.ok(!byLoc.has(`${origin}/ar/stories/plain`), 'not readable in Arabic: not listed in Arabic');
        assert.ok(![...byLoc.keys()].some((loc) => loc.includes('/hidden')), 'no draft');
        const home = byLoc.get(`${origin}/ja/`)!;
        assert.equal(Object.keys(home.alternates).length, LANGUAGES + 1);
        assert.equal(home.alternates['x-default'], `${origin}/`);
        assert.equal(home.alternates['zh-Hans'], `${origin}/zh-hans/`);
        for (const path of ['/stories', '/regions/africa', '/regions/asia', '/themes/education', '/people/Amani'])
          assert.ok(byLoc.has(`${origin}/fr${path}`), path);
        // Home, catalog, two regions, a theme and a person in every language; tide twice; plain and far once.
        assert.equal(urls.length, LANGUAGES * 6 + 4);
      });

      test('past the limit, a sitemap index of numbered files that together list every address once', async () => {
        await seed(site);
        await seed(publicSite);
        const paths = (urls: Array<{ loc: string }>, origin: string) => urls.map((url) => url.loc.slice(origin.length));
        const whole = paths(sitemapUrls((await get(site, '/sitemap.xml')).body), 'http://localhost:80');
        const index = (await get(publicSite, '/sitemap.xml')).body;
        assertWellFormed(index);
        const root = readXml(index);
        assert.equal(root.name, 'sitemapindex');
        const files = childrenNamed(root, 'sitemap').map((entry) => childrenNamed(entry, 'loc')[0]!.text);
        assert.equal(files.length, Math.ceil(whole.length / 5));
        const listed: string[] = [];
        for (const [number, file] of files.entries()) {
          assert.equal(file, `${PUBLIC_URL}/sitemap-${number + 1}.xml`);
          const urls = sitemapUrls((await get(publicSite, new URL(file).pathname)).body);
          assert.ok(urls.length >= 1 && urls.length <= 5);
          listed.push(...paths(urls, PUBLIC_URL));
        }
        assert.deepEqual(listed, whole);
        for (const missing of ['/sitemap-0.xml', `/sitemap-${files.length + 1}.xml`])
          assert.equal((await get(publicSite, missing)).statusCode, 404, missing);
      });

      test('robots.txt keeps crawlers out of editing and accounts in every language and names the sitemap', async () => {
        const robots = await get(site, '/robots.txt', { host: 'stories.test:8080' });
        assert.equal(robots.statusCode, 200);
        assert.match(String(robots.headers['content-type']), /^text\/plain/);
        const lines = robots.body.split('\n');
        assert.equal(lines[0], 'User-agent: *');
        for (const rule of [
          '/en/edit/',
          '/ar/admin',
          '/ja/sign-in',
          '/zh-hans/sign-up',
          '/uk/account',
          '/fr/translate/',
        ])
          assert.ok(lines.includes(`Disallow: ${rule}`), rule);
        assert.ok(!lines.includes('Disallow: /'), 'the public pages stay open');
        assert.ok(!lines.some((line) => /stories|embed|media|feed/.test(line) && line.startsWith('Disallow')));
        assert.ok(lines.includes('Sitemap: http://stories.test:8080/sitemap.xml'));
        const configured = await get(publicSite, '/robots.txt', { host: 'evil.example' });
        assert.match(configured.body, /^Sitemap: https:\/\/stories\.example\.org\/sitemap\.xml$/m);
      });
    });

    describe('oEmbed, the embed page and previews', () => {
      let tideId: number;
      beforeEach(async () => {
        const { tide } = await seed(site);
        tideId = tide.id;
        await addVideo(site, tide.id);
        await addTrack(site, tide.id, 'en', 'Hello </script><!-- there');
        await addTrack(site, tide.id, 'ar', 'مرحبا');
      });
      const oembed = (query: Record<string, string>) => get(site, `/oembed?${new URLSearchParams(query)}`);

      test('oEmbed: a video with its player frame, sized to fit maxwidth and maxheight', async () => {
        const answer = await oembed({ url: 'http://localhost:80/ar/stories/tide', format: 'json' });
        assert.equal(answer.statusCode, 200);
        assert.equal(answer.headers['access-control-allow-origin'], '*');
        const body = answer.json();
        assert.equal(body.version, '1.0');
        assert.equal(body.type, 'video');
        assert.equal(body.title, ARABIC_TITLE);
        assert.equal(body.author_name, 'Amani K.');
        assert.equal(body.author_url, 'http://localhost:80/ar/people/Amani');
        assert.ok(body.provider_name);
        assert.equal(body.provider_url, 'http://localhost:80/');
        assert.deepEqual([body.width, body.height], [640, 408]);
        assert.match(body.thumbnail_url, /^http:\/\/localhost:80\/media\/stories\/\d+\/1-1\/poster\.jpg$/);
        assert.deepEqual([body.thumbnail_width, body.thumbnail_height], [1280, 720]);
        assert.equal(
          body.html,
          '<iframe src="http://localhost:80/embed/tide?lang=ar" width="640" height="408" title="خطوط المد" frameborder="0" allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>',
        );

        const narrow = (await oembed({ url: 'http://localhost:80/embed/tide?lang=ar', maxwidth: '320' })).json();
        assert.deepEqual([narrow.width, narrow.height], [320, 228]);
        assert.match(narrow.html, /width="320" height="228"/);
        assert.equal(
          narrow.thumbnail_url,
          undefined,
          'the poster is wider than 320: no thumbnail rather than one too large',
        );
        const low = (
          await oembed({ url: 'http://localhost:80/en/stories/tide', maxwidth: '1000', maxheight: '200' })
        ).json();
        assert.ok(low.height <= 200 && low.width <= 1000);
        // A hostile title stays inside the title attribute.
        assert.equal(low.title, HOSTILE);
        assert.equal(low.html.match(/<[a-z]/g)?.length, 1, 'one element: the iframe');
        assert.doesNotMatch(low.html, /<script/);
      });

      test('oEmbed: unknown addresses are 404, XML is 501, a story without video is a link', async () => {
        const error = async (query: Record<string, string>, status: number, code: string) => {
          const answer = await oembed(query);
          assert.equal(answer.statusCode, status, JSON.stringify(query));
          assert.equal(answer.json().error.code, code);
        };
        await error({ url: 'http://elsewhere.example/en/stories/tide' }, 404, 'not_found');
        await error({ url: 'http://localhost:80/en/stories/nothing-here' }, 404, 'not_found');
        await error({ url: 'http://localhost:80/en/stories/hidden' }, 404, 'not_found');
        await error({ url: 'http://localhost:80/en/regions/africa' }, 404, 'not_found');
        await error({ url: 'not an address' }, 404, 'not_found');
        await error({ url: 'http://localhost:80/xx/stories/tide' }, 404, 'unknown_language');
        await error({ url: 'http://localhost:80/en/stories/tide', format: 'xml' }, 501, 'format_not_offered');
        await error({ url: 'http://localhost:80/en/stories/tide', maxwidth: '0' }, 400, 'bad_request');
        const link = (await oembed({ url: 'http://localhost:80/en/stories/plain' })).json();
        assert.equal(link.type, 'link');
        assert.equal(link.title, 'Plain story');
        assert.equal(link.html, undefined);
      });

      test('a story page: Open Graph, oEmbed discovery and a VideoObject that a hostile title cannot break out of', async () => {
        const response = await get(site, '/en/stories/tide');
        const page = response.body;
        assert.equal(property(page, 'og:type'), 'video.other');
        assert.equal(property(page, 'og:title'), HOSTILE);
        assert.equal(property(page, 'og:description'), 'Summary & <b>bold</b>');
        assert.equal(property(page, 'og:url'), 'http://localhost:80/en/stories/tide');
        assert.match(property(page, 'og:image')!, /^http:\/\/localhost:80\/media\/stories\/\d+\/1-1\/poster\.jpg$/);
        assert.match(property(page, 'og:video')!, /^http:\/\/localhost:80\/media\/.*360p-mp4\.mp4$/);
        assert.equal(property(page, 'og:video:type'), 'video/mp4');
        assert.equal(property(page, 'og:locale'), 'en');
        assert.deepEqual(
          metaProperties(page)
            .filter(([key]) => key === 'og:locale:alternate')
            .map(([, value]) => value),
          ['ar'],
        );
        assert.ok(
          page.includes(
            '<link rel="alternate" type="application/json+oembed" title="Tide &lt;/script>&lt;script>alert(1)&lt;/script> &amp; ]]> &lt;!-- \u0001\u000B\uFFFE end" href="http://localhost:80/oembed?url=http%3A%2F%2Flocalhost%3A80%2Fen%2Fstories%2Ftide&amp;format=json"/>',
          ),
        );
        // The JSON-LD is the only inline script element, and is data: the CSP allows no inline script at all.
        const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        const inline = scripts.filter((match) => !/\bsrc=/.test(match[1]!));
        assert.equal(inline.length, 1);
        assert.equal(inline[0]![1], ' type="application/ld+json"');
        assert.doesNotMatch(String(response.headers['content-security-policy']), /unsafe-inline|nonce-|sha256-/);
        const json = inline[0]![2]!;
        assert.doesNotMatch(json, /<|>/, 'no </script> or <!-- inside');
        const video = JSON.parse(json);
        assert.equal(video['@context'], 'https://schema.org');
        assert.equal(video['@type'], 'VideoObject');
        assert.equal(video.name, HOSTILE);
        assert.equal(video.description, 'Summary & <b>bold</b>');
        assert.equal(video.duration, 'PT1M5S');
        assert.equal(video.uploadDate, '2026-05-01T00:00:00.000Z');
        assert.equal(video.thumbnailUrl[0], property(page, 'og:image'));
        assert.equal(video.contentUrl, property(page, 'og:video'));
        assert.equal(video.embedUrl, 'http://localhost:80/embed/tide?lang=en');
        assert.equal(video.inLanguage, 'en');
        assert.deepEqual(video.subtitleLanguage, ['ar', 'en']);
        // As the page's transcript shows it: WebVTT tags (and whatever looks like one) left out, the rest kept.
        assert.equal(video.transcript, 'Hello <!-- there');
        assert.deepEqual(video.author, [
          { '@type': 'Person', name: 'Amani K.', url: 'http://localhost:80/en/people/Amani' },
        ]);

        const arabic = (await get(site, '/ar/stories/tide')).body;
        assert.equal(property(arabic, 'og:title'), ARABIC_TITLE);
        assert.equal(property(arabic, 'og:locale'), 'ar');
        const arabicVideo = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(arabic)![1]!);
        assert.equal(arabicVideo.transcript, 'مرحبا');
        // No video: Open Graph still, but no VideoObject.
        const plain = (await get(site, '/en/stories/plain')).body;
        assert.equal(property(plain, 'og:title'), 'Plain story');
        assert.equal(property(plain, 'og:video'), undefined);
        assert.doesNotMatch(plain, /application\/ld\+json/);
      });

      test('the embed page: the video with its tracks, the default in its language, a title link to the story', async () => {
        const page = (await get(site, '/embed/tide?lang=ar')).body;
        assert.match(page, /^<!DOCTYPE html><html lang="ar" dir="rtl">/);
        assert.doesNotMatch(page, /<script|site-header|<form/, 'no script, no site header, no forms');
        assert.equal(page.match(/<source /g)?.length, 2);
        assert.match(
          page,
          /<track kind="subtitles" src="\/subtitles\/tide\/ar\.vtt" srclang="ar" label="العربية" default\/>/,
        );
        assert.match(page, /<track kind="subtitles" src="\/subtitles\/tide\/en\.vtt" srclang="en" label="English"\/>/);
        assert.match(
          page,
          /<a href="\/ar\/stories\/tide" target="_blank" rel="noopener"><span lang="ar" dir="rtl">خطوط المد<\/span>/,
        );
        assert.match(page, /poster="\/media\/stories\/\d+\/1-1\/poster\.jpg"/);
        // No track in the reader's language (Japanese has no fallbacks): none is on by default.
        assert.doesNotMatch((await get(site, '/embed/tide?lang=ja')).body, /default/);
        // No language asked: the story's own.
        assert.match((await get(site, '/embed/tide')).body, /srclang="en" label="English" default\/>/);
        assert.equal((await get(site, '/embed/hidden?lang=en')).statusCode, 404);
        assert.equal((await get(site, '/embed/nothing?lang=en')).statusCode, 404);
        assert.equal((await get(site, '/embed/tide?lang=xx')).statusCode, 404);
      });

      test('only the embed page may be framed by other sites; it is cached as the story’s own page', async () => {
        for (let round = 0; round < 2; round += 1) {
          const embed = await get(site, '/embed/tide?lang=ar');
          assert.equal(embed.headers['x-cache'], round === 0 ? 'miss' : 'hit');
          assert.match(String(embed.headers['content-security-policy']), /(^|;)frame-ancestors \*(;|$)/);
          assert.match(String(embed.headers['content-security-policy']), /(^|;)script-src 'self'(;|$)/);
          assert.equal(embed.headers['x-frame-options'], undefined);
        }
        const oembedUrl = `/oembed?url=${encodeURIComponent('http://localhost:80/en/stories/tide')}`;
        for (const url of [
          '/en/stories/tide',
          '/en/',
          '/en/feed.atom',
          '/sitemap.xml',
          oembedUrl,
          '/embed/nothing?lang=en',
          '/embed/tide?lang=xx',
        ]) {
          const response = await get(site, url);
          assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/, url);
          assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN', url);
        }
        // A change to another story keeps the embed page; one to its own story (a new track) renders it again.
        await addTrack(site, (await site.services.repositories.stories.findBySlug('plain'))!.id, 'en', 'Other');
        assert.equal((await get(site, '/embed/tide?lang=ar')).headers['x-cache'], 'hit');
        await addTrack(site, tideId, 'fr', 'Bonjour');
        const renewed = await get(site, '/embed/tide?lang=ar');
        assert.equal(renewed.headers['x-cache'], 'miss');
        assert.match(renewed.body, /srclang="fr"/);
      });
    });

    test('with PUBLIC_URL, every absolute address uses it, whatever host the request names', async () => {
      await seed(publicSite);
      const headers = { host: 'evil.example' };
      const feed = readFeed((await get(publicSite, '/en/feed.atom', headers)).body);
      assert.equal(feed.id, `${PUBLIC_URL}/en/feed.atom`);
      assert.ok(feed.entries!.every((entry) => entry.links![0]!.href!.startsWith(`${PUBLIC_URL}/en/stories/`)));
      assert.match(feed.entries![0]!.id!, /^tag:stories\.example\.org,2026:story\//);
      const page = (await get(publicSite, '/en/stories/tide', headers)).body;
      assert.equal(property(page, 'og:url'), `${PUBLIC_URL}/en/stories/tide`);
      const answer = await get(
        publicSite,
        `/oembed?url=${encodeURIComponent(`${PUBLIC_URL}/en/stories/tide`)}`,
        headers,
      );
      assert.equal(answer.json().provider_url, `${PUBLIC_URL}/`);
      assert.equal(
        (await get(publicSite, `/oembed?url=${encodeURIComponent('http://evil.example/en/stories/tide')}`, headers))
          .statusCode,
        404,
      );
    });
  });
}
