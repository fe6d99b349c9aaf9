import type { ParseResult, SubtitleFormat } from './cue.ts';
import { parseSRT } from './srt.ts';
import { parseWebVTT } from './webvtt.ts';

// Subtitle files (WebVTT and SubRip) as cues: decode the uploaded bytes, detect the format, read
// the cues with every problem located, and write either format back.

export { defaultCueSettings, defaultRegion } from './cue.ts';
export type { Cue, CueSettings, ParseResult, SubtitleFormat, SubtitleProblem, SubtitleProblemCode, VTTRegion } from './cue.ts';
export { decodeSubtitleBytes } from './decode.ts';
export { parseSRT, writeSRT, type SRTWriteOptions } from './srt.ts';
export { parseWebVTT, writeWebVTT, type WebVTTWriteOptions } from './webvtt.ts';

const SRT_INDEX = /^\s*\d+\s*$/;

/** Detects the format: the WEBVTT signature, then SubRip's comma timings, then the file name; null if nothing fits. */
export function detectFormat(text: string, fileName?: string): SubtitleFormat | null {
  const head = (text.charCodeAt(0) === 0xfeff ? text.slice(1, 2001) : text.slice(0, 2000)).split(/\r\n?|\n/);
  const first = head[0] ?? '';
  if (first.startsWith('WEBVTT') && (first.length === 6 || first[6] === ' ' || first[6] === '\t')) return 'vtt';
  const start = head.findIndex((line) => line.trim() !== '');
  const firstLine = head[start] ?? '';
  const timing = firstLine.includes('-->') ? firstLine : SRT_INDEX.test(firstLine) && head[start + 1]?.includes('-->') ? head[start + 1]! : null;
  if (timing?.includes(',')) return 'srt';
  const dot = fileName?.lastIndexOf('.') ?? -1;
  const extension = dot < 0 ? '' : fileName!.slice(dot + 1).toLowerCase();
  if (extension === 'vtt' || extension === 'webvtt') return 'vtt';
  if (extension === 'srt') return 'srt';
  return timing === null ? null : 'srt';
}

/** Reads subtitle text in the given format, or in the detected one (as WebVTT when unknown, which reports the missing signature). */
export function parseSubtitles(text: string, format?: SubtitleFormat | null): ParseResult {
  const chosen = format ?? detectFormat(text) ?? 'vtt';
  return chosen === 'srt' ? parseSRT(text) : parseWebVTT(text);
}
