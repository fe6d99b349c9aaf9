import type { Cue } from '../../domain/subtitles/cue.ts';

// Unsaved work kept in the browser until the server has it: a closed tab, a crash or a lost
// connection loses nothing. One draft per story and language, with the revision it started from.

export interface Draft {
  baseRevision: number;
  cues: Cue[];
  sourceLanguage: string | null;
  keptAt: string;
}

const key = (slug: string, language: string) => `storyhub:subtitles:${slug}:${language}`;

/** The kept draft, or null (also when storage is unavailable or the entry is damaged). */
export function loadDraft(slug: string, language: string): Draft | null {
  try {
    const value = JSON.parse(localStorage.getItem(key(slug, language)) ?? 'null') as Draft | null;
    return value && Array.isArray(value.cues) && typeof value.baseRevision === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** Keeps the draft; false when the browser refused (storage full or disabled). */
export function keepDraft(slug: string, language: string, draft: Draft): boolean {
  try {
    localStorage.setItem(key(slug, language), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

/** Forgets the draft once the server has saved it. */
export function forgetDraft(slug: string, language: string): void {
  try {
    localStorage.removeItem(key(slug, language));
  } catch {
    // Nothing kept, nothing to forget.
  }
}
