import type { FastifyInstance } from 'fastify';
import { adminIndexPage } from '../../views/pages/admin/index.ts';
import { sendPage } from '../site/index.ts';
import { languageRoutes } from './languages.ts';
import { peopleRoutes } from './people.ts';
import { authorizeAny } from './shared.ts';
import { userRoutes } from './users.ts';
import { vocabularyRoutes } from './vocabulary.ts';

/** Admin and editor management pages (people, regions, themes, users, languages). */
export async function adminRoutes(app: FastifyInstance) {
  // Pages for one person only: never kept by a shared cache.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'private, no-store');
    return payload;
  });

  app.get('/', async (request, reply) => {
    authorizeAny(request, ['catalog.manage', 'users.manage', 'languages.manage']);
    return sendPage(reply, adminIndexPage(request.pageContext(reply, request.language)));
  });

  await app.register(peopleRoutes);
  await app.register(vocabularyRoutes);
  await app.register(userRoutes);
  await app.register(languageRoutes);
}
