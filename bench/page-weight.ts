// Page weight as Chromium receives it: every response's headers and body as they came over the
// wire (compressed as the server chose from Chromium's own Accept-Encoding), summed per page for a
// first visit (empty browser cache). A site on the embedded engine with the demo catalog, its demo
// videos processed first, and the page cache on; each page is opened once to fill the cache, then
// weighed in a fresh browser context. Media (poster, video, subtitle tracks) is counted apart; the
// images a list page's first screen loads (its cards' thumbnails: the lazy ones below stay unloaded)
// are added to it in a column of their own.
//
//   node_modules/.bin/node bench/page-weight.ts [--root DIR] [--json FILE] [--screenshots DIR]
//
// `npm run bench -- --only page-weight` runs it and writes its section of docs/BENCHMARKS.md
// (pageWeightSection).
// --root weighs another checkout of the site (for example the last commit, unpacked with
// `git archive`), so that a change is measured against what it replaces with this same script.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Request } from 'playwright-core';
import { fixed, machine, markdownTable, option } from './lib.ts';

const root = path.resolve(option('root') ?? fileURLToPath(new URL('..', import.meta.url)));
const load = async (file: string) => import(pathToFileURL(path.join(root, file)).href);
const STORY = '/stories/tide-lines-coastal-villages';
export const WEIGHED_PAGES = [
  { page: 'story page with its video (ar)', url: `/ar${STORY}` },
  { page: 'story page with its video (en)', url: `/en${STORY}` },
  { page: 'story page with its video (ja)', url: `/ja${STORY}` },
  { page: 'home page (ar)', url: '/ar/' },
  { page: 'home page (en)', url: '/en/' },
  { page: 'catalog page (ar)', url: '/ar/stories' },
  { page: 'catalog page (en)', url: '/en/stories' },
  { page: 'sign-in page (ar)', url: '/ar/sign-in' },
] as const;
const MEDIA_TYPES = new Set(['image', 'media', 'texttrack', 'font']);
/** A story page as Chromium receives it, headers included, media apart (KB). */
const STORY_TARGET_KB = 20;
/** A list page's first screen with the images it loads (KB). */
const FIRST_SCREEN_TARGET_KB = 60;

export interface WeightRow {
  page: string;
  url: string;
  /** Bytes received for the page, its stylesheets and scripts: headers and (compressed) bodies. */
  total: number;
  headers: number;
  /** Poster, video and subtitle tracks, apart. */
  media: number;
  /** Of `media`, the images (thumbnails and posters) the first screen loaded. */
  images: number;
  files: Array<{ url: string; type: string; encoding: string; headers: number; body: number }>;
}

async function weigh(browser: Browser, baseUrl: string, url: string): Promise<Omit<WeightRow, 'page'>> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const finished: Request[] = [];
  page.on('requestfinished', (request) => finished.push(request));
  await page.goto(baseUrl + url, { waitUntil: 'networkidle' });
  const files: WeightRow['files'] = [];
  for (const request of finished) {
    const sizes = await request.sizes();
    const response = await request.response();
    files.push({
      url: request.url().replace(baseUrl, ''),
      type: request.resourceType(),
      encoding: (await response?.headerValue('content-encoding')) ?? 'identity',
      headers: sizes.responseHeadersSize,
      body: sizes.responseBodySize,
    });
  }
  await context.close();
  const pageFiles = files.filter((file) => !MEDIA_TYPES.has(file.type));
  const sum = (list: typeof files, pick: (file: (typeof files)[number]) => number) =>
    list.reduce((total, file) => total + pick(file), 0);
  return {
    url,
    total: sum(pageFiles, (file) => file.headers + file.body),
    headers: sum(pageFiles, (file) => file.headers),
    media: sum(
      files.filter((file) => MEDIA_TYPES.has(file.type)),
      (file) => file.headers + file.body,
    ),
    images: sum(
      files.filter((file) => file.type === 'image'),
      (file) => file.headers + file.body,
    ),
    files,
  };
}

