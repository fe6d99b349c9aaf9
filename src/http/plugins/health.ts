import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';

const Ok = Type.Object({ status: Type.Literal('ok') });
const Unavailable = Type.Object({
  status: Type.Literal('unavailable'),
  check: Type.Union([Type.Literal('database'), Type.Literal('migrations')]),
  error: Type.Object({
    code: Type.Union([Type.Literal('database_unreachable'), Type.Literal('migrations_pending')]),
    message: Type.String(),
  }),
  pending: Type.Optional(Type.Array(Type.String())),
});

/**
 * Probes for whoever runs the site: `/healthz` says the process answers (it touches nothing, so a
 * slow database never gets a live process restarted); `/readyz` says it can serve: the database
 * answers and has run every migration this code knows, else 503 naming the check that failed.
 * Neither is cached nor part of the versioned API (the OpenAPI document keeps to /api/v1).
 */
export const healthPlugin = fp(
  async (app: FastifyInstance) => {
    app.get('/healthz', { schema: { response: { 200: Ok } } }, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' as const };
    });

    app.get('/readyz', { schema: { response: { 200: Ok, 503: Unavailable } } }, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      const readiness = await app.services.operations.readiness();
      if (readiness.ready) return { status: 'ok' as const };
      const { check, code, message } = readiness;
      return reply.code(503).send({
        status: 'unavailable' as const,
        check,
        error: { code, message },
        ...('pending' in readiness && { pending: readiness.pending }),
      });
    });
  },
  { name: 'health', dependencies: ['context'] },
);
