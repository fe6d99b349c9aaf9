import * as oauth from 'oauth4webapi';
import type { OAuthConfig } from '../../config.ts';
import type { IdentityProvider, PendingAuthorization, ProviderFailure, ProviderProfile } from './identity-provider.ts';

class Failure extends Error {
  readonly failure: ProviderFailure;
  constructor(failure: ProviderFailure) {
    super(failure);
    this.failure = failure;
  }
}

/**
 * Any OAuth 2.0 provider by its endpoints (Wikimedia's `…/w/rest.php/oauth2/…`, or another's), through
 * oauth4webapi: authorization code with PKCE (S256) and `state`, then the profile for the access token.
 * Wikimedia's profile names the account `username` and says `blocked`; an OpenID Connect userinfo
 * endpoint names it `preferred_username`.
 */
export function oauth2Provider(config: OAuthConfig): IdentityProvider {
  const server: oauth.AuthorizationServer = {
    issuer: config.issuer,
    authorization_endpoint: config.authorizeUrl,
    token_endpoint: config.tokenUrl,
    userinfo_endpoint: config.profileUrl,
  };
  const client: oauth.Client = { client_id: config.clientId };
  const clientAuth = config.clientSecret ? oauth.ClientSecretPost(config.clientSecret) : oauth.None();
  // Plain http only where the operator configured it (a provider on loopback in development and tests).
  const request = () => ({
    signal: AbortSignal.timeout(config.timeoutMs),
    [oauth.allowInsecureRequests]: [config.tokenUrl, config.profileUrl].some((url) => url.startsWith('http:')),
  });

  async function begin(redirectUri: string) {
    const pending: PendingAuthorization = {
      state: oauth.generateRandomState(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
      redirectUri,
    };
    const url = new URL(config.authorizeUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('state', pending.state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    if (config.scope) url.searchParams.set('scope', config.scope);
    return { url: url.href, pending };
  }

  async function finish(callback: URL, pending: PendingAuthorization) {
    try {
      const parameters = callbackParameters(callback, pending.state);
      const tokens = await call(
        () =>
          oauth.authorizationCodeGrantRequest(
            server,
            client,
            clientAuth,
            parameters,
            pending.redirectUri,
            pending.codeVerifier,
            request(),
          ),
        (response) => oauth.processAuthorizationCodeResponse(server, client, response),
      );
      const profile = await call(
        () => oauth.userInfoRequest(server, client, tokens.access_token, request()),
        (response) => oauth.processUserInfoResponse(server, client, oauth.skipSubjectCheck, response),
      );
      return { profile: toProfile(profile) };
    } catch (error) {
      if (error instanceof Failure) return { failure: error.failure };
      throw error;
    }
  }

  function callbackParameters(callback: URL, state: string): URLSearchParams {
    try {
      return oauth.validateAuthResponse(server, client, callback, state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) throw new Failure('denied');
      throw new Failure('state_mismatch');
    }
  }

  return { id: config.issuer, name: config.name, begin, finish };
}

/** A request to the provider and the reading of its answer, with every way they fail named. */
async function call<T>(send: () => Promise<Response>, read: (response: Response) => Promise<T>): Promise<T> {
  let response: Response;
  try {
    response = await send();
  } catch {
    throw new Failure('unavailable'); // refused connection, timeout, DNS
  }
  try {
    return await read(response);
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError) {
      // The provider's own refusal: of the code or verifier (4xx), or its failure (5xx).
      throw new Failure(response.status >= 500 ? 'unavailable' : 'code_refused');
    }
    if (response.status >= 500) throw new Failure('unavailable');
    throw new Failure('garbled'); // not JSON, or JSON of the wrong shape
  }
}

/** Wikimedia's profile (`username`, `blocked`) or an OpenID Connect userinfo (`preferred_username`). */
function toProfile(body: oauth.UserInfoResponse): ProviderProfile {
  const username = typeof body.username === 'string' ? body.username : body.preferred_username;
  if (typeof body.sub !== 'string' || !body.sub || typeof username !== 'string' || !username.trim())
    throw new Failure('garbled');
  return { subject: body.sub, username: username.trim().normalize('NFC'), blocked: body.blocked === true };
}
