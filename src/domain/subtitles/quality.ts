import type { Cue } from './cue.ts';
import { nearShotChange } from './timing.ts';

// Professional subtitle quality rules (Netflix timed-text style): how long a line may be, how fast
// viewers must read, how long a cue stays and how close cues come. Standard JavaScript only: the
// browser editor bundles this module for its live meter, so it must never import Node modules.

/** What a language's subtitles may hold and how they are timed (durations in seconds). */
export interface SubtitleLimits {
  maxCharsPerLine: number;
  maxCharsPerSecond: number;
  maxLines: number;
  minDuration: number;
  maxDuration: number;
  minGapFrames: number;
  frameRate: number;
}

/** The rules checkCues applies, in the order it reports them for a cue. */
export type QualityRule =
  | 'empty_cue'
  | 'line_length'
  | 'line_count'
  | 'reading_speed'
  | 'min_duration'
  | 'max_duration'
  | 'overlap'
  | 'min_gap'
  | 'unbalanced_tags'
  | 'past_video_end'
  | 'near_shot_change';

/** One broken rule in one cue; `value` is what was measured (a tag for unbalanced_tags), `limit` null where no number applies. */
export interface QualityProblem {
  cue: number;
  cueId: string;
  rule: QualityRule;
  severity: 'error' | 'warning';
  value: number | string;
  limit: number | null;
  /** For line_length: the 1-based line within the cue. */
  line?: number;
  /** For near_shot_change: the minimum gap in frames an end may leave before the cut instead (the message's $3). */
  gapFrames?: number;
  message: string;
}

/** Every rule, in the order checkCues reports them within a cue. */
export const QUALITY_RULES: readonly QualityRule[] = [
  'empty_cue',
  'line_length',
  'line_count',
  'reading_speed',
  'min_duration',
  'max_duration',
  'overlap',
  'min_gap',
  'unbalanced_tags',
  'past_video_end',
  'near_shot_change',
];

// Errors make a cue unreadable or wrongly shown; warnings are timing conventions viewers barely
// notice (a too-short cue with text is already caught by reading speed).
const SEVERITY: Record<QualityRule, 'error' | 'warning'> = {
  empty_cue: 'error',
  line_length: 'error',
  line_count: 'error',
  reading_speed: 'error',
  overlap: 'error',
  unbalanced_tags: 'error',
  min_duration: 'warning',
  max_duration: 'warning',
  min_gap: 'warning',
  past_video_end: 'error',
  near_shot_change: 'warning',
};

// Chinese (also written as its macrolanguage members) and Japanese count full-width characters.
const CHINESE = new Set(['zh', 'cmn', 'yue', 'wuu', 'nan', 'hak', 'gan', 'hsn', 'cjy', 'cpx', 'czh', 'mnp', 'cdo']);
const FULL_WIDTH = new Set([...CHINESE, 'ja']);
const CHARS_PER_SECOND = new Map([
  ['en', 20],
  ['ar', 20],
  ['hi', 22],
  ['ja', 4],
]);

