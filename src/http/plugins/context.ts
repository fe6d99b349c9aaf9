import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { accountGrants, can, type Action } from '../../domain/access/authorize.ts';
import { bcp47, negotiateLanguage } from '../../domain/languages/languages.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { UseCases } from '../../services/index.ts';
import type { LanguageRow } from '../../domain/languages/languages.ts';
import type { UserWithGrants } from '../../domain/access/users.ts';
import type { PageContext } from '../views/context.ts';
import type { Translate } from '../../services/messages.ts';
import type { ApiToken } from '../../store/repositories/tokens.ts';
import { tokenInUrl } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The use cases (services/): all a route may call. */
    services: UseCases;
    /** Enabled languages (cached briefly; a change of languages, in any process, empties the cache). */
    enabledLanguages(): Promise<LanguageRow[]>;
  }
  interface FastifyRequest {
    user: UserWithGrants | null;
    /** The personal API token the request was made with (`Authorization: Bearer`), if any: `user` is its owner. */
    apiToken: ApiToken | null;
    /** How many of the signed-in person's notices are unread (0 when signed out). */
    unreadNotices: number;
    /** Which language the visitor most likely wants: remembered choice, then Accept-Language. */
    preferredLanguage(): Promise<string>;
    pageContext(reply: FastifyReply, language: LanguageRow, options?: { forms?: boolean }): PageContext;
  }
}

export const LANGUAGE_COOKIE = 'storyhub_lang';

// Building Intl formatters costs more than rendering a page's dates with them: one pair per language.
const formats = new Map<string, { dates: Intl.DateTimeFormat; numbers: Intl.NumberFormat }>();
function formatsFor(tag: string) {
  let found = formats.get(tag);
  if (!found) {
    found = { dates: new Intl.DateTimeFormat(tag, { dateStyle: 'long' }), numbers: new Intl.NumberFormat(tag) };
    formats.set(tag, found);
  }
  return found;
}
export const SAVE_DATA_COOKIE = 'storyhub_save_data';

const SAVE_DATA_IN_HEADER = new RegExp(`(?:^|;\\s*)${SAVE_DATA_COOKIE}=([01])`);

/** The visitor asked to save data: a remembered choice on this site, else the browser's Save-Data hint. */
export function wantsToSaveData(request: FastifyRequest): boolean {
  return saveDataAsked(request.headers);
}

/** The same, from the request's headers alone (the page cache asks before cookies are parsed, or before Fastify sees the request). */
export function saveDataAsked(headers: IncomingHttpHeaders): boolean {
  const remembered = SAVE_DATA_IN_HEADER.exec(headers.cookie ?? '')?.[1];
  if (remembered === '1' || remembered === '0') return remembered === '1';
  return headers['save-data'] === 'on';
}
const LANGUAGE_CACHE_MS = 30_000;

/** Query parameters that would carry a token in the address (refused). */
const TOKEN_PARAMETERS = ['token', 'access_token'];

/** The secret of `Authorization: Bearer SECRET`, when the request sends one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header || !/^Bearer(\s|$)/i.test(header)) return undefined;
  return header.slice('Bearer'.length).trim();
}

// Names and titles put into a message may be written in another direction than the message
// (an English title in an Arabic sentence): each is isolated (U+2068 … U+2069) so neither
// reorders the other. Plain numbers need no isolation.
const NUMERIC = /^[\p{N}\s.,\u066B\u066C%]*$/u;
function isolating(translate: Translate): Translate {
  return (key, ...params) =>
    translate(
      key,
      ...params.map((param) => (typeof param === 'string' && !NUMERIC.test(param) ? `\u2068${param}\u2069` : param)),
    );
}

/** The services, the signed-in user, and everything a page template needs about the request. */
export const contextPlugin = fp(
  async (app: FastifyInstance, options: { services: UseCases; changes: ChangeFeed }) => {
    const { services } = options;
    app.decorate('services', services);
    let cached: { at: number; languages: LanguageRow[] } | null = null;
    app.decorate('enabledLanguages', async () => {
      if (!cached || Date.now() - cached.at > LANGUAGE_CACHE_MS) {
        const languages = (await services.languages.list()).filter((l) => l.enabled);
        cached = { at: Date.now(), languages };
      }
      return cached.languages;
    });
    // Languages are among what every page shows: a change to them (here or in another process) is announced as such.
    const unsubscribe = options.changes.subscribe((change) => {
      if ('everything' in change) cached = null;
    });
    app.addHook('onClose', async () => unsubscribe());

    app.decorateRequest('user', null);
    app.decorateRequest('apiToken', null);
    app.decorateRequest('unreadNotices', 0);
    // A token in an address ends up in logs, histories and Referer headers: refused before anything else.
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/')) return;
      const query = new URLSearchParams(request.url.split('?')[1] ?? '');
      for (const parameter of TOKEN_PARAMETERS) if (query.has(parameter)) throw tokenInUrl(parameter);
    });
    app.addHook('preHandler', async (request) => {
      // Tokens are for the API; pages keep to sessions (and their forms to CSRF tokens).
      const bearer = request.url.startsWith('/api/') ? bearerToken(request) : undefined;
      if (bearer !== undefined) {
        // A token speaks for its owner on its own (no session, no CSRF token); a refused one is a 401.
        const holder = await services.tokens.authenticate(bearer);
        request.user = holder.user;
        request.apiToken = holder.token;
        return;
      }
      const userId = request.session?.userId;
      if (userId !== undefined) request.user = (await services.accounts.signedIn(userId)) ?? null;
      // The header links to a person's notices when some are unread (pages only: the API has no header).
      if (request.user && !request.url.startsWith('/api/'))
        request.unreadNotices = await services.celebration.unreadNotices(request.user);
    });

    app.decorateRequest('preferredLanguage', async function (this: FastifyRequest) {
      const codes = (await app.enabledLanguages()).map((l) => l.code);
      const remembered = this.cookies[LANGUAGE_COOKIE];
      if (remembered && codes.includes(remembered)) return remembered;
      return negotiateLanguage(this.headers['accept-language'], codes) ?? 'en';
    });

    app.decorateRequest(
      'pageContext',
      function (
        this: FastifyRequest,
        reply: FastifyReply,
        language: LanguageRow,
        contextOptions?: { forms?: boolean },
      ): PageContext {
        const user = this.user;
        const grants = user ? accountGrants(user.grants) : [];
        const tag = bcp47(language.code);
        const { dates, numbers } = formatsFor(tag);
        const prefix = `/${language.code}`;
        const url = this.url.startsWith(prefix) ? this.url.slice(prefix.length) || '/' : '/';
        return {
          language,
          chain: [language.code, ...language.fallbacks],
          languages: cached?.languages ?? [language],
          t: isolating(services.messages.forLanguage(language.code)),
          user,
          unreadNotices: this.unreadNotices,
          can: (action: Action, scope?: string) => can(grants, action, scope),
          csrfToken: user || contextOptions?.forms ? reply.generateCsrf() : undefined,
          path: url,
          saveData: wantsToSaveData(this),
          formatDate: (date) => dates.format(date),
          formatNumber: (value) => numbers.format(value),
        };
      },
    );
  },
  { name: 'context', dependencies: ['security'] },
);
