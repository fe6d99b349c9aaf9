import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../errors.ts';

const FILE = /^([a-z]{2,3}(?:-[a-z0-9]{2,8})*)\.(vtt|srt)$/;

/** Published subtitle tracks as files: WebVTT for players, SRT and WebVTT for download; shared through the page cache like pages. */
export const subtitleFileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { subtitles, catalog } = app.services;

  app.get(
    '/subtitles/:slug/:file',
    {
      config: { pageCache: true },
      schema: { params: Type.Object({ slug: Type.String({ maxLength: 200 }), file: Type.String({ maxLength: 40 }) }) },
    },
    async (request, reply) => {
      const { slug, file } = request.params;
      const match = FILE.exec(file);
      if (!match) throw notFound('subtitle file');
      const [, language, format] = match as unknown as [string, string, 'vtt' | 'srt'];
      const storyId = await catalog.publishedStoryId(slug);
      if (storyId === undefined) throw notFound('subtitle file');
      const track = await subtitles.file(storyId, language, format);
      if (!track) throw notFound('subtitle file');
      const etag = `"${track.id}-${track.revision}-${format}"`;
      reply.showsStory(storyId).header('etag', etag).header('cache-control', 'public, max-age=300');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      if (format === 'srt') {
        reply
          .type('application/x-subrip; charset=utf-8')
          .header('content-disposition', `attachment; filename="${slug}.${language}.srt"`);
      } else {
        reply.type('text/vtt; charset=utf-8');
      }
      return reply.send(track.body);
    },
  );
};
