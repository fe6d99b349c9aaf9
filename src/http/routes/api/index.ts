import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { AppError, notFound, unknownLanguage } from '../../../errors.ts';
import type { StoryCard as Card, StoryPage } from '../../../services/catalog.ts';
import type { StoryCoverage } from '../../../services/contributions.ts';
import { Language, Person, Story, StoryCard, Vocabulary, withErrors } from './schemas.ts';

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
const presentStory = (
  { story, text, region, themes, storytellers, translated }: StoryPage,
  coverage: StoryCoverage,
): Static<typeof Story> => ({
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
  translated,
  storytellers: storytellers.map((p) => ({ username: p.username, displayName: p.displayName, homeWiki: p.homeWiki })),
  coverage,
});

const Lang = Type.Optional(
  Type.String({
    maxLength: 20,
    description: 'The language to read in (its fallbacks, then the source, fill the gaps); English when left out',
  }),
);

// A cursor is opaque to clients (they follow `next`): today an offset into the filtered list.
const encodeCursor = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
const MAX_OFFSET = 1_000_000;
function decodeCursor(cursor: string): number {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (decoded && typeof decoded === 'object' && 'o' in decoded) {
      const offset = decoded.o;
      if (Number.isInteger(offset) && (offset as number) >= 0 && (offset as number) <= MAX_OFFSET)
        return offset as number;
    }
  } catch {
    // Not base64url JSON: refused below like any other cursor this API did not give.
  }
  throw new AppError(400, 'bad_cursor', 'This cursor was not given by this API; start again without one', {
    field: 'cursor',
  });
}
const DEFAULT_LIMIT = 20;
const Slug = Type.String({ maxLength: 200, pattern: '^[a-z0-9-]+$' });

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
        summary: 'Published stories, newest first, a page at a time (follow `next` to the end)',
        tags: ['catalog'],
        querystring: Type.Object({
          lang: Lang,
          region: Type.Optional(Slug),
          theme: Type.Optional(Slug),
          language: Type.Optional(
            Type.String({ maxLength: 20, description: 'Only stories whose text exists in this language' }),
          ),
          cursor: Type.Optional(
            Type.String({ maxLength: 200, description: 'Where to go on from: the `cursor` of the previous page' }),
          ),
          limit: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 100,
              description: `Stories per page (${DEFAULT_LIMIT} when left out)`,
            }),
          ),
          page: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 10000, description: 'A page of 12, for clients that count pages' }),
          ),
        }),
        response: withErrors({
          200: Type.Object({
            total: Type.Integer(),
            pages: Type.Integer(),
            stories: Type.Array(StoryCard),
            cursor: Type.Union([Type.String(), Type.Null()], {
              description: 'The next page\u2019s cursor; null on the last',
            }),
            next: Type.Union([Type.String(), Type.Null()], {
              description: 'The next page\u2019s address; null on the last',
            }),
          }),
        }),
      },
    },
    async (request) => {
      const { query } = request;
      const chain = await chainFor(query.lang);
      if (query.language !== undefined && !(await app.enabledLanguages()).some((l) => l.code === query.language))
        throw unknownLanguage(query.language);
      const region = query.region === undefined ? undefined : await catalog.regionBySlug(query.region);
      if (query.region !== undefined && !region) throw notFound('region');
      const theme = query.theme === undefined ? undefined : await catalog.themeBySlug(query.theme);
      if (query.theme !== undefined && !theme) throw notFound('theme');
      const filter = { regionId: region?.id, themeId: theme?.id, language: query.language };
      const limit = query.limit ?? DEFAULT_LIMIT;
      const offset = query.cursor === undefined ? 0 : decodeCursor(query.cursor);
      const result = await catalog.browse(
        chain,
        query.page !== undefined && query.cursor === undefined
          ? { ...filter, page: query.page }
          : { ...filter, offset, limit },
      );
      const end = offset + limit;
      const cursor = query.page === undefined && end < result.total ? encodeCursor(end) : null;
      const next = new URLSearchParams();
      for (const name of ['lang', 'region', 'theme', 'language'] as const)
        if (query[name] !== undefined) next.set(name, query[name]);
      if (query.limit !== undefined) next.set('limit', String(query.limit));
      if (cursor) next.set('cursor', cursor);
      return {
        total: result.total,
        pages: result.pages,
        stories: result.cards.map(presentCard),
        cursor,
        next: cursor ? `/api/v1/stories?${next}` : null,
      };
    },
  );

  app.get(
    '/regions',
    {
      schema: {
        summary: 'The regions stories are told from',
        tags: ['catalog'],
        response: { 200: Type.Object({ regions: Type.Array(Vocabulary) }) },
      },
    },
    async () => ({ regions: (await catalog.regions()).map(({ slug, names }) => ({ slug, names })) }),
  );

  app.get(
    '/themes',
    {
      schema: {
        summary: 'The themes stories are about',
        tags: ['catalog'],
        response: { 200: Type.Object({ themes: Type.Array(Vocabulary) }) },
      },
    },
    async () => ({ themes: (await catalog.themes()).map(({ slug, names }) => ({ slug, names })) }),
  );

  app.get(
    '/people',
    {
      schema: {
        summary: 'The storytellers',
        tags: ['catalog'],
        response: { 200: Type.Object({ people: Type.Array(Person) }) },
      },
    },
    async () => ({
      people: (await catalog.people()).map(({ username, displayName, homeWiki, bios }) => ({
        username,
        displayName,
        homeWiki,
        bios,
      })),
    }),
  );

  app.get(
    '/stories/:slug',
    {
      schema: {
        summary: 'One published story, in a language, with how far its translations and subtitles are',
        tags: ['catalog'],
        params: Type.Object({ slug: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ lang: Lang }),
        response: withErrors({ 200: Story }),
      },
    },
    async (request) => {
      const page = await catalog.story(request.params.slug, await chainFor(request.query.lang), false);
      if (!page) throw notFound('story');
      const languages = (await app.enabledLanguages()).map((language) => language.code);
      return presentStory(page, await app.services.contributions.storyCoverage(page.story, languages));
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
