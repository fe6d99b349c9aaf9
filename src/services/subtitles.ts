import { decodeSubtitleBytes, detectFormat, parseSubtitles, writeSRT, writeWebVTT, type Cue, type SubtitleProblem } from '../domain/subtitles/index.ts';
import { pickLanguage } from '../domain/languages/localize.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { SubtitleTrack } from '../store/repositories/subtitles.ts';

export const MAX_SUBTITLE_BYTES = 5 * 1024 * 1024;

export type SubtitleUploadResult = { ok: true; track: SubtitleTrack } | { ok: false; problems: SubtitleProblem[] };

/** Subtitle tracks: checked uploads (a file with errors is refused whole), publication, and the files viewers get. */
export function subtitlesService(repositories: Repositories) {
  const { subtitles } = repositories;

  async function published(storyId: number, language: string): Promise<SubtitleTrack | null> {
    const track = await subtitles.find(storyId, language);
    return track && track.status === 'published' ? track : null;
  }

  return {
    /** Reads WebVTT or SRT bytes; stores them as a new revision only when the file has no errors. */
    async upload(storyId: number, language: string, bytes: Uint8Array, fileName: string, userId: number): Promise<SubtitleUploadResult> {
      const decoded = decodeSubtitleBytes(bytes);
      if ('problem' in decoded) return { ok: false, problems: [decoded.problem] };
      const result = parseSubtitles(decoded.text, detectFormat(decoded.text, fileName));
      const errors = result.problems.filter((problem) => problem.severity === 'error');
      if (errors.length) return { ok: false, problems: result.problems };
      if (result.cues.length === 0) {
        return { ok: false, problems: [{ line: 1, column: 1, code: 'empty_cue', severity: 'error', message: 'The file has no cues' } as SubtitleProblem] };
      }
      const track = await subtitles.save(storyId, language, result.cues, userId, `uploaded ${fileName.slice(0, 100)}`);
      return { ok: true, track };
    },
    tracks: (storyId: number) => subtitles.listForStory(storyId),
    setStatus: (storyId: number, language: string, status: 'draft' | 'published') => subtitles.setStatus(storyId, language, status),
    publishedLanguages: (storyId: number) => subtitles.publishedLanguages(storyId),
    published,
    /** The file a viewer or a tool downloads, or null when the track is not published. */
    async file(storyId: number, language: string, format: 'vtt' | 'srt'): Promise<{ body: string; revision: number; id: number } | null> {
      const track = await published(storyId, language);
      if (!track) return null;
      return { body: format === 'srt' ? writeSRT(track.cues) : writeWebVTT(track.cues), revision: track.revision, id: track.id };
    },
    /** The cues to read as a transcript: the reader's language, its fallbacks, then the story's source language. */
    async transcript(storyId: number, chain: readonly string[], sourceLanguage: string, publishedLanguages?: string[]): Promise<{ language: string; cues: Cue[] } | null> {
      const languages = publishedLanguages ?? await subtitles.publishedLanguages(storyId);
      const language = pickLanguage(chain, languages, sourceLanguage);
      if (!language || !languages.includes(language)) return null;
      const track = await subtitles.find(storyId, language);
      return track ? { language, cues: track.cues } : null;
    },
  };
}
export type SubtitlesService = ReturnType<typeof subtitlesService>;
