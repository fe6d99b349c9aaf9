import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../../errors.ts';
import type { StoryRecord } from '../../../store/repositories/stories.ts';
import { videoPage, type VideoPageData } from '../../views/pages/video.ts';
import { authorize, sendPage } from './index.ts';

// Upload problems shown on the page itself, with the message key that explains each.
const UPLOAD_PROBLEMS: Record<string, string> = {
  not_a_video: 'video-error-not-a-video',
  too_large: 'video-error-too-large',
  FST_REQ_FILE_TOO_LARGE: 'video-error-too-large',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'video-error-no-file',
  no_file: 'video-error-no-file',
};

/** The editor's video page: upload, processing progress (the page refreshes itself while busy), retry. */
export async function videoRoutes(app: FastifyInstance) {
  const { video, repositories } = app.services;

  async function findStory(request: FastifyRequest) {
    authorize(request, 'story.edit');
    const story = await repositories.stories.findBySlug((request.params as { slug: string }).slug);
    if (!story) throw notFound('story');
    return story;
  }

  async function render(request: FastifyRequest, reply: FastifyReply, story: StoryRecord, extra: Partial<VideoPageData> = {}, status = 200) {
    const [jobs, files] = await Promise.all([video.jobs(story.id), video.files(story.id)]);
    const context = request.pageContext(reply, request.language, { forms: true });
    const { page, refresh } = videoPage(context, { story, jobs, files, maxUploadBytes: app.config.maxUploadBytes, ...extra });
    if (refresh) reply.header('refresh', '3');
    reply.header('cache-control', 'private, no-store');
    return sendPage(reply, page, status);
  }

  app.get('/edit/stories/:slug/video', async (request, reply) => {
    const story = await findStory(request);
    return render(request, reply, story, { uploaded: (request.query as { uploaded?: string }).uploaded === '1' });
  });

  app.post('/edit/stories/:slug/video', { preHandler: app.csrfProtection }, async (request, reply) => {
    const story = await findStory(request);
    try {
      const file = request.isMultipart() ? await request.file() : undefined;
      if (!file) throw new AppError(400, 'no_file', 'No file was sent');
      await video.upload(story.id, file.file, file.filename);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      const problem = UPLOAD_PROBLEMS[code];
      if (!problem) throw error;
      request.log.info({ code, story: story.slug }, 'video upload refused');
      return render(request, reply, story, { error: problem }, code === 'not_a_video' || code === 'no_file' || code.startsWith('FST_INVALID') ? 400 : 413);
    }
    return reply.redirect(`/${request.language.code}/edit/stories/${story.slug}/video?uploaded=1`, 303);
  });

  app.post('/edit/stories/:slug/video/jobs/:id/retry', { preHandler: app.csrfProtection }, async (request, reply) => {
    const story = await findStory(request);
    const id = Number((request.params as { id: string }).id);
    const job = (await video.jobs(story.id)).find((candidate) => candidate.id === id);
    if (!job) throw notFound('job');
    await video.retry(job.id);
    return reply.redirect(`/${request.language.code}/edit/stories/${story.slug}/video`, 303);
  });
}
