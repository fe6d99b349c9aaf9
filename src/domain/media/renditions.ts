// Which renditions a video gets, and the ffmpeg output options of each. Pure data and functions:
// the ffmpeg provider adds the input, the progress pipe and the output file.

/** What the rendition choice needs to know of a source (a subset of the media tool's probe). */
export interface SourceVideo {
  width: number;
  height: number;
  hasAudio: boolean;
}

export interface Preset {
  container: 'webm' | 'mp4';
  /** Target size of the short side (the height of a landscape video); null for audio only. */
  size: number | null;
  /** Only made when the source's short side is larger than this. */
  onlyAbove?: number;
  mime: string;
  codecArgs: readonly string[];
}

export interface Rendition {
  /** '360p-webm', 'audio-webm': unique per story. */
  label: string;
  role: 'rendition' | 'audio' | 'export';
  container: 'webm' | 'mp4';
  mime: string;
  extension: string;
  /** Output size, even numbers; null for audio only. */
  width: number | null;
  height: number | null;
  /** ffmpeg output options: streams, filter, codecs, muxer. */
  args: readonly string[];
}

// Browsers play 8-bit 4:2:0 everywhere; 10-bit or 4:4:4 sources (phones, screen recordings) are converted.
const VP9 = [
  '-c:v',
  'libvpx-vp9',
  '-b:v',
  '0',
  '-crf',
  '36',
  '-row-mt',
  '1',
  '-deadline',
  'realtime',
  '-cpu-used',
  '8',
  '-pix_fmt',
  'yuv420p',
];
const OPUS = (bitrate: string) => ['-c:a', 'libopus', '-b:a', bitrate, '-ac', '2'];
const H264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-profile:v', 'main', '-pix_fmt', 'yuv420p'];
const AAC = ['-c:a', 'aac', '-b:a', '64k', '-ac', '2'];

export const VIDEO_PRESETS: readonly Preset[] = [
  { container: 'webm', size: 240, mime: 'video/webm', codecArgs: [...VP9, ...OPUS('48k')] },
  { container: 'webm', size: 360, mime: 'video/webm', codecArgs: [...VP9, ...OPUS('48k')] },
  { container: 'mp4', size: 360, mime: 'video/mp4', codecArgs: [...H264, ...AAC] },
  { container: 'webm', size: 720, onlyAbove: 720, mime: 'video/webm', codecArgs: [...VP9, ...OPUS('48k')] },
];
export const AUDIO_PRESET: Preset = {
  container: 'webm',
  size: null,
  mime: 'audio/webm',
  codecArgs: ['-c:a', 'libopus', '-b:a', '32k', '-ac', '2'],
};

// Served files carry no metadata of the upload (phone videos hold the place they were shot at).
const STRIP = ['-map_metadata', '-1', '-map_chapters', '-1'];
const MUXER = { webm: ['-f', 'webm'], mp4: ['-movflags', '+faststart', '-f', 'mp4'] } as const;

const evenDown = (n: number) => Math.max(2, n - (n % 2));
// ffmpeg's scale=-2:H keeps the aspect ratio and rounds the other side to the nearest even number.
const evenScaled = (side: number, target: number, other: number) => Math.round((side * target) / (other * 2)) * 2;

/** Output size and scale filter for a short side of `size` pixels; never larger than the source. */
export function scaledSize(
  source: { width: number; height: number },
  size: number,
): { width: number; height: number; filter: string } {
  const landscape = source.width >= source.height;
  const short = Math.min(size, evenDown(Math.min(source.width, source.height)));
  return landscape
    ? { width: evenScaled(source.width, short, source.height), height: short, filter: `scale=-2:${short}` }
    : { width: short, height: evenScaled(source.height, short, source.width), filter: `scale=${short}:-2` };
}

/**
 * The renditions of a source: 240p and 360p WebM, 360p MP4, 720p WebM for sources above 720p, and
 * audio-only Opus when it has sound. Sizes apply to the short side (portrait videos too) and are
 * never larger than the source: sizes that meet at the source's own size are made once.
 */