export async function runPageWeight(): Promise<WeightRow[]> {
  const { launchBrowser, startBrowserSite } = await load('test/helpers/browser.ts');
  const { seedDemo } = await load('src/services/demo.ts');
  const { seedDemoMedia } = await load('src/services/demo-media.ts');
  const { startWorker } = await load('src/jobs/worker.ts');
  const [web, browser] = await Promise.all([
    startBrowserSite('embedded', { PAGE_CACHE_SECONDS: '3600' }),
    launchBrowser() as Promise<Browser>,
  ]);
  try {
    const { services } = web.site;
    await seedDemo(services.repositories);
    await seedDemoMedia(services);
    const worker = startWorker({ jobs: services.repositories.jobs, handlers: services.video.handlers, pollMs: 50 });
    // Every demo video, so that each card has its thumbnails.
    const { stories } = await services.repositories.stories.list({ limit: 100 });
    const deadline = Date.now() + 600_000;
    for (const story of stories as Array<{ id: number }>)
      while (
        Date.now() < deadline &&
        !(await services.video.jobs(story.id)).every((job: { state: string }) => job.state === 'done')
      )
        await new Promise((resolve) => setTimeout(resolve, 250));
    await worker.stop();
    const rows: WeightRow[] = [];
    for (const { page, url } of WEIGHED_PAGES) {
      await weigh(browser, web.baseUrl, url); // fills the page cache, as for every visitor after the first
      rows.push({ page, ...(await weigh(browser, web.baseUrl, url)) });
    }
    const shots = option('screenshots');
    if (shots) await screenshots(browser, web.baseUrl, shots);
    return rows;
  } finally {
    await browser.close();
    await web.close();
  }
}

/** Home, the catalog, a story and the sign-in page in English, Arabic and Japanese, at desktop width and at 360 px. */
async function screenshots(browser: Browser, baseUrl: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [width, height] of [
    [1280, 800],
    [360, 740],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    for (const language of ['en', 'ar', 'ja'])
      for (const [name, url] of [
        ['home', '/'],
        ['catalog', '/stories'],
        ['story', STORY],
        ['sign-in', '/sign-in'],
      ] as const) {
        await page.goto(`${baseUrl}/${language}${url}`, { waitUntil: 'networkidle' });
        await page.screenshot({ path: path.join(dir, `${name}-${language}-${width}.png`), fullPage: true });
      }
    await context.close();
  }
}

/** The weights as a table (KB = 1,000 bytes; KiB = 1,024). */
export function weightTable(rows: readonly WeightRow[]): string {
  return markdownTable(
    [
      'page',
      'received (KB)',
      'received (KiB)',
      'of which headers (KB)',
      'files (encoding)',
      'media apart (KB)',
      'with first-screen images (KB)',
    ],
    rows.map((row) => [
      `${row.page} \`${row.url}\``,
      fixed(row.total / 1000, 1),
      fixed(row.total / 1024, 1),
      fixed(row.headers / 1000, 1),
      row.files
        .filter((file) => !MEDIA_TYPES.has(file.type))
        .map((file) => `${file.url.split('?')[0]} ${fixed((file.headers + file.body) / 1000, 1)} (${file.encoding})`)
        .join(', '),
      fixed(row.media / 1000, 1),
      fixed((row.total + row.images) / 1000, 1),
    ]),
  );
}

