import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { notFound } from '../../../errors.ts';
import type { ArchiveEntry } from '../../../services/celebration-announce.ts';
import { withErrors } from './schemas.ts';

// The monthly celebration's public record: every announced cycle by month, with its honoree.
const Honoree = Type.Object({
  month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'The cycle\u2019s month, YYYY-MM' }),
  honoree: Type.String({ description: 'The honoree\u2019s username on their home wiki' }),
  homeWiki: Type.String(),
  kind: Type.Union([Type.Literal('human'), Type.Literal('bot')], { description: 'A person or a bot' }),
  operators: Type.Array(Type.String(), { description: 'For a bot: the people who run it' }),
  category: Type.Union([
    Type.Literal('newcomer'),
    Type.Literal('technical'),
    Type.Literal('media'),
    Type.Literal('organiser'),
    Type.Literal('lifetime'),
  ]),
  region: Type.Union([Type.String(), Type.Null()], { description: 'The region\u2019s slug' }),
  story: Type.Union([Type.Object({ slug: Type.String(), title: Type.String(), language: Type.String() }), Type.Null()]),
});

const Month = Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }) });

export const celebrationApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { celebration, catalog } = app.services;

  async function honorees(): Promise<Array<Static<typeof Honoree>>> {
    const [entries, regions] = await Promise.all([celebration.archive(['en']), catalog.regions()]);
    return entries.map((entry: ArchiveEntry) => ({
      month: entry.month,
      honoree: entry.nominee,
      homeWiki: entry.homeWiki,
      kind: entry.kind,
      operators: entry.operators,
      category: entry.category,
      region: regions.find((region) => region.id === entry.regionId)?.slug ?? null,
      story: entry.story,
    }));
  }

  app.get(
    '/celebrations',
    {
      schema: {
        summary: 'Every announced monthly celebration, newest first, with its honoree',
        tags: ['celebration'],
        response: { 200: Type.Object({ celebrations: Type.Array(Honoree) }) },
      },
    },
    async () => ({ celebrations: await honorees() }),
  );

  app.get(
    '/celebrations/:month',
    {
      schema: {
        summary: 'One month\u2019s celebration, once announced',
        tags: ['celebration'],
        params: Month,
        response: withErrors({ 200: Honoree }),
      },
    },
    async (request) => {
      const found = (await honorees()).find((entry) => entry.month === request.params.month);
      if (!found) throw notFound('announced celebration for this month');
      return found;
    },
  );
};
