import type { Cue } from './cue.ts';
import { countChangedCues, diffCues } from './diff.ts';

// A save as what changed: runs of cues replaced at positions of the revision it started from. The
// editor sends these instead of the whole track (a one-cue edit of a 300-cue track is a few hundred
// bytes, not 80 KB), and a revision is stored as them (with a whole copy now and then). Pure and
// without Node imports: the browser editor bundles it.

/** Replace `remove` cues at position `at` of the earlier version with `insert`. */
export interface CueSplice {
  at: number;
  remove: number;
  insert: Cue[];
}

/** A splice list that cannot apply: which splice (0-based) and why. */
export interface SpliceProblem {
  splice: number;
  code: 'splice_out_of_range' | 'splices_out_of_order';
  message: string;
}

/** The splices that turn `before` into `after`: ascending, not overlapping, positions in `before`. */
export function splicesBetween(before: readonly Cue[], after: readonly Cue[]): CueSplice[] {
  const splices: CueSplice[] = [];
  let position = 0;
  let open: CueSplice | undefined;
  for (const operation of diffCues(before, after)) {
    if (operation.kind === 'same') {
      open = undefined;
      position++;
      continue;
    }
    if (!open) splices.push((open = { at: position, remove: 0, insert: [] }));
    if (operation.kind !== 'added') {
      open.remove++;
      position++;
    }
    if (operation.after) open.insert.push(operation.after);
  }
  return splices;
}

/** Problems that stop `splices` applying to a list of `length` cues (empty: they apply). */
export function checkSplices(length: number, splices: readonly CueSplice[]): SpliceProblem[] {
  let end = 0;
  for (const [index, { at, remove }] of splices.entries()) {
    if (!Number.isInteger(at) || !Number.isInteger(remove) || at < 0 || remove < 0 || at + remove > length) {
      return [
        {
          splice: index,
          code: 'splice_out_of_range',
          message: `Change ${index + 1} names cues ${at + 1} to ${at + remove} of a track of ${length}`,
        },
      ];
    }
    if (at < end)
      return [
        {
          splice: index,
          code: 'splices_out_of_order',
          message: `Change ${index + 1} starts before change ${index} ends`,
        },
      ];
    end = at + remove;
  }
  return [];
}

/** `cues` with checked splices applied (a new list; `cues` is left as it was). */
export function applySplices(cues: readonly Cue[], splices: readonly CueSplice[]): Cue[] {
  const out: Cue[] = [];
  let from = 0;
  for (const { at, remove, insert } of splices) {
    for (let i = from; i < at; i++) out.push(cues[i]!);
    for (const cue of insert) out.push(cue);
    from = at + remove;
  }
  for (let i = from; i < cues.length; i++) out.push(cues[i]!);
  return out;
}

/** How many cues the splices change (a replaced cue counts once), as countChangedCues would say. */
export function countSplicedCues(cues: readonly Cue[], splices: readonly CueSplice[]): number {
  return splices.reduce(
    (count, { at, remove, insert }) => count + countChangedCues(cues.slice(at, at + remove), insert),
    0,
  );
}
