// Unsaved translations kept in the browser until the server has them, unit by unit: a closed tab,
// a crash or a lost connection loses nothing. Each keeps the revision and source version its work
// started from, so a unit saved by someone else meanwhile comes back as a conflict to merge.

/** A unit's translation being edited and not saved yet. */
export interface UnitEdit {
  /** The translation with placeholder markers, as it will be saved. */
  text: string;
  /** Where the text came from: human, memory or machine:ENGINE. */
  origin: string;
  baseRevision: number;
  sourceVersion: number;
}

const key = (slug: string, language: string) => `storyhub:translate:${slug}:${language}`;

const isEdit = (value: unknown): value is UnitEdit => {
  const edit = value as UnitEdit | null;
  return (
    typeof edit === 'object' &&
    edit !== null &&
    typeof edit.text === 'string' &&
    typeof edit.origin === 'string' &&
    typeof edit.baseRevision === 'number' &&
    typeof edit.sourceVersion === 'number'
  );
};

/** The kept edits by unit id (none when storage is unavailable or the entry is damaged). */
export function loadEdits(slug: string, language: string): Record<string, UnitEdit> {
  try {
    const kept = JSON.parse(localStorage.getItem(key(slug, language)) ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(kept ?? {}).filter((entry): entry is [string, UnitEdit] => isEdit(entry[1])),
    );
  } catch {
    return {};
  }
}

/** Keeps the edits (all of them: the entry is replaced); false when the browser refused. */
export function keepEdits(slug: string, language: string, edits: Record<string, UnitEdit>): boolean {
  try {
    if (Object.keys(edits).length) localStorage.setItem(key(slug, language), JSON.stringify(edits));
    else localStorage.removeItem(key(slug, language));
    return true;
  } catch {
    return false;
  }
}
