import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person at the test provider: their subject, wiki user name and whether the wiki blocks them. */
export interface WikiAccount {
  sub: string;
  username: string;
  blocked?: boolean;
}

export const CLIENT_ID = 'storyhub-test';
export const CLIENT_SECRET = 'a test client secret of some length';
const BASE = '/w/rest.php/oauth2';

/**
 * A real OAuth 2.0 server (oidc-provider) on loopback with Wikimedia's endpoint paths, and beside it a
 * profile endpoint shaped like Wikimedia's (`{sub, username, blocked, …}` for the bearer token, which
 * the provider itself checks). The login and consent screens are answered by `person` and `decision`;
 * `breakToken` and `garbleProfile` make the provider fail the way real ones do.
 */
export async function startOAuthProvider() {
  const accounts = new Map<string, WikiAccount>();
  const state = {
    person: undefined as WikiAccount | undefined,
    decision: 'allow' as 'allow' | 'deny',
    /** The token endpoint drops the connection (a provider that is down). */
    breakToken: false,
    /** The profile endpoint answers an HTML page instead of JSON. */
    garbleProfile: false,
    /** The token endpoint never answers (a provider that hangs). */
    hangToken: false,
  };
  let provider: Provider | undefined;

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      response.statusCode = 500;
      response.end(String(error.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    if (!provider) throw new Error('configure() the provider first');
    const path = new URL(request.url ?? '/', origin).pathname;
    if (path === `${BASE}/access_token` && state.breakToken) return void request.socket.destroy();
    if (path === `${BASE}/access_token` && state.hangToken) return; // closed with the server
    if (path === `${BASE}/resource/profile`) return profile(request, response);
    if (path.startsWith('/interaction/')) return interaction(request, response);
    provider.callback()(request, response);
  }

  async function profile(request: http.IncomingMessage, response: http.ServerResponse) {
    if (state.garbleProfile) {
      response.setHeader('content-type', 'text/html');
      return void response.end('<html><body>Maintenance</body></html>');
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ? await provider!.AccessToken.find(bearer) : undefined;
    const account = token?.accountId ? accounts.get(token.accountId) : undefined;
    response.setHeader('content-type', 'application/json');
    if (!account) {
      response.statusCode = 401;
      return void response.end(JSON.stringify({ error: 'invalid_token' }));
    }
    response.end(
      JSON.stringify({
        sub: account.sub,
        username: account.username,
        editcount: 42,
        confirmed_email: true,
        blocked: account.blocked === true,
        registered: '20200101000000',
        groups: ['*', 'user'],
        rights: ['read', 'edit'],
      }),
    );
  }

  // The provider's login and consent screens, answered as the person in `state` would.
  async function interaction(request: http.IncomingMessage, response: http.ServerResponse) {
    const details = await provider!.interactionDetails(request, response);
    if (state.decision === 'deny') {
      return provider!.interactionFinished(request, response, {
        error: 'access_denied',
        error_description: 'The person did not allow it',
      });
    }
    if (details.prompt.name === 'login') {
      if (!state.person) throw new Error('no person set to sign in');
      return provider!.interactionFinished(request, response, { login: { accountId: state.person.sub } });
    }
    const accountId = details.session!.accountId;
    const clientId = String(details.params.client_id);
    const grant = details.grantId
      ? (await provider!.Grant.find(details.grantId))!
      : new provider!.Grant({ accountId, clientId });
    const missing = details.prompt.details.missingOIDCScope as string[] | undefined;
    if (missing) grant.addOIDCScope(missing.join(' '));
    const grantId = await grant.save();
    return provider!.interactionFinished(
      request,
      response,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  return {
    origin,
    state,
    /** Adds a person the provider knows. */
    addAccount(account: WikiAccount) {
      accounts.set(account.sub, account);
    },
    /** Starts answering, for a client whose callbacks are `redirectUris`. */
    configure(redirectUris: string[]) {
      provider = new Provider(origin, {
        clients: [
          {
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            redirect_uris: redirectUris,
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        routes: { authorization: `${BASE}/authorize`, token: `${BASE}/access_token` },
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
        // An OpenID Connect provider's userinfo (`/me`) names the person `preferred_username`.
        claims: { openid: ['sub'], profile: ['preferred_username'] },
        findAccount: async (_context, sub) => {
          const account = accounts.get(sub);
          return account && { accountId: sub, claims: async () => ({ sub, preferred_username: account.username }) };
        },
        cookies: { keys: ['a test cookie key'] },
        jwks: { keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })] },
        ttl: {
          AccessToken: 600,
          AuthorizationCode: 60,
          IdToken: 600,
          Interaction: 600,
          Session: 600,
          Grant: 600,
        },
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type OAuthTestProvider = Awaited<ReturnType<typeof startOAuthProvider>>;
