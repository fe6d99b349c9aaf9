import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { notFound, unknownLanguage } from '../../../errors.ts';
import type { StoryCard, StoryPage } from '../../../services/catalog.ts';

// Presenters: exactly the fields that leave the server.
const presentCard = (card: StoryCard) => ({
  slug: card.slug, title: card.title, summary: card.summary, textLanguage: card.textLanguage,
  region: card.region?.slug ?? null, languages: card.languages, publishedAt: card.publishedAt?.toISOString() ?? null,
});
const presentStory = ({ story, text, region, themes, storytellers }: StoryPage) => ({
  slug: story.slug, sourceLanguage: story.sourceLanguage, textLanguage: text.language, languages: story.languages,
  publishedAt: story.publishedAt?.toISOString() ?? null, revision: story.revision,
  title: text.title, summary: text.summary, blocks: text.blocks,
  region: region?.slug ?? null, themes: themes.map((t) => t.slug),
  storytellers: storytellers.map((p) => ({ username: p.username, displayName: p.displayName, homeWiki: p.homeWiki })),
});

const Lang = Type.Optional(Type.String({ maxLength: 20 }));

/** The read-only JSON API under /api/v1; errors carry a stable code. */
export async function apiRoutes(app: FastifyInstance) {
  const { catalog } = app.services;
  async function chainFor(code: string | undefined) {
    const languages = await app.enabledLanguages();
    const language = languages.find((l) => l.code === (code ?? 'en'));
    if (!language) throw unknownLanguage(code ?? '');
    return [language.code, ...language.fallbacks];
  }

  app.get('/languages', async () => ({
    languages: (await app.enabledLanguages()).map((l) => ({ code: l.code, autonym: l.autonym, dir: l.dir, fallbacks: l.fallbacks })),
  }));

  app.get('/stories', {
    schema: { querystring: Type.Object({ lang: Lang, page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }) },
  }, async (request) => {
    const query = request.query as { lang?: string; page?: number };
    const result = await catalog.browse(await chainFor(query.lang), { page: query.page ?? 1 });
    return { total: result.total, pages: result.pages, stories: result.cards.map(presentCard) };
  });

  app.get('/stories/:slug', { schema: { querystring: Type.Object({ lang: Lang }) } }, async (request) => {
    const page = await catalog.story((request.params as { slug: string }).slug, await chainFor((request.query as { lang?: string }).lang), false);
    if (!page) throw notFound('story');
    return presentStory(page);
  });

  app.get('/search', {
    schema: { querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }), lang: Lang }) },
  }, async (request) => {
    const query = request.query as { q: string; lang?: string };
    const cards = await catalog.search(query.q, await chainFor(query.lang));
    return { stories: cards.map(presentCard) };
  });
}
