import { stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { encodePeaks, peaksBuilder, PEAKS_SAMPLE_RATE } from '../../domain/media/peaks.ts';
import { posterSize, type Rendition } from '../../domain/media/renditions.ts';
import { parseFrameRate, parseShotChanges, SCENE_THRESHOLD } from '../../domain/media/shots.ts';
import { mediaToolFailed, notAVideo } from '../../errors.ts';
import type { MediaTool, Probe, TranscodeOptions } from './media.ts';
import { reasonFrom, runTool } from './run.ts';

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: Array<{ rotation?: number }>;
}
interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

export interface FfmpegOptions {
  ffmpeg?: string;
  ffprobe?: string;
  probeTimeoutMs?: number;
}

// Containers that hold still images or text, which ffprobe reports as a one-frame "video".
const STILL_FORMATS = /(^|,)(image2|tty|[a-z0-9]+_pipe|gif|apng|webp)(,|$)/;

/** ffmpeg and ffprobe from the system, run as child processes. */
export function ffmpegMediaTool(options: FfmpegOptions = {}): MediaTool {
  const ffmpeg = options.ffmpeg ?? 'ffmpeg';
  const ffprobe = options.ffprobe ?? 'ffprobe';
  // `file:` keeps a name from being read as an option ('-x.mp4') or a protocol ('concat:…').
  const input = (file: string) => `file:${path.resolve(file)}`;

  async function probe(file: string): Promise<Probe> {
    const absolute = path.resolve(file);
    const result = await runTool(
      ffprobe,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input(file)],
      { timeoutMs: options.probeTimeoutMs ?? 30_000 },
    );
    if (result.code !== 0) throw notAVideo(reasonFrom(result.stderr, [absolute]));
    let output: FfprobeOutput;
    try {
      output = JSON.parse(result.stdout) as FfprobeOutput;
    } catch {
      throw notAVideo('ffprobe gave no readable answer');
    }
    const streams = output.streams ?? [];
    // Cover art of a music file is a "video" stream too; it is not a video.
    const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
    const audio = streams.find((s) => s.codec_type === 'audio');
    if (!video || !video.width || !video.height) throw notAVideo();
    if (STILL_FORMATS.test(output.format?.format_name ?? '')) throw notAVideo('a still image or text, not a video');
    const duration = Number(output.format?.duration ?? video.duration);
    if (!Number.isFinite(duration) || duration <= 0) throw notAVideo('the video has no duration');
    // Phones store portrait video as landscape plus a rotation; players (and ffmpeg) apply it.
    const rotation =
      video.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation ?? Number(video.tags?.rotate ?? 0);
    const turned = Math.abs(rotation) % 180 === 90;
    return {
      duration,
      width: turned ? video.height : video.width,
      height: turned ? video.width : video.height,
      videoCodec: video.codec_name ?? 'unknown',
      audioCodec: audio?.codec_name ?? null,
      hasVideo: true,
      hasAudio: audio !== undefined,
      frameRate: parseFrameRate(video.avg_frame_rate) ?? parseFrameRate(video.r_frame_rate),
    };
  }

  async function ensureWritten(out: string, files: string[], stderr: string): Promise<void> {
    const written = await stat(out).then(
      (s) => s.size > 0,
      () => false,
    );
    if (!written) {
      await unlink(out).catch(() => {});
      throw mediaToolFailed('ffmpeg', stderr ? reasonFrom(stderr, files) : 'no output was written');
    }
  }

  /** One image from `file` to `out` (input and filter options, then encoder options), without metadata. */
  async function writeImage(
    file: string,
    out: string,
    inputArgs: string[],
    outputArgs: string[],
    run: { signal?: AbortSignal | undefined; timeoutMs: number },
  ): Promise<void> {
    const files = [path.resolve(file), path.resolve(out)];
    const result = await runTool(
      ffmpeg,
      ['-nostdin', '-v', 'error', '-y', ...inputArgs, '-map_metadata', '-1', ...outputArgs, input(out)],
      run,
    );
    if (result.code !== 0) {
      await unlink(out).catch(() => {});
      throw mediaToolFailed('ffmpeg', reasonFrom(result.stderr, files));
    }
    await ensureWritten(out, files, result.stderr);
  }

  return {
    probe,

    async poster(file, out, atSeconds, posterOptions = {}) {
      const source = await probe(file);
      // Past the last frame ffmpeg writes nothing: stay half a second before the end.
      const at = Math.max(0, Math.min(atSeconds, source.duration - 0.5));
      const size = posterSize(source);
      await writeImage(
        file,
        out,
        ['-ss', at.toFixed(3), '-i', input(file), '-map', '0:v:0', '-frames:v', '1', '-vf', size.filter],
        ['-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', '-update', '1'],
        { signal: posterOptions.signal, timeoutMs: 120_000 },
      );
      return { width: size.width, height: size.height };
    },

    async thumbnail(file, out, size, thumbnailOptions = {}) {
      await writeImage(
        file,
        out,
        ['-i', input(file), '-frames:v', '1', '-vf', `scale=${size.width}:${size.height}`],
        ['-c:v', 'libwebp', '-quality', '70', '-compression_level', '6', '-f', 'webp'],
        { signal: thumbnailOptions.signal, timeoutMs: 60_000 },
      );
    },

    async transcode(
      file: string,
      out: string,
      rendition: Rendition,
      onProgress: (percent: number) => void | Promise<void>,
      transcodeOptions: TranscodeOptions = {},
    ) {
      const duration = transcodeOptions.durationSeconds ?? (await probe(file)).duration;
      const files = [path.resolve(file), path.resolve(out)];
      let reported = -1;
      const report = (percent: number) => {
        if (percent <= reported) return;
        reported = percent;
        Promise.resolve(onProgress(percent)).catch(() => {});
      };
      const onLine = (line: string) => {
        // out_time_us and (despite its name) out_time_ms are both in microseconds; "N/A" at the start.
        const match = /^out_time_(?:us|ms)=(\d+)$/.exec(line);
        if (match && duration > 0) report(Math.min(99, Math.floor((Number(match[1]) / 1e6 / duration) * 100)));
      };
      let result;
      try {
        result = await runTool(
          ffmpeg,
          [
            '-nostdin',
            '-v',
            'error',
            '-y',
            '-i',
            input(file),
            ...rendition.args,
            '-progress',
            'pipe:1',
            '-nostats',
            input(out),
          ],
          {
            onLine,
            signal: transcodeOptions.signal,
            timeoutMs: transcodeOptions.timeoutMs ?? 30 * 60_000 + duration * 10_000,
          },
        );
      } catch (error) {
        await unlink(out).catch(() => {});
        throw error;
      }
      if (result.code !== 0) {
        await unlink(out).catch(() => {});
        throw mediaToolFailed('ffmpeg', reasonFrom(result.stderr, files));
      }
      await ensureWritten(out, files, result.stderr);
      reported = 100;
      await onProgress(100);
    },

    async peaks(file, peaksOptions = {}) {
      const builder = peaksBuilder();
      const result = await runTool(
        ffmpeg,
        [
          '-nostdin',
          '-v',
          'error',
          '-i',
          input(file),
          '-map',
          '0:a:0',
          '-vn',
          '-ac',
          '1',
          '-ar',
          String(PEAKS_SAMPLE_RATE),
          '-f',
          's16le',
          '-c:a',
          'pcm_s16le',
          'pipe:1',
        ],
        { onBytes: (chunk) => builder.push(chunk), signal: peaksOptions.signal, timeoutMs: 30 * 60_000 },
      );
      if (result.code !== 0) throw mediaToolFailed('ffmpeg', reasonFrom(result.stderr, [path.resolve(file)]));
      return encodePeaks(builder.finish());
    },

    async shotChanges(file, frameRate, shotOptions = {}) {
      // A small picture scores cuts as well as the full one, several times faster.
      const filter = `scale=160:-2,select='gt(scene,${SCENE_THRESHOLD})',metadata=mode=print:file=-`;
      const result = await runTool(
        ffmpeg,
        ['-nostdin', '-v', 'error', '-i', input(file), '-map', '0:v:0', '-an', '-vf', filter, '-f', 'null', '-'],
        { signal: shotOptions.signal, timeoutMs: 30 * 60_000 },
      );
      if (result.code !== 0) throw mediaToolFailed('ffmpeg', reasonFrom(result.stderr, [path.resolve(file)]));
      return parseShotChanges(result.stdout, frameRate);
    },
  };
}