/** What a reader of docs/BENCHMARKS.md learns from the weights: each against its target. */
export function weightReading(rows: readonly WeightRow[]): string {
  const kb = (bytes: number) => fixed(bytes / 1000, 1);
  const range = (list: readonly number[]) => {
    const [low, high] = [Math.min(...list), Math.max(...list)];
    return low === high ? `${kb(low)} KB` : `${kb(low)}–${kb(high)} KB`;
  };
  const against = (bytes: number, targetKb: number) =>
    bytes <= targetKb * 1000
      ? `the ≤ ${targetKb} KB target is met with ${kb(targetKb * 1000 - bytes)} KB to spare`
      : `**the ≤ ${targetKb} KB target is missed** by ${kb(bytes - targetKb * 1000)} KB`;
  const parts: string[] = [];
  const stories = rows.filter((row) => row.page.startsWith('story page'));
  if (stories.length) {
    const heaviest = Math.max(...stories.map((row) => row.total));
    parts.push(
      `A story page with its video weighs ${range(stories.map((row) => row.total))} as Chromium receives it, headers included, media apart: ${against(heaviest, STORY_TARGET_KB)}; with its poster ${range(stories.map((row) => row.total + row.images))}.`,
    );
  }
  const lists = rows.filter((row) => /^(home|catalog) page/.test(row.page));
  if (lists.length) {
    const heaviest = Math.max(...lists.map((row) => row.total + row.images));
    parts.push(
      `A list page weighs ${range(lists.map((row) => row.total))}, and its first screen with the card thumbnails it loads ${range(lists.map((row) => row.total + row.images))}: ${against(heaviest, FIRST_SCREEN_TARGET_KB)}.`,
    );
  }
  const others = rows.filter((row) => !stories.includes(row) && !lists.includes(row));
  for (const row of others) parts.push(`The ${row.page} weighs ${kb(row.total)} KB.`);
  const onTheFly = [
    ...new Set(
      rows.flatMap((row) =>
        row.files
          .filter((file) => !MEDIA_TYPES.has(file.type) && !['br', 'gzip'].includes(file.encoding))
          .map((file) => `\`${file.url.split('?')[0]}\` (${file.encoding})`),
      ),
    ),
  ];
  if (onTheFly.length)
    parts.push(
      `Not sent as a Brotli or gzip copy made beforehand (by the build or the page cache), but compressed on the fly or not at all: ${onTheFly.join(', ')}.`,
    );
  return parts.join(' ');
}

/** Its section of docs/BENCHMARKS.md, as bench/run.ts writes it. */
export function pageWeightSection(
  outcome: { result?: unknown; failure?: string; loadAfter: number[] },
  date: string,
): string {
  const rows = outcome.result as WeightRow[] | undefined;
  const host = machine();
  return `## Page weight as Chromium receives it (bench/page-weight.ts)

- Command: \`npm run bench -- --only page-weight\` (alone: \`node_modules/.bin/node bench/page-weight.ts [--root DIR] [--json FILE] [--screenshots DIR]\`; needs ffmpeg and Chromium; \`--root\` weighs another checkout, such as the last commit unpacked with \`git archive\`, with this same script)
- Date: ${date}
- Machine: ${host.cores} cores, ${host.cpu}, ${host.memoryGiB} GiB, ${host.platform}; Node ${host.node} (sizes do not depend on the load)
- Method: a site on the embedded engine with the demo catalog, every demo video processed (so each card has its WebP thumbnails), and the page cache on. Each page is opened once to fill the page cache, then in a fresh browser context (empty cache) at 1280×800 in Debian's Chromium, which asks for \`gzip, deflate, br, zstd\`; every response is counted as it came over the wire, headers and compressed body (Playwright's \`request.sizes()\`). Poster, video and subtitle tracks are counted apart; the last column adds to the page the images Chromium fetched for its first screen (the eager cards and the lazy ones within its loading distance; on a story page, the \`<video poster>\`). KB = 1,000 bytes, KiB = 1,024.
- Load average (1 / 5 / 15 min) after: ${outcome.loadAfter.map((l) => l.toFixed(1)).join(' / ')}

${outcome.failure ? `_${outcome.failure}._\n\n` : ''}${rows?.length ? weightTable(rows) : ''}

**Reading.** ${rows?.length ? weightReading(rows) : 'No result.'} Targets: a story page ≤ ${STORY_TARGET_KB} KB as received, media apart; a list page's first screen ≤ ${FIRST_SCREEN_TARGET_KB} KB with its images (shared/QUALITY.md: a story page's HTML + CSS ≤ 30 KB compressed).
`;
}

if (import.meta.main) {
  const rows = await runPageWeight();
  console.log(`${weightTable(rows)}\n\n${weightReading(rows)}`);
  const json = option('json');
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
}
