import type { FieldErrors } from '../forms/fields.ts';
import { splitList } from './cycle.ts';

// A nomination for the monthly celebration: who (a username on a home wiki, a human or a bot with
// its operators and what it does), why (reasons, evidence links), filed under a region and a
// category. Every typed text carries the language its writer says it is written in (one of the
// site's), so pages can mark it with its own direction. Lengths are counted in graphemes (what a
// reader sees as one character), so a limit means the same in Hindi, Chinese or English.

export type NomineeKind = 'human' | 'bot';
export const NOMINEE_KINDS: readonly NomineeKind[] = ['human', 'bot'];

export type Category = 'newcomer' | 'technical' | 'media' | 'organiser' | 'lifetime';
export const CATEGORIES: readonly Category[] = ['newcomer', 'technical', 'media', 'organiser', 'lifetime'];

/**
 * Where a nomination stands: open (nominations and seconding), awaiting consent, consented (a
 * candidate), refused by the nominee, hidden by a moderator, withdrawn, or chosen. None is deleted.
 */
export type NominationState = 'open' | 'awaiting_consent' | 'consented' | 'refused' | 'hidden' | 'withdrawn' | 'chosen';

export const NOMINATION_LIMITS = {
  nominee: 85,
  homeWiki: 100,
  operators: 5,
  botTasksMin: 10,
  botTasksMax: 500,
  reasonsMin: 20,
  reasonsMax: 2000,
  evidence: 10,
  link: 500,
  secondReason: 500,
  anecdote: 1000,
  hideReason: 500,
} as const;

/** The nomination form as typed: every field a string (operators and evidence one per line or comma). */
export interface NominationForm {
  nominee: string;
  homeWiki: string;
  kind: string;
  operators: string;
  botTasks: string;
  region: string;
  category: string;
  reasons: string;
  evidence: string;
  /** The language the reasons are written in ("Written in"); absent from a form that did not ask (kept as unknown). */
  language?: string;
}

export interface NominationInput {
  nominee: string;
  homeWiki: string;
  kind: NomineeKind;
  /** A bot's operators (usernames); empty for a human. */
  operators: string[];
  /** What a bot does; null for a human. */
  botTasks: string | null;
  regionId: number;
  category: Category;
  reasons: string;
  evidence: string[];
  /** The language the reasons (and a bot's tasks) are written in; null when the form did not say. */
  language: string | null;
}

let graphemes: Intl.Segmenter | undefined;
/** The number of user-perceived characters (grapheme clusters) in `text`. */
export function graphemeCount(text: string): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

// Controls and invisible direction overrides have no place in a name: they could make one name
// look like another. Line breaks are kept in texts, not in names.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const NAME_FORBIDDEN = /[#<>[\]|{}/@:=\n\t\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** A typed text made tidy: NFC, Windows line breaks made plain, controls dropped, trimmed. */
export const cleanText = (value: string): string =>
  value.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROLS, '').trim();

/** A username as MediaWiki writes it: underscores as spaces, single spaces, the first letter upper-case. */
export function normalizeUsername(value: string): string {
  const name = value.normalize('NFC').replace(/_/g, ' ').replace(/\s+/gu, ' ').trim();
  return name.charAt(0).toLocaleUpperCase('en') + name.slice(1);
}

/** Whether two usernames name the same account (as MediaWiki compares them, ignoring case here). */
export const sameUsername = (a: string, b: string): boolean =>
  normalizeUsername(a).toLowerCase() === normalizeUsername(b).toLowerCase();

const isUsername = (name: string) =>
  name.length > 0 && graphemeCount(name) <= NOMINATION_LIMITS.nominee && !NAME_FORBIDDEN.test(name);

