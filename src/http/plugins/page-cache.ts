import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gunzipSync, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Change, ChangeFeed } from '../../domain/changes.ts';
import { saveDataAsked } from './context.ts';
import { SESSION_COOKIE } from './security.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    pageCache?: boolean;
  }
  interface FastifyInstance {
    /** Empties the cache: no older copy is given out while pages are rendered again (a fresh start, as in tests). */
    forgetPages(): void;
    /** The cache's counts since start (hits, misses) and its size now, for /metrics. */
    pageCacheStats(): PageCacheStats;
  }
  interface FastifyReply {
    /** Marks the response as one of this story's own pages (page, transcript, files): only its changes outdate it. */
    showsStory(storyId: number): FastifyReply;
  }
}

export interface PageCacheStats {
  /** Requests answered from the cache (by the HTTP server or, while a page is rendered again, by Fastify). */
  hits: number;
  /** Requests for a cacheable page that rendered it. */
  misses: number;
  entries: number;
  /** The compressed bytes kept. */
  bytes: number;
}

/** A page is kept compressed only (a tenth of its size): nearly every browser takes Brotli, the rest gzip. */
interface CachedPage {
  gzip: Buffer;
  br: Buffer;
  headers: Record<string, string>;
  /** When it is rendered again: after PAGE_CACHE_SECONDS, or at once when a change concerns it (0). */
  expiresAt: number;
  /** The story whose own page this is; null for pages that list stories. */
  story: number | null;
}
const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);
// Off the event loop (zlib's thread pool), once per page kept.
const compress = (body: string) =>
  Promise.all([
    compressBrotli(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 7, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    compressGzip(body, { level: 7 }),
  ]);
/** How long a request waits for another request that is rendering the same page before rendering it too. */
const WAIT_FOR_RENDER_MS = 5000;
/**
 * How many outdated pages are rendered again at once. The rest are given out as they were until a
 * render is free: an approval outdates every list page in every language, and hundreds of renders
 * at once would queue every other request (an editor's save too) behind their database reads.
 */
const REFRESHES_AT_ONCE = 2;
const KEPT_HEADERS = [
  'content-type',
  'content-disposition',
  'cache-control',
  'etag',
  'last-modified',
  'access-control-allow-origin',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
];

// Pages differ by address, by the visitor's "save data" choice, and by the host they were asked of:
// without PUBLIC_URL, feeds, the sitemap and previews write absolute addresses with the request's own
// host and scheme, so a forged Host header must not reach other visitors' copies.
const cacheKey = (request: { url?: string | undefined; headers: IncomingMessage['headers'] }) => {
  const {
    host = '',
    'x-forwarded-host': forwardedHost = '',
    'x-forwarded-proto': forwardedProto = '',
  } = request.headers;
  return `${saveDataAsked(request.headers) ? 'save-data ' : ''}${forwardedProto} ${forwardedHost} ${host} ${request.url}`;
};
/** The visitor's copy is still current: its ETag matches, or (with no ETag asked about) it is not older than the page. */
const notModified = (headers: IncomingMessage['headers'], page: CachedPage) => {
  const match = headers['if-none-match'];
  if (match !== undefined) return page.headers.etag !== undefined && match === page.headers.etag;
  const since = Date.parse(String(headers['if-modified-since'] ?? ''));
  const modified = Date.parse(page.headers['last-modified'] ?? '');
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
};
const signedIn = (headers: IncomingMessage['headers']) => headers.cookie?.includes(`${SESSION_COOKIE}=`) === true;

/**
 * Where the HTTP server looks first: a GET of a page in the cache is answered straight from it,
 * before Fastify sees the request (the cached entry carries every header its response had). The
 * page-cache plugin fills it in; until then, and for anything else, it answers false.
 */
export interface CachedPageServer {
  serve(request: IncomingMessage, response: ServerResponse): boolean;
}
export const cachedPageServer = (): CachedPageServer => ({ serve: () => false });

/** A request whose page was not cached: which page, the change number it began at, and (for the first one) how to wake the others. */
interface Rendering {
  key: string;
  since: number;
  wake?: () => void;
  /** It renders again a page that is kept but outdated (one of REFRESHES_AT_ONCE). */
  refresh?: boolean;
}
const renderings = new WeakMap<FastifyRequest, Rendering>();
const storyOf = new WeakMap<FastifyReply, number>();

/**
 * Anonymous visitors share rendered public pages (and subtitle files), kept with their compressed
 * forms, the least recently used dropped first past `maxBytes`. A change announced by the
 * repositories outdates only the pages that show it: a story's change its own pages (and the
 * lists, when it shows there); a draft, a sign-in or a comment nothing. The next request for an
 * outdated page renders it again, and so sees the change; visitors who ask while it renders are
 * given the older copy instead of waiting, and so is everyone while REFRESHES_AT_ONCE other
 * outdated pages are being rendered (one approval outdates every list page in every language at
 * once: hundreds of renders that every request would otherwise queue behind). When many
 * visitors ask for a page that is not cached at all, one request renders it and the others wait
 * for it. A page rendered from data read before a change is not kept. Changes made by other
 * processes on the same PostgreSQL server arrive on the same feed (change-bus.ts). An entry is
 * also rendered again after PAGE_CACHE_SECONDS (each at a time of its own between half that and
 * all of it, so they do not all expire at once), in the same way.
 */
export const pageCachePlugin = fp(
  async (
    app: FastifyInstance,
    options: { seconds: number; maxBytes: number; changes: ChangeFeed; server: CachedPageServer },
  ) => {
    const pages = new Map<string, CachedPage>();
    const rendering = new Map<string, Promise<void>>();
    /** How many requests are rendering again a page that is kept but outdated. */
    let refreshing = 0;
    const ttl = options.seconds * 1000;
    let bytes = 0;
    let hits = 0;
    let misses = 0;
    const size = (page: CachedPage) => page.br.length + page.gzip.length;
    const drop = (key: string) => {
      const page = pages.get(key);
      if (page) bytes -= size(page);
      pages.delete(key);
    };
    const keep = (key: string, page: CachedPage) => {
      drop(key);
      pages.set(key, page);
      bytes += size(page);
      for (const oldest of pages.keys()) {
        if (bytes <= options.maxBytes) break;
        drop(oldest);
      }
    };

    // Changes are numbered; a render that began before a change that concerns its page is not kept.
    let generation = 0;
    let everythingChangedAt = 0;
    let listsChangedAt = 0;
    const storyChangedAt = new Map<number, number>();
    const forget = (change: Change) => {
      if ('account' in change) return;
      generation += 1;
      if ('everything' in change) everythingChangedAt = generation;
      else {
        storyChangedAt.set(change.story, generation);
        if (change.lists) listsChangedAt = generation;
      }
      for (const page of pages.values()) {
        if ('everything' in change || page.story === change.story || (change.lists && page.story === null))
          page.expiresAt = 0;
      }
    };
    const unsubscribe = options.changes.subscribe(forget);
    app.addHook('onClose', async () => unsubscribe());
    app.decorate('forgetPages', () => {
      forget({ everything: true });
      pages.clear();
      bytes = 0;
    });
    app.decorate('pageCacheStats', () => ({ hits, misses, entries: pages.size, bytes }));
    app.decorateReply('showsStory', function (this: FastifyReply, storyId: number) {
      storyOf.set(this, storyId);
      return this;
    });
    const outdated = (story: number | null, since: number) =>
      everythingChangedAt > since ||
      (story === null ? listsChangedAt > since : (storyChangedAt.get(story) ?? 0) > since);

    const cacheable = (request: FastifyRequest) =>
      ttl > 0 &&
      request.method === 'GET' &&
      request.routeOptions.config?.pageCache === true &&
      !signedIn(request.headers);
    const expired = (page: CachedPage) => Date.now() > page.expiresAt;
    /** Most recently used last: the first entries are the first to go. */
    const touch = (key: string, page: CachedPage) => {
      pages.delete(key);
      pages.set(key, page);
    };
    const serve = (request: FastifyRequest, reply: FastifyReply, key: string, page: CachedPage) => {
      hits += 1;
      touch(key, page);
      reply.header('x-cache', 'hit');
      return sendCompressed(request, reply.headers(page.headers), page);
    };

    // Only what is in the cache and fresh is answered here; the rest (misses, expired entries, signed-in
    // visitors) goes through Fastify, which also decides what may be cached at all.
    options.server.serve = (request, response) => {
      if (ttl <= 0 || request.method !== 'GET' || signedIn(request.headers)) return false;
      const key = cacheKey(request);
      const page = pages.get(key);
      if (!page || expired(page)) return false;
      hits += 1;
      touch(key, page);
      const headers: Record<string, string | number> = { ...page.headers, 'x-cache': 'hit', vary: 'accept-encoding' };
      if (notModified(request.headers, page)) {
        response.writeHead(304, headers).end();
        return true;
      }
      const body = pickEncoding(request.headers['accept-encoding'], page, (name) => {
        headers['content-encoding'] = name;
      });
      headers['content-length'] = body.length;
      response.writeHead(200, headers).end(body);
      return true;
    };
    app.addHook('onClose', async () => {
      options.server.serve = () => false;
    });

    app.addHook('onRequest', async (request, reply) => {
      if (!cacheable(request)) return;
      const key = cacheKey(request);
      let page = pages.get(key);
      if (page && (!expired(page) || rendering.has(key) || refreshing >= REFRESHES_AT_ONCE))
        return serve(request, reply, key, page);
      if (!page && rendering.has(key)) {
        await Promise.race([
          rendering.get(key),
          new Promise((resolve) => setTimeout(resolve, WAIT_FOR_RENDER_MS).unref()),
        ]);
        page = pages.get(key);
        if (page) return serve(request, reply, key, page);
      }
      misses += 1;
      const render: Rendering = { key, since: generation, ...(page && { refresh: true }) };
      if (page) refreshing += 1;
      if (!rendering.has(key))
        rendering.set(
          key,
          new Promise<void>((resolve) => {
            render.wake = resolve;
          }),
        );
      renderings.set(request, render);
    });

    // The waiting requests look for the page once the one rendering it has answered, whatever happened to it.
    const finishRendering = async (request: FastifyRequest) => {
      const render = renderings.get(request);
      if (!render) return;
      renderings.delete(request);
      if (render.refresh) refreshing -= 1;
      if (!render.wake) return;
      rendering.delete(render.key);
      render.wake();
    };
    app.addHook('onResponse', finishRendering);
    app.addHook('onRequestAbort', finishRendering);

    app.addHook('onSend', async (request, reply, payload) => {
      const render = renderings.get(request);
      if (!render) return payload;
      // An outdated page that now answers otherwise (a story unpublished: 404) is not given out again.
      if (reply.statusCode !== 200) drop(render.key);
      if (reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('set-cookie')) return payload;
      const story = storyOf.get(reply) ?? null;
      if (outdated(story, render.since)) return payload;
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = reply.getHeader(name);
        if (typeof value === 'string') headers[name] = value;
      }
      const [br, gzipped] = await compress(payload);
      // A change may have come while compressing.
      if (outdated(story, render.since)) return payload;
      const page: CachedPage = {
        br,
        gzip: gzipped,
        expiresAt: Date.now() + ttl * (0.5 + Math.random() / 2),
        headers,
        story,
      };
      keep(render.key, page);
      reply.header('x-cache', 'miss');
      return compressedPayload(request, reply, page);
    });
  },
  { name: 'page-cache' },
);

/** The form of a kept page a visitor takes (naming its content-encoding through `encoding`). */
function pickEncoding(
  accepts: string | string[] | undefined,
  page: CachedPage,
  encoding: (name: string) => void,
): Buffer {
  const accepted = String(accepts ?? '');
  if (/\bbr\b/.test(accepted)) {
    encoding('br');
    return page.br;
  }
  if (/\bgzip\b/.test(accepted)) {
    encoding('gzip');
    return page.gzip;
  }
  return gunzipSync(page.gzip);
}

function compressedPayload(request: FastifyRequest, reply: FastifyReply, page: CachedPage): Buffer {
  reply.header('vary', 'accept-encoding');
  return pickEncoding(request.headers['accept-encoding'], page, (name) => reply.header('content-encoding', name));
}

function sendCompressed(request: FastifyRequest, reply: FastifyReply, page: CachedPage) {
  if (notModified(request.headers, page)) return reply.code(304).send();
  return reply.send(compressedPayload(request, reply, page));
}
