import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { posterSecond, renditionsFor, thumbnailSizes } from '../domain/media/renditions.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { MediaTool, Probe } from '../providers/media/media.ts';
import type { FileStorage } from '../providers/storage/storage.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { Job } from '../domain/jobs/job.ts';
import {
  HONOREE_PHOTO_LABEL,
  PEAKS_LABEL,
  THUMBNAILS_FAILED_LABEL,
  TIMELINE_LABEL,
  type MediaFile,
} from '../domain/media/media-file.ts';
import { FALLBACK_FRAME_RATE, type VideoTimeline } from '../domain/media/shots.ts';

export const PROCESS_VIDEO = 'process-video';
/** Makes only the timeline files (peaks, shot changes) of a story's stored video: for videos processed before they existed. */
export const VIDEO_TIMELINE = 'video-timeline';
/** Makes only the thumbnails of a story's stored poster: for videos processed before they existed. */
export const VIDEO_THUMBNAILS = 'video-thumbnails';

/** A file a job made, before it is recorded. */
interface MadeFile {
  key: string;
  role: MediaFile['role'];
  label: string;
  mime: string;
  width: number | null;
  height: number | null;
}

/** What the editor's timeline gets: the stored timeline and the address of the peaks file. */
export interface EditorTimeline extends VideoTimeline {
  peaksUrl: string | null;
}

