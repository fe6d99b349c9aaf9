import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { accountGrants, can, type Action } from '../../domain/access/authorize.ts';
import { forbidden, notSignedIn } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether the signed-in person may perform `action` (in `language`, for actions granted per language). */
    can(action: Action, language?: string): boolean;
    /** Refuses the request (not signed in: 401; not allowed: 403) unless `can(action, language)`. */
    authorize(action: Action, language?: string): void;
  }
}

/**
 * The one way a route asks for permission: a named action of domain/access, so every rule is in
 * the role matrix and none hides in a route.
 */
export const accessPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('can', function (this: FastifyRequest, action: Action, language?: string) {
      return this.user !== null && can(accountGrants(this.user.grants), action, language);
    });
    app.decorateRequest('authorize', function (this: FastifyRequest, action: Action, language?: string) {
      if (!this.user) throw notSignedIn();
      if (!can(accountGrants(this.user.grants), action, language)) throw forbidden();
    });
  },
  { name: 'access', dependencies: ['context'] },
);
