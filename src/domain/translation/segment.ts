import { bcp47 } from '../languages/languages.ts';
import type { StoryBlock } from '../stories/story.ts';
import { PLACEHOLDER_PATTERN } from './markers.ts';

// A story's blocks cut into sentences, the translation units. Intl.Segmenter (ICU's UAX #29 rules)
// proposes the breaks; it knows no abbreviations (V8 ignores ICU's `-u-ss-standard` suppressions), so
// the rules below drop the breaks that are not sentence ends ("Mr. Smith", "J. R. R. Tolkien",
// "No. 5"), move quotes to the sentence they close, and add the breaks ICU misses after "…".
// Inline markup travels as placeholders: they are taken out before segmenting, so they never change
// where a sentence ends, and put back into the sentence they touch (see splitSentences).

const PLACEHOLDERS = new RegExp(PLACEHOLDER_PATTERN.source, 'gu');

// Written as text; a space means any run of whitespace ("p. ex." matches "p.\u00a0ex."). An entry
// written in lower case also matches with a capital first letter, as at the start of a sentence.
interface LanguageRules {
  /** Abbreviations no sentence ends with: titles and "e.g." come before more of the sentence. */
  always?: string[];
  /** Abbreviations that end no sentence when a number follows: "No. 5", "Jan. 5". */
  beforeNumber?: string[];
  /** Capital letters with a period that end sentences more often than they are a person's initials. */
  notInitials?: string[];
}

const ENGLISH_MONTHS = 'Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec.'.split(' ');

// Short on purpose: only abbreviations that are common in stories and rarely end a sentence. "etc."
// (and "и т. д.") often end one, so none is listed: a lower-case word after any "." joins anyway.
const RULES: Record<string, LanguageRules> = {
  en: {
    always: ['Mr.', 'Mrs.', 'Ms.', 'Dr.', 'St.', 'Prof.', 'e.g.', 'i.e.', 'vs.'],
    beforeNumber: ['No.', ...ENGLISH_MONTHS],
    notInitials: ['U.S.', 'U.K.', 'U.N.', 'E.U.', 'D.C.'],
  },
  fr: { always: ['M.', 'MM.', 'Mme.', 'Mlle.', 'Dr.', 'p. ex.', 'av.', 'apr.'], notInitials: ['J.-C.'] },
  es: { always: ['Sr.', 'Sra.', 'Srta.', 'Dr.', 'Dra.', 'p. ej.', 'Ud.', 'Uds.'], beforeNumber: ['pág.'] },
  ru: { always: ['т. е.', 'т. к.', 'напр.', 'см.', 'ул.', 'проф.'], beforeNumber: ['стр.'] },
  uk: { always: ['т. зв.', 'напр.', 'див.', 'вул.', 'проф.'] },
  sr: { always: ['нпр.', 'тј.', 'проф.', 'npr.', 'tj.', 'prof.'] },
  pl: { always: ['np.', 'tzn.', 'tj.', 'prof.'] },
  id: { always: ['Bpk.', 'Dr.', 'Prof.'] },
  sw: { always: ['Bw.', 'Bi.', 'Dkt.'] },
  hi: { always: ['डॉ.'] },
  ne: { always: ['डॉ.', 'डा.'] },
  ar: { always: ['د.'] },
};

// Chinese and Japanese write sentences with nothing between them.
const UNSPACED = new Set(['zh', 'cmn', 'yue', 'wuu', 'lzh', 'ja']);

