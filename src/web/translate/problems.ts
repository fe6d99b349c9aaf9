import type { Placeholder } from '../../domain/stories/placeholders.ts';
import { containsTerm } from '../../domain/translation/glossary.ts';
import { unitProblems, type UnitProblem } from '../../domain/translation/unit-checks.ts';
import type { GlossaryTerm } from './boot.ts';
import type { PlaceholderToken } from './tokens.ts';

export type { UnitProblem };

// The checks the server runs on a save (domain/translation/unit-checks.ts), run as the translator
// types: errors block the save, warnings are shown and allowed. And what the glossary says about
// the sentence (the same matching as the server's).

/** The problems of `text` as the translation of the unit; none for an empty text (not translated yet). */
export function problemsOf(unit: { source: string; placeholders: Placeholder[] }, text: string): UnitProblem[] {
  return text.trim() ? unitProblems(unit, text) : [];
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

const finds = containsTerm;

/** The glossary terms of a source sentence, with the translation checked against each. */
export function glossaryHits(terms: readonly GlossaryTerm[], source: string, translation: string): GlossaryHit[] {
  return terms
    .filter((term) => finds(source, term.term))
    .map((term) => ({
      term,
      forbidden: term.forbidden.filter((variant) => finds(translation, variant)),
      missing: translation.trim() !== '' && term.translation.trim() !== '' && !finds(translation, term.translation),
    }));
}

/** The glossary's findings as warnings of the translation: a forbidden variant used, an approved translation missing. */
export function glossaryProblems(hits: readonly GlossaryHit[]): UnitProblem[] {
  return hits.flatMap((hit) => [
    ...hit.forbidden.map((variant): UnitProblem => ({
      code: 'glossary_forbidden',
      severity: 'warning',
      details: [variant, hit.term.translation],
    })),
    ...(hit.missing
      ? [{ code: 'glossary_missing', severity: 'warning' as const, details: [hit.term.term, hit.term.translation] }]
      : []),
  ]);
}
