import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../errors.ts';
import { bcp47 } from '../../domain/languages/languages.ts';
import {
  entriesOfFile,
  planSitemaps,
  robotsTxt,
  sitemapEntries,
  sitemapIndex,
  SITEMAP_LIMITS,
  urlSet,
  type SitemapPage,
} from '../../domain/syndication/sitemap.ts';
import { sendConditional } from '../conditional.ts';
import { publicOrigin } from '../public-url.ts';

const XML = 'application/xml; charset=utf-8';
/** The areas of every language that are for signed-in work, or endless for a crawler (search results). */
const PRIVATE_AREAS = [
  '/edit/',
  '/admin',
  '/account',
  '/sign-in',
  '/sign-up',
  '/sign-out',
  '/translate/',
  '/translation-resources',
  '/search',
];

/**
 * sitemap.xml (every public page in every language it is readable in, with hreflang alternates; a
 * sitemap index of numbered files past SITEMAP_MAX_URLS addresses or 50 MB) and robots.txt. Kept by the
 * page cache as lists: a change to what lists show drops them.
 */
export const sitemapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const limits = { urls: app.config.sitemapMaxUrls, bytes: SITEMAP_LIMITS.bytes };
  const cached = { config: { pageCache: true } };

  /** Every page of the sitemap, in a stable order: home, catalog, regions, themes, people, then stories oldest first. */
  async function pages(origin: string): Promise<SitemapPage[]> {
    const languages = await app.enabledLanguages();
    const enabled = new Set(languages.map((l) => l.code));
    const fallback = enabled.has('en') ? 'en' : languages[0]?.code;
    const { stories, regions, themes, people } = await app.services.syndication.sitemap();
    const everyLanguage = (path: string, xDefault = `${origin}/${fallback}${path}`): SitemapPage => ({
      versions: languages.map((l) => ({ hreflang: bcp47(l.code), loc: `${origin}/${l.code}${path}` })),
      xDefault,
    });
    const storyPages = stories.flatMap((story): SitemapPage[] => {
      const path = `/stories/${encodeURIComponent(story.slug)}`;
      const versions = story.versions.filter((version) => enabled.has(version.language));
      const main = versions.find((version) => version.language === story.sourceLanguage) ?? versions[0];
      if (!main) return [];
      return [
        {
          versions: versions.map((version) => ({
            hreflang: bcp47(version.language),
            loc: `${origin}/${version.language}${path}`,
            lastmod: version.updatedAt,
          })),
          xDefault: `${origin}/${main.language}${path}`,
        },
      ];
    });
    return [
      // The root picks the visitor's language: the x-default of the home page.
      everyLanguage('/', `${origin}/`),
      everyLanguage('/stories'),
      ...regions.map((region) => everyLanguage(`/regions/${encodeURIComponent(region.slug)}`)),
      ...themes.map((theme) => everyLanguage(`/themes/${encodeURIComponent(theme.slug)}`)),
      ...people.map((person) => everyLanguage(`/people/${encodeURIComponent(person.username)}`)),
      ...storyPages,
    ];
  }

  app.get('/sitemap.xml', cached, async (request, reply) => {
    const origin = publicOrigin(request);
    const found = await pages(origin);
    const plan = planSitemaps(sitemapEntries(found), limits);
    const body =
      plan.length === 1
        ? urlSet(sitemapEntries(found))
        : sitemapIndex(plan.map((_, index) => `${origin}/sitemap-${index + 1}.xml`));
    return sendConditional(request, reply, body, { type: XML });
  });

  app.get(
    '/sitemap-:number(^\\d+).xml',
    { ...cached, schema: { params: Type.Object({ number: Type.String({ maxLength: 6 }) }) } },
    async (request, reply) => {
      const found = await pages(publicOrigin(request));
      const plan = planSitemaps(sitemapEntries(found), limits);
      const index = Number(request.params.number) - 1;
      if (!(index >= 0 && index < plan.length)) throw notFound('sitemap');
      return sendConditional(request, reply, urlSet(entriesOfFile(sitemapEntries(found), plan, index)), { type: XML });
    },
  );

  app.get('/robots.txt', cached, async (request, reply) => {
    const languages = await app.enabledLanguages();
    const body = robotsTxt({
      disallow: [
        ...languages.flatMap((language) => PRIVATE_AREAS.map((area) => `/${language.code}${area}`)),
        '/language/',
        '/save-data',
      ],
      sitemap: `${publicOrigin(request)}/sitemap.xml`,
    });
    return sendConditional(request, reply, body, { type: 'text/plain; charset=utf-8' });
  });
};
