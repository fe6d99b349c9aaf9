import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
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
  if (error.statusCode === 429) return { status: 429, code: 'rate_limited', message: 'Too many requests' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'bad_request', message: error.message };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side' };
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
      if (request.url.startsWith('/api/') || request.url.startsWith('/oembed'))
        return reply.send({ error: { code, message, ...details } });
      const languages = await app.enabledLanguages();
      const fromUrl = request.url.split(/[/?]/)[1];
      const language = languages.find((l) => l.code === fromUrl) ?? languages.find((l) => l.code === 'en')!;
      // The celebration's refusals say exactly what was refused, in the reader's language.
      const messageKey = typeof details.messageKey === 'string' ? details.messageKey : undefined;
      const page = errorPage(request.pageContext(reply, language), status, code, request.id, messageKey);
      return reply.type('text/html; charset=utf-8').send(renderDocument(page));
    }

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
