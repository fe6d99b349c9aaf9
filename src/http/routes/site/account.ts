import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { accountPage, signInPage, signUpPage } from '../../views/pages/account.ts';
import { notFound, notSignedIn } from '../../../errors.ts';
import { CsrfBody } from '../../forms.ts';
import { safeReturnPath } from '../../safe-return.ts';
import type { TokensSectionData } from '../../views/pages/account-tokens.ts';
import { accountTokenRoutes } from './account-tokens.ts';
import { accountEmailRoutes } from './account-email.ts';

const Credentials = Type.Object({
  username: Type.String({ maxLength: 200 }),
  password: Type.String({ maxLength: 2000 }),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  email: Type.Optional(Type.String({ maxLength: 2000 })),
  returnTo: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
});
const ReturnQuery = Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) });

const AccountQuery = Type.Object({
  done: Type.Optional(
    Type.Union([
      Type.Literal('linked'),
      Type.Literal('unlinked'),
      Type.Literal('email-saved'),
      Type.Literal('email-removed'),
      Type.Literal('email-link-sent'),
    ]),
  ),
});
const DONE_NOTICES: Record<string, string> = {
  linked: 'oauth-account-linked-done',
  unlinked: 'oauth-account-unlinked-done',
  'email-saved': 'account-email-saved-done',
  'email-removed': 'account-email-removed-done',
  'email-link-sent': 'account-email-link-sent-done',
};

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, identities } = app.services;
  const oauthName = identities.provider?.name;
  const limit = { rateLimit: { max: app.config.signInRateLimit, timeWindow: '1 minute' } };

  app.get('/sign-in', { schema: { querystring: ReturnQuery } }, async (request, reply) => {
    const returnTo = safeReturnPath(request.query.returnTo, `/${request.language.code}/`);
    return reply.page(
      signInPage(request.pageContext(reply, request.language, { forms: true }), { username: '', returnTo, oauthName }),
    );
  });

  app.post(
    '/sign-in',
    { config: limit, schema: { body: Credentials }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { body } = request;
      const user = await accounts.signIn(body.username, body.password);
      const returnTo = safeReturnPath(body.returnTo, `/${request.language.code}/`);
      if (!user) {
        return reply.page(
          signInPage(request.pageContext(reply, request.language, { forms: true }), {
            username: body.username,
            returnTo,
            failed: true,
            oauthName,
          }),
          401,
        );
      }
      await request.session.regenerate();
      request.session.userId = user.id;
      return reply.redirect(returnTo, 303);
    },
  );

  app.get('/sign-up', { schema: { querystring: ReturnQuery } }, async (request, reply) =>
    reply.page(
      signUpPage(request.pageContext(reply, request.language, { forms: true }), {
        username: '',
        displayName: '',
        email: '',
        errors: {},
        returnTo: safeReturnPath(request.query.returnTo, `/${request.language.code}/`),
      }),
    ),
  );

  app.post(
    '/sign-up',
    { config: limit, schema: { body: Credentials }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { body } = request;
      const result = await accounts.signUp({ ...body, language: request.language.code });
      const returnTo = safeReturnPath(body.returnTo, `/${request.language.code}/`);
      if ('errors' in result) {
        const context = request.pageContext(reply, request.language, { forms: true });
        return reply.page(
          signUpPage(context, {
            username: body.username,
            displayName: body.displayName ?? '',
            email: body.email ?? '',
            errors: result.errors,
            returnTo,
          }),
          400,
        );
      }
      await request.session.regenerate();
      request.session.userId = result.user.id;
      return reply.redirect(returnTo, 303);
    },
  );

  /** The signed-in person's account, and the provider's account linked to it (or the way to link one). */
  async function showAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    notice?: { type: 'success' | 'error'; key: string },
    status = 200,
    typedEmail?: { form: { email: string; language: string }; errors: Record<string, string> },
    tokens?: Omit<TokensSectionData, 'tokens'>,
  ) {
    const user = request.user;
    if (!user) throw notSignedIn();
    const [linked, contact, address] = await Promise.all([
      identities.identityOf(user.id),
      accounts.contact(user.id),
      app.services.emailConfirmation.state(user.id),
    ]);
    const oauth = oauthName
      ? { provider: oauthName, linked: linked && { username: linked.username, since: linked.createdAt } }
      : undefined;
    const email = {
      saved: contact.email,
      confirmed: address.confirmedAt !== null,
      pending: address.pending,
      mailEnabled: address.mailEnabled,
      form: { email: contact.email ?? '', language: contact.language },
      errors: {},
    };
    return reply.page(
      accountPage(request.pageContext(reply, request.language), {
        user,
        oauth,
        notice,
        email: { ...email, ...typedEmail },
        tokens: { ...tokens, tokens: await app.services.tokens.listFor(user.id) },
      }),
      status,
    );
  }
  await app.register(accountTokenRoutes, { showAccount });
  await app.register(accountEmailRoutes, { showAccount });

  app.get('/account', { schema: { querystring: AccountQuery } }, async (request, reply) => {
    const { done } = request.query;
    return showAccount(request, reply, done ? { type: 'success', key: DONE_NOTICES[done]! } : undefined);
  });

  app.post(
    '/account/oauth/unlink',
    { schema: { body: CsrfBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      if (!oauthName) throw notFound();
      const outcome = await identities.unlink(request.user.id);
      if (outcome === 'no_password')
        return showAccount(request, reply, { type: 'error', key: 'oauth-account-unlink-no-password' }, 409);
      return reply.redirect(`/${request.language.code}/account?done=unlinked`, 303);
    },
  );

  app.post('/sign-out', { schema: { body: CsrfBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    await request.session.destroy();
    return reply.redirect(`/${request.language.code}/`, 303);
  });
};
