import { pipeline, Transform } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// Schemas the site's forms share.

/** Success notices after a redirect: ?saved=1. */
export const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 1 })) });

/** The numeric id in an address (a 404 for anything else: the errors plugin answers a bad param with 404 here). */
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) });

/**
 * The shape of a form post: every named field an optional string of at most `max` characters
 * (generous: the field checks report lengths in the form), plus the CSRF token.
 */
export function formBody<const Fields extends Record<string, number>>(fields: Fields) {
  return Type.Object({
    ...(Object.fromEntries(
      Object.entries(fields).map(([name, max]) => [name, Type.Optional(Type.String({ maxLength: max }))]),
    ) as {
      [Name in keyof Fields]: ReturnType<typeof Type.Optional<ReturnType<typeof Type.String>>>;
    }),
    _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  });
}

/** A form with nothing but its CSRF token (a button that does one thing). */
export const CsrfBody = formBody({});

/**
 * The stable code of an upload problem: a code the caller knows (`known`, e.g. the multipart
 * plugin's FST_REQ_FILE_TOO_LARGE), or 'cut_off' for a body that ended before the form did.
 */
export function uploadProblem(error: unknown, known: Readonly<Record<string, unknown>>): string {
  const code = (error as { code?: string }).code ?? '';
  if (code in known) return code;
  const message = error instanceof Error ? error.message : '';
  if (
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    /unexpected end|premature|aborted/i.test(message)
  )
    return 'cut_off';
  return '';
}

/**
 * The file of a multipart upload form (undefined when none was sent), like `request.file()`, but
 * its stream ends only once the rest of the form has been read within the multipart limits (files
 * and fields, MULTIPART_MAX_FILES and MULTIPART_MAX_FIELDS). `request.file()` alone hands over the
 * first file and leaves the limit's error unread, so a second file or an eleventh field after it
 * was dropped without a word; here the stream fails with that error (FST_FILES_LIMIT,
 * FST_FIELDS_LIMIT, FST_PARTS_LIMIT: the errors page's 413 naming the limits), so whatever reads it
 * stores nothing. A limit passed before the file throws here at once.
 */
export async function formFile(
  request: FastifyRequest,
  options: { limits?: { fileSize?: number } } = {},
): Promise<MultipartFile | undefined> {
  if (!request.isMultipart()) return undefined;
  const parts = request.parts(options);
  let part = await parts.next();
  while (!part.done && part.value.type !== 'file') part = await parts.next();
  if (part.done || part.value.type !== 'file') return undefined;
  const file = part.value;
  const source = file.file;
  // Reading on past the file: a field is kept in `fields` as read; a limit passed throws.
  const rest = async () => {
    for (let next = await parts.next(); !next.done; next = await parts.next())
      if (next.value.type === 'file') next.value.file.resume();
  };
  const checked = new Transform({
    transform: (chunk, _encoding, callback) => callback(null, chunk),
    flush: (callback) => void rest().then(() => callback(), callback),
  });
  // What the multipart plugin marks on its stream (a file cut at its size limit) reads the same here.
  Object.defineProperty(checked, 'truncated', { get: () => source.truncated });
  // Either stream's error ends both; the reader sees it on `checked` (the callback only keeps it from being thrown).
  pipeline(source, checked, () => undefined);
  return { ...file, file: checked as unknown as MultipartFile['file'] };
}

/**
 * A CSRF check that lets the handler answer a stale or forged form itself (the form shown again with
 * what was typed, and why it was not taken) instead of the error page, which would lose the text.
 * The handler must ask `isStale(request)` first and act on nothing when it is.
 */
export function staleFormCheck(app: FastifyInstance) {
  const stale = new WeakSet<FastifyRequest>();
  const preHandler = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    // csrfProtection answers a bad token through reply.send: here that marks the request instead.
    const marking = Object.create(reply, {
      send: {
        value: () => {
          stale.add(request);
          done();
          return reply;
        },
      },
    }) as FastifyReply;
    (app.csrfProtection as unknown as (r: FastifyRequest, s: FastifyReply, next: () => void) => void).call(
      app,
      request,
      marking,
      () => done(),
    );
  };
  return { preHandler, isStale: (request: FastifyRequest) => stale.has(request) };
}
