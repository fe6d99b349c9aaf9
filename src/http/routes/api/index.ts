import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { notFound, unknownLanguage } from '../../../errors.ts';
import type { StoryCard as Card, StoryPage } from '../../../services/catalog.ts';
import { Language, Story, StoryCard, withErrors } from './schemas.ts';

// Presenters: exactly the fields that leave the server.
const presentCard = (card: Card): Static<typeof StoryCard> => ({
  slug: card.slug,
  title: card.title,
  summary: card.summary,
  textLanguage: card.textLanguage,
  region: card.region?.slug ?? null,
  languages: card.languages,
  publishedAt: card.publishedAt?.toISOString() ?? null,
});
const presentStory = ({ story, text, region, themes, storytellers }: StoryPage): Static<typeof Story> => ({
  slug: story.slug,
  sourceLanguage: story.sourceLanguage,
  textLanguage: text.language,
  languages: story.languages,
  publishedAt: story.publishedAt?.toISOString() ?? null,
  revision: story.revision,
  title: text.title,
  summary: text.summary,
  blocks: text.blocks,
  region: region?.slug ?? null,
  themes: themes.map((t) => t.slug),
  storytellers: storytellers.map((p) => ({ username: p.username, displayName: p.displayName, homeWiki: p.homeWiki })),
});

const Lang = Type.Optional(
  Type.String({
    maxLength: 20,
    description: 'The language to read in (its fallbacks, then the source, fill the gaps); English when left out',
  }),
);

/** The read-only JSON API under /api/v1; errors carry a stable code. */
export const apiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { catalog } = app.services;
  async function chainFor(code: string | undefined) {
    const languages = await app.enabledLanguages();
    const language = languages.find((l) => l.code === (code ?? 'en'));
    if (!language) throw unknownLanguage(code ?? '');
    return [language.code, ...language.fallbacks];
  }

  app.get(
    '/languages',
    {
      schema: {
        summary: 'The site\u2019s languages',
        tags: ['catalog'],
        response: { 200: Type.Object({ languages: Type.Array(Language) }) },
      },
    },
    async () => ({
      languages: (await app.enabledLanguages()).map((l) => ({
        code: l.code,
        autonym: l.autonym,
        dir: l.dir,
        fallbacks: l.fallbacks,
      })),
    }),
  );

  app.get(
    '/stories',
    {
      schema: {
        summary: 'Published stories, newest first, a page at a time',
        tags: ['catalog'],
        querystring: Type.Object({ lang: Lang, page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }),
        response: withErrors({
          200: Type.Object({ total: Type.Integer(), pages: Type.Integer(), stories: Type.Array(StoryCard) }),
        }),
      },
    },
    async (request) => {
      const result = await catalog.browse(await chainFor(request.query.lang), { page: request.query.page ?? 1 });
      return { total: result.total, pages: result.pages, stories: result.cards.map(presentCard) };
    },
  );

  app.get(
    '/stories/:slug',
    {
      schema: {
        summary: 'One published story, in a language',
        tags: ['catalog'],
        params: Type.Object({ slug: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ lang: Lang }),
        response: withErrors({ 200: Story }),
      },
    },
    async (request) => {
      const page = await catalog.story(request.params.slug, await chainFor(request.query.lang), false);
      if (!page) throw notFound('story');
      return presentStory(page);
    },
  );

  app.get(
    '/search',
    {
      schema: {
        summary: 'Stories matching words, in every language',
        tags: ['catalog'],
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }), lang: Lang }),
        response: withErrors({ 200: Type.Object({ stories: Type.Array(StoryCard) }) }),
      },
    },
    async (request) => {
      const found = await app.services.search.search(request.query.q, await chainFor(request.query.lang), {}, 1, 50);
      const plain = (parts: Array<{ text: string }>) => parts.map((part) => part.text).join('');
      return {
        stories: found.results.map((result) =>
          presentCard({ ...result, title: plain(result.title), status: 'published' as const }),
        ),
      };
    },
  );
};
