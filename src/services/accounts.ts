import { LANGUAGE_ROLES, ROLES, type GrantableRole } from '../domain/access/authorize.ts';
import { checkEmail } from '../domain/access/email.ts';
import type { FieldErrors } from '../domain/forms/fields.ts';
import type { ChangeFeed } from '../domain/changes.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { User, UserWithGrants } from '../domain/access/users.ts';
import type { EmailConfirmationService } from './email-confirmation.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export const USERNAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{1,38}[\p{L}\p{N}]$/u;
export const MIN_PASSWORD = 10;

export type SignUpResult = { user: User } | { errors: Record<string, string> };

/** How long a signed-in account is remembered without a change being heard (a safety net: changes drop it at once). */
const SIGNED_IN_MS = 60_000;
/** At most this many accounts are remembered (the least recently signed-in go first). */
const SIGNED_IN_MAX = 10_000;

export function accountsService(
  repositories: Repositories,
  changes: ChangeFeed,
  /** Mails a link to a new address; no mail goes to it until the link is used. */
  emailConfirmation: Pick<EmailConfirmationService, 'send'>,
) {
  const { users, languages, mail } = repositories;
  // Every request of a signed-in person needs their account and roles; this process remembers them
  // instead of asking the database each time. A change of roles, made here or in another process
  // (heard through the change bus), drops the account at once; a read that began before a change
  // is not kept, so a revoked role is never remembered.
  const signedIn = new Map<number, { user: UserWithGrants; at: number }>();
  let generation = 0;
  changes.subscribe((change) => {
    if ('story' in change) return;
    generation += 1;
    if ('account' in change) signedIn.delete(change.account);
    else signedIn.clear();
  });
  // Compared against when the username is unknown, so both paths cost one scrypt.
  const decoy = hashPassword('not a real password');
  return {
    async signUp(input: {
      username: string;
      displayName?: string;
      password: string;
      /** The interface language the account signed up in (its mail is written in it). */
      language?: string;
      /** Where its mail goes: optional, '' for none. */
      email?: string;
    }): Promise<SignUpResult> {
      const username = input.username.trim().normalize('NFC');
      const errors: Record<string, string> = {};
      if (!USERNAME.test(username)) errors.username = 'form-error-username';
      if (input.password.length < MIN_PASSWORD) errors.password = 'form-error-password-short';
      if (input.password.length > 1000) errors.password = 'form-error-too-long';
      const email = checkEmail(input.email ?? '');
      if (!email.ok) errors.email = email.error;
      if (Object.keys(errors).length || !email.ok) return { errors };
      const user = await users.create({
        username,
        displayName: (input.displayName ?? '').trim() || username,
        passwordHash: await hashPassword(input.password),
        ...(input.language ? { language: input.language } : {}),
        email: email.email,
      });
      if (!user) return { errors: { username: 'form-error-username-taken' } };
      if (email.email) await emailConfirmation.send(user.id);
      return { user };
    },
    async signIn(username: string, password: string): Promise<User | null> {
      const found = await users.findCredentials(username.trim().normalize('NFC'));
      // An account made through a sign-in provider may have no password: it signs in there only.
      if (!found?.passwordHash) {
        await verifyPassword(password, await decoy);
        return null;
      }
      return (await verifyPassword(password, found.passwordHash)) ? found : null;
    },
    /** The address and language a person's mail goes to: for that person's own eyes only. */
    contact: async (userId: number): Promise<{ email: string | null; language: string }> =>
      (await mail.contact(userId)) ?? { email: null, language: 'en' },
    /**
     * Sets a person's address ('' removes it) and the language of their mail (one of the site's): the
     * problems, or null. A new address is mailed a confirmation link.
     */
    async setContact(userId: number, form: { email: string; language: string }): Promise<FieldErrors | null> {
      const errors: FieldErrors = {};
      const email = checkEmail(form.email);
      if (!email.ok) errors.email = email.error;
      if (!(await languages.list()).some((language) => language.enabled && language.code === form.language))
        errors.language = 'form-error-choose';
      if (Object.keys(errors).length || !email.ok) return errors;
      const { emailChanged } = await mail.setContact(userId, { email: email.email, language: form.language });
      if (emailChanged && email.email) await emailConfirmation.send(userId);
      return null;
    },
    /** Removes a person's address: their notices stay on the site. */
    async removeEmail(userId: number): Promise<void> {
      await mail.setContact(userId, { email: null });
    },
    grant: (userId: number, role: GrantableRole, language: string | null, grantedBy: number | null) =>
      users.grant(userId, role, language, grantedBy),
    revoke: (userId: number, role: GrantableRole, language: string | null) => users.revoke(userId, role, language),

    /** Every account with its roles. */
    list: (): Promise<UserWithGrants[]> => users.list(),
    find: (id: number): Promise<UserWithGrants | undefined> => users.findById(id),
    /** Marks an account as a bot's (its work is labelled so) or as a person's; its roles stay as they are. */
    setBot: (userId: number, isBot: boolean): Promise<boolean> => users.setBot(userId, isBot),
    /** The account a session belongs to, with its roles: from this process's memory when a recent read is there. */
    async signedIn(id: number): Promise<UserWithGrants | undefined> {
      const remembered = signedIn.get(id);
      if (remembered && Date.now() - remembered.at < SIGNED_IN_MS) {
        signedIn.delete(id);
        signedIn.set(id, remembered);
        return remembered.user;
      }
      const readFrom = generation;
      const user = await users.findById(id);
      if (!user) signedIn.delete(id);
      else if (generation === readFrom) {
        signedIn.delete(id);
        signedIn.set(id, { user, at: Date.now() });
        if (signedIn.size > SIGNED_IN_MAX) signedIn.delete(signedIn.keys().next().value!);
      }
      return user;
    },

    /**
     * Grants a role as chosen in the admin's form: a known role; for a translator or reviewer, a
     * language of the site's (disabled ones too, so translators can start early); editors and
     * admins work in every language, so a language chosen for them is ignored. The problems, or null.
     */
    async grantFromForm(
      userId: number,
      form: { role: string; language: string },
      grantedBy: number,
    ): Promise<FieldErrors | null> {
      const role = ROLES.find((r) => r === form.role);
      if (!role) return { role: 'form-error-choose' };
      let language: string | null = null;
      if (LANGUAGE_ROLES.has(role)) {
        if (!form.language) return { language: 'admin-users-error-language-required' };
        if (!(await languages.list()).some((l) => l.code === form.language)) return { language: 'form-error-choose' };
        language = form.language;
      }
      await users.grant(userId, role, language, grantedBy);
      return null;
    },

    /** Revokes a role; an admin may not take their own admin role (that could lock everyone out of user management). */
    async revokeByAdmin(
      userId: number,
      role: GrantableRole,
      language: string | null,
      revokedBy: number,
    ): Promise<'done' | 'own_admin'> {
      if (userId === revokedBy && role === 'admin') return 'own_admin';
      await users.revoke(userId, role, language);
      return 'done';
    },
  };
}
export type AccountsService = ReturnType<typeof accountsService>;
