import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CsrfBody, formFile, uploadProblem } from '../../forms.ts';
import { AppError, notFound } from '../../../errors.ts';
import type { StoryRecord } from '../../../domain/stories/story.ts';
import { videoPage, type VideoPageData } from '../../views/pages/video.ts';
import type { SubtitleSectionData } from '../../views/components/subtitle-tracks.ts';
import { MAX_SUBTITLE_BYTES } from '../../../services/subtitles.ts';
import { islandScriptUrl } from '../../assets.ts';
import { VIDEO_UPLOADS_PATH } from '../uploads.ts';

// Upload problems shown on the page itself, with the message key that explains each.
const UPLOAD_PROBLEMS: Record<string, string> = {
  not_a_video: 'video-error-not-a-video',
  too_large: 'video-error-too-large',
  FST_REQ_FILE_TOO_LARGE: 'video-error-too-large',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'video-error-no-file',
  no_file: 'video-error-no-file',
  cut_off: 'video-error-cut-off',
};

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
const VideoQuery = Type.Object({
  uploaded: Type.Optional(Type.String({ maxLength: 1 })),
  subtitles: Type.Optional(Type.String({ maxLength: 20 })),
  burnIn: Type.Optional(Type.String({ maxLength: 20 })),
  track: Type.Optional(Type.String({ maxLength: 20 })),
});

/** The editor's video page: upload, processing progress (the page reloads itself while busy), retry. */
export const videoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { video, subtitles } = app.services;

  async function findStory(request: FastifyRequest, slug: string) {
    request.authorize('story.edit');
    return app.findStory(slug);
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    story: StoryRecord,
    extra: Partial<Omit<VideoPageData, 'subtitles'>> & { subtitles?: Partial<SubtitleSectionData> } = {},
    status = 200,
  ) {
    const [jobs, files, tracks] = await Promise.all([
      video.jobs(story.id),
      video.files(story.id),
      subtitles.progress(story.id),
    ]);
    const context = request.pageContext(reply, request.language, { forms: true });
    const page = videoPage(context, {
      story,
      jobs,
      files,
      maxUploadBytes: app.config.maxUploadBytes,
      resumable: { endpoint: VIDEO_UPLOADS_PATH, script: islandScriptUrl('upload') },
      ...extra,
      subtitles: {
        slug: story.slug,
        tracks,
        exports: files.filter((file) => file.role === 'export'),
        ...extra.subtitles,
      },
    });
    reply.header('cache-control', 'private, no-store');
    return reply.page(page, status);
  }

  app.get(
    '/edit/stories/:slug/video',
    { schema: { params: SlugParams, querystring: VideoQuery } },
    async (request, reply) => {
      const story = await findStory(request, request.params.slug);
      const { query } = request;
      const languages = await app.enabledLanguages();
      const uploadedLanguage = languages.find((l) => l.code === query.subtitles)?.code;
      const burnInLanguage = languages.find((l) => l.code === query.track)?.code;
      const burnIn =
        burnInLanguage && (query.burnIn === 'queued' || query.burnIn === 'no_video' || query.burnIn === 'no_track')
          ? ({ outcome: query.burnIn, language: burnInLanguage } as const)
          : undefined;
      return render(request, reply, story, {
        uploaded: query.uploaded === '1',
        subtitles: { ...(uploadedLanguage ? { uploadedLanguage } : {}), ...(burnIn ? { burnIn } : {}) },
      });
    },
  );

  app.post(
    '/edit/stories/:slug/subtitles',
    { schema: { params: SlugParams }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const story = await findStory(request, request.params.slug);
      const file = await formFile(request, { limits: { fileSize: MAX_SUBTITLE_BYTES } });
      const languages = await app.enabledLanguages();
      const chosen = (file?.fields.language as { value?: unknown } | undefined)?.value;
      const language = languages.find((l) => l.code === chosen);
      const refuse = (code: string) =>
        render(
          request,
          reply,
          story,
          {
            subtitles: {
              problems: [{ line: 1, column: 1, code, severity: 'error', message: code }],
              chosenLanguage: language?.code,
            },
          },
          400,
        );
      if (!file || !language) return refuse('no_file');
      let bytes: Buffer;
      try {
        bytes = await file.toBuffer();
      } catch (error) {
        const problem = uploadProblem(error, UPLOAD_PROBLEMS);
        if (problem === 'FST_REQ_FILE_TOO_LARGE') return refuse('too_large');
        if (problem === 'cut_off') return refuse('no_file');
        throw error;
      }
      const result = await subtitles.upload(story.id, language.code, bytes, file.filename, request.user!.id);
      if (!result.ok)
        return render(
          request,
          reply,
          story,
          { subtitles: { problems: result.problems, chosenLanguage: language.code } },
          400,
        );
      return reply.redirect(
        `/${request.language.code}/edit/stories/${story.slug}/video?subtitles=${language.code}`,
        303,
      );
    },
  );

  app.post(
    '/edit/stories/:slug/video',
    { schema: { params: SlugParams }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const story = await findStory(request, request.params.slug);
      try {
        const file = await formFile(request);
        if (!file) throw new AppError(400, 'no_file', 'No file was sent');
        await video.upload(story.id, file.file, file.filename);
      } catch (error) {
        const code = uploadProblem(error, UPLOAD_PROBLEMS);
        const problem = UPLOAD_PROBLEMS[code];
        if (!problem) throw error;
        request.log.info({ code, story: story.slug }, 'video upload refused');
        return render(
          request,
          reply,
          story,
          { error: problem },
          code === 'too_large' || code === 'FST_REQ_FILE_TOO_LARGE' ? 413 : 400,
        );
      }
      return reply.redirect(`/${request.language.code}/edit/stories/${story.slug}/video?uploaded=1`, 303);
    },
  );

  app.post(
    '/edit/stories/:slug/video/jobs/:id/retry',
    {
      schema: {
        params: Type.Object({ slug: Type.String({ maxLength: 200 }), id: Type.String({ pattern: '^[0-9]{1,9}$' }) }),
        body: CsrfBody,
      },
      preHandler: app.csrfProtection,
    },
    async (request, reply) => {
      const story = await findStory(request, request.params.slug);
      const id = Number(request.params.id);
      const job = (await video.jobs(story.id)).find((candidate) => candidate.id === id);
      if (!job) throw notFound('job');
      await video.retry(job.id);
      return reply.redirect(`/${request.language.code}/edit/stories/${story.slug}/video`, 303);
    },
  );
};
