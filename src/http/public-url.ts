import type { FastifyRequest } from 'fastify';

/**
 * The origin absolute addresses are written with (feeds, the sitemap, oEmbed, previews): PUBLIC_URL
 * when it is set, else the scheme and host the request came to (behind a proxy with TRUST_PROXY, the
 * forwarded ones). The page cache keeps copies apart by host, so a forged Host reaches no one else.
 */
export function publicOrigin(request: FastifyRequest): string {
  const configured = request.server.config.publicUrl;
  if (configured) return configured;
  const host = request.host || `${request.server.config.host}:${request.server.config.port}`;
  return `${request.protocol}://${host}`;
}
