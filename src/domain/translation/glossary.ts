// Glossary checks of a translated unit: a term of the source should appear in its approved
// translation, and a forbidden variant should not. Warnings only: grammar may bend a term (a
// plural, a case ending) in ways a plain match cannot see, so the translator decides.

/** A glossary entry of a language pair: a source term and its approved translation. */
export interface GlossaryTerm {
  term: string;
  translation: string;
  note: string;
  partOfSpeech: string;
  /** Target-language variants not to use. */
  forbidden: string[];
}

const WORD = /[\p{L}\p{N}\p{M}]/u;

/** Where `needle` occurs in `haystack` as whole words (any case), or anywhere in scripts written without spaces. */
export function containsTerm(haystack: string, needle: string): boolean {
  const text = haystack.toLocaleLowerCase();
  const term = needle.toLocaleLowerCase().trim();
  if (!term) return false;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    const before = text[at - 1];
    const after = text[at + term.length];
    // Chinese, Japanese and Thai terms sit inside runs of letters: no word edges to check.
    const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(term);
    if (unspaced || ((!before || !WORD.test(before)) && (!after || !WORD.test(after)))) return true;
  }
  return false;
}

/** The glossary terms that appear in a source text. */
export function termsIn(source: string, glossary: readonly GlossaryTerm[]): GlossaryTerm[] {
  return glossary.filter((entry) => containsTerm(source, entry.term));
}

export interface GlossaryProblem {
  code: 'glossary_missing' | 'glossary_forbidden';
  severity: 'warning';
  details: string[];
}

/** What a translation does against the glossary: a term's translation missing, a forbidden variant used. */
export function checkGlossary(source: string, target: string, glossary: readonly GlossaryTerm[]): GlossaryProblem[] {
  const problems: GlossaryProblem[] = [];
  for (const entry of termsIn(source, glossary)) {
    if (entry.translation && !containsTerm(target, entry.translation))
      problems.push({ code: 'glossary_missing', severity: 'warning', details: [entry.term, entry.translation] });
    for (const variant of entry.forbidden)
      if (containsTerm(target, variant))
        problems.push({ code: 'glossary_forbidden', severity: 'warning', details: [variant, entry.translation] });
  }
  return problems;
}
