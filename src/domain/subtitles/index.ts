import type { Cue, ParseResult, SubtitleFormat, WritableSubtitleFormat } from './cue.ts';
import { parseASS } from './ass.ts';
import { reportNoCues, textLines } from './lines.ts';
import { parseSBV, writeSBV } from './sbv.ts';
import { parseSRT, writeSRT } from './srt.ts';
import { parseTTML, writeTTML } from './ttml.ts';
import { parseWebVTT, writeWebVTT } from './webvtt.ts';

// Subtitle files (WebVTT and SubRip) as cues: decode the uploaded bytes, detect the format, read
// the cues with every problem located, and write either format back.

export { defaultCueSettings, defaultRegion } from './cue.ts';
export type {
  Cue,
  CueSettings,
  ParseResult,
  SubtitleFormat,
  SubtitleProblem,
  SubtitleProblemCode,
  VTTRegion,
  WritableSubtitleFormat,
} from './cue.ts';
export { decodeSubtitleBytes } from './decode.ts';
export { parseSRT, writeSRT, type SRTWriteOptions } from './srt.ts';
export { parseWebVTT, writeWebVTT, type WebVTTWriteOptions } from './webvtt.ts';
export { parseSBV, writeSBV } from './sbv.ts';
export { parseTTML, writeTTML } from './ttml.ts';
export { parseASS, writeASS, type AssStyle } from './ass.ts';
export {
  checkCues,
  countsFullWidth,
  customSubtitleLimits,
  defaultSubtitleLimits,
  effectiveSubtitleLimits,
  lineLength,
  qualityMessageKey,
  readingSpeed,
  readSubtitleLimits,
  unbalancedTag,
  visibleLines,
  QUALITY_RULES,
  SUBTITLE_LIMIT_FIELDS,
  type LimitFieldError,
  type QualityProblem,
  type QualityRule,
  type SubtitleLimits,
} from './quality.ts';

/** Every format read, and the ones written, in the order a chooser lists them. */
export const SUBTITLE_FORMATS: readonly SubtitleFormat[] = ['vtt', 'srt', 'sbv', 'ttml', 'ass'];
export const WRITABLE_SUBTITLE_FORMATS: readonly WritableSubtitleFormat[] = ['vtt', 'srt', 'sbv', 'ttml'];

const READERS: Record<SubtitleFormat, (text: string) => ParseResult> = {
  vtt: parseWebVTT,
  srt: parseSRT,
  sbv: parseSBV,
  ttml: parseTTML,
  ass: parseASS,
};

const SRT_INDEX = /^\s*\d+\s*$/;
const SBV_TIMING = /^\s*\d+:\d{2}:\d{2}\.\d{1,3}\s*,\s*\d+:\d{2}:\d{2}\.\d{1,3}\s*$/;
const EXTENSIONS: Record<string, SubtitleFormat> = {
  vtt: 'vtt',
  webvtt: 'vtt',
  srt: 'srt',
  sbv: 'sbv',
  ttml: 'ttml',
  dfxp: 'ttml',
  ass: 'ass',
  ssa: 'ass',
};

/** Detects the format from the content (WEBVTT signature, XML with <tt>, [Script Info]/[Events], SBV or SubRip timings), then the file name; null if nothing fits. */
export function detectFormat(text: string, fileName?: string): SubtitleFormat | null {
  const sample = text.charCodeAt(0) === 0xfeff ? text.slice(1, 4001) : text.slice(0, 4000);
  const head = sample.split(/\r\n?|\n/);
  const first = head[0] ?? '';
  if (first.startsWith('WEBVTT') && (first.length === 6 || first[6] === ' ' || first[6] === '\t')) return 'vtt';
  const start = head.findIndex((line) => line.trim() !== '');
  const firstLine = head[start]?.trim() ?? '';
  if (firstLine.startsWith('<') && /<(?:[\w-]+:)?tt[\s>]/.test(sample)) return 'ttml';
  if (/^\[(?:Script Info|V4\+? Styles|Events)\]/i.test(firstLine)) return 'ass';
  if (SBV_TIMING.test(firstLine)) return 'sbv';
  const timing = firstLine.includes('-->')
    ? firstLine
    : SRT_INDEX.test(firstLine) && head[start + 1]?.includes('-->')
      ? head[start + 1]!
      : null;
  if (timing?.includes(',')) return 'srt';
  const dot = fileName?.lastIndexOf('.') ?? -1;
  const extension = dot < 0 ? '' : fileName!.slice(dot + 1).toLowerCase();
  if (extension in EXTENSIONS) return EXTENSIONS[extension]!;
  if (extension === 'xml' && /<(?:[\w-]+:)?tt[\s>]/.test(sample)) return 'ttml';
  return timing === null ? null : 'srt';
}

/** Reads subtitle text in the given format, or in the detected one (as WebVTT when unknown, which reports the missing signature); no cue at all is an error. */
export function parseSubtitles(text: string, format?: SubtitleFormat | null): ParseResult {
  const result = READERS[format ?? detectFormat(text) ?? 'vtt'](text);
  // Whatever the format, a result holds a cue or an error that says why it holds none.
  if (result.cues.length) return result;
  const lines = textLines(text);
  return reportNoCues(result, lines.length > 1 && lines.at(-1) === '' ? lines.length - 1 : lines.length);
}

/** Writes cues in one of the written formats; `language` is the track's BCP 47 code (TTML's xml:lang). */
export function writeSubtitles(
  cues: readonly Cue[],
  format: WritableSubtitleFormat,
  options: { language?: string } = {},
): string {
  switch (format) {
    case 'vtt':
      return writeWebVTT(cues);
    case 'srt':
      return writeSRT(cues);
    case 'sbv':
      return writeSBV(cues);
    case 'ttml':
      return writeTTML(cues, options);
  }
}
