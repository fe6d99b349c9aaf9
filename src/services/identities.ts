import type { User } from '../domain/access/users.ts';
import type { IdentityProvider, ProviderProfile } from '../providers/oauth/identity-provider.ts';
import type { LinkedIdentity, LinkOutcome } from '../store/repositories/identities.ts';
import type { Repositories } from '../store/repositories/index.ts';
import { USERNAME } from './accounts.ts';

/**
 * What signing in through the provider led to: an account; a blocked person refused; or a name the
 * person must settle (taken by a local account, which is never merged silently, or not a name the
 * site takes), with nothing written.
 */
export type ProviderSignIn =
  { user: User } | { refused: 'blocked' } | { chooseName: { username: string; reason: 'taken' | 'invalid' } };

/** Sign-in and linking through the OAuth 2.0 provider configured (none: every use case says so). */
export function identitiesService(repositories: Repositories, provider: IdentityProvider | null) {
  const { identities, users } = repositories;
  const providerId = provider?.id ?? '';

  async function create(profile: ProviderProfile, username: string, language: string) {
    const user = await identities.createLinkedUser({
      provider: providerId,
      subject: profile.subject,
      username,
      language,
    });
    if (user) return { user };
    // Taken by a local account, or by an account this identity made a moment ago (a double click).
    const linked = await identities.find(providerId, profile.subject);
    const owner = linked && (await users.findById(linked.userId));
    return owner ? { user: owner } : { chooseName: { username, reason: 'taken' as const } };
  }

  return {
    provider,

    /** The first sign-in makes an account named as on the provider; later ones find it. */
    async signIn(profile: ProviderProfile, language: string): Promise<ProviderSignIn> {
      if (profile.blocked) return { refused: 'blocked' };
      const linked = await identities.find(providerId, profile.subject);
      if (linked) {
        const user = await users.findById(linked.userId);
        if (user) return { user };
      }
      if (!USERNAME.test(profile.username)) return { chooseName: { username: profile.username, reason: 'invalid' } };
      return create(profile, profile.username, language);
    },

    /** A new account under another name, for a person whose provider name could not be used. */
    async signInAs(
      profile: ProviderProfile,
      name: string,
      language: string,
    ): Promise<ProviderSignIn | { errors: Record<string, string> }> {
      if (profile.blocked) return { refused: 'blocked' };
      const username = name.trim().normalize('NFC');
      if (!USERNAME.test(username)) return { errors: { username: 'form-error-username' } };
      const result = await create(profile, username, language);
      return 'chooseName' in result ? { errors: { username: 'form-error-username-taken' } } : result;
    },

    /** Links the provider's account to a signed-in local account. */
    async link(userId: number, profile: ProviderProfile): Promise<LinkOutcome | 'blocked'> {
      if (profile.blocked) return 'blocked';
      return identities.link({ provider: providerId, subject: profile.subject, username: profile.username, userId });
    },

    /** Removes the link, unless the account has no password to sign in with instead. */
    unlink: (userId: number) => identities.unlink(userId, providerId),

    /** The account's linked identity of the provider, if any. */
    async identityOf(userId: number): Promise<LinkedIdentity | undefined> {
      return provider ? identities.ofUser(userId, providerId) : undefined;
    },
  };
}
export type IdentitiesService = ReturnType<typeof identitiesService>;
