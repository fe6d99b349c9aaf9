import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long a feed reader or crawler may keep a feed, sitemap or robots.txt before asking again (it then asks conditionally). */
const MAX_AGE_SECONDS = 300;

/** A weak entity tag of a body: weak, as the page cache sends the same document gzip- or Brotli-encoded under the same tag. */
export const entityTag = (body: string) => `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** Whether the request's If-None-Match names `etag` (or `*`): its copy is current. */
export function matchesIfNoneMatch(request: FastifyRequest, etag: string): boolean {
  const match = request.headers['if-none-match'];
  return match !== undefined && match.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

/**
 * Sends a document that feed readers and crawlers fetch again and again, with an ETag made from its
 * bytes and, when known, its Last-Modified; a request whose copy is current gets 304 and no body
 * (If-None-Match decides when present, as RFC 9110 says; If-Modified-Since otherwise). The page cache
 * keeps both headers and answers the same way from its copy.
 */
export function sendConditional(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
  options: { type: string; lastModified?: Date },
) {
  const etag = entityTag(body);
  reply.type(options.type).header('etag', etag).header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`);
  if (options.lastModified) reply.header('last-modified', options.lastModified.toUTCString());
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  const current =
    request.headers['if-none-match'] !== undefined
      ? matchesIfNoneMatch(request, etag)
      : options.lastModified !== undefined && Number.isFinite(since) && options.lastModified.getTime() <= since;
  return current ? reply.code(304).send() : reply.send(body);
}
