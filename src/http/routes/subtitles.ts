import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.ts';

/** Published subtitle tracks as files: WebVTT for players, SRT and WebVTT for download; shared through the page cache like pages. */
export async function subtitleFileRoutes(app: FastifyInstance) {
  const { subtitles, repositories } = app.services;

  app.get('/subtitles/:slug/:file', { config: { pageCache: true } }, async (request, reply) => {
    const { slug, file } = request.params as { slug: string; file: string };
    const match = /^([a-z]{2,3}(?:-[a-z0-9]{2,8})*)\.(vtt|srt)$/.exec(file);
    if (!match) throw notFound('subtitle file');
    const [, language, format] = match as unknown as [string, string, 'vtt' | 'srt'];
    const story = await repositories.stories.findBySlug(slug);
    if (!story || story.status !== 'published') throw notFound('subtitle file');
    const track = await subtitles.file(story.id, language, format);
    if (!track) throw notFound('subtitle file');
    const etag = `"${track.id}-${track.revision}-${format}"`;
    reply.showsStory(story.id).header('etag', etag).header('cache-control', 'public, max-age=300');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    if (format === 'srt') {
      reply.type('application/x-subrip; charset=utf-8').header('content-disposition', `attachment; filename="${slug}.${language}.srt"`);
    } else {
      reply.type('text/vtt; charset=utf-8');
    }
    return reply.send(track.body);
  });
}
