import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../../errors.ts';
import { parseMonth } from '../../../services/contributions.ts';
import { contributorsPage } from '../../views/pages/contributors.ts';
import { coveragePage } from '../../views/pages/coverage.ts';

const pageNumber = (value: string | undefined) => Math.max(1, Math.min(10_000, Number.parseInt(value ?? '1', 10) || 1));

// Both pages are public and cached. The matrix and the board list stories' work, so a translation
// saved or approved (announced with the lists) drops them. A subtitle revision or a unit sent back
// is not announced (it changes no public page, and a subtitle editor saves often), so the board
// shows those once its copy is rendered again (PAGE_CACHE_SECONDS at most).
const cached = { config: { pageCache: true } };

/** Coverage of stories by language, and the month's contributors: public, and readable without JavaScript. */
export const contributionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { catalog, contributions } = app.services;

  app.get(
    '/translations',
    {
      ...cached,
      schema: {
        querystring: Type.Object({
          region: Type.Optional(Type.String({ maxLength: 100 })),
          theme: Type.Optional(Type.String({ maxLength: 100 })),
          page: Type.Optional(Type.String({ maxLength: 6 })),
        }),
      },
    },
    async (request, reply) => {
      const { query } = request;
      const context = request.pageContext(reply, request.language);
      const { regions, themes, region, theme } = await catalog.filterChoices(query);
      const filters = { region: region?.slug ?? '', theme: theme?.slug ?? '', page: pageNumber(query.page) };
      const coverage = await contributions.coverage({
        chain: context.chain,
        languages: context.languages.map((language) => language.code),
        page: filters.page,
        ...(region ? { regionId: region.id } : {}),
        ...(theme ? { themeId: theme.id } : {}),
      });
      return reply.page(coveragePage(context, { ...coverage, regions, themes, filters }));
    },
  );

  app.get(
    '/contributors',
    {
      ...cached,
      schema: {
        querystring: Type.Object({
          month: Type.Optional(Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', maxLength: 7 })),
        }),
      },
    },
    async (request, reply) => {
      const asked = request.query.month;
      const month = asked === undefined ? undefined : parseMonth(asked);
      if (asked !== undefined && !month) throw notFound('month');
      const context = request.pageContext(reply, request.language);
      return reply.page(contributorsPage(context, await contributions.board(month, new Date())));
    },
  );
};
