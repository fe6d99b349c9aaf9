import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ROLES } from '../../../domain/access/authorize.ts';
import type { UserWithGrants } from '../../../domain/access/users.ts';
import { notFound } from '../../../errors.ts';
import { usersPage, type UsersPageData } from '../../views/pages/admin/users.ts';
import { formBody, IdParams, SavedQuery } from '../../forms.ts';

const GrantBody = formBody({ role: 100, language: 100 });
const BotBody = Type.Object({
  bot: Type.Union([Type.Literal('1'), Type.Literal('0')]),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
const RevokeBody = Type.Object({
  role: Type.Union(ROLES.map((role) => Type.Literal(role))),
  language: Type.Optional(Type.String({ maxLength: 100 })),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Accounts and their roles (users.manage): grant a role, revoke a grant, mark a bot account. */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, languages } = app.services;

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Pick<UsersPageData, 'grant' | 'error' | 'saved'>>,
    status = 200,
  ) {
    const [users, all] = await Promise.all([accounts.list(), languages.list()]);
    const context = request.pageContext(reply, request.language, { forms: true });
    return reply.page(usersPage(context, { users, languages: all, grant: null, saved: false, ...extra }), status);
  }

  async function findUser(id: string): Promise<UserWithGrants> {
    const user = await accounts.find(Number(id));
    if (!user) throw notFound('user');
    return user;
  }

  const done = (request: FastifyRequest, reply: FastifyReply, userId: number) =>
    reply.redirect(`/${request.language.code}/admin/users?saved=1#user-${userId}`, 303);

  app.get('/users', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    request.authorize('users.manage');
    return render(request, reply, { saved: request.query.saved === '1' });
  });

  app.post(
    '/users/:id/grant',
    { schema: { params: IdParams, body: GrantBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('users.manage');
      const user = await findUser(request.params.id);
      const form = { role: request.body.role ?? '', language: request.body.language ?? '' };
      const errors = await accounts.grantFromForm(user.id, form, request.user!.id);
      if (errors) return render(request, reply, { grant: { userId: user.id, ...form, errors } }, 400);
      return done(request, reply, user.id);
    },
  );

  app.post(
    '/users/:id/bot',
    { schema: { params: IdParams, body: BotBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('users.manage');
      const user = await findUser(request.params.id);
      await accounts.setBot(user.id, request.body.bot === '1');
      return done(request, reply, user.id);
    },
  );

  app.post(
    '/users/:id/revoke',
    { schema: { params: IdParams, body: RevokeBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('users.manage');
      const user = await findUser(request.params.id);
      const { role, language } = request.body;
      const outcome = await accounts.revokeByAdmin(user.id, role, language || null, request.user!.id);
      if (outcome === 'own_admin') return render(request, reply, { error: 'admin-users-error-own-admin' }, 400);
      return done(request, reply, user.id);
    },
  );
};
