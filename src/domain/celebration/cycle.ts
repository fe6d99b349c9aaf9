import type { FieldErrors } from '../forms/fields.ts';

// The monthly celebration's cycle: one per month, its phases on dates editors set. The dates say
// where a cycle should be; the stored phase says where it is (a scheduled job or an editor moves it,
// forward only, one phase at a time, each move recorded). Everything here takes the instant it is
// asked about: nothing reads a clock.

/** Where a cycle stands. `announced` and `closed` (the vote ended with no honoree) and `cancelled` are final. */
export type CyclePhase =
  'upcoming' | 'nominations' | 'seconding' | 'consent' | 'choice' | 'announced' | 'closed' | 'cancelled';

/** Who chooses: a committee named for the cycle, or every member (one vote per account either way). */
export type ChoiceMode = 'committee' | 'community';
export const CHOICE_MODES: readonly ChoiceMode[] = ['committee', 'community'];

/** How a phase was moved: by the scheduled job when its date came, or early by an editor. */
export type TransitionHow = 'schedule' | 'editor';

/** The instant each phase starts; the choice ends at `closesAt`. */
export interface CycleSchedule {
  opensAt: Date;
  secondingAt: Date;
  consentAt: Date;
  choiceAt: Date;
  closesAt: Date;
}

export interface Cycle extends CycleSchedule {
  id: number;
  /** YYYY-MM */
  month: string;
  phase: CyclePhase;
  choiceMode: ChoiceMode;
  honoreeNominationId: number | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CycleTransition {
  from: CyclePhase;
  to: CyclePhase;
  how: TransitionHow;
  /** Who moved it (an editor), or null for the schedule. */
  userId: number | null;
  username: string | null;
  /** The account that moved it is a bot's. */
  bot: boolean;
  at: Date;
}

/** The phases in the order the schedule walks them; the choice's end is `announced` (or `closed`). */
export const PHASES_IN_ORDER: readonly CyclePhase[] = [
  'upcoming',
  'nominations',
  'seconding',
  'consent',
  'choice',
  'announced',
];
const FINAL: ReadonlySet<CyclePhase> = new Set(['announced', 'closed', 'cancelled']);
const STARTS: ReadonlyArray<[CyclePhase, keyof CycleSchedule]> = [
  ['nominations', 'opensAt'],
  ['seconding', 'secondingAt'],
  ['consent', 'consentAt'],
  ['choice', 'choiceAt'],
  ['announced', 'closesAt'],
];

/** Whether nothing moves a cycle in this phase any more. */
export const isFinal = (phase: CyclePhase): boolean => FINAL.has(phase);

/** The position of a phase in the schedule (closed counts as the end, like announced). */
const rank = (phase: CyclePhase): number =>
  phase === 'closed' || phase === 'cancelled' ? PHASES_IN_ORDER.length - 1 : PHASES_IN_ORDER.indexOf(phase);

/** The phase the dates alone give at `instant` (`announced` once the choice has closed). */
export function phaseAt(schedule: CycleSchedule, instant: Date): CyclePhase {
  let phase: CyclePhase = 'upcoming';
  for (const [next, field] of STARTS) if (instant.getTime() >= schedule[field].getTime()) phase = next;
  return phase;
}

/** The phase after `phase` in the schedule; null for a final phase. The choice ends in `announced` or `closed`, as the tally decides. */
export function nextPhase(phase: CyclePhase): CyclePhase | null {
  if (isFinal(phase)) return null;
  return PHASES_IN_ORDER[PHASES_IN_ORDER.indexOf(phase) + 1] ?? null;
}

/** When the stored phase is due to end by the dates; null for a final phase. */
export function dueAt(cycle: CycleSchedule & { phase: CyclePhase }): Date | null {
  const next = nextPhase(cycle.phase);
  const start = STARTS.find(([phase]) => phase === next);
  return start ? cycle[start[1]] : null;
}

/** The move the schedule owes a cycle at `instant` (the next phase), or null when none is due. */
export function dueStep(cycle: CycleSchedule & { phase: CyclePhase }, instant: Date): CyclePhase | null {
  const due = dueAt(cycle);
  return due && due.getTime() <= instant.getTime() ? nextPhase(cycle.phase) : null;
}

/**
 * The phase that governs what may be done at `instant`: the stored phase, or a later one when its
 * dates have passed and the job has not moved it yet (so nothing stays open past its date because
 * a worker is late). An editor's early move is kept: the dates never move a cycle back.
 */
export function effectivePhase(cycle: CycleSchedule & { phase: CyclePhase }, instant: Date): CyclePhase {
  if (isFinal(cycle.phase)) return cycle.phase;
  const byDates = phaseAt(cycle, instant);
  return rank(byDates) > rank(cycle.phase) ? byDates : cycle.phase;
}

/** Whether a cycle may move from `from` to `to`: forward by one phase (the choice to announced or closed), or cancelled before the end. */
export function isLegalTransition(from: CyclePhase, to: CyclePhase): boolean {
  if (isFinal(from)) return false;
  if (to === 'cancelled') return true;
  if (from === 'choice') return to === 'announced' || to === 'closed';
  return nextPhase(from) === to;
}

/** What people do in a cycle, each allowed only in some phases. */
export type CelebrationStep =
  'nominate' | 'edit-nomination' | 'second' | 'anecdote' | 'consent' | 'vote' | 'withdraw' | 'moderate';

const STEP_PHASES: Record<CelebrationStep, readonly CyclePhase[]> = {
  nominate: ['nominations'],
  'edit-nomination': ['nominations'],
  second: ['nominations', 'seconding'],
  anecdote: ['nominations', 'seconding', 'consent'],
  consent: ['consent'],
  vote: ['choice'],
  withdraw: ['nominations', 'seconding', 'consent', 'choice'],
  moderate: ['nominations', 'seconding', 'consent', 'choice'],
};

/** Whether `step` is open in a cycle at `instant` (by its effective phase). */
export function isOpenFor(cycle: CycleSchedule & { phase: CyclePhase }, step: CelebrationStep, instant: Date): boolean {
  return STEP_PHASES[step].includes(effectivePhase(cycle, instant));
}

/** Whether the vote's tallies may be shown: only once the choice has ended. */
export const resultsVisible = (phase: CyclePhase): boolean => phase === 'announced' || phase === 'closed';

/** The cycle form as typed: dates as `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` (both UTC) or ISO 8601 with an offset. */
export interface CycleForm {
  month: string;
  opensAt: string;
  secondingAt: string;
  consentAt: string;
  choiceAt: string;
  closesAt: string;
  choiceMode: string;
  /** Committee members' usernames, separated by commas or new lines (used in committee mode). */
  committee: string;
}

export interface CycleInput extends CycleSchedule {
  month: string;
  choiceMode: ChoiceMode;
  committee: string[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE_FORMS = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Reads a typed date (UTC unless it names an offset); undefined when it is not one. */
export function parseInstant(value: string): Date | undefined {
  const text = value.trim();
  if (!DATE_FORMS.test(text)) return undefined;
  const iso = text.replace(' ', 'T');
  const withZone = /T/.test(iso) ? (/(Z|[+-]\d{2}:\d{2})$/.test(iso) ? iso : `${iso}Z`) : `${iso}T00:00Z`;
  const date = new Date(withZone);
  if (Number.isNaN(date.getTime())) return undefined;
  // Refuse dates that Date silently rolls over (2026-02-30).
  if (date.toISOString().slice(0, 10) !== iso.slice(0, 10) && !/[+-]\d{2}:\d{2}$/.test(iso)) return undefined;
  return date;
}

const SCHEDULE_FIELDS: ReadonlyArray<keyof CycleSchedule> = [
  'opensAt',
  'secondingAt',
  'consentAt',
  'choiceAt',
  'closesAt',
];

/** The usual dates of a month's cycle (UTC): nominations from the 1st, seconding the 11th, consent the 16th, choice the 21st to the 28th. */
export function defaultSchedule(month: string): CycleSchedule {
  const at = (day: number) => new Date(`${month}-${String(day).padStart(2, '0')}T00:00:00Z`);
  return { opensAt: at(1), secondingAt: at(11), consentAt: at(16), choiceAt: at(21), closesAt: at(28) };
}

/** Splits a list typed with commas or new lines into its trimmed, non-empty items. */
export const splitList = (value: string): string[] =>
  value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** Checks a cycle form: what to save, or each field's problem as a message key. The dates must follow one another. */
export function validateCycle(form: CycleForm): { input: CycleInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const month = form.month.trim();
  if (!MONTH.test(month)) errors.month = 'celebration-error-month';
  const schedule: Partial<CycleSchedule> = {};
  let previous: Date | undefined;
  for (const field of SCHEDULE_FIELDS) {
    const typed = form[field].trim();
    const date = typed ? parseInstant(typed) : undefined;
    if (!typed) errors[field] = 'form-error-required';
    else if (!date) errors[field] = 'celebration-error-date';
    else if (previous && date.getTime() <= previous.getTime()) errors[field] = 'celebration-error-date-order';
    if (date) {
      schedule[field] = date;
      previous = date;
    }
  }
  const choiceMode = CHOICE_MODES.find((mode) => mode === form.choiceMode);
  if (!choiceMode) errors.choiceMode = 'form-error-choose';
  const committee = [...new Set(splitList(form.committee).map((name) => name.normalize('NFC')))];
  if (choiceMode === 'committee' && committee.length === 0) errors.committee = 'celebration-error-committee-required';
  if (committee.length > 50) errors.committee = 'form-error-too-long';
  if (Object.keys(errors).length) return { errors };
  return {
    input: { month, ...(schedule as CycleSchedule), choiceMode: choiceMode!, committee },
  };
}
