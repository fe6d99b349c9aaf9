import { createHash, randomBytes } from 'node:crypto';
import { normalizeScopes, SCOPES, type Scope } from '../domain/access/scopes.ts';
import type { UserWithGrants } from '../domain/access/users.ts';
import { invalidToken, tokenExpired, tokenRevoked } from '../errors.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { ApiToken } from '../store/repositories/tokens.ts';

/** Every token starts so: a leaked one is recognisable (secret scanners, logs) as this site's. */
export const TOKEN_PREFIX = 'shp_';
// 32 random bytes: far past guessing, so one SHA-256 of it is the right way to store it (a slow
// password hash protects low-entropy secrets; this one has none to protect).
const SECRET_BYTES = 32;
const TOKEN_SHAPE = /^shp_[A-Za-z0-9_-]{43}$/;
const NAME_MAX = 80;
/** The longest a token may last when an expiry is chosen. */
const MAX_DAYS = 366;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** What a request made with a token acts as: its owner, within the token's scopes. */
export interface TokenHolder {
  user: UserWithGrants;
  token: ApiToken;
}

/** Personal API tokens: made and revoked by their owner, checked on every request that sends one. */
export function tokensService(repositories: Repositories) {
  const { tokens, users } = repositories;
  return {
    /**
     * A new token for `userId`: the secret is returned this once and never again (only its hash is
     * kept). The problems of the form by field, or the token.
     */
    async create(
      userId: number,
      form: { name: string; scopes: readonly string[]; expiresInDays?: number | undefined },
      now = new Date(),
    ): Promise<{ errors: Record<string, string> } | { token: ApiToken; secret: string }> {
      const errors: Record<string, string> = {};
      const name = form.name.trim();
      if (!name || name.length > NAME_MAX) errors.name = 'api-token-error-name';
      if (form.scopes.some((scope) => !SCOPES.includes(scope as Scope))) errors.scopes = 'api-token-error-scopes';
      const days = form.expiresInDays;
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_DAYS))
        errors.expiresInDays = 'api-token-error-expiry';
      if (Object.keys(errors).length) return { errors };
      const secret = TOKEN_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
      const token = await tokens.create({
        userId,
        name,
        secretHash: hashSecret(secret),
        scopes: normalizeScopes(form.scopes),
        expiresAt: days === undefined ? null : new Date(now.getTime() + days * 86_400_000),
      });
      return { token, secret };
    },
    listFor: (userId: number) => tokens.listFor(userId),
    revoke: (userId: number, id: number) => tokens.revoke(userId, id),

    /** The owner and token of a secret sent with a request; unknown, revoked and expired ones are refused (401). */
    async authenticate(secret: string, now = new Date()): Promise<TokenHolder> {
      if (!TOKEN_SHAPE.test(secret)) throw invalidToken();
      const token = await tokens.findByHash(hashSecret(secret));
      if (!token) throw invalidToken();
      if (token.revokedAt) throw tokenRevoked();
      if (token.expiresAt && token.expiresAt <= now) throw tokenExpired();
      const user = await users.findById(token.userId);
      if (!user) throw invalidToken();
      await tokens.touch(token.id);
      return { user, token };
    },
  };
}
export type TokensService = ReturnType<typeof tokensService>;
