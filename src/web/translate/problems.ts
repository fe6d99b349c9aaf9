import type { GlossaryTerm } from './boot.ts';
import { unitProblems, type UnitProblem } from '../../services/translation.ts';
import type { Placeholder } from '../../domain/stories/placeholders.ts';
import type { PlaceholderToken } from './tokens.ts';

// The checks the server runs on a save, run as the translator types (errors block the save,
// warnings are shown and allowed), with what the glossary says about the sentence.

export type { UnitProblem };

/** The problems of `text` as the translation of the unit; none for an empty text (not translated yet). */
export function problemsOf(unit: { source: string; placeholders: Placeholder[] }, text: string): UnitProblem[] {
  if (!text.trim()) return [];
  return unitProblems(unit, text);
}

/** The parameters of a problem's message: a placeholder's number becomes the token the translator sees. */
export function problemParams(problem: UnitProblem, tokens: readonly PlaceholderToken[]): string[] {
  const details = problem.details ?? [];
  if (problem.code.startsWith('placeholder_'))
    return details.map((index) => tokens.find((token) => token.index === Number(index))?.token ?? `⟦#${index}⟧`);
  return [details.join(', ')];
}

/** A glossary term found in a source sentence, and how the translation stands with it. */
export interface GlossaryHit {
  term: GlossaryTerm;
  /** The forbidden variants the translation uses. */
  forbidden: string[];
  /** The translation is written but lacks the term's approved translation. */
  missing: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where the language separates words with spaces, a term must stand as a whole word; elsewhere anywhere. */
function finds(text: string, phrase: string): boolean {
  if (!phrase.trim()) return false;
  const spaced = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Devanagari}]/u.test(
    phrase,
  );
  const pattern = spaced ? `(?<![\\p{L}\\p{N}])${escape(phrase)}(?![\\p{L}\\p{N}])` : escape(phrase);
  return new RegExp(pattern, 'iu').test(text);
}

/** The glossary terms of a source sentence, with the translation checked against each. */
export function glossaryHits(
  terms: readonly GlossaryTerm[],
  source: string,
  translation: string,
): GlossaryHit[] {
  return terms
    .filter((term) => finds(source, term.term))
    .map((term) => ({
      term,
      forbidden: term.forbidden.filter((variant) => finds(translation, variant)),
      missing: translation.trim() !== '' && term.translation.trim() !== '' && !finds(translation, term.translation),
    }));
}
