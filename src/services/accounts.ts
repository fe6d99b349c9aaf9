import type { Role } from '../domain/access/authorize.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { User } from '../store/repositories/users.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export const USERNAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{1,38}[\p{L}\p{N}]$/u;
export const MIN_PASSWORD = 10;

export type SignUpResult = { user: User } | { errors: Record<string, string> };

export function accountsService(repositories: Repositories) {
  const { users } = repositories;
  // Compared against when the username is unknown, so both paths cost one scrypt.
  const decoy = hashPassword('not a real password');
  return {
    async signUp(input: { username: string; displayName?: string; password: string }): Promise<SignUpResult> {
      const username = input.username.trim().normalize('NFC');
      const errors: Record<string, string> = {};
      if (!USERNAME.test(username)) errors.username = 'form-error-username';
      if (input.password.length < MIN_PASSWORD) errors.password = 'form-error-password-short';
      if (input.password.length > 1000) errors.password = 'form-error-too-long';
      if (Object.keys(errors).length) return { errors };
      const user = await users.create({
        username, displayName: (input.displayName ?? '').trim() || username, passwordHash: await hashPassword(input.password),
      });
      return user ? { user } : { errors: { username: 'form-error-username-taken' } };
    },
    async signIn(username: string, password: string): Promise<User | null> {
      const found = await users.findCredentials(username.trim().normalize('NFC'));
      if (!found) {
        await verifyPassword(password, await decoy);
        return null;
      }
      return (await verifyPassword(password, found.passwordHash)) ? found : null;
    },
    grant: (userId: number, role: Role, language: string | null, grantedBy: number | null) =>
      users.grant(userId, role, language, grantedBy),
    revoke: (userId: number, role: Role, language: string | null) => users.revoke(userId, role, language),
  };
}
export type AccountsService = ReturnType<typeof accountsService>;
