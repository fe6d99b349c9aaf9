// The sound of a video as a waveform: the lowest and highest sample of each small window, at a few
// zoom levels, in a compact binary file the editor draws from. Standard JavaScript only: the
// editor bundles this module to read the file, the ffmpeg provider to write it.
//
// Layout (little-endian): "SHPK", version (u8), level count (u8), two reserved bytes, sample rate
// (u32), then per level its window in samples (u32) and its window count (u32), then per level its
// windows as pairs of signed bytes (min, max), the samples scaled from 16 bits to 8.

/** One zoom level: `min[i]` and `max[i]` span window i, which starts at i × windowSeconds. */
export interface PeakLevel {
  windowSamples: number;
  windowSeconds: number;
  min: Int8Array;
  max: Int8Array;
}

export interface Peaks {
  sampleRate: number;
  /** Finest first; each level's window is LEVEL_FACTOR times the one before. */
  levels: PeakLevel[];
}

/** The rate the audio is decoded at for peaks: enough for a waveform's shape, small to carry. */
export const PEAKS_SAMPLE_RATE = 8000;
/** The finest window: 20 ms (half a frame at 25 fps), 50 windows a second. */
export const PEAKS_BASE_WINDOW = 160;
export const LEVEL_FACTOR = 4;
export const LEVEL_COUNT = 4;

const MAGIC = [0x53, 0x48, 0x50, 0x4b];
const VERSION = 1;
const HEADER = 12;

/** Gathers 16-bit mono samples as they are decoded into the finest level's windows. */
export function peaksBuilder(sampleRate = PEAKS_SAMPLE_RATE, windowSamples = PEAKS_BASE_WINDOW) {
  const mins: number[] = [];
  const maxes: number[] = [];
  let low = 0;
  let high = 0;
  let inWindow = 0;
  let carry: number | null = null;
  const flush = () => {
    mins.push(low >> 8);
    maxes.push(high >> 8);
    low = 0;
    high = 0;
    inWindow = 0;
  };
  const sample = (value: number) => {
    if (inWindow === 0) low = high = value;
    else if (value < low) low = value;
    else if (value > high) high = value;
    inWindow++;
    if (inWindow === windowSamples) flush();
  };
  return {
    /** Takes raw s16le bytes in chunks of any length (a sample may straddle two chunks). */
    push(bytes: Uint8Array) {
      let index = 0;
      if (carry !== null && bytes.length > 0) {
        sample((((bytes[0]! << 8) | carry) << 16) >> 16);
        carry = null;
        index = 1;
      }
      for (; index + 1 < bytes.length; index += 2) sample((((bytes[index + 1]! << 8) | bytes[index]!) << 16) >> 16);
      if (index < bytes.length) carry = bytes[index]!;
    },
    /** The levels, the last partial window included. */
    finish(): Peaks {
      if (inWindow > 0) flush();
      return buildLevels(sampleRate, windowSamples, Int8Array.from(mins), Int8Array.from(maxes));
    },
  };
}

/** The coarser levels, each window the extremes of LEVEL_FACTOR windows of the level below. */
export function buildLevels(sampleRate: number, windowSamples: number, min: Int8Array, max: Int8Array): Peaks {
  const levels: PeakLevel[] = [{ windowSamples, windowSeconds: windowSamples / sampleRate, min, max }];
  while (levels.length < LEVEL_COUNT) {
    const below = levels.at(-1)!;
    const count = Math.ceil(below.min.length / LEVEL_FACTOR);
    const nextMin = new Int8Array(count);
    const nextMax = new Int8Array(count);
    for (let i = 0; i < count; i++) {
      let low = 127;
      let high = -128;
      for (let j = i * LEVEL_FACTOR; j < Math.min(below.min.length, (i + 1) * LEVEL_FACTOR); j++) {
        low = Math.min(low, below.min[j]!);
        high = Math.max(high, below.max[j]!);
      }
      nextMin[i] = low;
      nextMax[i] = high;
    }
    const samples = below.windowSamples * LEVEL_FACTOR;
    levels.push({ windowSamples: samples, windowSeconds: samples / sampleRate, min: nextMin, max: nextMax });
  }
  return { sampleRate, levels };
}

/** The peaks as the stored file's bytes. */
export function encodePeaks(peaks: Peaks): Uint8Array {
  const data = peaks.levels.reduce((sum, level) => sum + level.min.length * 2, 0);
  const bytes = new Uint8Array(HEADER + peaks.levels.length * 8 + data);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  bytes[4] = VERSION;
  bytes[5] = peaks.levels.length;
  view.setUint32(8, peaks.sampleRate, true);
  let offset = HEADER;
  for (const level of peaks.levels) {
    view.setUint32(offset, level.windowSamples, true);
    view.setUint32(offset + 4, level.min.length, true);
    offset += 8;
  }
  for (const level of peaks.levels) {
    for (let i = 0; i < level.min.length; i++) {
      view.setInt8(offset++, level.min[i]!);
      view.setInt8(offset++, level.max[i]!);
    }
  }
  return bytes;
}

/** Reads a peaks file; a file that is not one, or is cut short, gives an Error saying which. */
export function decodePeaks(buffer: ArrayBuffer | Uint8Array): Peaks {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER || MAGIC.some((byte, i) => bytes[i] !== byte)) throw new Error('not a peaks file');
  if (bytes[4] !== VERSION) throw new Error(`peaks file version ${bytes[4]} is not known`);
  const count = bytes[5]!;
  const sampleRate = view.getUint32(8, true);
  if (count === 0 || sampleRate === 0) throw new Error('peaks file without levels');
  if (bytes.length < HEADER + count * 8) throw new Error('peaks file cut short in its header');
  const sizes: Array<{ windowSamples: number; windows: number }> = [];
  for (let i = 0; i < count; i++)
    sizes.push({
      windowSamples: view.getUint32(HEADER + i * 8, true),
      windows: view.getUint32(HEADER + i * 8 + 4, true),
    });
  let offset = HEADER + count * 8;
  const needed = offset + sizes.reduce((sum, size) => sum + size.windows * 2, 0);
  if (bytes.length < needed) throw new Error(`peaks file cut short: ${bytes.length} of ${needed} bytes`);
  const levels = sizes.map(({ windowSamples, windows }) => {
    if (windowSamples === 0) throw new Error('peaks level with an empty window');
    const min = new Int8Array(windows);
    const max = new Int8Array(windows);
    for (let i = 0; i < windows; i++) {
      min[i] = view.getInt8(offset++);
      max[i] = view.getInt8(offset++);
    }
    return { windowSamples, windowSeconds: windowSamples / sampleRate, min, max };
  });
  return { sampleRate, levels };
}

/** The coarsest level that still gives at least one window per pixel at this zoom. */
export function levelFor(peaks: Peaks, secondsPerPixel: number): PeakLevel {
  let chosen = peaks.levels[0]!;
  for (const level of peaks.levels) if (level.windowSeconds <= secondsPerPixel) chosen = level;
  return chosen;
}

/** How long the sound lasts by its peaks, in seconds. */
export function peaksDuration(peaks: Peaks): number {
  const finest = peaks.levels[0]!;
  return finest.min.length * finest.windowSeconds;
}
