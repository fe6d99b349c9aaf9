import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SOURCE_LANGUAGE } from '../../../domain/languages/languages.ts';
import type { PendingAuthorization, ProviderProfile } from '../../../providers/oauth/identity-provider.ts';
import type { User } from '../../../domain/access/users.ts';
import { notSignedIn } from '../../../errors.ts';
import { CsrfBody } from '../../forms.ts';
import { publicOrigin } from '../../public-url.ts';
import { safeReturnPath } from '../../safe-return.ts';
import { chooseNamePage, oauthProblemPage } from '../../views/pages/oauth.ts';

declare module 'fastify' {
  interface Session {
    /** A sign-in or link sent to the provider and not yet back: single use, expiring. */
    oauth?: PendingAuthorization & {
      expiresAt: number;
      returnTo: string;
      language: string;
      /** Linking to this signed-in account rather than signing in. */
      linkTo?: number;
    };
    /** A provider's person who must choose a name before their account is made. */
    oauthProfile?: ProviderProfile & {
      expiresAt: number;
      returnTo: string;
      language: string;
      reason: 'taken' | 'invalid';
    };
  }
}

/** How long a person may take at the provider, and to choose a name afterwards. */
const PENDING_MS = 10 * 60_000;

// The problems of a sign-in through the provider: status, stable code and message.
const PROBLEMS = {
  not_configured: 404,
  state_invalid: 400,
  denied: 403,
  code_refused: 400,
  unavailable: 400,
  garbled: 400,
  blocked: 403,
  identity_taken: 409,
  already_linked: 409,
  account_changed: 409,
} as const;
type Problem = keyof typeof PROBLEMS;

const CallbackQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 500 })),
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
});
const StartQuery = Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) });
const NameBody = Type.Object({ username: Type.String({ maxLength: 200 }), _csrf: Type.Optional(Type.String()) });

/**
 * Sign-in with the OAuth 2.0 provider (authorization code with PKCE and state; the pending request kept
 * in the session, used once). The provider sends everyone back to one address, under the source
 * language (the one operators register); pages after it speak the language the person started in.
 */
export const oauthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { identities } = app.services;
  const provider = identities.provider;
  const limit = { rateLimit: { max: app.config.signInRateLimit, timeWindow: '1 minute' } };

  async function languageOf(request: FastifyRequest, code: string | undefined) {
    return (await app.enabledLanguages()).find((l) => l.code === code) ?? request.language;
  }

  async function problem(request: FastifyRequest, reply: FastifyReply, name: Problem, language?: string) {
    const context = request.pageContext(reply, await languageOf(request, language));
    const code = `oauth_${name}`;
    const messageKey = `oauth-error-${name.replace(/_/g, '-')}`;
    const status = PROBLEMS[name];
    const data = { provider: provider?.name ?? '', status, code, messageKey, reference: String(request.id) };
    return reply.page(oauthProblemPage(context, data), status);
  }

  async function signInAs(request: FastifyRequest, reply: FastifyReply, user: User, returnTo: string) {
    await request.session.regenerate();
    request.session.userId = user.id;
    return reply.redirect(returnTo, 303);
  }

  /** Sends the person to the provider, keeping what their return must match. */
  async function send(request: FastifyRequest, reply: FastifyReply, returnTo: string, linkTo?: number) {
    if (!provider) return problem(request, reply, 'not_configured');
    const { url, pending } = await provider.begin(`${publicOrigin(request)}/${SOURCE_LANGUAGE}/oauth/callback`);
    request.session.oauth = {
      ...pending,
      expiresAt: Date.now() + PENDING_MS,
      returnTo,
      language: request.language.code,
      ...(linkTo !== undefined ? { linkTo } : {}),
    };
    return reply.redirect(url, 303);
  }

  // Limited too: each start writes a session, whoever (or whatever) follows the link.
  app.get('/oauth/start', { config: limit, schema: { querystring: StartQuery } }, async (request, reply) =>
    send(request, reply, safeReturnPath(request.query.returnTo, `/${request.language.code}/`)),
  );

  app.post('/oauth/link', { schema: { body: CsrfBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    if (!request.user) throw notSignedIn();
    return send(request, reply, `/${request.language.code}/account?done=linked`, request.user.id);
  });

  app.get('/oauth/callback', { config: limit, schema: { querystring: CallbackQuery } }, async (request, reply) => {
    const pending = request.session.oauth;
    // Used once, whatever happens next: a replayed or forged callback finds nothing.
    if (pending) delete request.session.oauth;
    if (!provider) return problem(request, reply, 'not_configured');
    if (!pending || pending.expiresAt < Date.now() || pending.state !== request.query.state)
      return problem(request, reply, 'state_invalid', pending?.language);
    const result = await provider.finish(new URL(request.url, 'http://callback.invalid'), pending);
    if ('failure' in result) {
      const name = result.failure === 'state_mismatch' ? 'state_invalid' : result.failure;
      return problem(request, reply, name, pending.language);
    }
    const { profile } = result;
    if (pending.linkTo !== undefined) {
      if (request.user?.id !== pending.linkTo) return problem(request, reply, 'account_changed', pending.language);
      const outcome = await identities.link(pending.linkTo, profile);
      if (outcome !== 'linked') return problem(request, reply, outcome, pending.language);
      return reply.redirect(pending.returnTo, 303);
    }
    const outcome = await identities.signIn(profile, pending.language);
    if ('refused' in outcome) return problem(request, reply, outcome.refused, pending.language);
    if ('user' in outcome) return signInAs(request, reply, outcome.user, pending.returnTo);
    const { username, reason } = outcome.chooseName;
    request.session.oauthProfile = {
      ...profile,
      expiresAt: Date.now() + PENDING_MS,
      returnTo: pending.returnTo,
      language: pending.language,
      reason,
    };
    const context = request.pageContext(reply, await languageOf(request, pending.language), { forms: true });
    return reply.page(chooseNamePage(context, { provider: provider.name, username, reason, name: '' }), 409);
  });

  app.post(
    '/oauth/choose-name',
    { config: limit, schema: { body: NameBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const profile = request.session.oauthProfile;
      if (!provider) return problem(request, reply, 'not_configured');
      if (!profile || profile.expiresAt < Date.now()) {
        delete request.session.oauthProfile;
        return problem(request, reply, 'state_invalid');
      }
      const outcome = await identities.signInAs(profile, request.body.username, request.language.code);
      if ('refused' in outcome) return problem(request, reply, outcome.refused);
      if ('user' in outcome) return signInAs(request, reply, outcome.user, profile.returnTo);
      const context = request.pageContext(reply, request.language, { forms: true });
      const page = chooseNamePage(context, {
        provider: provider.name,
        username: profile.username,
        reason: profile.reason,
        name: request.body.username,
        error: 'errors' in outcome ? outcome.errors.username : undefined,
      });
      return reply.page(page, 400);
    },
  );
};
