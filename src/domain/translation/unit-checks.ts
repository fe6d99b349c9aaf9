import { checkPlaceholders, type Placeholder } from '../stories/placeholders.ts';
import { checkTranslation } from './checks.ts';
import { checkGlossary, type GlossaryTerm } from './glossary.ts';
import { PLACEHOLDER_PATTERN } from './markers.ts';

// Every check of a translated unit, as the server runs them on a save and the editor as the
// translator types: placeholders (errors), numbers, punctuation, spaces, length, an unchanged copy
// and the glossary (warnings). Errors block the save; warnings are shown and may be kept.

/** A problem found in a translation: a stable code, its severity and what to show. */
export interface UnitProblem {
  code: string;
  severity: 'error' | 'warning';
  details?: string[];
}

/** The longest translation or comment kept, in characters. */
export const UNIT_TEXT_LIMIT = 5000;

const withoutMarkers = (text: string) => text.replace(new RegExp(PLACEHOLDER_PATTERN.source, 'gu'), '');

/** The problems of `text` as the translation of `unit`. */
export function unitProblems(
  unit: { source: string; placeholders: readonly Placeholder[] },
  text: string,
  glossary: readonly GlossaryTerm[] = [],
): UnitProblem[] {
  const problems: UnitProblem[] = [];
  if (text.length > UNIT_TEXT_LIMIT) problems.push({ code: 'too_long', severity: 'error' });
  for (const problem of checkPlaceholders(unit.source, text, unit.placeholders))
    problems.push({
      code: problem.code,
      severity: 'error',
      ...(problem.index === undefined ? {} : { details: [String(problem.index)] }),
    });
  const source = withoutMarkers(unit.source);
  const target = withoutMarkers(text);
  for (const problem of checkTranslation(source, target))
    problems.push({
      code: problem.code,
      severity: problem.severity,
      ...(problem.details ? { details: problem.details } : {}),
    });
  if (target.trim()) problems.push(...checkGlossary(source, target, glossary));
  return problems;
}
