import { tokenize } from './fold.ts';
import { editDistance } from './edit-distance.ts';

// A query as search reads it: its folded words, which of them may be typo-corrected and by how
// many edits, and which is still being typed. Typo correction looks words up in the catalog's
// word list; `typoLookup` says where a word within the allowed edits must be found there, so the
// lookup is a few index ranges rather than a comparison with every word (see its comment).

export interface QueryWord {
  /** The folded word (a run of characters for Chinese and Japanese). */
  text: string;
  cjk: boolean;
  /** Words beginning with it count too: the last word typed, or a single Chinese or Japanese character. */
  prefix: boolean;
  /** How many edits a catalog word may differ by and still match: 1 from five letters, 2 from nine. */
  edits: number;
}

/** Words of a query past this many are not searched for. */
export const MAX_QUERY_WORDS = 8;
/** A last word shorter than this is taken as a whole word, not as the beginning of one. */
export const MIN_PREFIX = 3;
/** At most this many catalog words stand in for one misspelt word. */
export const MAX_CORRECTIONS = 12;

/** Edits allowed in a word of this many letters (code points). */
export function allowedEdits(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

/** The words to search for; the last one counts as a prefix when nothing, not even a space, follows it. */
export function parseQuery(query: string): QueryWord[] {
  const text = query.toWellFormed();
  const tokens = tokenize(text).slice(0, MAX_QUERY_WORDS);
  return tokens.map((token) => {
    const length = [...token.folded].length;
    // Still being typed: nothing (not even a space) after it.
    const last = token.end === text.length;
    const letters = /\p{L}/u.test(token.folded);
    return {
      text: token.folded,
      cjk: token.cjk,
      prefix: token.cjk ? length === 1 : last && length >= MIN_PREFIX,
      edits: token.cjk || !letters ? 0 : allowedEdits(length),
    };
  });
}

/**
 * Where a catalog word within `edits` edits of `word` must be: its length differs by at most
 * `edits`, and it begins with `prefix`, ends with `suffix` or (for two edits) contains `infix`.
 * Why: the word is cut into pieces with at least one letter between them, and an edit (a swap
 * included) touches at most one piece and its neighbour gap. With one edit the first or the last
 * piece is untouched; with two, if both the first and the last piece are touched, the middle one
 * is not. Each condition is an index range: the word list's own order, its reversed words, and
 * its trigram index for the middle piece (at least three letters).
 */
export interface TypoLookup {
  prefix: string;
  suffix: string;
  infix: string | null;
  minLength: number;
  maxLength: number;
}

export function typoLookup(word: string, edits: number): TypoLookup | null {
  const characters = [...word];
  const n = characters.length;
  if (edits < 1 || n < 5) return null;
  const piece = (from: number, to: number) => characters.slice(from, to).join('');
  const window = { minLength: n - edits, maxLength: n + edits };
  if (edits === 1) {
    const first = Math.floor((n - 1) / 2);
    return { prefix: piece(0, first), suffix: piece(first + 1, n), infix: null, ...window };
  }
  const side = Math.floor((n - 2) / 3);
  const middle = n - 2 - 2 * side;
  return {
    prefix: piece(0, side),
    infix: piece(side + 1, side + 1 + middle),
    suffix: piece(n - side, n),
    ...window,
  };
}

const ARABIC = /^\p{Script=Arabic}+$/u;

/**
 * The same Arabic word with and without the article: PostgreSQL's Arabic stemmer reads a final ه
 * (taa marbuta as folded) as a pronoun after a bare noun but not after "ال", so "مكتبة" and
 * "المكتبة" stem apart; searching both spellings finds both. Empty for other words.
 */
export function articleVariants(word: string): string[] {
  if (!ARABIC.test(word)) return [];
  if (word.startsWith('ال')) return [...word].length >= 5 ? [word.slice(2)] : [];
  return [...word].length >= 3 ? [`ال${word}`] : [];
}

/** Catalog words close enough to `word` to stand in for it, nearest (then most used) first. */
export function corrections(word: QueryWord, candidates: ReadonlyArray<{ word: string; documents: number }>): string[] {
  return candidates
    .filter((candidate) => candidate.word !== word.text)
    .map((candidate) => ({ ...candidate, distance: editDistance(word.text, candidate.word, word.edits) }))
    .filter((candidate) => candidate.distance <= word.edits)
    .sort((a, b) => a.distance - b.distance || b.documents - a.documents || (a.word < b.word ? -1 : 1))
    .slice(0, MAX_CORRECTIONS)
    .map((candidate) => candidate.word);
}
