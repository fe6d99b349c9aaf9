// What search compares: words cut from a text and folded so that the ways people type the same word
// meet. Lower case and NFKC (full-width letters, ligatures, presentation forms); Latin letters
// without their accents (é → e, ł → l, ß → ss); Arabic without diacritics and tatweel, with the
// variants of alef, hamza carriers, taa marbuta and yeh made one; Devanagari without nukta and with
// candrabindu as anusvara; digits of every script as ASCII digits. Cyrillic keeps its letters (й is
// not и for the Russian stemmer) but ё is е. Chinese and Japanese, written without spaces, are cut
// into overlapping pairs of characters (bigrams), so any two or more characters in a row are found.
// The same folding runs when a text is indexed and when a query is read.

/** A word of a text: where it stands in the original and its folded form. */
export interface Token {
  start: number;
  end: number;
  folded: string;
  /** Chinese or Japanese characters (indexed as bigrams, never typo-corrected). */
  cjk: boolean;
}

// A word is letters, marks and digits, with the invisible joiners and soft hyphen that may sit inside one.
const WORD = /[\p{L}\p{M}\p{N}\u200C\u200D\u00AD]+/gu;
// Han, kana, and what kana are written with: the prolonged sound mark, iteration marks, voicing marks (half-width too).
const CJK_CLASS =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30FC\\u3005\\u3006\\u3099-\\u309C\\uFF70\\uFF9E\\uFF9F';
const CJK_CHAR = new RegExp(`[${CJK_CLASS}]`, 'u');
const CJK_RUNS = new RegExp(`([${CJK_CLASS}]+)`, 'u');
const LATIN_WITH_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
/** Longer "words" (a pasted URL, a line of one letter) are not words anyone searches for (Chinese and Japanese runs aside). */
export const MAX_WORD_LENGTH = 60;

const LETTERS: Record<string, string> = {
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ё: 'е',
  // Arabic: alef with hamza or madda, and wasla, as bare alef; hamza on waw and yeh as the letter; taa marbuta as haa; alef maksura and Persian yeh as yeh; keheh as kaf.
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ٲ: 'ا',
  ٳ: 'ا',
  ؤ: 'و',
  ئ: 'ي',
  ة: 'ه',
  ى: 'ي',
  ی: 'ي',
  ک: 'ك',
  // Devanagari: candrabindu as anusvara.
  '\u0901': '\u0902',
};
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'gu');
// Arabic diacritics (harakat, Quranic marks, superscript alef), tatweel, Devanagari nukta, joiners, soft hyphen.
const DROPPED = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u093C\u200C\u200D\u00AD]/gu;
// Decimal digits of other scripts: Arabic-Indic, extended (Persian/Urdu), Devanagari.
const DIGIT_BASES = [0x0660, 0x06f0, 0x0966];

function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9\u0966-\u096F]/gu, (digit) => {
    const code = digit.codePointAt(0)!;
    const base = DIGIT_BASES.find((start) => code >= start && code <= start + 9)!;
    return String(code - base);
  });
}

/** The folded form of one word (or of any text: what is not a letter, mark or digit is dropped). */
export function foldWord(word: string): string {
  const composed = word.toWellFormed().normalize('NFKC').toLowerCase();
  const bare = composed.normalize('NFD').replace(LATIN_WITH_MARKS, '$1').normalize('NFC');
  return asciiDigits(bare.replace(SPECIAL, (letter) => LETTERS[letter]!).replace(DROPPED, '')).replace(NOT_WORD, '');
}

export function isCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

/** The words of a text in order, each with its place in the original (Chinese and Japanese as runs). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const wellFormed = text.toWellFormed();
  for (const match of wellFormed.matchAll(WORD)) {
    let offset = match.index;
    for (const part of match[0].split(CJK_RUNS)) {
      if (part) {
        const folded = foldWord(part);
        const cjk = isCjk(part);
        // A Chinese or Japanese run is a whole sentence or more, not a word: it is never too long.
        if (folded && (cjk || folded.length <= MAX_WORD_LENGTH))
          tokens.push({ start: offset, end: offset + part.length, folded, cjk });
      }
      offset += part.length;
    }
  }
  return tokens;
}

/** Overlapping pairs of characters of a run of Chinese or Japanese: the run itself when it has one character. */
export function bigrams(run: string): string[] {
  const characters = [...run];
  if (characters.length < 2) return characters;
  return characters.slice(1).map((character, index) => characters[index]! + character);
}

/**
 * A text as the words PostgreSQL indexes: folded words separated by spaces, Chinese and Japanese
 * runs as their bigrams in order (so a phrase of bigrams finds any substring of two or more characters).
 */
export function searchableText(text: string): string {
  return tokenize(text)
    .map((token) => (token.cjk ? bigrams(token.folded).join(' ') : token.folded))
    .join(' ');
}

/** Shortest word the word list keeps: a one-edit typo of a five-letter word may be four letters long. */
export const MIN_LISTED_WORD = 4;

/** The distinct folded words of a text that typo correction may offer (letters, not only digits; no CJK). */
export function listedWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const token of tokenize(text))
    if (!token.cjk && [...token.folded].length >= MIN_LISTED_WORD && /\p{L}/u.test(token.folded))
      words.add(token.folded);
  return words;
}
