import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminIndexPage } from '../../views/pages/admin/index.ts';
import { celebrationAdminRoutes } from './celebration.ts';
import { languageRoutes } from './languages.ts';
import { peopleRoutes } from './people.ts';
import { userRoutes } from './users.ts';
import { vocabularyRoutes } from './vocabulary.ts';
import { celebrationPhotoRoutes } from './celebration-photo.ts';

/** Admin and editor management pages (people, regions, themes, users, languages). */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Pages for one person only: never kept by a shared cache.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'private, no-store');
    return payload;
  });

  app.get('/', async (request, reply) => {
    request.authorize('admin.enter');
    return reply.page(adminIndexPage(request.pageContext(reply, request.language)));
  });

  await app.register(peopleRoutes);
  await app.register(vocabularyRoutes);
  await app.register(userRoutes);
  await app.register(languageRoutes);
  await app.register(celebrationPhotoRoutes);
  await app.register(celebrationAdminRoutes);
};