/** A home wiki as its host name (`sw.wikipedia.org`), whether typed as a host or an address; '' when it is not one. */
export function normalizeHomeWiki(value: string): string {
  let host = value.trim().toLowerCase();
  if (/^https?:\/\//.test(host)) {
    if (!URL.canParse(host)) return '';
    host = new URL(host).hostname;
  }
  host = host.replace(/\/+$/, '');
  return /^(?=.{4,100}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(host) ? host : '';
}

/** Whether `value` is an http(s) address with a host (the only evidence links kept). */
export function isWebLink(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
}

/**
 * The "Written in" choice of a form: one of the site's enabled `languages`, null when the form did
 * not have the field (a page from before it was asked: the text's language stays unknown), or the
 * field's problem as a message key.
 */
export function checkWrittenIn(
  value: string | undefined,
  languages: ReadonlySet<string>,
): { language: string | null } | { error: string } {
  if (value === undefined) return { language: null };
  return languages.has(value) ? { language: value } : { error: 'celebration-error-written-in' };
}

/** A text's length problem, counted in graphemes: a message key or undefined. */
function checkLength(text: string, min: number, max: number, short: string): string | undefined {
  if (!text) return 'form-error-required';
  const count = graphemeCount(text);
  if (count < min) return short;
  if (count > max) return 'form-error-too-long';
  return undefined;
}

/**
 * Checks a nomination form by `nominator` (a username): what to save, or each field's problem as a
 * message key. Nominating oneself, or a bot one operates, is refused.
 */
export function validateNomination(
  form: NominationForm,
  known: { regionIds: ReadonlySet<number>; languages: ReadonlySet<string> },
  nominator: string,
): { input: NominationInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const nominee = normalizeUsername(form.nominee);
  if (!nominee) errors.nominee = 'form-error-required';
  else if (!isUsername(nominee)) errors.nominee = 'celebration-error-username';

  const homeWiki = normalizeHomeWiki(form.homeWiki);
  if (!form.homeWiki.trim()) errors.homeWiki = 'form-error-required';
  else if (!homeWiki) errors.homeWiki = 'celebration-error-home-wiki';

  const kind = NOMINEE_KINDS.find((each) => each === form.kind);
  if (!kind) errors.kind = 'form-error-choose';
  let operators: string[] = [];
  let botTasks: string | null = null;
  if (kind === 'bot') {
    operators = dedupe(splitList(form.operators).map(normalizeUsername));
    if (!operators.length) errors.operators = 'celebration-error-operators-required';
    else if (operators.length > NOMINATION_LIMITS.operators) errors.operators = 'form-error-too-long';
    else if (!operators.every(isUsername)) errors.operators = 'celebration-error-username';
    else if (operators.some((operator) => sameUsername(operator, nominee)))
      errors.operators = 'celebration-error-operator-is-bot';
    botTasks = cleanText(form.botTasks);
    const tasksError = checkLength(
      botTasks,
      NOMINATION_LIMITS.botTasksMin,
      NOMINATION_LIMITS.botTasksMax,
      'celebration-error-bot-tasks-short',
    );
    if (tasksError) errors.botTasks = tasksError;
  }

  const regionId = Number(form.region);
  if (!form.region.trim() || !known.regionIds.has(regionId)) errors.region = 'form-error-choose';
  const category = CATEGORIES.find((each) => each === form.category);
  if (!category) errors.category = 'form-error-choose';

  const reasons = cleanText(form.reasons);
  const reasonsError = checkLength(
    reasons,
    NOMINATION_LIMITS.reasonsMin,
    NOMINATION_LIMITS.reasonsMax,
    'celebration-error-reasons-short',
  );
  if (reasonsError) errors.reasons = reasonsError;
  const writtenIn = checkWrittenIn(form.language, known.languages);
  if ('error' in writtenIn) errors.language = writtenIn.error;

  const evidence = dedupe(splitList(form.evidence.replace(/\s+/gu, '\n')));
  if (evidence.length > NOMINATION_LIMITS.evidence) errors.evidence = 'celebration-error-evidence-too-many';
  else if (evidence.some((link) => link.length > NOMINATION_LIMITS.link || !isWebLink(link)))
    errors.evidence = 'celebration-error-evidence-link';

  if (
    !errors.nominee &&
    (sameUsername(nominee, nominator) || operators.some((operator) => sameUsername(operator, nominator)))
  )
    errors.nominee = 'celebration-error-self-nomination';

  if (Object.keys(errors).length) return { errors };
  return {
    input: {
      nominee,
      homeWiki,
      kind: kind!,
      operators,
      botTasks,
      regionId,
      category: category!,
      reasons,
      evidence,
      language: 'language' in writtenIn ? writtenIn.language : null,
    },
  };
}

function dedupe(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Checks a seconding's reason (required, short) and its "Written in" (one of `languages`): what to keep, or each field's problem. */
export function validateSecond(
  reason: string,
  language: string | undefined,
  languages: ReadonlySet<string>,
): { reason: string; language: string | null } | { errors: FieldErrors } {
  const text = cleanText(reason);
  const errors: FieldErrors = {};
  const error = checkLength(text, 1, NOMINATION_LIMITS.secondReason, 'form-error-required');
  if (error) errors.reason = error;
  const writtenIn = checkWrittenIn(language, languages);
  if ('error' in writtenIn) errors.language = writtenIn.error;
  if ('error' in writtenIn || error) return { errors };
  return { reason: text, language: writtenIn.language };
}

/** Checks an anecdote and its "Written in" (one of `languages`): what to keep, or each field's problem. */
export function validateAnecdote(
  body: string,
  language: string | undefined,
  languages: ReadonlySet<string>,
): { body: string; language: string | null } | { errors: FieldErrors } {
  const text = cleanText(body);
  const errors: FieldErrors = {};
  const error = checkLength(text, 1, NOMINATION_LIMITS.anecdote, 'form-error-required');
  if (error) errors.body = error;
  const writtenIn = checkWrittenIn(language, languages);
  if ('error' in writtenIn) errors.language = writtenIn.error;
  if ('error' in writtenIn || error) return { errors };
  return { body: text, language: writtenIn.language };
}

/** Checks a moderator's reason for hiding a nomination (kept with it, never shown to the public). */
export function validateHideReason(reason: string): { reason: string } | { errors: FieldErrors } {
  const text = cleanText(reason);
  const error = checkLength(text, 1, NOMINATION_LIMITS.hideReason, 'form-error-required');
  return error ? { errors: { reason: error } } : { reason: text };
}

/** Who looks at a nomination: nobody signed in (null), or an account and whether it moderates. */
export type NominationViewer = { userId: number; username: string; moderator: boolean } | null;

/** What a viewer is told of a nomination's state; null when the viewer may not see it at all. */
export type ShownState = NominationState | 'not-going-ahead';

/**
 * What `viewer` may see of a nomination. Nothing about a nominee is public before they agree: the
 * public sees consented and chosen nominations only; signed-in members also see open ones (to
 * second them) and those awaiting consent. A refusal is quiet: the nominator learns only that the
 * nomination will not go ahead (the same for a hidden one), and others see nothing. Moderators see all.
 */
export function shownState(
  nomination: { state: NominationState; nominatorId: number | null; nominee: string; operators: readonly string[] },
  viewer: NominationViewer,
): ShownState | null {
  const { state } = nomination;
  if (viewer?.moderator) return state;
  if (state === 'consented' || state === 'chosen') return state;
  if (!viewer) return null;
  const isNominator = nomination.nominatorId === viewer.userId;
  const isNominee =
    sameUsername(nomination.nominee, viewer.username) ||
    nomination.operators.some((operator) => sameUsername(operator, viewer.username));
  if (state === 'open' || state === 'awaiting_consent') return state;
  if (state === 'refused' || state === 'withdrawn') return isNominee ? state : isNominator ? 'not-going-ahead' : null;
  if (state === 'hidden') return isNominator ? 'not-going-ahead' : null;
  return null;
}

/** Whether `username` may answer for the nominee: the nominee themself, or for a bot one of its operators. */
export function answersFor(
  nomination: { kind: NomineeKind; nominee: string; operators: readonly string[] },
  username: string,
): boolean {
  if (nomination.kind === 'bot') return nomination.operators.some((operator) => sameUsername(operator, username));
  return sameUsername(nomination.nominee, username);
}

/** A nomination as every layer sees it (the service decides what each viewer is shown of it). */
export interface Nomination {
  id: number;
  cycleId: number;
  nominee: string;
  homeWiki: string;
  kind: NomineeKind;
  operators: string[];
  botTasks: string | null;
  regionId: number;
  category: Category;
  reasons: string;
  evidence: string[];
  /** The language the reasons (and a bot's tasks) are written in; null when nobody said (nominations from before it was asked). */
  language: string | null;
  nominatorId: number | null;
  nominator: string | null;
  /** The nominator's account is a bot's. */
  nominatorBot: boolean;
  state: NominationState;
  revision: number;
  /** Seconds, those that came as a second nomination of the same nominee included. */
  seconds: number;
  hiddenReason: string | null;
  hiddenBy: string | null;
  hiddenAt: Date | null;
  /** When the nominee (or a bot's operator) agreed or refused. */
  answeredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Seconding {
  userId: number;
  username: string;
  /** The seconder's account is a bot's. */
  bot: boolean;
  reason: string;
  /** The language the reason is written in; null when nobody said. */
  language: string | null;
  evidence: string[];
  /** It came as a second nomination of the same nominee. */
  fromNomination: boolean;
  createdAt: Date;
}

export type AnecdoteState = 'pending' | 'approved' | 'refused';
export interface Anecdote {
  id: number;
  nominationId: number;
  authorId: number | null;
  author: string | null;
  /** The author's account is a bot's. */
  authorBot: boolean;
  body: string;
  /** The language the anecdote is written in; null when nobody said. */
  language: string | null;
  state: AnecdoteState;
  moderatedBy: string | null;
  moderatedAt: Date | null;
  createdAt: Date;
}
