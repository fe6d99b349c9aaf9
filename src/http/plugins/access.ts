import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import fp from 'fastify-plugin';
import { accountGrants, can, type Action } from '../../domain/access/authorize.ts';
import { scopeAllows, scopeFor } from '../../domain/access/scopes.ts';
import { forbidden, insufficientScope, notSignedIn } from '../../errors.ts';
import { bearerToken } from './context.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The hooks of an API route that changes something: a session or a token before the body is
     * read; then, for a session, its CSRF token (a token sent in a header cannot be forged by a page).
     */
    apiWrite: {
      onRequest: (request: FastifyRequest) => Promise<void>;
      preHandler: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;
    };
  }
  interface FastifyRequest {
    /** Whether the signed-in person may perform `action` (in `language`, for actions granted per language). */
    can(action: Action, language?: string): boolean;
    /** Refuses the request (not signed in: 401; not allowed: 403) unless `can(action, language)`. */
    authorize(action: Action, language?: string): void;
  }
}

const READING = new Set(['GET', 'HEAD']);

/**
 * The one way a route asks for permission: a named action of domain/access, so every rule is in
 * the role matrix and none hides in a route. A request made with an API token may, besides, only
 * change what the token's scopes allow (domain/access/scopes.ts).
 */
export const accessPlugin = fp(
  async (app: FastifyInstance) => {
    const scopeRefuses = (request: FastifyRequest, action: Action) =>
      request.apiToken !== null && !scopeAllows(request.apiToken.scopes, action, READING.has(request.method));
    app.decorateRequest('can', function (this: FastifyRequest, action: Action, language?: string) {
      return (
        this.user !== null && can(accountGrants(this.user.grants), action, language) && !scopeRefuses(this, action)
      );
    });
    app.decorateRequest('authorize', function (this: FastifyRequest, action: Action, language?: string) {
      if (!this.user) throw notSignedIn();
      if (!can(accountGrants(this.user.grants), action, language)) throw forbidden();
      if (scopeRefuses(this, action)) throw insufficientScope(scopeFor(action));
    });
    app.decorate('apiWrite', {
      onRequest: async (request: FastifyRequest) => {
        if (request.session?.userId === undefined && bearerToken(request) === undefined) throw notSignedIn();
      },
      preHandler: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
        if (request.apiToken) return done();
        return app.csrfProtection.call(app, request, reply, done);
      },
    });
  },
  { name: 'access', dependencies: ['context'] },
);
