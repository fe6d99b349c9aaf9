import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { signInPage, signUpPage } from '../../views/pages/account.ts';
import { CsrfBody } from '../../forms.ts';
import { safeReturnPath } from '../../safe-return.ts';

const Credentials = Type.Object({
  username: Type.String({ maxLength: 200 }),
  password: Type.String({ maxLength: 2000 }),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  returnTo: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
});
const ReturnQuery = Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) });

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts } = app.services;
  const limit = { rateLimit: { max: app.config.signInRateLimit, timeWindow: '1 minute' } };

  app.get('/sign-in', { schema: { querystring: ReturnQuery } }, async (request, reply) => {
    const returnTo = safeReturnPath(request.query.returnTo, `/${request.language.code}/`);
    return reply.page(
      signInPage(request.pageContext(reply, request.language, { forms: true }), { username: '', returnTo }),
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

  app.post('/sign-out', { schema: { body: CsrfBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    await request.session.destroy();
    return reply.redirect(`/${request.language.code}/`, 303);
  });
};
