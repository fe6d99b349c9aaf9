import type { Rendition } from '../../domain/media/renditions.ts';
import type { ShotChange } from '../../domain/media/shots.ts';

/** What ffprobe tells of a video: sizes as displayed (rotation applied), duration in seconds. */
export interface Probe {
  duration: number;
  width: number;
  height: number;
  videoCodec: string;
  audioCodec: string | null;
  hasVideo: true;
  hasAudio: boolean;
  /** Frames a second; absent in the probes of jobs queued before it was read, null when ffprobe gives none. */
  frameRate?: number | null;
}

export interface TranscodeOptions {
  /** The source's duration, to turn ffmpeg's position into a percentage; probed when absent. */
  durationSeconds?: number;
  /** Kills ffmpeg (and removes the partial output) when aborted. */
  signal?: AbortSignal;
  /** Kills ffmpeg after this long. Default: 30 minutes plus 10 times the duration. */
  timeoutMs?: number;
}

/**
 * Reads and converts media files. Non-video input (text, images, empty or truncated files) is
 * refused with not_a_video; a tool that fails or is missing gives media_tool_failed.
 */
export interface MediaTool {
  probe(file: string): Promise<Probe>;
  /** A JPEG of the frame at `atSeconds` (clamped into the video), at most 720 pixels on its short side. */
  poster(
    file: string,
    out: string,
    atSeconds: number,
    options?: { signal?: AbortSignal },
  ): Promise<{ width: number; height: number }>;
  /** A WebP of the image `file` (a poster) scaled to `size`, for story cards. */
  thumbnail(
    file: string,
    out: string,
    size: { width: number; height: number },
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  /** Writes the rendition to `out`; `onProgress` gets rising whole percents and 100 at the end. */
  transcode(
    file: string,
    out: string,
    rendition: Rendition,
    onProgress: (percent: number) => void | Promise<void>,
    options?: TranscodeOptions,
  ): Promise<void>;
  /** The sound's peaks (see domain/media/peaks.ts), as the bytes of the file to store. */
  peaks(file: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** The cuts between shots, by ffmpeg's scene score, numbered in frames at `frameRate`. */
  shotChanges(file: string, frameRate: number, options?: { signal?: AbortSignal }): Promise<ShotChange[]>;
}
