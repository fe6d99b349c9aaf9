/**
 * What changed, announced by the repositories that write it, so a cache can drop exactly what
 * shows it: a draft or a session changes no public page and is never announced. A story's own
 * pages are its page, its transcript and its subtitle files; `lists` adds the pages that list
 * stories (home, catalog, collections, search). `everything` is for what every page shows
 * (regions, themes, people, languages). `account` is an account's roles or name: no public page
 * shows them, but every process keeps who its signed-in visitors are (services/accounts.ts).
 */
export type Change = { story: number; lists: boolean } | { everything: true } | { account: number };

export interface ChangeFeed {
  /** A change made by this process: its listeners hear it, and so (through the bus) do other processes. */
  announce(change: Change): void;
  /** A change another process made (heard on the bus): this process's listeners hear it. */
  receive(change: Change): void;
  /** Calls `listener` with every change from now on, and whether it came from another process; returns the way to stop. */
  subscribe(listener: (change: Change, fromElsewhere: boolean) => void): () => void;
}

/** The changes of one process; `shareChanges` (change-bus.ts) joins the feeds of processes sharing a PostgreSQL server. */
export function changeFeed(): ChangeFeed {
  const listeners = new Set<(change: Change, fromElsewhere: boolean) => void>();
  const tell = (change: Change, fromElsewhere: boolean) => {
    for (const listener of listeners) listener(change, fromElsewhere);
  };
  return {
    announce: (change) => tell(change, false),
    receive: (change) => tell(change, true),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
