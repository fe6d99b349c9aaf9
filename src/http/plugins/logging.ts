import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import fp from 'fastify-plugin';
import pino from 'pino';
import pinoPretty from 'pino-pretty';

export interface LogOptions {
  level: string;
  /** Where lines go (a test's capture); standard output when absent. */
  stream?: Writable;
  /** Short readable lines instead of JSON; by default only on a terminal, and not at debug or trace. */
  pretty?: boolean;
}

/** A request slower than this is logged whatever the level (each request is logged only at `debug`). */
const SLOW_REQUEST_MS = 1000;

/**
 * Readable lines are for a person at a terminal; at debug or trace they want every field, and
 * anywhere else (a service manager, a container, a file) a program reads the log: JSON.
 */
export const wantsPrettyLines = (level: string, isTerminal: boolean) =>
  isTerminal && level !== 'debug' && level !== 'trace';

/**
 * The log: written asynchronously (a synchronous write per request halved the cached pages' speed),
 * one line per request only at `debug`; errors (in the errors plugin) and slow requests always.
 */
export function createLogger(options: LogOptions): FastifyBaseLogger {
  const pretty =
    options.pretty ?? (options.stream === undefined && wantsPrettyLines(options.level, process.stdout.isTTY === true));
  const destination = pretty
    ? pinoPretty({
        destination: options.stream ?? 1,
        sync: false,
        ...(options.stream && { colorize: false }),
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,reqId',
        messageFormat: '{if reqId}[{reqId}] {end}{msg}',
        singleLine: true,
      })
    : (options.stream ?? pino.destination({ sync: false }));
  return pino({ level: options.level }, destination) as FastifyBaseLogger;
}

/** Fastify's own lines about each request: one line when it is answered, at `debug` unless it was slow or failed. */
export class RequestLog extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const details = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...details, err: error }, 'request errored');
    else if (details.ms >= SLOW_REQUEST_MS) reply.log.warn(details, 'slow request');
    else reply.log.debug(details, 'request');
  }
}

/** An id a proxy in front may pass on: short, and only characters that are safe in a log, a header and a page. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Each request's id (Fastify's `genReqId`), written on its log lines, sent back as `X-Request-Id`
 * and shown on error pages, so a visitor's report leads to its lines. A proxy's `X-Request-Id` is
 * kept when it is short and plain; anything else (long, markup, line breaks) is replaced.
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  if (typeof given === 'string' && SAFE_REQUEST_ID.test(given)) return given;
  // Hex: nothing a visitor could misread or lose at the edge of a line when they copy it.
  return randomBytes(8).toString('hex');
}

/** Sends the request's id back; first of all hooks, so answers from the page cache and errors carry it too. */
export const requestIdPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      done();
    });
  },
  { name: 'request-id' },
);
