import { foldWord, tokenize } from './fold.ts';

// Which words of a found text to mark, and the part of a long text to show: plain strings with a
// flag, so the template builds the <mark> elements and escapes the text itself (no markup from
// here, nothing a writer typed ever becomes an element).

/** A piece of a text; `hit` when it matched the query. */
export interface TextPart {
  text: string;
  hit: boolean;
}

/** What counts as a hit, all folded (fold.ts). */
export interface HighlightTerms {
  /** Words that match when a word of the text is the same. */
  words: string[];
  /** Beginnings: a word that starts with one matches (prefixes typed, stems the search configurations made). */
  beginnings: string[];
  /** Chinese or Japanese runs, marked wherever they occur. */
  runs: string[];
}

// Arabic writes "and", "with", "the" and such onto the word: the stem may follow them.
const ARABIC_CLITICS = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال', 'و', 'ب', 'ل', 'ف', 'ك'];

function isHit(folded: string, terms: HighlightTerms): boolean {
  if (terms.words.includes(folded)) return true;
  const forms = [folded];
  if (/\p{Script=Arabic}/u.test(folded)) {
    // "and" or "so" may come first, then one of the others ("وبالمكتبة": and + with the + library).
    for (const start of [folded, ...['و', 'ف'].filter((c) => folded.startsWith(c)).map((c) => folded.slice(c.length))])
      for (const clitic of ARABIC_CLITICS) if (start.startsWith(clitic)) forms.push(start.slice(clitic.length));
  }
  return terms.beginnings.some((beginning) => forms.some((form) => form.startsWith(beginning)));
}

/** Where the runs occur in a Chinese or Japanese stretch of text, as [start, end) pairs of the original. */
function runHits(original: string, runs: string[]): Array<[number, number]> {
  // Each character folded on its own keeps a map from the folded text back to the original.
  const characters: string[] = [];
  const starts: number[] = [];
  let offset = 0;
  for (const character of original) {
    const part = foldWord(character);
    const last = characters.length - 1;
    // A mark of its own (a half-width voicing mark) joins the character before it, as NFKC does.
    const joined = last >= 0 && /^\p{M}+$/u.test(part) ? (characters[last]! + part).normalize('NFC') : '';
    if (joined && [...joined].length === 1) characters[last] = joined;
    else
      for (const piece of part) {
        characters.push(piece);
        starts.push(offset);
      }
    offset += character.length;
  }
  starts.push(offset);
  // Positions in `folded` count UTF-16 units: map each unit to its character's start.
  const unitStarts = characters.flatMap((character, index) =>
    Array.from({ length: character.length }, () => starts[index]!),
  );
  unitStarts.push(offset);
  const folded = characters.join('');
  const hits: Array<[number, number]> = [];
  for (const run of runs) {
    if (!run) continue;
    for (let at = folded.indexOf(run); at >= 0; at = folded.indexOf(run, at + run.length))
      hits.push([unitStarts[at]!, unitStarts[at + run.length]!]);
  }
  return hits;
}

/** Spans [start, end) of `text` that matched. */
function hitSpans(text: string, terms: HighlightTerms): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const token of tokenize(text)) {
    if (token.cjk) {
      for (const [start, end] of runHits(text.slice(token.start, token.end), terms.runs))
        spans.push([token.start + start, token.start + end]);
    } else if (isHit(token.folded, terms)) spans.push([token.start, token.end]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  // Overlapping runs become one span.
  const merged: Array<[number, number]> = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

function parts(text: string, spans: Array<[number, number]>, from = 0, to = text.length): TextPart[] {
  const result: TextPart[] = [];
  let at = from;
  for (const [start, end] of spans) {
    if (end <= from || start >= to) continue;
    if (start > at) result.push({ text: text.slice(at, start), hit: false });
    result.push({ text: text.slice(Math.max(start, from), Math.min(end, to)), hit: true });
    at = Math.min(end, to);
  }
  if (at < to) result.push({ text: text.slice(at, to), hit: false });
  return result;
}

/** The whole text, its hits marked. */
export function highlight(text: string, terms: HighlightTerms): TextPart[] {
  return parts(text, hitSpans(text, terms));
}

/** Whether any part is a hit. */
export const hasHit = (pieces: readonly TextPart[]) => pieces.some((piece) => piece.hit);

/**
 * About `length` characters of a long text around its first hit, cut at word boundaries, with "…"
 * where the text goes on; null when nothing in it matched.
 */
export function snippet(text: string, terms: HighlightTerms, length = 220): TextPart[] | null {
  const spans = hitSpans(text, terms);
  const first = spans[0];
  if (!first) return null;
  if (text.length <= length) return parts(text, spans);
  const tokens = tokenize(text);
  // Start about a quarter of the window before the hit, at the beginning of a word.
  const wanted = Math.max(0, first[0] - Math.floor(length / 4));
  const startToken = tokens.find((token) => token.end > wanted && token.start <= first[0]);
  const start = startToken && startToken.start > 0 ? startToken.start : 0;
  let end = Math.min(text.length, start + length);
  const endToken = tokens.find((token) => token.start < end && token.end > end);
  if (endToken && endToken.start > first[1]) end = endToken.start;
  else if (endToken) end = endToken.end;
  const pieces = parts(text, spans, start, end);
  const trimmed = pieces.map((piece, index) => ({
    ...piece,
    text: index === 0 ? piece.text.trimStart() : index === pieces.length - 1 ? piece.text.trimEnd() : piece.text,
  }));
  if (start > 0) trimmed.unshift({ text: '… ', hit: false });
  if (end < text.length) trimmed.push({ text: ' …', hit: false });
  return trimmed.filter((piece) => piece.text !== '');
}