const TIMELINE_MAX_BYTES = 16 * 1024 * 1024;

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
    const made: MadeFile[] = [];
    const folder = `stories/${storyId}/${job.id}-${job.attempts}`;
    try {
      made.push(...(await makePoster(source, probe, folder, context.signal)));
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
      made.push(...(await makeTimeline(source, probe, folder, context.signal)));
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
        durationSeconds: file.role === 'rendition' || file.role === 'audio' ? probe.duration : null,
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

  /**
   * The poster and its thumbnails in `folder`. A poster or thumbnail that fails to make is recorded
   * (a THUMBNAILS_FAILED_LABEL note with the reason) and the job goes on: cards show a plain tile.
   */
  async function makePoster(source: string, probe: Probe, folder: string, signal: AbortSignal): Promise<MadeFile[]> {
    const posterKey = `${folder}/poster.jpg`;
    try {
      const poster = await media.poster(source, await storage.pathForWriting(posterKey), posterSecond(probe.duration), {
        signal,
      });
      const made: MadeFile[] = [{ key: posterKey, role: 'poster', label: '', mime: 'image/jpeg', ...poster }];
      return [...made, ...(await makeThumbnails(storage.path(posterKey), poster, folder, signal))];
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      await storage.remove(posterKey);
      return [await thumbnailsFailed(folder, error)];
    }
  }

  /** The WebP thumbnails of a poster image in `folder`; a failure is recorded, never thrown. */
  async function makeThumbnails(
    poster: string,
    size: { width: number; height: number },
    folder: string,
    signal: AbortSignal,
  ): Promise<MadeFile[]> {
    const made: MadeFile[] = [];
    try {
      for (const thumbnail of thumbnailSizes(size)) {
        const key = `${folder}/thumbnail-${thumbnail.width}.webp`;
        await media.thumbnail(poster, await storage.pathForWriting(key), thumbnail, { signal });
        made.push({ key, role: 'thumbnail', label: String(thumbnail.width), mime: 'image/webp', ...thumbnail });
      }
      return made;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      await Promise.all(made.map((file) => storage.remove(file.key)));
      return [await thumbnailsFailed(folder, error)];
    }
  }

  async function thumbnailsFailed(folder: string, error: unknown): Promise<MadeFile> {
    const key = `${folder}/thumbnails-failed.json`;
    const reason = error instanceof Error ? error.message : String(error);
    await storage.put(key, Readable.from([Buffer.from(JSON.stringify({ reason }))]), { maxBytes: TIMELINE_MAX_BYTES });
    return {
      key,
      role: 'thumbnail',
      label: THUMBNAILS_FAILED_LABEL,
      mime: 'application/json',
      width: null,
      height: null,
    };
  }

  /**
   * The peaks file and the timeline (frame rate, shot changes) in `folder`. A video without sound
   * gets no peaks; a detection that fails is recorded as failed and the job goes on.
   */
  async function makeTimeline(source: string, probe: Probe, folder: string, signal: AbortSignal): Promise<MadeFile[]> {
    const frameRate = probe.frameRate ?? FALLBACK_FRAME_RATE;
    const [peaks, shots] = await Promise.allSettled([
      probe.hasAudio ? media.peaks(source, { signal }) : Promise.resolve(null),
      media.shotChanges(source, frameRate, { signal }),
    ]);
    if (signal.aborted) throw signal.reason;
    const made: MadeFile[] = [];
    const write = async (key: string, bytes: Uint8Array, label: string, mime: string) => {
      await storage.put(key, Readable.from([Buffer.from(bytes)]), { maxBytes: TIMELINE_MAX_BYTES });
      made.push({ key, role: 'timeline', label, mime, width: null, height: null });
    };
    if (peaks.status === 'fulfilled' && peaks.value)
      await write(`${folder}/peaks.bin`, peaks.value, PEAKS_LABEL, 'application/octet-stream');
    const timeline: VideoTimeline = {
      frameRate,
      shotDetection: shots.status === 'fulfilled' ? 'done' : 'failed',
      shotChanges: shots.status === 'fulfilled' ? shots.value : [],
      waveform: !probe.hasAudio ? 'no-audio' : peaks.status === 'fulfilled' ? 'done' : 'failed',
    };
    await write(`${folder}/timeline.json`, Buffer.from(JSON.stringify(timeline)), TIMELINE_LABEL, 'application/json');
    return made;
  }

  /**
   * A job that remakes the files of one role from a story's stored media (`make` gets them and the
   * job's folder), then swaps them in for the old ones of that role.
   */
  const remakeRole =
    (
      role: MediaFile['role'],
      make: (stored: MediaFile[], folder: string, signal: AbortSignal) => Promise<MadeFile[] | null>,
    ): JobHandler =>
    async (job, context) => {
      const { storyId } = job.payload as { storyId: number };
      const made = await make(
        await files.listForStory(storyId),
        `stories/${storyId}/${job.id}-${job.attempts}`,
        context.signal,
      );
      if (!made) return;
      const previous = await files.removeForStory(storyId, role);
      for (const file of made)
        await files.add({
          storyId,
          role,
          label: file.label,
          storageKey: file.key,
          mime: file.mime,
          width: file.width,
          height: file.height,
          bytes: (await stat(storage.path(file.key))).size,
        });
      await Promise.all(previous.map((file) => storage.remove(file.storageKey)));
    };

  /** Remakes the timeline files of a story's stored video. */
  const remakeTimeline = remakeRole('timeline', async (stored, folder, signal) => {
    const source = stored.find((file) => file.role === 'source');
    if (!source) return null;
    const path = storage.path(source.storageKey);
    return makeTimeline(path, await media.probe(path), folder, signal);
  });

  /** Makes the thumbnails of a story's stored video poster (not an honoree's photo). */
  const remakeThumbnails = remakeRole('thumbnail', async (stored, folder, signal) => {
    const poster = stored.find((file) => file.role === 'poster' && file.label === '');
    if (!stored.some((file) => file.role === 'source')) return null;
    if (!poster?.width || !poster.height) return [await thumbnailsFailed(folder, new Error('the video has no poster'))];
    return makeThumbnails(
      storage.path(poster.storageKey),
      { width: poster.width, height: poster.height },
      folder,
      signal,
    );
  });

  /** The timeline of a story's video for the editor; null when it has none (yet) or it cannot be read. */
  async function timeline(storyId: number, list?: MediaFile[]): Promise<EditorTimeline | null> {
    const stored = list ?? (await files.listForStory(storyId));
    const file = stored.find((f) => f.role === 'timeline' && f.label === TIMELINE_LABEL);
    if (!file) return null;
    const peaks = stored.find((f) => f.role === 'timeline' && f.label === PEAKS_LABEL);
    try {
      const read = JSON.parse(await text(storage.open(file.storageKey))) as VideoTimeline;
      return { ...read, peaksUrl: peaks ? `/media/${peaks.storageKey}` : null };
    } catch {
      return null;
    }
  }

  return {
    upload,
    timeline,
    /** Queues the remaking of a story's timeline files. */
    remakeTimeline: (storyId: number) => jobs.enqueue(VIDEO_TIMELINE, { storyId }, { storyId }),
    handlers: {
      [PROCESS_VIDEO]: processVideo,
      [VIDEO_TIMELINE]: remakeTimeline,
      [VIDEO_THUMBNAILS]: remakeThumbnails,
    } as Record<string, JobHandler>,
    files: (storyId: number) => files.listForStory(storyId),
    jobs: (storyId: number) => jobs.listForStory(storyId),
    retry: (jobId: number) => jobs.retry(jobId),
  };
}
export type VideoService = ReturnType<typeof videoService>;
