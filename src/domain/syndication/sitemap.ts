import { element, writeElement, xmlDateTime, XML_DECLARATION } from './xml.ts';

// Sitemaps (sitemaps.org 0.9) with hreflang alternates: every language version of a page is one
// <url>, and each names all the versions (itself included) and the x-default, as search engines ask.
// A sitemap file holds at most 50,000 addresses and 50 MB; past that the site gives a sitemap index
// of numbered files. The files are planned from the entries' sizes, so the plan can be made without
// keeping every entry in memory at once.

/** One page in all its language versions. */
export interface SitemapPage {
  versions: Array<{ hreflang: string; loc: string; lastmod?: Date | undefined }>;
  /** Where a reader whose language is none of these goes (hreflang="x-default"). */
  xDefault?: string;
}

export interface SitemapLimits {
  urls: number;
  bytes: number;
}
/** What sitemaps.org allows in one file. */
export const SITEMAP_LIMITS: SitemapLimits = { urls: 50_000, bytes: 50 * 1024 * 1024 };

const URLSET_OPEN = `${XML_DECLARATION}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n`;
const URLSET_CLOSE = '</urlset>\n';

/** Every <url> entry of the pages, in order: one per language version, each with all the alternates. */
export function* sitemapEntries(pages: Iterable<SitemapPage>): Generator<string> {
  for (const page of pages) {
    const alternates = page.versions.map((version) =>
      element('xhtml:link', { rel: 'alternate', hreflang: version.hreflang, href: version.loc }),
    );
    if (page.xDefault)
      alternates.push(element('xhtml:link', { rel: 'alternate', hreflang: 'x-default', href: page.xDefault }));
    for (const version of page.versions) {
      const url = element('url', {}, [
        element('loc', {}, version.loc),
        version.lastmod ? element('lastmod', {}, xmlDateTime(version.lastmod)) : null,
        ...alternates,
      ]);
      yield `${writeElement(url)}\n`;
    }
  }
}

/** A sitemap file of the given entries. */
export function urlSet(entries: Iterable<string>): string {
  let body = URLSET_OPEN;
  for (const entry of entries) body += entry;
  return body + URLSET_CLOSE;
}

/**
 * How many entries each sitemap file takes, in order: as many as fit under both limits (an entry
 * too large for any file still gets a file of its own). One file, possibly empty, at least.
 */
export function planSitemaps(entries: Iterable<string>, limits: SitemapLimits = SITEMAP_LIMITS): number[] {
  const frame = Buffer.byteLength(URLSET_OPEN) + Buffer.byteLength(URLSET_CLOSE);
  const counts = [0];
  let bytes = frame;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry);
    if (counts.at(-1)! > 0 && (counts.at(-1)! >= limits.urls || bytes + size > limits.bytes)) {
      counts.push(0);
      bytes = frame;
    }
    counts[counts.length - 1]! += 1;
    bytes += size;
  }
  return counts;
}

/** The entries of file `index` (0-based) of a plan. */
export function* entriesOfFile(entries: Iterable<string>, plan: readonly number[], index: number): Generator<string> {
  const start = plan.slice(0, index).reduce((sum, count) => sum + count, 0);
  const end = start + (plan[index] ?? 0);
  let at = 0;
  for (const entry of entries) {
    if (at >= end) return;
    if (at >= start) yield entry;
    at += 1;
  }
}

/** A sitemap index naming the sitemap files. */
export function sitemapIndex(locations: readonly string[]): string {
  const index = element(
    'sitemapindex',
    { xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9' },
    locations.map((loc) => element('sitemap', {}, [element('loc', {}, loc)])),
  );
  return `${XML_DECLARATION}${writeElement(index)}\n`;
}

/** robots.txt (RFC 9309): every crawler kept out of the given path prefixes, and told where the sitemap is. */
export function robotsTxt(options: { disallow: readonly string[]; sitemap: string }): string {
  // A line break in a path would start a new rule: paths come from code, but are cleaned all the same.
  const line = (text: string) => text.replace(/[\r\n]/g, '');
  return [
    'User-agent: *',
    ...options.disallow.map((path) => `Disallow: ${line(path)}`),
    '',
    `Sitemap: ${line(options.sitemap)}`,
    '',
  ].join('\n');
}