const CLOSE = `\\p{Ps}\\p{Pe}\\p{Pi}\\p{Pf}"'`; // what ICU lets follow a sentence's mark
const ENDS_SENTENCE = new RegExp(`[\\p{Sentence_Terminal}…][${CLOSE}]*$`, 'u');
const ENDS_HALF_WIDTH = /[.!?…‼⁇⁈⁉][\p{Pe}\p{Pf}"']*$/u;
const OPENERS_AFTER_FULL_WIDTH = /[。！？｡][\p{Pe}\p{Pf}]*([\p{Ps}\p{Pi}]+)$/u;
const INITIAL = /(?<![^\s\p{Ps}\p{Pi}"'.\-])(?=\p{Lu})[\p{sc=Latin}\p{sc=Cyrillic}]\.$/u;
const NUMBER_WITH_PERIOD = /\p{Nd}\.$/u;
const CLOSED_QUOTE = /[。！？!?][」』”）)]+$/u;
// Sticky: tested at the start of the text after a break.
const SPACED_CLOSERS = /[\p{Pe}\p{Pf}]+(?=\s|$)/uy;
const LOWER_CASE_WORD = /[\p{Ps}\p{Pi}"'¿¡]*\p{Ll}/uy;
const CAPITAL_WORD = /[\p{Ps}\p{Pi}"']*(?=\p{Lu})[\p{sc=Latin}\p{sc=Cyrillic}]/uy;
const DIGIT = /\p{Nd}/uy;
const QUOTATIVE_PARTICLE = /と|って/y;
const ELLIPSIS_THEN_CAPITAL = /…[\p{Pe}\p{Pf}"']*\s+(?=[\p{Ps}\p{Pi}"']*\p{Lu})/gu;
const WHITESPACE = /\s/u;

interface CompiledRules {
  always: RegExp | null;
  beforeNumber: RegExp | null;
  notInitials: RegExp | null;
}

const compiledRules = new Map<string, CompiledRules>();
const segmenters = new Map<string, Intl.Segmenter>();

function primarySubtag(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

function endsWithOneOf(entries: readonly string[] | undefined): RegExp | null {
  if (!entries?.length) return null;
  const variants = entries.flatMap((entry) => {
    const capitalised = entry[0]!.toUpperCase() + entry.slice(1);
    return capitalised === entry ? [entry] : [entry, capitalised];
  });
  const escaped = variants.map((entry) => entry.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ /g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${escaped.join('|')})$`, 'u');
}

function rulesFor(language: string): CompiledRules {
  const primary = primarySubtag(language);
  let compiled = compiledRules.get(primary);
  if (!compiled) {
    const rules = RULES[primary] ?? {};
    compiled = {
      always: endsWithOneOf(rules.always),
      beforeNumber: endsWithOneOf(rules.beforeNumber),
      notInitials: endsWithOneOf(rules.notInitials),
    };
    compiledRules.set(primary, compiled);
  }
  return compiled;
}

function segmenterFor(language: string): Intl.Segmenter {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    try {
      segmenter = new Intl.Segmenter(bcp47(language.trim()), { granularity: 'sentence' });
    } catch {
      // Not a valid tag: the root locale, never the machine's own, so the result stays the same everywhere.
      segmenter = new Intl.Segmenter('und', { granularity: 'sentence' });
    }
    segmenters.set(language, segmenter);
  }
  return segmenter;
}

function at(pattern: RegExp, text: string, index: number): boolean {
  pattern.lastIndex = index;
  return pattern.test(text);
}

/** Whether the text before a proposed break (`before`, its end) goes on after it (`text` from `next`). */
function continuesAfter(before: string, text: string, next: number, rules: CompiledRules, language: string): boolean {
  if (!ENDS_SENTENCE.test(before)) return true; // a line break, not a sentence end
  if (rules.always?.test(before)) return true;
  if (at(DIGIT, text, next) && (NUMBER_WITH_PERIOD.test(before) || rules.beforeNumber?.test(before))) return true;
  // A sentence in a cased script starts with a capital: ICU knows it after "." only, not "!" or "?".
  if (ENDS_HALF_WIDTH.test(before) && at(LOWER_CASE_WORD, text, next)) return true;
  if (INITIAL.test(before) && !rules.notInitials?.test(before) && at(CAPITAL_WORD, text, next)) return true;
  // 「行く。」と言った: the quoted sentence is part of the one that quotes it.
  return primarySubtag(language) === 'ja' && CLOSED_QUOTE.test(before) && at(QUOTATIVE_PARTICLE, text, next);
}

/** Sentence ends in `plain` as pairs: where the sentence's text ends, and where the next one's starts. */
function sentenceEnds(plain: string, language: string): Array<{ end: number; next: number }> {
  const candidates = new Set<number>();
  for (const { index } of segmenterFor(language).segment(plain)) if (index > 0) candidates.add(index);
  for (const match of plain.matchAll(ELLIPSIS_THEN_CAPITAL)) candidates.add(match.index + match[0].length);
  const rules = rulesFor(language);
  const ends: Array<{ end: number; next: number }> = [];
  let sentenceStart = 0;
  for (const candidate of [...candidates].sort((a, b) => a - b)) {
    let end = candidate;
    while (end > sentenceStart && WHITESPACE.test(plain[end - 1]!)) end--;
    let next = candidate;
    while (next < plain.length && WHITESPACE.test(plain[next]!)) next++;
    const opening = OPENERS_AFTER_FULL_WIDTH.exec(plain.slice(Math.max(sentenceStart, end - 16), end));
    if (opening) {
      // ICU keeps 「 or “ with the 。 before it (UAX #29 cannot tell opening quotes from closing ones).
      end -= opening[1]!.length;
      next = end;
    } else if (at(SPACED_CLOSERS, plain, next)) {
      // French spacing, « Va-t’en ! »: the closing guillemet belongs to the sentence it closes.
      end = SPACED_CLOSERS.lastIndex;
      next = end;
      while (next < plain.length && WHITESPACE.test(plain[next]!)) next++;
    }
    if (end <= sentenceStart || next >= plain.length) continue;
    const before = plain.slice(Math.max(sentenceStart, end - 32), end);
    if (continuesAfter(before, plain, next, rules, language)) continue;
    ends.push({ end, next });
    sentenceStart = next;
  }
  return ends;
}

/** Where the first opening tag's placeholder is in `gap` (its length if none, or if nothing tells). */
function firstOpening(gap: string, opens: ((index: number) => boolean) | undefined): number {
  if (opens) for (const match of gap.matchAll(PLACEHOLDERS)) if (opens(Number(match[1]))) return match.index;
  return gap.length;
}

/**
 * The sentences of a paragraph, each trimmed; [] for blank text. Placeholders never change where a
 * sentence ends; those between two sentences go with the first up to the first whitespace (a closing
 * tag after the period), and with the second after it. With no whitespace between (Chinese, Japanese)
 * the next sentence starts at the first placeholder that `opens` says is an opening tag; without
 * `opens` they all go with the first.
 */
export function splitSentences(text: string, language: string, opens?: (index: number) => boolean): string[] {
  if (!text.trim()) return [];
  // The text without placeholders, and where each of its characters is in `text`.
  let plain = '';
  const origin: number[] = [];
  let copied = 0;
  const copy = (until: number) => {
    for (let index = copied; index < until; index++) origin.push(index);
    plain += text.slice(copied, until);
  };
  for (const match of text.matchAll(PLACEHOLDERS)) {
    copy(match.index);
    copied = match.index + match[0].length;
  }
  copy(text.length);
  if (!plain.trim()) return [text.trim()];

  const sentences: string[] = [];
  let cut = 0;
  for (const { end, next } of sentenceEnds(plain, language)) {
    const gapStart = origin[end - 1]! + 1;
    const gapEnd = origin[next]!;
    const gap = text.slice(gapStart, gapEnd);
    const space = gap.search(WHITESPACE);
    const sentenceEnd = space >= 0 ? gapStart + space : gapStart + firstOpening(gap, opens);
    sentences.push(text.slice(cut, sentenceEnd).trim());
    cut = sentenceEnd;
  }
  sentences.push(text.slice(cut).trim());
  return sentences.filter(Boolean);
}

/**
 * Sentences joined back into a paragraph: with a space, or nothing in Chinese and Japanese (but a
 * space there after a sentence ending in a half-width mark, as an English sentence quoted in one does).
 */
export function joinSentences(sentences: readonly string[], language: string): string {
  let paragraph = '';
  let previous = '';
  for (const sentence of sentences) {
    if (!sentence) continue;
    if (paragraph) paragraph += sentenceSeparator(previous, language);
    paragraph += sentence;
    previous = sentence;
  }
  return paragraph;
}

/** What goes between a sentence in `language` and the next: a space, or nothing in Chinese and Japanese. */
export function sentenceSeparator(previous: string, language: string): string {
  const unspaced = UNSPACED.has(primarySubtag(language));
  return !unspaced || ENDS_HALF_WIDTH.test(previous.replace(PLACEHOLDERS, '')) ? ' ' : '';
}

/** The translation units of a story's blocks, one list per block in order: a heading is one unit, never split. */
export function segmentBlocks(blocks: readonly StoryBlock[], language: string): string[][] {
  return blocks.map((block) => {
    if (block.type !== 'heading') return splitSentences(block.text, language);
    const heading = block.text.trim();
    return heading ? [heading] : [];
  });
}
