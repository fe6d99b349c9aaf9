import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  BODY_LIMIT_BYTES,
  MULTIPART_MAX_FIELDS,
  MULTIPART_MAX_FILES,
  URL_MAX_LENGTH,
} from '../../domain/forms/limits.ts';
import { AppError } from '../../errors.ts';
import { renderDocument } from '../views/html.ts';
import { errorPage } from '../views/pages/error.ts';

/** Maps any thrown error to a status and a stable code; unknown errors become 500 internal. */
function classify(error: FastifyError | AppError): { status: number; code: string; message: string } {
  if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
  if (error.validation) return { status: 400, code: 'bad_request', message: error.message };
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
    return { status: 403, code: 'csrf_invalid', message: 'The form expired; reload the page and try again' };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, code: 'too_large', message: 'Request body too large' };
  // A multipart form with more files or fields than any upload form has (the file's own size is the route's to answer).
  if (error.code === 'FST_FILES_LIMIT' || error.code === 'FST_FIELDS_LIMIT' || error.code === 'FST_PARTS_LIMIT')
    return { status: 413, code: 'too_many_parts', message: 'Too many files or fields in the form' };
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return { status: 415, code: 'unsupported_media_type', message: 'This kind of request body is not accepted here' };
  if (error.statusCode === 429) return { status: 429, code: 'rate_limited', message: 'Too many requests' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'bad_request', message: error.message };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side' };
}

/** The API and oEmbed answer in JSON (oEmbed at the address its consumers expect). */
const isJsonEndpoint = (url: string) => url.startsWith('/api/') || url.startsWith('/oembed');

/** The limit a refusal names, in the reader's number format (a size in MB); none for other errors. */
function limitOf(code: string, details: Record<string, unknown>, format: (value: number) => string) {
  const megabytes = (bytes: number) => format(Math.round((bytes / 1024 ** 2) * 10) / 10);
  if (code === 'too_large')
    return [megabytes(typeof details.maxBytes === 'number' ? details.maxBytes : BODY_LIMIT_BYTES)];
  if (code === 'uri_too_long') return [format(URL_MAX_LENGTH)];
  if (code === 'too_many_parts') return [format(MULTIPART_MAX_FILES), format(MULTIPART_MAX_FIELDS)];
  return undefined;
}

/**
 * One place that turns errors into pages or JSON: never a stack trace, every 5xx logged with its
 * request; a page names the request's id (also in X-Request-Id and on its log lines) for reports.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    async function respond(
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      code: string,
      message: string,
      details: Record<string, unknown> = {},
    ) {
      reply.code(status);
      // The API and oEmbed (a JSON endpoint of its own, at the address its consumers expect) answer in JSON.
      if (isJsonEndpoint(request.url)) return reply.send({ error: { code, message, ...details } });
      const languages = await app.enabledLanguages();
      const fromUrl = request.url.split(/[/?]/)[1];
      const language = languages.find((l) => l.code === fromUrl) ?? languages.find((l) => l.code === 'en')!;
      // The celebration's refusals say exactly what was refused, in the reader's language.
      const messageKey = typeof details.messageKey === 'string' ? details.messageKey : undefined;
      const context = request.pageContext(reply, language);
      const limit = messageKey ? undefined : limitOf(code, details, context.formatNumber);
      const page = errorPage(context, status, code, request.id, messageKey, limit);
      return reply.type('text/html; charset=utf-8').send(renderDocument(page));
    }

    // The pages' own limits, before any body is read: an address past URL_MAX_LENGTH, and a JSON
    // body (the site's forms post form data; JSON is the API's, which sets its own limits).
    app.addHook('onRequest', async (request) => {
      if (isJsonEndpoint(request.url)) return;
      if (request.url.length > URL_MAX_LENGTH)
        throw new AppError(414, 'uri_too_long', `The address is longer than ${URL_MAX_LENGTH} characters`);
      if (/^application\/([\w.+-]+\+)?json\b/i.test(request.headers['content-type'] ?? ''))
        throw new AppError(415, 'unsupported_media_type', 'This page takes a form, not JSON');
    });

    app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
      const { status, code, message } = classify(error);
      if (status >= 500) request.log.error({ err: error, url: request.url, method: request.method }, 'request failed');
      try {
        return await respond(request, reply, status, code, message, error instanceof AppError ? error.details : {});
      } catch (renderError) {
        request.log.error({ err: renderError }, 'error page failed');
        return reply.code(500).type('text/plain; charset=utf-8').send('500');
      }
    });

    app.setNotFoundHandler(async (request, reply) => respond(request, reply, 404, 'not_found', 'No such page'));
  },
  { name: 'errors', dependencies: ['context'] },
);
