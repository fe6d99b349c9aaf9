import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { LANGUAGE_ROLES, ROLES, type Role } from '../../../domain/access/authorize.ts';
import { notFound } from '../../../errors.ts';
import { usersPage, type GrantForm, type UsersPageData } from '../../views/pages/admin/users.ts';
import { authorize, sendPage } from '../site/index.ts';
import { fieldValue, formBody, idParam, SavedQuery, wasSaved, type FieldErrors } from './shared.ts';

const GrantBody = formBody({ role: 100, language: 100 });
const RevokeBody = Type.Object({
  role: Type.Union(ROLES.map((role) => Type.Literal(role))),
  language: Type.Optional(Type.String({ maxLength: 100 })),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Accounts and their roles (users.manage): grant a role, revoke a grant. */
export async function userRoutes(app: FastifyInstance) {
  const { accounts, repositories } = app.services;

  async function render(request: FastifyRequest, reply: FastifyReply, extra: Partial<Pick<UsersPageData, 'grant' | 'error'>>, status = 200) {
    const [users, languages] = await Promise.all([repositories.users.list(), repositories.languages.list()]);
    const context = request.pageContext(reply, request.language, { forms: true });
    return sendPage(reply, usersPage(context, { users, languages, grant: null, saved: status === 200 && wasSaved(request), ...extra }), status);
  }

  async function findUser(request: FastifyRequest) {
    const user = await repositories.users.findById(idParam(request));
    if (!user) throw notFound('user');
    return user;
  }

  const done = (request: FastifyRequest, reply: FastifyReply, userId: number) =>
    reply.redirect(`/${request.language.code}/admin/users?saved=1#user-${userId}`, 303);

  app.get('/users', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    authorize(request, 'users.manage');
    return render(request, reply, {});
  });

  app.post('/users/:id/grant', { schema: { body: GrantBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'users.manage');
    const user = await findUser(request);
    const form: GrantForm = { userId: user.id, role: fieldValue(request.body, 'role'), language: fieldValue(request.body, 'language'), errors: {} };
    const errors: FieldErrors = form.errors;
    const role = ROLES.find((r) => r === form.role);
    let language: string | null = null;
    if (!role) errors.role = 'form-error-choose';
    else if (LANGUAGE_ROLES.has(role)) {
      // Editors and admins work in every language: a language chosen for them is ignored.
      const languages = await repositories.languages.list();
      if (!form.language) errors.language = 'admin-users-error-language-required';
      else if (!languages.some((l) => l.code === form.language)) errors.language = 'form-error-choose';
      else language = form.language;
    }
    if (!role || Object.keys(errors).length) return render(request, reply, { grant: form }, 400);
    await accounts.grant(user.id, role, language, request.user!.id);
    return done(request, reply, user.id);
  });

  app.post('/users/:id/revoke', { schema: { body: RevokeBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'users.manage');
    const user = await findUser(request);
    const body = request.body as { role: Role; language?: string };
    // Without this an admin could lock everyone out of user management by accident.
    if (user.id === request.user!.id && body.role === 'admin') {
      return render(request, reply, { error: 'admin-users-error-own-admin' }, 400);
    }
    await accounts.revoke(user.id, body.role, body.language || null);
    return done(request, reply, user.id);
  });
}
