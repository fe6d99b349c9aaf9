import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { signInPage, signUpPage } from '../../views/pages/account.ts';
import { sendPage } from './index.ts';

const Credentials = Type.Object({
  username: Type.String({ maxLength: 200 }),
  password: Type.String({ maxLength: 2000 }),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  returnTo: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
});
type CredentialsBody = { username: string; password: string; displayName?: string; returnTo?: string };

/** A local path inside the site, never another host. */
const safeReturn = (target: string | undefined, fallback: string) =>
  target && /^\/[^/\\]/.test(target) ? target : fallback;

export async function accountRoutes(app: FastifyInstance) {
  const { accounts } = app.services;
  const limit = { rateLimit: { max: app.config.signInRateLimit, timeWindow: '1 minute' } };

  app.get('/sign-in', async (request, reply) => {
    const returnTo = safeReturn((request.query as { returnTo?: string }).returnTo, `/${request.language.code}/`);
    return sendPage(reply, signInPage(request.pageContext(reply, request.language, { forms: true }), { username: '', returnTo }));
  });

  app.post('/sign-in', { config: limit, schema: { body: Credentials }, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as CredentialsBody;
    const user = await accounts.signIn(body.username, body.password);
    const returnTo = safeReturn(body.returnTo, `/${request.language.code}/`);
    if (!user) {
      return sendPage(reply, signInPage(request.pageContext(reply, request.language, { forms: true }), { username: body.username, returnTo, failed: true }), 401);
    }
    await request.session.regenerate();
    request.session.userId = user.id;
    return reply.redirect(returnTo, 303);
  });

  app.get('/sign-up', async (request, reply) =>
    sendPage(reply, signUpPage(request.pageContext(reply, request.language, { forms: true }), { username: '', displayName: '', errors: {} })));

  app.post('/sign-up', { config: limit, schema: { body: Credentials }, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as CredentialsBody;
    const result = await accounts.signUp(body);
    if ('errors' in result) {
      const context = request.pageContext(reply, request.language, { forms: true });
      return sendPage(reply, signUpPage(context, { username: body.username, displayName: body.displayName ?? '', errors: result.errors }), 400);
    }
    await request.session.regenerate();
    request.session.userId = result.user.id;
    return reply.redirect(`/${request.language.code}/`, 303);
  });

  app.post('/sign-out', { preHandler: app.csrfProtection }, async (request, reply) => {
    await request.session.destroy();
    return reply.redirect(`/${request.language.code}/`, 303);
  });
}
