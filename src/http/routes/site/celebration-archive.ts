import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CATEGORIES, NOMINEE_KINDS } from '../../../domain/celebration/nomination.ts';
import { celebrationArchivePage } from '../../views/pages/celebration-archive.ts';

const Choice = Type.Optional(Type.String({ maxLength: 100 }));

/** The archive of celebrated contributors: public, cached, filterable by region, category and human or bot. */
export const celebrationArchiveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { celebration, catalog } = app.services;

  app.get(
    '/celebration/archive',
    {
      config: { pageCache: true },
      schema: { querystring: Type.Object({ region: Choice, category: Choice, kind: Choice }) },
    },
    async (request, reply) => {
      const { query } = request;
      const context = request.pageContext(reply, request.language);
      const regions = await catalog.regions();
      // An unknown choice is no filter (an old bookmark still shows the whole archive).
      const region = regions.find((each) => each.slug === query.region);
      const category = CATEGORIES.find((each) => each === query.category);
      const kind = NOMINEE_KINDS.find((each) => each === query.kind);
      const entries = await celebration.archive(context.chain, {
        ...(region ? { regionId: region.id } : {}),
        ...(category ? { category } : {}),
        ...(kind ? { kind } : {}),
      });
      return reply.page(
        celebrationArchivePage(context, {
          entries,
          regions,
          filters: { region: region?.slug ?? '', category: category ?? '', kind: kind ?? '' },
        }),
      );
    },
  );
};
