import type { Cue } from './cue.ts';

// Two versions of a cue list compared cue by cue, for history diffs and the editor's merge view.
// Pure and without Node imports: the browser editor bundles it. Common cues at both ends are
// matched first (edits usually touch a few cues of a long track, so this is linear there); the
// rest by longest common subsequence when small, else anchored on cues found once in each (patience).

/** One step from `before` to `after`: a cue kept, added, removed, or changed in place. */
export interface CueOperation {
  kind: 'same' | 'added' | 'removed' | 'changed';
  before?: Cue;
  after?: Cue;
}

/** Above this many cell comparisons the middle part is aligned by position instead of by LCS. */
const LCS_LIMIT = 4_000_000;

// Fields in a fixed order: cues read back from the database have their keys in another order.
const key = ({ startTime, endTime, text, id, settings: s }: Cue) =>
  `${startTime}|${endTime}|${id}|${s.vertical}|${s.line}|${s.snapToLines}|${s.lineAlign}|${s.position}|${s.positionAlign}|${s.size}|${s.align}|${s.region}|${text}`;

/** The operations that turn `before` into `after`, in order. */
export function diffCues(before: readonly Cue[], after: readonly Cue[]): CueOperation[] {
  const a = before.map(key);
  const b = after.map(key);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const operations: CueOperation[] = [];
  for (let i = 0; i < start; i++) operations.push({ kind: 'same', before: before[i], after: after[i] });
  const middle: Step[] = [];
  align(a, b, start, endA, start, endB, middle);
  pairChanges(middle, before, after, operations);
  for (let i = endA, j = endB; i < a.length; i++, j++) operations.push({ kind: 'same', before: before[i], after: after[j] });
  return operations;
}

/** How many cues differ between two versions (a changed cue counts once). */
export function countChangedCues(before: readonly Cue[], after: readonly Cue[]): number {
  return diffCues(before, after).reduce((count, operation) => count + (operation.kind === 'same' ? 0 : 1), 0);
}

type Step = { kind: 'same' | 'added' | 'removed'; i: number; j: number };

/**
 * Aligns a[fromA, toA) with b[fromB, toB): by LCS when small; otherwise on cues that occur once in
 * each (patience diff: the longest increasing run of them), recursing into the gaps between.
 */
function align(a: readonly string[], b: readonly string[], fromA: number, toA: number, fromB: number, toB: number, out: Step[]): void {
  while (fromA < toA && fromB < toB && a[fromA] === b[fromB]) out.push({ kind: 'same', i: fromA++, j: fromB++ });
  const tail: Step[] = [];
  while (toA > fromA && toB > fromB && a[toA - 1] === b[toB - 1]) tail.push({ kind: 'same', i: --toA, j: --toB });
  if ((toA - fromA) * (toB - fromB) <= LCS_LIMIT) out.push(...alignByLcs(a, b, fromA, toA, fromB, toB));
  else {
    const anchors = uniqueAnchors(a, b, fromA, toA, fromB, toB);
    if (anchors.length === 0) out.push(...alignByPosition(fromA, toA, fromB, toB));
    let i = fromA;
    let j = fromB;
    for (const [anchorA, anchorB] of anchors) {
      align(a, b, i, anchorA, j, anchorB, out);
      out.push({ kind: 'same', i: anchorA, j: anchorB });
      i = anchorA + 1;
      j = anchorB + 1;
    }
    if (anchors.length) align(a, b, i, toA, j, toB, out);
  }
  for (let k = tail.length - 1; k >= 0; k--) out.push(tail[k]!);
}

/** Pairs of positions of cues unique in both ranges, as the longest run increasing in both. */
function uniqueAnchors(a: readonly string[], b: readonly string[], fromA: number, toA: number, fromB: number, toB: number): [number, number][] {
  const inA = new Map<string, number>();
  for (let i = fromA; i < toA; i++) inA.set(a[i]!, inA.has(a[i]!) ? -1 : i);
  const inB = new Map<string, number>();
  for (let j = fromB; j < toB; j++) inB.set(b[j]!, inB.has(b[j]!) ? -1 : j);
  const pairs: [number, number][] = [];
  for (let i = fromA; i < toA; i++) {
    const j = inB.get(a[i]!);
    if (inA.get(a[i]!) === i && j !== undefined && j >= 0) pairs.push([i, j]);
  }
  // Longest increasing subsequence of the b positions (patience sorting), O(k log k).
  const tails: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (pairs[tails[middle]!]![1] < pairs[k]![1]) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[k] = tails[low - 1]!;
    tails[low] = k;
  }
  const run: [number, number][] = [];
  for (let k = tails.length ? tails[tails.length - 1]! : -1; k >= 0; k = previous[k]!) run.push(pairs[k]!);
  return run.reverse();
}

function alignByLcs(a: readonly string[], b: readonly string[], startA: number, endA: number, startB: number, endB: number): Step[] {
  const n = endA - startA;
  const m = endB - startB;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = a[startA + i] === b[startB + j]
        ? table[(i + 1) * (m + 1) + j + 1]! + 1
        : Math.max(table[(i + 1) * (m + 1) + j]!, table[i * (m + 1) + j + 1]!);
    }
  }
  const steps: Step[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[startA + i] === b[startB + j]) steps.push({ kind: 'same', i: startA + i++, j: startB + j++ });
    else if (j < m && (i === n || table[i * (m + 1) + j + 1]! >= table[(i + 1) * (m + 1) + j]!)) steps.push({ kind: 'added', i: startA + i, j: startB + j++ });
    else steps.push({ kind: 'removed', i: startA + i++, j: startB + j });
  }
  return steps;
}

function alignByPosition(fromA: number, toA: number, fromB: number, toB: number): Step[] {
  const steps: Step[] = [];
  for (let k = 0; fromA + k < toA || fromB + k < toB; k++) {
    if (fromA + k < toA) steps.push({ kind: 'removed', i: fromA + k, j: fromB + k });
    if (fromB + k < toB) steps.push({ kind: 'added', i: fromA + k, j: fromB + k });
  }
  return steps;
}

/** Turns each run of removed and added cues into changes, pairwise in order; the rest stay removed or added. */
function pairChanges(steps: Step[], before: readonly Cue[], after: readonly Cue[], out: CueOperation[]): void {
  let index = 0;
  while (index < steps.length) {
    const step = steps[index]!;
    if (step.kind === 'same') {
      out.push({ kind: 'same', before: before[step.i], after: after[step.j] });
      index++;
      continue;
    }
    const removed: number[] = [];
    const added: number[] = [];
    while (index < steps.length && steps[index]!.kind !== 'same') {
      const run = steps[index++]!;
      if (run.kind === 'removed') removed.push(run.i);
      else added.push(run.j);
    }
    const pairs = Math.min(removed.length, added.length);
    for (let k = 0; k < pairs; k++) out.push({ kind: 'changed', before: before[removed[k]!], after: after[added[k]!] });
    for (let k = pairs; k < removed.length; k++) out.push({ kind: 'removed', before: before[removed[k]!] });
    for (let k = pairs; k < added.length; k++) out.push({ kind: 'added', after: after[added[k]!] });
  }
}
