import { createReadStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { uploadProblem } from '../forms.ts';

/** Where resumable uploads are answered; the upload's id follows. */
export const VIDEO_UPLOADS_PATH = '/uploads/video';
/** Partial uploads older than this are removed (tus's expiration extension). */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;
const CLEANUP_EVERY_MS = 60 * 60 * 1000;

/** A refusal tus sends as it is: a status and a stable code the upload script turns into a message. */
const refuse = (status_code: number, code: string) => ({ status_code, body: `${code}\n` });

/**
 * Video uploads over the tus resumable-upload protocol (v1.0.0, @tus/server): the parts are kept in
 * MEDIA_DIR/uploads with their offsets on disk, so an upload goes on after a dropped connection or a
 * restart. Only a signed-in person who may edit stories creates one (with the CSRF token in a header),
 * only its creator continues it, and a complete upload goes through the form upload's path
 * (`video.upload`: size, ffprobe, the processing job) and is then removed.
 */
export async function videoUploadRoutes(app: FastifyInstance) {
  const { video } = app.services;
  const directory = path.join(app.config.mediaDir, 'uploads');
  mkdirSync(directory, { recursive: true });
  // The Fastify request of each raw request, for the hooks tus calls with a web Request.
  const requests = new WeakMap<IncomingMessage, FastifyRequest>();
  const fastifyRequest = (req: Request) => {
    const raw = (req as Request & { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
    const request = raw && requests.get(raw);
    if (!request?.user) throw refuse(403, 'forbidden');
    return request as FastifyRequest & { user: NonNullable<FastifyRequest['user']> };
  };

  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: ABANDONED_AFTER_MS });
  const tus = new Server({
    path: VIDEO_UPLOADS_PATH,
    datastore,
    relativeLocation: true,
    maxSize: app.config.maxUploadBytes,
    allowedOrigins: [],
    async onIncomingRequest(req, uploadId) {
      const request = fastifyRequest(req);
      if (req.method === 'POST') return;
      const upload = await datastore.getUpload(uploadId).catch(() => undefined);
      // Someone else's upload is answered as if it did not exist.
      if (upload && upload.metadata?.userId !== String(request.user.id)) throw refuse(404, 'not_found');
    },
    async onUploadCreate(req, upload) {
      const request = fastifyRequest(req);
      const slug = upload.metadata?.story ?? '';
      const storyId = await app.findStoryId(slug).catch(() => undefined);
      if (storyId === undefined) throw refuse(403, 'forbidden');
      const fileName = (upload.metadata?.filename ?? '').slice(0, 200);
      return {
        metadata: { story: slug, storyId: String(storyId), userId: String(request.user.id), filename: fileName },
      };
    },
    async onUploadFinish(req, upload) {
      const request = fastifyRequest(req);
      try {
        await handOver(upload);
      } catch (error) {
        const code = uploadProblem(error, { not_a_video: 1, too_large: 1 });
        if (!code) throw error;
        request.log.info({ code, story: upload.metadata?.story }, 'video upload refused');
        throw refuse(code === 'too_large' ? 413 : 422, code);
      } finally {
        await datastore.remove(upload.id).catch(() => undefined);
      }
      return {};
    },
  });

  /** The finished file, through the same path as a form upload; tus's copy is removed by the caller. */
  async function handOver(upload: Upload) {
    const storyId = Number(upload.metadata?.storyId);
    await video.upload(storyId, createReadStream(path.join(directory, upload.id)), upload.metadata?.filename ?? '');
  }

  const cleanUp = () =>
    tus.cleanUpExpiredUploads().then(
      (count) => count > 0 && app.log.info({ count }, 'abandoned uploads removed'),
      (error: unknown) => app.log.error({ err: error }, 'abandoned uploads not removed'),
    );
  const timer = setInterval(cleanUp, CLEANUP_EVERY_MS).unref();
  app.addHook('onReady', async () => void (await cleanUp()));
  app.addHook('onClose', async () => clearInterval(timer));

  // tus reads the body itself.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  const handler = async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    if (!request.can('story.edit')) return reply.code(403).type('text/plain').send('forbidden\n');
    requests.set(request.raw, request);
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  app.post(VIDEO_UPLOADS_PATH, { preHandler: app.csrfProtection }, handler);
  app.route({ method: ['HEAD', 'PATCH', 'DELETE'], url: `${VIDEO_UPLOADS_PATH}/:id`, handler });
}
