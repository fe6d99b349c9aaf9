import { PLACEHOLDER_PATTERN } from './markers.ts';

// Which remembered sentences are worth scoring: MinHash locality-sensitive hashing. A sentence is
// taken as the set of its character 5-grams (3-grams in scripts written without spaces), over its
// words in lower case with markers and punctuation left out. 72 hash functions give 72 minima, taken
// three at a time into 24 band values. Two sentences share a band value with probability
// 1 − (1 − J³)²⁴, J being the Jaccard similarity of their n-grams: a sentence one or two words away
// from a stored one almost always shares one (also a three-word subtitle cue), unrelated sentences
// almost never. A short text (a heading, a subtitle cue: up to 8 words) adds the keys of itself and
// of itself with each one word left out, so two short texts one word apart (replaced, added or left
// out) always share a key, where chance alone might miss them. The database keeps the values in an
// int[] under a GIN index, so a lookup reads only the few rows that share one (docs/BENCHMARKS.md),
// where trigram indexes read the whole table.

/** How many band values a text has. */
export const MEMORY_BANDS = 24;
const ROWS_PER_BAND = 3;
/** Texts of up to this many words also have the keys of their one-word-shorter variants. */
const SHORT_WORDS = 8;

const MARKERS = new RegExp(PLACEHOLDER_PATTERN.source, 'gu');
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
/** Scripts written without spaces between words. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/gu;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function mix(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The text that is hashed: its words in lower case, one space between them, markers and punctuation left out. */
export function memoryText(text: string): string {
  return [...text.replace(MARKERS, ' ').normalize('NFC').toLowerCase().matchAll(WORD)].map(([word]) => word).join(' ');
}

function shingles(words: string): Set<number> {
  const characters = [...` ${words} `];
  // 5-grams span a word and its neighbours' edges; where a character is about a word, 3 do.
  const unspaced = words.match(UNSPACED)?.length ?? 0;
  const size = unspaced * 2 > characters.length ? 3 : 5;
  const found = new Set<number>();
  if (characters.length <= size) found.add(fnv1a(characters.join('')));
  for (let i = 0; i + size <= characters.length; i++) found.add(fnv1a(characters.slice(i, i + size).join('')));
  return found;
}

/** The keys of a short text: its words, and its words with each one left out (a key is never a band value by chance: its own seed). */
function shortKeys(words: string): number[] {
  const list = words.split(' ');
  if (list.length > SHORT_WORDS + 1) return [];
  const key = (kept: readonly string[]) => mix(fnv1a(kept.join(' ')) ^ 0x5bd1e995) | 0;
  const keys = new Set([key(list)]);
  if (list.length <= SHORT_WORDS && list.length > 1)
    for (let i = 0; i < list.length; i++) keys.add(key(list.toSpliced(i, 1)));
  return [...keys];
}

/** The band values of a text (and a short text's keys), as signed 32-bit integers (a PostgreSQL int[]); none for a text without words. */
export function memoryBands(text: string): number[] {
  const words = memoryText(text);
  if (!words) return [];
  const set = shingles(words);
  const minima = new Array<number>(MEMORY_BANDS * ROWS_PER_BAND).fill(0xffffffff);
  for (const shingle of set)
    for (let k = 0; k < minima.length; k++)
      minima[k] = Math.min(minima[k]!, mix(shingle ^ Math.imul(k + 1, 0x9e3779b1)));
  const bands = Array.from({ length: MEMORY_BANDS }, (_, band) => {
    let h = Math.imul(band + 1, 0x27d4eb2d);
    for (let row = 0; row < ROWS_PER_BAND; row++) h = mix(h ^ minima[band * ROWS_PER_BAND + row]!);
    return h | 0;
  });
  return [...bands, ...shortKeys(words)];
}

/** A PostgreSQL array literal of a text's band values, for an `int[]` parameter. */
export function memoryBandsLiteral(text: string): string {
  return `{${memoryBands(text).join(',')}}`;
}
