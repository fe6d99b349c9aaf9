// Translation units keep their ids across edits of the source, so each translation stays attached
// to the sentence it translates: an unchanged sentence keeps its id wherever it moves, an edited
// one keeps its id (its translations become outdated), new text gets a new id, and an id is never
// given to other text again.

/** A unit of the source as stored: its id and its text. */
export interface SourceUnit {
  id: string;
  text: string;
}

/** What happened to a unit in an edit of the source. */
export type UnitChange = 'same' | 'edited' | 'new';

export interface AlignedUnit extends SourceUnit {
  change: UnitChange;
  /** For an edited unit: the text it had before (for the translator's diff). */
  before?: string;
}

/** How alike two texts must be (0–1, shared character pairs) for an edit to count as the same unit. */
export const SAME_UNIT_SIMILARITY = 0.5;

/** The character pairs of a text, counted (spacing and case ignored); they work in every script, CJK included. */
function bigrams(text: string): Map<string, number> {
  const characters = [...text.toLowerCase().replace(/\s+/gu, ' ').trim()];
  const pairs = new Map<string, number>();
  for (let i = 0; i < characters.length - 1; i++) {
    const pair = characters[i]! + characters[i + 1]!;
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  return pairs;
}

/** Dice's coefficient over character pairs: 1 for the same text, 0 for texts that share no pair. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const left = bigrams(a);
  const right = bigrams(b);
  let total = 0;
  let shared = 0;
  for (const count of left.values()) total += count;
  for (const [pair, count] of right) {
    total += count;
    shared += Math.min(count, left.get(pair) ?? 0);
  }
  return total === 0 ? 0 : (2 * shared) / total;
}

/**
 * Gives the units of an edited source their ids: `previous` are the units as stored, `next` the
 * texts they are now, in order; `newId` makes an id never used before (the caller keeps a counter).
 * First every unchanged text keeps its id, wherever it moved (the first unused unit with that text);
 * then, between two unchanged units, the most alike pairs of what is left (at least
 * SAME_UNIT_SIMILARITY) are the same unit edited; the rest is new. Also returns the ids no longer used.
 */
export function alignUnits(
  previous: readonly SourceUnit[],
  next: readonly string[],
  newId: () => string,
): { units: AlignedUnit[]; removed: string[] } {
  const unused = new Map<string, number[]>();
  previous.forEach((unit, index) => unused.set(unit.text, [...(unused.get(unit.text) ?? []), index]));
  const matchedOld = new Array<boolean>(previous.length).fill(false);
  const oldFor = new Array<number | undefined>(next.length).fill(undefined);
  next.forEach((text, index) => {
    const candidates = unused.get(text);
    const old = candidates?.shift();
    if (old === undefined) return;
    oldFor[index] = old;
    matchedOld[old] = true;
  });

  // Edits: in each run of unmatched new texts, look at the unmatched old units between the same anchors.
  let start = 0;
  while (start < next.length) {
    if (oldFor[start] !== undefined) {
      start++;
      continue;
    }
    let end = start;
    while (end < next.length && oldFor[end] === undefined) end++;
    const before = [...oldFor.slice(0, start)].reverse().find((old) => old !== undefined);
    const after = oldFor.slice(end).find((old) => old !== undefined);
    const low = before === undefined ? 0 : before + 1;
    const high = after === undefined ? previous.length : after;
    const pairs: Array<{ added: number; old: number; score: number }> = [];
    for (let added = start; added < end; added++) {
      for (let old = low; old < high; old++) {
        if (matchedOld[old]) continue;
        const score = similarity(previous[old]!.text, next[added]!);
        if (score >= SAME_UNIT_SIMILARITY) pairs.push({ added, old, score });
      }
    }
    pairs.sort((a, b) => b.score - a.score || a.added - b.added || a.old - b.old);
    for (const { added, old } of pairs) {
      if (oldFor[added] !== undefined || matchedOld[old]) continue;
      oldFor[added] = old;
      matchedOld[old] = true;
    }
    start = end;
  }

  const units = next.map((text, index): AlignedUnit => {
    const old = oldFor[index];
    if (old === undefined) return { id: newId(), text, change: 'new' };
    const unit = previous[old]!;
    return unit.text === text
      ? { id: unit.id, text, change: 'same' }
      : { id: unit.id, text, change: 'edited', before: unit.text };
  });
  return { units, removed: previous.filter((_, index) => !matchedOld[index]).map((unit) => unit.id) };
}
