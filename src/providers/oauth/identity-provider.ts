/** Who a provider says signed in: its subject (`sub`), its user name, and whether it blocks them. */
export interface ProviderProfile {
  subject: string;
  username: string;
  blocked: boolean;
}

/**
 * Why a sign-in through a provider did not give a profile: the person said no (`denied`), the callback
 * does not belong to the request it claims (`state_mismatch`), the provider refused the code or its
 * PKCE verifier (`code_refused`), or it did not answer in time (`unavailable`) or answered nonsense
 * (`garbled`).
 */
export type ProviderFailure = 'denied' | 'state_mismatch' | 'code_refused' | 'unavailable' | 'garbled';

/** What is kept (in the session) between sending a person to the provider and their return. */
export interface PendingAuthorization {
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

/** An OAuth 2.0 provider (authorization code with PKCE) that people sign in through. */
export interface IdentityProvider {
  /** The key linked identities are stored under (the issuer). */
  readonly id: string;
  /** What the sign-in button calls it. */
  readonly name: string;
  /** A new request: the address to send the person to, and what to keep until they come back. */
  begin(redirectUri: string): Promise<{ url: string; pending: PendingAuthorization }>;
  /** The profile of the person a callback brings back; every failure a result, never an exception. */
  finish(
    callback: URL,
    pending: PendingAuthorization,
  ): Promise<{ profile: ProviderProfile } | { failure: ProviderFailure }>;
}
