import type { Placeholder } from '../../domain/stories/placeholders.ts';
import type { WordChange } from '../../domain/translation/word-diff.ts';
import type { TranslateBoot } from './boot.ts';
import type { UnitProblem } from './problems.ts';

// The translation API as the editor uses it. No call throws: a lost connection or an unexpected
// answer is a 'failed' outcome with a message, and the editor keeps working (drafts stay kept).

/** Where a unit's translation stands (as domain/translation/unit-row.ts says). */
export type TranslationState = 'untranslated' | 'draft' | 'review' | 'approved' | 'outdated';

/** One unit as the API presents it. */
export interface TranslationUnit {
  id: string;
  part: 'title' | 'summary' | 'body';
  block: number;
  blockType: 'paragraph' | 'heading' | 'quote' | null;
  source: string;
  placeholders: Placeholder[];
  sourceVersion: number;
  previousSource: string | null;
  diff: WordChange[] | null;
  text: string;
  state: TranslationState;
  revision: number;
  origin: string | null;
  translator: string | null;
  translatorBot: boolean;
  reviewer: string | null;
  reviewerBot: boolean;
  feedback: string | null;
  updatedAt: string | null;
  comments: number;
}

export type MachineAvailability = 'available' | 'no-pair' | 'off';
export interface MemoryMatch {
  score: number;
  source: string;
  target: string;
  origin: string;
}
export type MachineAnswer =
  | { ok: true; text: string; engine: string }
  | { ok: false; reason: 'no-pair' | 'unavailable' | 'timeout' | 'bad-answer'; message: string };
export interface UnitComment {
  id: number;
  body: string;
  at: string;
  user: string | null;
  bot: boolean;
  viaToken: string | null;
}
export interface HistoryEntry {
  revision: number;
  text: string;
  state: string;
  action: string;
  origin: string;
  comment: string | null;
  at: string;
  user: string | null;
  bot: boolean;
  viaToken: string | null;
}
export interface ReviewResult {
  approved: string[];
  sentBack: string[];
  refused: { unitId: string; reason: 'own-translation' | 'not-awaiting-review' | 'outdated' }[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

export type SaveOutcome =
  | { kind: 'saved'; unit: TranslationUnit; warnings: UnitProblem[] }
  | { kind: 'conflict'; code: 'edit_conflict' | 'source_changed'; current: TranslationUnit }
  | { kind: 'refused'; problems: UnitProblem[]; message: string }
  | { kind: 'failed'; message: string };

type Json = Record<string, any>;

async function call(
  boot: TranslateBoot,
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<{ status: number; json: Json } | { status: 0; message: string }> {
  const writing = init.method !== undefined && init.method !== 'GET';
  try {
    const response = await fetch(`${boot.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(writing ? { 'content-type': 'application/json', 'csrf-token': boot.csrfToken } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      credentials: 'same-origin',
      ...(init.signal ? { signal: init.signal } : {}),
    });
    return { status: response.status, json: ((await response.json().catch(() => ({}))) ?? {}) as Json };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { status: 0, message: timedOut ? 'timeout' : error instanceof Error ? error.message : String(error) };
  }
}

async function read<T>(boot: TranslateBoot, path: string, init?: Parameters<typeof call>[2]): Promise<Result<T>> {
  const answer = await call(boot, path, init);
  if ('message' in answer) return { ok: false, status: 0, message: answer.message };
  if (answer.status >= 200 && answer.status < 300) return { ok: true, value: answer.json as T };
  return { ok: false, status: answer.status, message: String(answer.json.error?.message ?? `HTTP ${answer.status}`) };
}

const unitPath = (id: string, rest = '') => `/units/${encodeURIComponent(id)}${rest}`;

/** The story's units with their translations, and whether the machine engine offers the pair. */
export const loadTranslation = (boot: TranslateBoot) =>
  read<{ machine: MachineAvailability; percent: number; units: TranslationUnit[] }>(boot, '');

/** Saves one unit from the revision and source version the work started from (compare-and-set). */
export async function saveUnit(
  boot: TranslateBoot,
  id: string,
  body: {
    baseRevision: number;
    sourceVersion: number;
    text: string;
    state: 'draft' | 'review';
    origin: string;
  },
): Promise<SaveOutcome> {
  const answer = await call(boot, unitPath(id), { method: 'PUT', body });
  if ('message' in answer) return { kind: 'failed', message: answer.message };
  const { status, json } = answer;
  if (status === 200) return { kind: 'saved', unit: json.unit, warnings: json.warnings ?? [] };
  if (status === 409 && json.current)
    return {
      kind: 'conflict',
      code: json.error?.code === 'source_changed' ? 'source_changed' : 'edit_conflict',
      current: json.current,
    };
  if (status === 400 && json.error?.code === 'invalid_translation')
    return { kind: 'refused', problems: json.error.problems ?? [], message: String(json.error.message ?? '') };
  return { kind: 'failed', message: String(json.error?.message ?? `HTTP ${status}`) };
}

export const reviewUnits = (boot: TranslateBoot, units: string[], decision: 'approve' | 'send-back', comment: string) =>
  read<ReviewResult>(boot, '/review', { method: 'POST', body: { units, decision, comment } });

export const memoryMatches = (boot: TranslateBoot, id: string) =>
  read<{ matches: MemoryMatch[] }>(boot, unitPath(id, '/memory'));

/** A machine suggestion; the engine may be slow or gone, so the wait is bounded. */
export async function machineSuggestion(boot: TranslateBoot, id: string, withinMs = 20_000): Promise<MachineAnswer> {
  const answer = await read<MachineAnswer>(boot, unitPath(id, '/machine'), { signal: AbortSignal.timeout(withinMs) });
  if (answer.ok) return answer.value;
  return { ok: false, reason: answer.message === 'timeout' ? 'timeout' : 'unavailable', message: answer.message };
}

export const unitComments = (boot: TranslateBoot, id: string) =>
  read<{ comments: UnitComment[] }>(boot, unitPath(id, '/comments'));

export const addUnitComment = (boot: TranslateBoot, id: string, body: string) =>
  read<{ comments: UnitComment[] }>(boot, unitPath(id, '/comments'), { method: 'POST', body: { body } });

export const unitHistory = (boot: TranslateBoot, id: string) =>
  read<{ history: HistoryEntry[] }>(boot, unitPath(id, '/history'));
