import type { TranslationState, TranslationUnit } from './api.ts';
import type { UnitProblem } from './problems.ts';

// The editor's view of the list: counts per state, the filters, and where a unit sits in the story.

export const STATES: readonly TranslationState[] = ['untranslated', 'draft', 'review', 'approved', 'outdated'];

export type Filter = 'all' | 'untranslated' | 'outdated' | 'review' | 'problems';
export const FILTERS: readonly Filter[] = ['all', 'untranslated', 'outdated', 'review', 'problems'];

/** How many units stand in each state. */
export function stateCounts(units: readonly TranslationUnit[]): Record<TranslationState, number> {
  const counts = Object.fromEntries(STATES.map((state) => [state, 0])) as Record<TranslationState, number>;
  for (const unit of units) counts[unit.state]++;
  return counts;
}

/** Whether a unit belongs in a filter; `hasProblems` says whether its current text has any. */
export function inFilter(unit: TranslationUnit, filter: Filter, hasProblems: boolean): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'problems':
      return hasProblems;
    default:
      return unit.state === filter;
  }
}

/** The message key naming the kind of text a unit is part of. */
export function partKey(unit: TranslationUnit): string {
  if (unit.part !== 'body') return `translate-part-${unit.part}`;
  return `translate-part-${unit.blockType ?? 'paragraph'}`;
}

/** How a unit's last save went, beside what the checks here say. */
export interface RowStatus {
  saving: boolean;
  /** Problems the server refused the last save for. */
  refused: UnitProblem[];
  /** A save that did not reach the server, or an answer the editor did not expect. */
  failed: string | null;
}

/** A save refused because someone saved the unit first, or because its source changed: the unit as it is now. */
export interface UnitConflict {
  code: 'edit_conflict' | 'source_changed';
  current: TranslationUnit;
}
