import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../../errors.ts';
import { localizedName } from '../../../domain/languages/localize.ts';
import { html, type VNode } from '../../views/html.ts';
import type { PageContext } from '../../views/context.ts';
import type { Person, Region, Theme } from '../../../domain/catalog/vocabulary.ts';
import { catalogPage, collectionPage } from '../../views/pages/catalog.ts';
import { homePage } from '../../views/pages/home.ts';
import { storyPage } from '../../views/pages/story.ts';
import { transcriptPage } from '../../views/pages/transcript.ts';
import { textAttributes } from '../../views/components/story-card.ts';
import { collectionFeed } from '../../views/components/feeds.ts';
import { publicOrigin } from '../../public-url.ts';
import { LISTING_MAX_PAGE, PAGE_PARAM_MAX_LENGTH } from '../../../domain/forms/limits.ts';

const Page = Type.Optional(Type.String({ maxLength: PAGE_PARAM_MAX_LENGTH }));
/** The page asked for: a number from 1 to LISTING_MAX_PAGE (text, 0 or a negative number: the first page). */
const pageNumber = (value: string | undefined) =>
  Math.max(1, Math.min(LISTING_MAX_PAGE, Number.parseInt(value ?? '1', 10) || 1));
const cached = { config: { pageCache: true } };
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });

/** The public pages: readable by anyone, with JavaScript or without. */
export const browseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { catalog } = app.services;
  /** A page of the catalog; past the last page, the last page (an old link to a shrunken listing still shows stories). */
  async function browsePage(
    chain: PageContext['chain'],
    options: Parameters<typeof catalog.browse>[1] & { page: number },
  ) {
    const result = await catalog.browse(chain, options);
    const page = Math.min(options.page, result.pages);
    return page === options.page
      ? { ...result, page }
      : { ...(await catalog.browse(chain, { ...options, page })), page };
  }

  app.get('/', cached, async (request, reply) => {
    const context = request.pageContext(reply, request.language);
    return reply.page(homePage(context, await catalog.home(context.chain)));
  });

  app.get(
    '/stories',
    {
      ...cached,
      schema: {
        querystring: Type.Object({
          region: Type.Optional(Type.String({ maxLength: 100 })),
          theme: Type.Optional(Type.String({ maxLength: 100 })),
          inlang: Type.Optional(Type.String({ maxLength: 5 })),
          page: Page,
        }),
      },
    },
    async (request, reply) => {
      const { query } = request;
      const context = request.pageContext(reply, request.language);
      const { regions, themes, region, theme } = await catalog.filterChoices(query);
      const filters = {
        region: region?.slug ?? '',
        theme: theme?.slug ?? '',
        inLanguage: query.inlang === '1',
        page: pageNumber(query.page),
      };
      const result = await browsePage(context.chain, {
        page: filters.page,
        ...(region ? { regionId: region.id } : {}),
        ...(theme ? { themeId: theme.id } : {}),
        ...(filters.inLanguage ? { language: request.language.code } : {}),
      });
      return reply.page(
        catalogPage(context, { ...result, regions, themes, filters: { ...filters, page: result.page } }),
      );
    },
  );

  async function watching(storyId: number, sourceLanguage: string, chain: string[]) {
    const [media, subtitleLanguages, credits, photo] = await Promise.all([
      app.services.video.files(storyId),
      app.services.subtitles.publishedLanguages(storyId),
      app.services.contributions.credits(storyId),
      app.services.celebration.photoOfStory(storyId),
    ]);
    const transcript = await app.services.subtitles.transcript(storyId, chain, sourceLanguage, subtitleLanguages);
    return { media, subtitleLanguages, transcript, credits, ...(photo ? { photo } : {}) };
  }

  app.get('/stories/:slug/transcript', { ...cached, schema: { params: SlugParams } }, async (request, reply) => {
    const { slug } = request.params;
    const context = request.pageContext(reply, request.language);
    const page = await catalog.story(slug, context.chain, context.can('story.edit'));
    if (!page) throw notFound('story');
    const found = await app.services.subtitles.transcript(page.story.id, context.chain, page.story.sourceLanguage);
    return reply.showsStory(page.story.id).page(transcriptPage(context, page, found));
  });

  app.get('/stories/:slug', { ...cached, schema: { params: SlugParams } }, async (request, reply) => {
    const { slug } = request.params;
    const context = request.pageContext(reply, request.language);
    const page = await catalog.story(slug, context.chain, context.can('story.edit'));
    if (!page) throw notFound('story');
    return reply
      .showsStory(page.story.id)
      .page(
        storyPage(
          context,
          page,
          await watching(page.story.id, page.story.sourceLanguage, context.chain),
          publicOrigin(request),
        ),
      );
  });

  /** A page listing the stories of one region, theme or person. */
  function collection<T extends { id: number }>(
    path: string,
    find: (key: string) => Promise<T | undefined>,
    what: 'region' | 'theme' | 'person',
    describe: (found: T, context: PageContext) => { base: string; title: string; intro?: VNode },
  ) {
    app.get(
      path,
      {
        ...cached,
        schema: {
          params: Type.Object({ key: Type.String({ maxLength: 200 }) }),
          querystring: Type.Object({ page: Page }),
        },
      },
      async (request, reply) => {
        const found = await find(request.params.key);
        if (!found) throw notFound(what);
        const context = request.pageContext(reply, request.language);
        const result = await browsePage(context.chain, {
          page: pageNumber(request.query.page),
          [`${what}Id`]: found.id,
        });
        const { page } = result;
        const described = describe(found, context);
        const feed = collectionFeed(context, what, described.base, described.title);
        return reply.page(collectionPage(context, { ...result, page, ...described, feed }));
      },
    );
  }

  collection('/regions/:key', catalog.regionBySlug, 'region', (region: Region, context) => ({
    base: `/regions/${region.slug}`,
    title: localizedName(region.names, context.chain).text,
  }));
  collection('/themes/:key', catalog.themeBySlug, 'theme', (theme: Theme, context) => ({
    base: `/themes/${theme.slug}`,
    title: localizedName(theme.names, context.chain).text,
  }));
  collection('/people/:key', catalog.personByUsername, 'person', (person: Person, context) => {
    const bio = localizedName(person.bios, context.chain);
    const intro = html`<div class="person">
      <p class="person__wiki">${context.t('person-home-wiki')} <bdi>${person.homeWiki}</bdi> · ${context.t('person-username')} <bdi>${person.username}</bdi></p>
      ${bio.text ? html`<p ...${textAttributes(context, bio.language)}>${bio.text}</p>` : null}
    </div>`;
    return { base: `/people/${encodeURIComponent(person.username)}`, title: person.displayName, intro };
  });
};
