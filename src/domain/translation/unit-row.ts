import type { StoryBlock } from '../stories/story.ts';
import type { Placeholder } from '../stories/placeholders.ts';
import type { UnitPart } from './story-units.ts';

// A story's unit with its translation in one language, as the translation editor, the API and
// exchange files see it.

/** Where a unit's translation stands. Outdated: approved or not, it translates an older source. */
export type TranslationState = 'untranslated' | 'draft' | 'review' | 'approved' | 'outdated';

export interface UnitRow {
  id: string;
  part: UnitPart;
  block: number;
  blockType: StoryBlock['type'] | null;
  /** The source text, with placeholder markers. */
  source: string;
  placeholders: Placeholder[];
  /** The source's version: a save names the one it translated. */
  sourceVersion: number;
  /** For an outdated unit: the source text its translation was made from (for the word diff). */
  previousSource: string | null;
  text: string;
  state: TranslationState;
  /** The stored state ('draft', 'review', 'approved'), also for an outdated unit; null when untranslated. */
  savedState: 'draft' | 'review' | 'approved' | null;
  /** The translation's revision; 0 when there is none yet. */
  revision: number;
  origin: string | null;
  translatorId: number | null;
  translator: string | null;
  /** Whether the translator's account is a bot. */
  translatorBot: boolean;
  reviewer: string | null;
  /** Whether the reviewer's account is a bot. */
  reviewerBot: boolean;
  /** A reviewer's reason for sending the unit back. */
  feedback: string | null;
  updatedAt: Date | null;
  comments: number;
}

export interface UnitHistoryEntry {
  revision: number;
  text: string;
  state: string;
  action: string;
  origin: string;
  comment: string | null;
  at: Date;
  user: string | null;
  /** Whether the account is a bot. */
  bot: boolean;
  /** The name of the personal API token the change was made through, if any. */
  viaToken: string | null;
}

export interface UnitComment {
  id: number;
  body: string;
  at: Date;
  user: string | null;
  /** Whether the account is a bot. */
  bot: boolean;
  /** The name of the personal API token the comment was written through, if any. */
  viaToken: string | null;
}

/** The share of a story's units published in a language, in whole per cent (rounded down, so 100 means done). */
export function percentDone(approved: number, total: number): number {
  return total === 0 ? 0 : Math.floor((100 * approved) / total);
}
