import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../../../errors.ts';
import { localizedName } from '../../../domain/languages/localize.ts';
import { html } from '../../views/html.ts';
import { catalogPage, collectionPage } from '../../views/pages/catalog.ts';
import { homePage } from '../../views/pages/home.ts';
import { searchPage } from '../../views/pages/search.ts';
import { storyPage } from '../../views/pages/story.ts';
import { textAttributes } from '../../views/components/story-card.ts';
import { sendPage } from './index.ts';

const Page = Type.Optional(Type.String({ maxLength: 6 }));
const pageNumber = (value: string | undefined) => Math.max(1, Math.min(10_000, Number.parseInt(value ?? '1', 10) || 1));
const cached = { config: { pageCache: true } };

/** The public pages: readable by anyone, with JavaScript or without. */
export async function browseRoutes(app: FastifyInstance) {
  const { catalog } = app.services;

  app.get('/', cached, async (request, reply) => {
    const context = request.pageContext(reply, request.language);
    return sendPage(reply, homePage(context, await catalog.home(context.chain)));
  });

  app.get('/stories', {
    ...cached,
    schema: { querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 100 })), theme: Type.Optional(Type.String({ maxLength: 100 })), inlang: Type.Optional(Type.String({ maxLength: 5 })), page: Page }) },
  }, async (request, reply) => {
    const query = request.query as { region?: string; theme?: string; inlang?: string; page?: string };
    const context = request.pageContext(reply, request.language);
    const [regions, themes] = await Promise.all([catalog.regions(), catalog.themes()]);
    const region = regions.find((r) => r.slug === query.region);
    const theme = themes.find((th) => th.slug === query.theme);
    const filters = { region: region?.slug ?? '', theme: theme?.slug ?? '', inLanguage: query.inlang === '1', page: pageNumber(query.page) };
    const result = await catalog.browse(context.chain, {
      page: filters.page,
      ...(region ? { regionId: region.id } : {}),
      ...(theme ? { themeId: theme.id } : {}),
      ...(filters.inLanguage ? { language: request.language.code } : {}),
    });
    return sendPage(reply, catalogPage(context, { ...result, regions, themes, filters }));
  });

  app.get('/stories/:slug', cached, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const context = request.pageContext(reply, request.language);
    const page = await catalog.story(slug, context.chain, context.can('story.edit'));
    if (!page) throw notFound('story');
    return sendPage(reply, storyPage(context, page));
  });

  app.get('/regions/:slug', { ...cached, schema: { querystring: Type.Object({ page: Page }) } }, async (request, reply) => {
    const region = await catalog.regionBySlug((request.params as { slug: string }).slug);
    if (!region) throw notFound('region');
    const context = request.pageContext(reply, request.language);
    const page = pageNumber((request.query as { page?: string }).page);
    const result = await catalog.browse(context.chain, { page, regionId: region.id });
    return sendPage(reply, collectionPage(context, { ...result, page, base: `/regions/${region.slug}`, title: localizedName(region.names, context.chain).text }));
  });

  app.get('/themes/:slug', { ...cached, schema: { querystring: Type.Object({ page: Page }) } }, async (request, reply) => {
    const theme = await catalog.themeBySlug((request.params as { slug: string }).slug);
    if (!theme) throw notFound('theme');
    const context = request.pageContext(reply, request.language);
    const page = pageNumber((request.query as { page?: string }).page);
    const result = await catalog.browse(context.chain, { page, themeId: theme.id });
    return sendPage(reply, collectionPage(context, { ...result, page, base: `/themes/${theme.slug}`, title: localizedName(theme.names, context.chain).text }));
  });

  app.get('/people/:username', { ...cached, schema: { querystring: Type.Object({ page: Page }) } }, async (request, reply) => {
    const person = await catalog.personByUsername((request.params as { username: string }).username);
    if (!person) throw notFound('person');
    const context = request.pageContext(reply, request.language);
    const page = pageNumber((request.query as { page?: string }).page);
    const result = await catalog.browse(context.chain, { page, personId: person.id });
    const bio = localizedName(person.bios, context.chain);
    const intro = html`<div class="person">
      <p class="person__wiki">${context.t('person-home-wiki')} <bdi>${person.homeWiki}</bdi> · ${context.t('person-username')} <bdi>${person.username}</bdi></p>
      ${bio.text ? html`<p ...${textAttributes(context, bio.language)}>${bio.text}</p>` : null}
    </div>`;
    return sendPage(reply, collectionPage(context, { ...result, page, base: `/people/${encodeURIComponent(person.username)}`, title: person.displayName, intro }));
  });

  app.get('/search', { ...cached, schema: { querystring: Type.Object({ q: Type.Optional(Type.String()) }) } }, async (request, reply) => {
    const query = ((request.query as { q?: string }).q ?? '').trim();
    const context = request.pageContext(reply, request.language);
    if (query.length > 200) return sendPage(reply, searchPage(context, { query, cards: [], error: 'search-error-too-long' }), 400);
    const cards = query ? await catalog.search(query, context.chain) : [];
    return sendPage(reply, searchPage(context, { query, cards }));
  });
}
