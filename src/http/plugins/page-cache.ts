import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Change, ChangeFeed } from '../../store/changes.ts';
import { wantsToSaveData } from './context.ts';
import { SESSION_COOKIE } from './security.ts';

declare module 'fastify' {
  interface FastifyContextConfig { pageCache?: boolean }
  interface FastifyInstance { forgetPages(): void }
  interface FastifyReply {
    /** Marks the response as one of this story's own pages (page, transcript, files): only its changes drop it. */
    showsStory(storyId: number): FastifyReply;
  }
}

interface CachedPage {
  body: string; gzip?: Buffer; br?: Buffer; at: number; headers: Record<string, string>;
  /** The story whose own page this is; null for pages that list stories. */
  story: number | null;
}

const MAX_ENTRIES = 2000;
/** How long a request waits for another request that is rendering the same page before rendering it too. */
const WAIT_FOR_RENDER_MS = 5000;
const KEPT_HEADERS = ['content-type', 'content-disposition', 'cache-control', 'etag', 'content-security-policy',
  'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy'];

// Pages differ by address and by the visitor's "save data" choice, nothing else.
const cacheKey = (request: FastifyRequest) => `${wantsToSaveData(request) ? 'save-data ' : ''}${request.url}`;

/** A request whose page was not cached: which page, the change number it began at, and (for the first one) how to wake the others. */
interface Rendering { key: string; since: number; wake?: () => void }
const renderings = new WeakMap<FastifyRequest, Rendering>();
const storyOf = new WeakMap<FastifyReply, number>();

/**
 * Anonymous visitors share rendered public pages (and subtitle files): each is kept with its
 * compressed forms for PAGE_CACHE_SECONDS. A change announced by the repositories drops only the
 * pages that show it: a story's change drops its own pages (and the lists, when it shows there);
 * a draft, a sign-in or a comment drops nothing. When many visitors ask for a page that is not
 * cached, one request renders it and the others wait for it. A page rendered from data read
 * before a change is not kept. Other processes' changes show once an entry expires.
 */
export const pageCachePlugin = fp(async (app: FastifyInstance, options: { seconds: number; changes: ChangeFeed }) => {
  const pages = new Map<string, CachedPage>();
  const rendering = new Map<string, Promise<void>>();
  const ttl = options.seconds * 1000;

  // Changes are numbered; a render that began before a change that concerns its page is not kept.
  let generation = 0;
  let everythingChangedAt = 0;
  let listsChangedAt = 0;
  const storyChangedAt = new Map<number, number>();
  const forget = (change: Change) => {
    generation += 1;
    if ('everything' in change) {
      everythingChangedAt = generation;
      pages.clear();
      return;
    }
    storyChangedAt.set(change.story, generation);
    if (change.lists) listsChangedAt = generation;
    for (const [key, page] of pages) {
      if (page.story === change.story || (change.lists && page.story === null)) pages.delete(key);
    }
  };
  const unsubscribe = options.changes.subscribe(forget);
  app.addHook('onClose', async () => unsubscribe());
  app.decorate('forgetPages', () => forget({ everything: true }));
  app.decorateReply('showsStory', function (this: FastifyReply, storyId: number) {
    storyOf.set(this, storyId);
    return this;
  });
  const outdated = (story: number | null, since: number) => everythingChangedAt > since
    || (story === null ? listsChangedAt > since : (storyChangedAt.get(story) ?? 0) > since);

  const cacheable = (request: FastifyRequest) =>
    ttl > 0 && request.method === 'GET' && request.routeOptions.config?.pageCache === true
    && !request.headers.cookie?.includes(`${SESSION_COOKIE}=`);
  const fresh = (key: string) => {
    const page = pages.get(key);
    return page && Date.now() - page.at <= ttl ? page : undefined;
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!cacheable(request)) return;
    const key = cacheKey(request);
    let page = fresh(key);
    if (!page && rendering.has(key)) {
      await Promise.race([rendering.get(key), new Promise((resolve) => setTimeout(resolve, WAIT_FOR_RENDER_MS).unref())]);
      page = fresh(key);
    }
    if (!page) {
      const render: Rendering = { key, since: generation };
      if (!rendering.has(key)) rendering.set(key, new Promise<void>((resolve) => { render.wake = resolve; }));
      renderings.set(request, render);
      return;
    }
    return sendCached(request, reply, page);
  });

  // The waiting requests look for the page once the one rendering it has answered, whatever happened to it.
  const finishRendering = async (request: FastifyRequest) => {
    const render = renderings.get(request);
    if (!render) return;
    renderings.delete(request);
    if (!render.wake) return;
    rendering.delete(render.key);
    render.wake();
  };
  app.addHook('onResponse', finishRendering);
  app.addHook('onRequestAbort', finishRendering);

  app.addHook('onSend', async (request, reply, payload) => {
    const render = renderings.get(request);
    if (!render || reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('set-cookie')) return payload;
    const story = storyOf.get(reply) ?? null;
    if (outdated(story, render.since)) return payload;
    if (pages.size >= MAX_ENTRIES) pages.delete(pages.keys().next().value!);
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    pages.set(render.key, { body: payload, at: Date.now(), headers, story });
    reply.header('x-cache', 'miss');
    return payload;
  });
}, { name: 'page-cache' });

function sendCached(request: FastifyRequest, reply: FastifyReply, page: CachedPage) {
  reply.headers(page.headers).header('x-cache', 'hit').header('vary', 'accept-encoding');
  if (page.headers.etag && request.headers['if-none-match'] === page.headers.etag) return reply.code(304).send();
  const accepts = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepts)) {
    page.br ??= brotliCompressSync(page.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
    return reply.header('content-encoding', 'br').send(page.br);
  }
  if (/\bgzip\b/.test(accepts)) {
    page.gzip ??= gzipSync(page.body, { level: 9 });
    return reply.header('content-encoding', 'gzip').send(page.gzip);
  }
  return reply.send(page.body);
}
