import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notSignedIn } from '../../../errors.ts';
import { CsrfBody } from '../../forms.ts';
import type { TokensSectionData } from '../../views/pages/account-tokens.ts';

type ShowAccount = (
  request: FastifyRequest,
  reply: FastifyReply,
  notice?: { type: 'success' | 'error'; key: string },
  status?: number,
  typedEmail?: undefined,
  tokens?: Omit<TokensSectionData, 'tokens'>,
) => Promise<unknown>;

const CreateBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  scopes: Type.Optional(
    Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })]),
  ),
  expiresInDays: Type.Optional(Type.String({ maxLength: 10 })),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
const TokenParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) });

/**
 * The account page's API tokens: made (the secret shown on the answering page, once, never put in
 * an address or a session) and revoked. Part of the account routes, whose page shows them.
 */
export const accountTokenRoutes: FastifyPluginAsyncTypebox<{ showAccount: ShowAccount }> = async (app, options) => {
  const { tokens } = app.services;
  const { showAccount } = options;

  app.post(
    '/account/tokens',
    { schema: { body: CreateBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      const { body } = request;
      const scopes = [body.scopes ?? []].flat();
      const days = body.expiresInDays?.trim() ?? '';
      const form = { name: body.name ?? '', scopes, expiresInDays: days };
      const result = await tokens.create(request.user.id, {
        name: form.name,
        scopes,
        expiresInDays: days === '' ? undefined : /^[0-9]+$/.test(days) ? Number(days) : NaN,
      });
      if ('errors' in result)
        return showAccount(request, reply, undefined, 400, undefined, { errors: result.errors, form });
      reply.header('cache-control', 'no-store');
      return showAccount(request, reply, undefined, 200, undefined, {
        created: { name: result.token.name, secret: result.secret },
      });
    },
  );

  app.post(
    '/account/tokens/:id/revoke',
    { schema: { params: TokenParams, body: CsrfBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      const revoked = await tokens.revoke(request.user.id, Number(request.params.id));
      return showAccount(
        request,
        reply,
        revoked ? { type: 'success', key: 'api-token-revoked' } : { type: 'error', key: 'api-token-not-found' },
        revoked ? 200 : 404,
      );
    },
  );
};
