import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../../../errors.ts';
import { atomFeed, feedUpdated, tagUri } from '../../../domain/syndication/atom.ts';
import { bcp47 } from '../../../domain/languages/languages.ts';
import { localizedName } from '../../../domain/languages/localize.ts';
import { sendConditional } from '../../conditional.ts';
import { publicOrigin } from '../../public-url.ts';
import { collectionFeed, languageFeed, type FeedKind, type FeedLink } from '../../views/components/feeds.ts';

// The software that writes the feeds (Atom's <generator>), whatever the site is called.
const GENERATOR = 'storyhub';
const KeyParams = Type.Object({ key: Type.String({ maxLength: 200 }) });

/**
 * Atom feeds of the newest published stories, read in the address's language: all of them
 * (/en/feed.atom), or a region's, theme's or person's (/en/regions/africa/feed.atom). Kept by the page
 * cache as a list: any change to what lists show drops them.
 */
export const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { catalog, syndication } = app.services;

  async function sendFeed(
    request: FastifyRequest,
    reply: FastifyReply,
    describe: (context: ReturnType<FastifyRequest['pageContext']>) => { link: FeedLink; page: string },
    filter: { regionId?: number; themeId?: number; personId?: number } = {},
  ) {
    const context = request.pageContext(reply, request.language);
    const origin = publicOrigin(request);
    const host = new URL(origin).hostname;
    const language = context.language.code;
    const { link, page } = describe(context);
    const items = await syndication.feed(context.chain, filter);
    const entries = items.map((item) => ({
      id: tagUri(host, `story/${item.id}/${language}`),
      title: item.title,
      summary: item.summary,
      language: bcp47(item.textLanguage),
      link: `${origin}/${language}/stories/${encodeURIComponent(item.slug)}`,
      published: item.publishedAt,
      updated: item.updatedAt,
      authors: item.storytellers.map((person) => ({
        name: person.displayName,
        uri: `${origin}/${language}/people/${encodeURIComponent(person.username)}`,
      })),
    }));
    const self = `${origin}${link.href}`;
    const body = atomFeed({
      id: self,
      title: link.title,
      language: bcp47(language),
      self,
      page: `${origin}/${language}${page}`,
      authors: [{ name: context.t('site-name'), uri: `${origin}/${language}/` }],
      generator: { name: GENERATOR, uri: `${origin}/` },
      entries,
    });
    return sendConditional(request, reply, body, {
      type: 'application/atom+xml; charset=utf-8',
      lastModified: feedUpdated(entries),
    });
  }

  app.get('/feed.atom', { config: { pageCache: true } }, async (request, reply) =>
    sendFeed(request, reply, (context) => ({ link: languageFeed(context), page: '/stories' })),
  );

  /** The feed of one region, theme or person: a 404 for one that does not exist. */
  function collection<T extends { id: number }>(
    kind: FeedKind,
    path: string,
    find: (key: string) => Promise<T | undefined>,
    describe: (found: T, chain: readonly string[]) => { base: string; name: string },
  ) {
    app.get(path, { config: { pageCache: true }, schema: { params: KeyParams } }, async (request, reply) => {
      const found = await find(request.params.key);
      if (!found) throw notFound(kind);
      return sendFeed(
        request,
        reply,
        (context) => {
          const { base, name } = describe(found, context.chain);
          return { link: collectionFeed(context, kind, base, name), page: base };
        },
        { [`${kind}Id`]: found.id },
      );
    });
  }
  collection('region', '/regions/:key/feed.atom', catalog.regionBySlug, (region, chain) => ({
    base: `/regions/${region.slug}`,
    name: localizedName(region.names, chain).text,
  }));
  collection('theme', '/themes/:key/feed.atom', catalog.themeBySlug, (theme, chain) => ({
    base: `/themes/${theme.slug}`,
    name: localizedName(theme.names, chain).text,
  }));
  collection('person', '/people/:key/feed.atom', catalog.personByUsername, (person) => ({
    base: `/people/${encodeURIComponent(person.username)}`,
    name: person.displayName,
  }));
};
