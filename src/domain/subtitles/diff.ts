import type { Cue } from './cue.ts';

// Two versions of a cue list compared cue by cue, for history diffs and the editor's merge view.
// Pure and without Node imports: the browser editor bundles it. Common cues at both ends are
// matched first (edits usually touch a few cues of a long track, so this is linear there); the
// rest is aligned by longest common subsequence when small, and position by position when not.

/** One step from `before` to `after`: a cue kept, added, removed, or changed in place. */
export interface CueOperation {
  kind: 'same' | 'added' | 'removed' | 'changed';
  before?: Cue;
  after?: Cue;
}

/** Above this many cell comparisons the middle part is aligned by position instead of by LCS. */
const LCS_LIMIT = 4_000_000;

const key = (cue: Cue) => `${cue.startTime}|${cue.endTime}|${cue.text}|${cue.id}|${JSON.stringify(cue.settings)}`;

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
  const middle = (endA - start) * (endB - start) <= LCS_LIMIT ? alignByLcs(a, b, start, endA, endB) : alignByPosition(start, endA, endB);
  pairChanges(middle, before, after, operations);
  for (let i = endA, j = endB; i < a.length; i++, j++) operations.push({ kind: 'same', before: before[i], after: after[j] });
  return operations;
}

/** How many cues differ between two versions (a changed cue counts once). */
export function countChangedCues(before: readonly Cue[], after: readonly Cue[]): number {
  return diffCues(before, after).reduce((count, operation) => count + (operation.kind === 'same' ? 0 : 1), 0);
}

type Step = { kind: 'same' | 'added' | 'removed'; i: number; j: number };

function alignByLcs(a: readonly string[], b: readonly string[], start: number, endA: number, endB: number): Step[] {
  const n = endA - start;
  const m = endB - start;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = a[start + i] === b[start + j]
        ? table[(i + 1) * (m + 1) + j + 1]! + 1
        : Math.max(table[(i + 1) * (m + 1) + j]!, table[i * (m + 1) + j + 1]!);
    }
  }
  const steps: Step[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) steps.push({ kind: 'same', i: start + i++, j: start + j++ });
    else if (j < m && (i === n || table[i * (m + 1) + j + 1]! >= table[(i + 1) * (m + 1) + j]!)) steps.push({ kind: 'added', i: start + i, j: start + j++ });
    else steps.push({ kind: 'removed', i: start + i++, j: start + j });
  }
  return steps;
}

function alignByPosition(start: number, endA: number, endB: number): Step[] {
  const steps: Step[] = [];
  for (let k = 0; start + k < endA || start + k < endB; k++) {
    if (start + k < endA) steps.push({ kind: 'removed', i: start + k, j: start + k });
    if (start + k < endB) steps.push({ kind: 'added', i: start + k, j: start + k });
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
