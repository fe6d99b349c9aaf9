import type { MediaFile } from '../domain/media/media-file.ts';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { burnInFont, burnedInRendition } from '../domain/media/renditions.ts';
import { writeASS } from '../domain/subtitles/ass.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { MediaTool } from '../providers/media/media.ts';
import type { FileStorage } from '../providers/storage/storage.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { Job } from '../domain/jobs/job.ts';

export const BURN_IN = 'burn-in';

interface BurnInPayload {
  storyId: number;
  language: string;
  revision: number;
}

/** MP4s of a story with one language's subtitles drawn into the picture, for messaging apps: made by a background job. */
export function burnInService(deps: { repositories: Repositories; storage: FileStorage; media: MediaTool }) {
  const { repositories, storage, media } = deps;
  const { jobs, media: files, subtitles } = repositories;

  /** Queues the export of the track's current revision; null when there is no track or no video to draw on. */
  async function request(storyId: number, language: string): Promise<Job | 'no_track' | 'no_video'> {
    const track = await subtitles.find(storyId, language);
    if (!track || track.cues.length === 0) return 'no_track';
    if (!(await files.listForStory(storyId)).some((file) => file.role === 'source')) return 'no_video';
    const payload: BurnInPayload = { storyId, language, revision: track.revision };
    return jobs.enqueue(BURN_IN, payload, { storyId });
  }

  const burnIn: JobHandler = async (job, context) => {
    const { storyId, language, revision } = job.payload as BurnInPayload;
    const source = (await files.listForStory(storyId)).find((file) => file.role === 'source');
    const track = await subtitles.find(storyId, language);
    const cues = track && (await subtitles.revisionCues(track.id, revision));
    if (!source || !cues) throw new Error('the video or the subtitle revision is gone');
    const input = storage.path(source.storageKey);
    const probe = await media.probe(input);
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'storyhub-burn-'));
    const key = `stories/${storyId}/exports/${job.id}-${job.attempts}-${language}.mp4`;
    try {
      const rendition = burnedInRendition(probe, path.join(scratch, 'subtitles.ass'));
      // About a twelfth of the picture's height: readable on a phone held upright.
      const fontSize = Math.round(Math.min(rendition.width!, rendition.height!) / 12);
      await writeFile(
        path.join(scratch, 'subtitles.ass'),
        writeASS(cues, {
          fontName: burnInFont(language),
          fontSize,
          playResX: rendition.width!,
          playResY: rendition.height!,
        }),
      );
      await media.transcode(
        input,
        await storage.pathForWriting(key),
        rendition,
        (percent) => context.progress(percent),
        { durationSeconds: probe.duration, signal: context.signal },
      );
    } catch (error) {
      await storage.remove(key);
      throw error;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    const previous = await files.removeForStory(storyId, 'export', language);
    const { width, height } = burnedInRendition(probe, '/x.ass');
    await files.add({
      storyId,
      role: 'export',
      label: language,
      storageKey: key,
      mime: 'video/mp4',
      width,
      height,
      durationSeconds: probe.duration,
      bytes: (await stat(storage.path(key))).size,
    });
    await Promise.all(previous.map((file) => storage.remove(file.storageKey)));
  };

  return {
    request,
    handlers: { [BURN_IN]: burnIn } as Record<string, JobHandler>,
    /** The finished exports of a story, one per language at most. */
    exports: async (storyId: number) => (await files.listForStory(storyId)).filter((file) => file.role === 'export'),
    /** The bytes of a finished export, to download. */
    open: (file: MediaFile) => storage.open(file.storageKey),
  };
}
export type BurnInService = ReturnType<typeof burnInService>;