export function renditionsFor(source: SourceVideo): Rendition[] {
  const short = Math.min(source.width, source.height);
  const renditions: Rendition[] = [];
  for (const preset of VIDEO_PRESETS) {
    if (preset.size === null || (preset.onlyAbove !== undefined && short <= preset.onlyAbove)) continue;
    const { width, height, filter } = scaledSize(source, preset.size);
    const label = `${Math.min(width, height)}p-${preset.container}`;
    if (renditions.some((r) => r.label === label)) continue;
    renditions.push({
      label,
      role: 'rendition',
      container: preset.container,
      mime: preset.mime,
      extension: preset.container,
      width,
      height,
      args: [
        '-map',
        '0:v:0',
        '-map',
        '0:a:0?',
        '-vf',
        filter,
        ...preset.codecArgs,
        ...STRIP,
        ...MUXER[preset.container],
      ],
    });
  }
  if (source.hasAudio) renditions.push(audioRendition());
  return renditions;
}

/** The audio-only Opus rendition (for listeners on slow connections). */
export function audioRendition(): Rendition {
  return {
    label: 'audio-webm',
    role: 'audio',
    container: 'webm',
    mime: AUDIO_PRESET.mime,
    extension: 'webm',
    width: null,
    height: null,
    args: ['-map', '0:a:0', '-vn', ...AUDIO_PRESET.codecArgs, ...STRIP, ...MUXER.webm],
  };
}

/** When to take the poster frame: a tenth into the video (past black openings), at most 5 s in. */
export function posterSecond(durationSeconds: number): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return 0;
  return Math.min(durationSeconds * 0.1, 5);
}

/** The short side of the poster image: the source's own size, at most 720. */
export function posterSize(source: { width: number; height: number }): {
  width: number;
  height: number;
  filter: string;
} {
  return scaledSize(source, 720);
}

/**
 * The widths of a poster's thumbnails on story cards (WebP): a card is about 21rem wide in the grid
 * and the screen less its margins on a phone (328 px at 360), so 360 serves one pixel per pixel and
 * 720 the phones and screens of two.
 */
export const THUMBNAIL_WIDTHS = [360, 720] as const;

/**
 * The sizes of a poster's thumbnails: each width of THUMBNAIL_WIDTHS, never wider than the poster,
 * the height by the poster's aspect (even numbers); sizes that meet at the poster's own width are made once.
 */
export function thumbnailSizes(poster: { width: number; height: number }): Array<{ width: number; height: number }> {
  const sizes: Array<{ width: number; height: number }> = [];
  for (const wanted of THUMBNAIL_WIDTHS) {
    const width = Math.min(wanted, evenDown(poster.width));
    if (sizes.some((size) => size.width === width)) continue;
    sizes.push({ width, height: Math.max(2, evenScaled(poster.height, width, poster.width)) });
  }
  return sizes;
}

/** Fonts with the script of each language, from Debian's fonts-noto-core and fonts-noto-cjk; fontconfig falls back for the rest. */
const BURN_IN_FONTS: Record<string, string> = {
  ar: 'Noto Naskh Arabic',
  ja: 'Noto Sans CJK JP',
  zh: 'Noto Sans CJK SC',
  hi: 'Noto Sans Devanagari',
  ne: 'Noto Sans Devanagari',
};

/** The font burned-in subtitles of a language are drawn with. */
export function burnInFont(language: string): string {
  return BURN_IN_FONTS[language.toLowerCase().split('-')[0]!] ?? 'Noto Sans';
}

/**
 * An MP4 for messaging apps with subtitles drawn into the picture: H.264 + AAC, at most 720p on the
 * short side, the ASS script at `subtitlesFile` drawn by libass (which shapes Arabic and lays it out
 * right to left). The path goes into a filter graph, so it must be plain (letters, digits, / . _ -).
 */
export function burnedInRendition(source: { width: number; height: number }, subtitlesFile: string): Rendition {
  if (!/^[\w/.-]+$/.test(subtitlesFile)) throw new Error(`subtitle file path not usable in a filter: ${subtitlesFile}`);
  const { width, height, filter } = scaledSize(source, 720);
  return {
    label: 'burned-in-mp4',
    role: 'export',
    container: 'mp4',
    mime: 'video/mp4',
    extension: 'mp4',
    width,
    height,
    args: [
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      '-vf',
      `${filter},ass=filename=${subtitlesFile}`,
      ...H264,
      ...AAC,
      ...STRIP,
      ...MUXER.mp4,
    ],
  };
}
