/**
 * What changed in what the public pages show, announced by the repositories that write it, so a
 * cache can drop exactly the pages that show it: a draft, a session or an account changes no
 * public page and is never announced. A story's own pages are its page, its transcript and its
 * subtitle files; `lists` adds the pages that list stories (home, catalog, collections, search).
 * `everything` is for what every page shows (regions, themes, people, languages).
 */
export type Change = { story: number; lists: boolean } | { everything: true };

export interface ChangeFeed {
  announce(change: Change): void;
  /** Calls `listener` with every change announced from now on; returns the way to stop. */
  subscribe(listener: (change: Change) => void): () => void;
}

/** A feed within one process (other processes' caches expire with their entries' age). */
export function changeFeed(): ChangeFeed {
  const listeners = new Set<(change: Change) => void>();
  return {
    announce(change) {
      for (const listener of listeners) listener(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
