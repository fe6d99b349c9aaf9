import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PAGE_PARAM_MAX_LENGTH } from '../../../domain/forms/limits.ts';
import { SEARCH_MAX_LENGTH, SEARCH_MAX_PAGES } from '../../../services/search.ts';
import { searchPage, type SearchForm } from '../../views/pages/search.ts';

const Flag = Type.Optional(Type.String({ maxLength: 1 }));

/**
 * The search page: words and filters in a plain GET form that works without script; the optional
 * /assets/search.js fetches the same page as the words are typed and swaps in its results.
 */
export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { catalog, search } = app.services;

  app.get(
    '/search',
    {
      config: { pageCache: true },
      schema: {
        querystring: Type.Object({
          // Longer than the limit is still read, so the page can say what the limit is and keep what was typed.
          q: Type.Optional(Type.String({ maxLength: 10_000 })),
          region: Type.Optional(Type.String({ maxLength: 100 })),
          theme: Type.Optional(Type.String({ maxLength: 100 })),
          language: Type.Optional(Type.String({ maxLength: 40 })),
          video: Flag,
          subtitles: Flag,
          page: Type.Optional(Type.String({ maxLength: PAGE_PARAM_MAX_LENGTH })),
        }),
      },
    },
    async (request, reply) => {
      const { query } = request;
      const context = request.pageContext(reply, request.language);
      const { regions, themes, region, theme } = await catalog.filterChoices(query);
      const language = context.languages.find((l) => l.code === query.language);
      const typed = (query.q ?? '').toWellFormed();
      const form: SearchForm = {
        query: typed.trim(),
        region: region?.slug ?? '',
        theme: theme?.slug ?? '',
        language: language?.code ?? '',
        video: query.video === '1',
        subtitles: query.subtitles === '1',
        page: Math.min(SEARCH_MAX_PAGES, Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1)),
      };
      if (form.query.length > SEARCH_MAX_LENGTH)
        return reply.page(
          searchPage(context, { form, regions, themes, found: null, error: 'search-error-too-long' }),
          400,
        );
      const filtered = region || theme || language || form.video || form.subtitles;
      const found =
        form.query || filtered
          ? await search.search(
              typed,
              context.chain,
              {
                regionId: region?.id,
                themeId: theme?.id,
                language: language?.code,
                hasVideo: form.video,
                subtitlesIn: form.subtitles ? request.language.code : undefined,
              },
              form.page,
            )
          : null;
      return reply.page(searchPage(context, { form, regions, themes, found }));
    },
  );
};