/** The primary language subtag, lower-case: 'zh' for 'zh-Hant-TW'. */
function primarySubtag(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/** Whether the language's limits count full-width characters (a half-width one is half). */
export function countsFullWidth(language: string): boolean {
  return FULL_WIDTH.has(primarySubtag(language));
}

/** The professional defaults for a language, matched by its primary subtag. */
export function defaultSubtitleLimits(language: string): SubtitleLimits {
  const primary = primarySubtag(language);
  const chinese = CHINESE.has(primary);
  return {
    maxCharsPerLine: chinese ? 16 : primary === 'ja' ? 13 : 42,
    maxCharsPerSecond: chinese ? 9 : (CHARS_PER_SECOND.get(primary) ?? 17),
    maxLines: 2,
    // 20 frames at 24 fps, as files with millisecond times can write it.
    minDuration: 0.833,
    maxDuration: 7,
    minGapFrames: 2,
    frameRate: 24,
  };
}

/**
 * The limits' minimum gap between cues in whole frames of a video at `frameRate` (what the timeline
 * leaves before a neighbour it snaps to): never shorter than the gap checkCues asks for, so 2 frames
 * at the limits' 24 fps are 2 at 24 fps and 3 at 25 or 30.
 */
export function minGapFramesAt(limits: Pick<SubtitleLimits, 'minGapFrames' | 'frameRate'>, frameRate: number): number {
  return Math.max(0, Math.ceil((limits.minGapFrames * frameRate) / limits.frameRate - 1e-9));
}

const TAG = /<[^>]*>/g;
const ASS_OVERRIDE = /\{\\[^}]*\}/g;
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g;
const NAMED_ENTITIES = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
  ['lrm', '\u200e'],
  ['rlm', '\u200f'],
]);
// Zero-width marks take no room on screen; ZWJ and ZWNJ stay, as they join graphemes.
const INVISIBLE = /[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const LINE_BREAK = /\r\n?|\n/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function decodeEntity(entity: string, decimal?: string, hex?: string, name?: string): string {
  const code = decimal !== undefined ? Number(decimal) : hex !== undefined ? parseInt(hex, 16) : -1;
  if (code >= 0) return code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  return NAMED_ENTITIES.get(name!) ?? entity;
}

/** The cue's lines as a viewer sees them: tags and timestamps removed, entities decoded, trimmed. */
export function visibleLines(text: string): string[] {
  const plain = text.includes('<') || text.includes('{\\') ? text.replace(TAG, '').replace(ASS_OVERRIDE, '') : text;
  return plain.split(LINE_BREAK).map((line) => {
    const decoded = line.includes('&') ? line.replace(ENTITY, decodeEntity) : line;
    return decoded.replace(INVISIBLE, '').trim();
  });
}

let segmenter: Intl.Segmenter | null | undefined;

function graphemes(line: string): Iterable<{ segment: string }> {
  if (segmenter === undefined)
    segmenter =
      typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  return segmenter ? segmenter.segment(line) : Array.from(line, (segment) => ({ segment }));
}

/** Half-width: scripts below U+1100 (Latin, Cyrillic, Arabic, Indic…) and the half-width katakana and forms. */
function isHalfWidth(codePoint: number): boolean {
  return (
    codePoint < 0x1100 || (codePoint >= 0xff61 && codePoint <= 0xffdc) || (codePoint >= 0xffe8 && codePoint <= 0xffee)
  );
}

/** Characters in a line of visible text: grapheme clusters, or full-width units where the language counts them. */
function measure(line: string, fullWidth: boolean): number {
  if (PRINTABLE_ASCII.test(line)) return fullWidth ? line.length / 2 : line.length;
  let total = 0;
  for (const { segment } of graphemes(line)) total += fullWidth && isHalfWidth(segment.codePointAt(0)!) ? 0.5 : 1;
  return total;
}

/** The length of one line as the language's limits count it (tags removed, graphemes, full-width units for zh and ja). */
export function lineLength(line: string, language: string): number {
  return measure(visibleLines(line).join(''), countsFullWidth(language));
}

/** Characters per second the cue asks viewers to read (line breaks not counted); Infinity for text shown no time. */
export function readingSpeed(cue: Pick<Cue, 'startTime' | 'endTime' | 'text'>, language: string): number {
  const fullWidth = countsFullWidth(language);
  const characters = visibleLines(cue.text).reduce((sum, line) => sum + measure(line, fullWidth), 0);
  const duration = cue.endTime - cue.startTime;
  if (characters === 0) return 0;
  return duration > 0 ? characters / duration : Infinity;
}

const CHECKED_TAGS = new Set(['b', 'i', 'u', 'c', 'v', 'lang', 'ruby', 'rt']);
const TAG_NAME = /<(\/?)([a-zA-Z]+)[^>]*>/g;

/** The first unbalanced tag of a cue text (an unclosed '<i>' or a stray '</b>'), or null. */
export function unbalancedTag(text: string): string | null {
  if (!text.includes('<')) return null;
  const open: string[] = [];
  for (const match of text.matchAll(TAG_NAME)) {
    const name = match[2]!.toLowerCase();
    if (!CHECKED_TAGS.has(name)) continue;
    if (!match[1]) open.push(name);
    else if (open.at(-1) === name) open.pop();
    // The WebVTT parser lets </ruby> close an open <rt> too.
    else if (name === 'ruby' && open.at(-1) === 'rt' && open.at(-2) === 'ruby') open.length -= 2;
    else return `</${name}>`;
  }
  // A voice span around the whole cue may omit its end tag ("<v Roger>Hello").
  if (open.length === 1 && open[0] === 'v') return null;
  return open.length ? `<${open.at(-1)}>` : null;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
// Rounded up, so that a speed just over the limit never reads as the limit itself.
const roundUp = (value: number) => Math.ceil(value * 10 - 1e-9) / 10;
// Cue times have millisecond precision: differences under half a millisecond are rounding.
const HALF_MS = 0.0005;

const frameCount = (count: string) => `${count} ${count === '1' ? 'frame' : 'frames'}`;

const ENGLISH: Record<QualityRule, (value: string, limit: string, gap: string) => string> = {
  empty_cue: () => 'This cue has no visible text.',
  line_length: (value, limit) => `Line too long: ${value} characters (limit: ${limit}).`,
  line_count: (value, limit) => `Too many lines: ${value} (limit: ${limit}).`,
  reading_speed: (value, limit) => `Reading speed too high: ${value} characters per second (limit: ${limit}).`,
  min_duration: (value, limit) => `Shown too briefly: ${value} s (minimum: ${limit} s).`,
  max_duration: (value, limit) => `Shown too long: ${value} s (maximum: ${limit} s).`,
  overlap: (value) => `Overlaps the next cue by ${value} s.`,
  min_gap: (value, limit) => `Too close to the next cue: ${value} s apart (minimum: ${limit} s).`,
  unbalanced_tags: (value) => `Unbalanced tag ${value}: every opening tag needs its closing tag, in the right order.`,
  past_video_end: (value, limit) => `Ends at ${value} s, after the video (${limit} s long).`,
  near_shot_change: (value, limit, gap) =>
    `An edge is ${frameCount(value)} from the shot change at frame ${limit}: start on the cut; end on it, ${frameCount(gap)} before it, or further away.`,
};

/** The i18n message key of a rule (its $1 is the measured value, $2 the limit; near_shot_change's $3 the gap in frames). */
export function qualityMessageKey(rule: QualityRule): string {
  return `subtitle-quality-${rule.replaceAll('_', '-')}`;
}

/** The video's shot changes, for the rule that an edge close to a cut belongs on it. */
export interface ShotChangeFrames {
  frameRate: number;
  /** Frame numbers of the cuts. */
  frames: readonly number[];
  /** How close (in frames) counts as close. */
  withinFrames: number;
}

/**
 * Every broken rule of every cue, in cue order; one pass over the cues. With the video's length,
 * cues ending after it are reported too; with its shot changes, edges a few frames off a cut (as
 * broadcasters time them, a start belongs on the cut and an end on it or exactly the minimum gap
 * before it, in whole frames of the video: minGapFramesAt).
 */
export function checkCues(
  cues: readonly Pick<Cue, 'id' | 'startTime' | 'endTime' | 'text'>[],
  limits: SubtitleLimits,
  language: string,
  videoSeconds?: number | null,
  shotChanges?: ShotChangeFrames | null,
): QualityProblem[] {
  const fullWidth = countsFullWidth(language);
  const minGap = limits.minGapFrames / limits.frameRate;
  const problems: QualityProblem[] = [];
  const shotGap = shotChanges ? minGapFramesAt(limits, shotChanges.frameRate) : 0;
  for (let index = 0; index < cues.length; index++) {
    const cue = cues[index]!;
    const add = (rule: QualityRule, value: number | string, limit: number | null, line?: number, gap?: number) => {
      const problem: QualityProblem = {
        cue: index,
        cueId: cue.id,
        rule,
        severity: SEVERITY[rule],
        value,
        limit,
        message: ENGLISH[rule](String(value), String(limit), String(gap)),
      };
      if (line !== undefined) problem.line = line;
      if (gap !== undefined) problem.gapFrames = gap;
      problems.push(problem);
    };
    const lines = visibleLines(cue.text);
    let characters = 0;
    let filled = 0;
    const tooLong: Array<[number, number]> = [];
    lines.forEach((line, at) => {
      if (line === '') return;
      filled++;
      const length = measure(line, fullWidth);
      characters += length;
      if (length > limits.maxCharsPerLine) tooLong.push([length, at + 1]);
    });
    const duration = cue.endTime - cue.startTime;
    if (filled === 0) add('empty_cue', 0, null);
    for (const [length, line] of tooLong) add('line_length', length, limits.maxCharsPerLine, line);
    if (filled > limits.maxLines) add('line_count', filled, limits.maxLines);
    if (filled > 0 && duration > 0 && characters / duration > limits.maxCharsPerSecond)
      add('reading_speed', roundUp(characters / duration), limits.maxCharsPerSecond);
    if (duration < limits.minDuration - HALF_MS) add('min_duration', round(duration, 3), limits.minDuration);
    if (duration > limits.maxDuration + HALF_MS) add('max_duration', round(duration, 3), limits.maxDuration);
    const next = cues[index + 1];
    if (next) {
      const gap = next.startTime - cue.endTime;
      if (gap < -HALF_MS) add('overlap', round(-gap, 3), 0);
      else if (gap < minGap - HALF_MS) add('min_gap', round(gap, 3), round(minGap, 3));
    }
    const tag = unbalancedTag(cue.text);
    if (tag) add('unbalanced_tags', tag, null);
    if (videoSeconds && cue.endTime > videoSeconds + HALF_MS)
      add('past_video_end', round(cue.endTime, 3), round(videoSeconds, 3));
    if (shotChanges) {
      const { frameRate, frames, withinFrames } = shotChanges;
      const near =
        nearShotChange(cue.startTime, frames, frameRate, withinFrames) ??
        nearShotChange(cue.endTime, frames, frameRate, withinFrames, shotGap);
      if (near) add('near_shot_change', near.distance, near.frame, undefined, shotGap);
    }
  }
  return problems;
}

/** Each limit with the range an admin may set it to; whole-number limits count lines, characters or frames. */
export const SUBTITLE_LIMIT_FIELDS: ReadonlyArray<{
  name: keyof SubtitleLimits;
  min: number;
  max: number;
  whole: boolean;
}> = [
  { name: 'maxCharsPerLine', min: 1, max: 200, whole: true },
  { name: 'maxCharsPerSecond', min: 1, max: 100, whole: false },
  { name: 'maxLines', min: 1, max: 10, whole: true },
  { name: 'minDuration', min: 0.1, max: 60, whole: false },
  { name: 'maxDuration', min: 0.5, max: 600, whole: false },
  { name: 'minGapFrames', min: 0, max: 100, whole: true },
  { name: 'frameRate', min: 1, max: 240, whole: false },
];

/** A limit field's problem: an i18n key and its parameters. */
export interface LimitFieldError {
  key: string;
  params: number[];
}

const DECIMAL = /^(?:\d{1,6}(?:[.,]\d{0,6})?|[.,]\d{1,6})$/;

/** Reads the limits an admin typed (decimal point or comma), or says which fields are wrong and why. */
export function readSubtitleLimits(
  fields: Readonly<Record<string, string>>,
): { limits: SubtitleLimits } | { errors: Partial<Record<keyof SubtitleLimits, LimitFieldError>> } {
  const errors: Partial<Record<keyof SubtitleLimits, LimitFieldError>> = {};
  const limits = {} as SubtitleLimits;
  for (const { name, min, max, whole } of SUBTITLE_LIMIT_FIELDS) {
    const typed = (fields[name] ?? '').trim();
    const value = DECIMAL.test(typed) ? Number(typed.replace(',', '.')) : NaN;
    if (typed === '') errors[name] = { key: 'form-error-required', params: [] };
    else if (!(value >= min && value <= max) || (whole && !Number.isInteger(value))) {
      errors[name] = {
        key: whole ? 'subtitle-limits-error-whole' : 'subtitle-limits-error-number',
        params: [min, max],
      };
    } else limits[name] = value;
  }
  if (!errors.minDuration && !errors.maxDuration && limits.minDuration > limits.maxDuration) {
    errors.minDuration = { key: 'subtitle-limits-error-order', params: [limits.maxDuration] };
  }
  return Object.keys(errors).length ? { errors } : { limits };
}

/** The limits in force: stored values (those in range) over the language's defaults. */
export function effectiveSubtitleLimits(language: string, stored: unknown): SubtitleLimits {
  const limits = defaultSubtitleLimits(language);
  if (!stored || typeof stored !== 'object') return limits;
  for (const { name, min, max } of SUBTITLE_LIMIT_FIELDS) {
    const value = (stored as Record<string, unknown>)[name];
    if (typeof value === 'number' && value >= min && value <= max) limits[name] = value;
  }
  return limits;
}

/** The limits that differ from the language's defaults (what is worth storing), or null when none do. */
export function customSubtitleLimits(language: string, limits: SubtitleLimits): Partial<SubtitleLimits> | null {
  const defaults = defaultSubtitleLimits(language);
  const custom = Object.fromEntries(
    SUBTITLE_LIMIT_FIELDS.filter(({ name }) => limits[name] !== defaults[name]).map(({ name }) => [name, limits[name]]),
  );
  return Object.keys(custom).length ? custom : null;
}
