import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { posterSecond, renditionsFor } from '../domain/media/renditions.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { MediaTool, Probe } from '../providers/media/media.ts';
import type { FileStorage } from '../providers/storage/storage.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { Job } from '../domain/jobs/job.ts';
import { HONOREE_PHOTO_LABEL, type MediaFile } from '../domain/media/media-file.ts';

export const PROCESS_VIDEO = 'process-video';

interface ProcessVideoPayload {
  storyId: number;
  sourceKey: string;
  probe: Probe;
}

const extensionOf = (fileName: string) => {
  const match = /\.([a-z0-9]{1,5})$/i.exec(fileName);
  return match ? `.${match[1]!.toLowerCase()}` : '';
};

/** Uploading a story's video, checking it with ffprobe, and making its poster and renditions in the background. */
export function videoService(deps: {
  repositories: Repositories;
  storage: FileStorage;
  media: MediaTool;
  maxUploadBytes: number;
}) {
  const { repositories, storage, media } = deps;
  const { jobs, media: files } = repositories;

  /** Stores the upload whole or not at all; refuses what ffprobe does not see as a video. */
  async function upload(storyId: number, stream: Readable, fileName: string): Promise<Job> {
    const sourceKey = `stories/${storyId}/source-${randomBytes(6).toString('hex')}${extensionOf(fileName)}`;
    await storage.put(sourceKey, stream, { maxBytes: deps.maxUploadBytes });
    let probe: Probe;
    try {
      probe = await media.probe(storage.path(sourceKey));
    } catch (error) {
      await storage.remove(sourceKey);
      throw error;
    }
    const payload: ProcessVideoPayload = { storyId, sourceKey, probe };
    return jobs.enqueue(PROCESS_VIDEO, payload, { storyId });
  }

  /** Makes the poster and every rendition, then swaps them in for the story's previous media at once. */
  const processVideo: JobHandler = async (job, context) => {
    const { storyId, sourceKey, probe } = job.payload as ProcessVideoPayload;
    const source = storage.path(sourceKey);
    const renditions = renditionsFor(probe);
    const steps = renditions.length + 1;
    const made: Array<{
      key: string;
      role: MediaFile['role'];
      label: string;
      mime: string;
      width: number | null;
      height: number | null;
    }> = [];
    const folder = `stories/${storyId}/${job.id}-${job.attempts}`;
    try {
      const posterKey = `${folder}/poster.jpg`;
      const poster = await media.poster(source, await storage.pathForWriting(posterKey), posterSecond(probe.duration), {
        signal: context.signal,
      });
      made.push({ key: posterKey, role: 'poster', label: '', mime: 'image/jpeg', ...poster });
      await context.progress(100 / steps);
      for (const [index, rendition] of renditions.entries()) {
        const key = `${folder}/${rendition.label}.${rendition.extension}`;
        await media.transcode(
          source,
          await storage.pathForWriting(key),
          rendition,
          (percent) => context.progress((index + 1 + percent / 100) * (100 / steps)),
          { durationSeconds: probe.duration, signal: context.signal },
        );
        made.push({
          key,
          role: rendition.role,
          label: rendition.label,
          mime: rendition.mime,
          width: rendition.width,
          height: rendition.height,
        });
      }
    } catch (error) {
      await Promise.all(made.map((file) => storage.remove(file.key)));
      throw error;
    }
    const previous = await files.removeForStory(storyId);
    const sourceBytes = (await stat(source)).size;
    await files.add({
      storyId,
      role: 'source',
      storageKey: sourceKey,
      mime: 'application/octet-stream',
      width: probe.width,
      height: probe.height,
      durationSeconds: probe.duration,
      bytes: sourceBytes,
    });
    for (const file of made) {
      const bytes = (await stat(storage.path(file.key))).size;
      await files.add({
        storyId,
        role: file.role,
        label: file.label,
        storageKey: file.key,
        mime: file.mime,
        width: file.width,
        height: file.height,
        durationSeconds: file.role === 'poster' ? null : probe.duration,
        bytes,
      });
    }
    // The files of the video before, not a picture kept on its own (an honoree's photo, still shown with its credit).
    await Promise.all(
      previous
        .filter((file) => file.storageKey !== sourceKey && file.label !== HONOREE_PHOTO_LABEL)
        .map((file) => storage.remove(file.storageKey)),
    );
  };

  return {
    upload,
    handlers: { [PROCESS_VIDEO]: processVideo } as Record<string, JobHandler>,
    files: (storyId: number) => files.listForStory(storyId),
    jobs: (storyId: number) => jobs.listForStory(storyId),
    retry: (jobId: number) => jobs.retry(jobId),
  };
}
export type VideoService = ReturnType<typeof videoService>;
