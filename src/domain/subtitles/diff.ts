import type { Cue, CueSettings } from './cue.ts';

// Two versions of a cue list compared cue by cue, for history diffs and the editor's merge view.
// Pure and without Node imports: the browser editor bundles it. Edits usually touch a few cues of a
// long track, so common ends are matched first and the rest by Myers' O((N+M)·D) algorithm while
// the edits are few; a large rewrite is aligned on cues found once in each (patience), with an
// exact LCS between those anchors when the gaps are small.

/** One step from `before` to `after`: a cue kept, added, removed, or changed in place. */
export interface CueOperation {
  kind: 'same' | 'added' | 'removed' | 'changed';
  before?: Cue;
  after?: Cue;
}

/** Myers gives up past this many added and removed cues (its memory grows with their square). */
const MYERS_MAX_EDITS = 1000;
/** Above this many cell comparisons a gap between anchors is aligned by position instead of by LCS. */
const LCS_LIMIT = 4_000_000;

const sameSettings = (s: CueSettings, t: CueSettings) =>
  s.vertical === t.vertical &&
  s.line === t.line &&
  s.snapToLines === t.snapToLines &&
  s.lineAlign === t.lineAlign &&
  s.position === t.position &&
  s.positionAlign === t.positionAlign &&
  s.size === t.size &&
  s.align === t.align &&
  s.region === t.region;
// Field by field, so the key order of cues read back from the database does not matter.
const sameCue = (a: Cue, b: Cue) =>
  a === b ||
  (a.startTime === b.startTime &&
    a.endTime === b.endTime &&
    a.text === b.text &&
    a.id === b.id &&
    sameSettings(a.settings, b.settings));
// A 32-bit hash of what people change (times, id, text): equal cues hash equal; cues that merely
// collide are told apart by sameCue wherever a hash match is used.
function hash(cue: Cue): number {
  const h = Math.imul(Math.round(cue.startTime * 1000) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.round(cue.endTime * 1000);
  return hashText(hashText(h, cue.id), cue.text) & 0x3fffffff; // small integers: Maps keyed by them stay fast
}
function hashText(h: number, text: string): number {
  h = Math.imul(h ^ text.length, 0x01000193);
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

type Step = { kind: 'same' | 'added' | 'removed'; i: number; j: number };
interface Lists {
  before: readonly Cue[];
  after: readonly Cue[];
  hashes?: Hashes;
}
interface Hashes {
  a: Int32Array;
  b: Int32Array;
}

/** The operations that turn `before` into `after`, in order. */
export function diffCues(before: readonly Cue[], after: readonly Cue[]): CueOperation[] {
  const steps: Step[] = [];
  align({ before, after }, 0, before.length, 0, after.length, steps);
  return pairChanges(steps, before, after);
}

/** How many cues differ between two versions (a changed cue counts once). */
export function countChangedCues(before: readonly Cue[], after: readonly Cue[]): number {
  return diffCues(before, after).reduce((count, operation) => count + (operation.kind === 'same' ? 0 : 1), 0);
}

/** Aligns before[fromA, toA) with after[fromB, toB), appending the steps to `out`. */
function align(lists: Lists, fromA: number, toA: number, fromB: number, toB: number, out: Step[]): void {
  const { before, after } = lists;
  while (fromA < toA && fromB < toB && sameCue(before[fromA]!, after[fromB]!))
    out.push({ kind: 'same', i: fromA++, j: fromB++ });
  const tail: Step[] = [];
  while (toA > fromA && toB > fromB && sameCue(before[toA - 1]!, after[toB - 1]!))
    tail.push({ kind: 'same', i: --toA, j: --toB });
  const steps =
    alignByMyers(before, after, fromA, toA, fromB, toB) ??
    ((toA - fromA) * (toB - fromB) <= LCS_LIMIT
      ? alignByLcs(lists, hashesOf(lists), fromA, toA, fromB, toB)
      : undefined);
  if (steps) append(out, steps);
  else {
    const anchors = uniqueAnchors(lists, hashesOf(lists), fromA, toA, fromB, toB);
    if (anchors.length === 0) append(out, alignByPosition(fromA, toA, fromB, toB));
    let i = fromA;
    let j = fromB;
    for (const [anchorA, anchorB] of anchors) {
      if (i < anchorA || j < anchorB) align(lists, i, anchorA, j, anchorB, out);
      out.push({ kind: 'same', i: anchorA, j: anchorB });
      i = anchorA + 1;
      j = anchorB + 1;
    }
    if (anchors.length) align(lists, i, toA, j, toB, out);
  }
  for (let k = tail.length - 1; k >= 0; k--) out.push(tail[k]!);
}

// Spreading a long array into push() overflows the stack; a loop does not.
function append(out: Step[], steps: readonly Step[]): void {
  for (const step of steps) out.push(step);
}

/** Hashes of every cue, made once and only when a large rewrite needs them. */
function hashesOf(lists: Lists): Hashes {
  lists.hashes ??= { a: Int32Array.from(lists.before, hash), b: Int32Array.from(lists.after, hash) };
  return lists.hashes;
}

/** The shortest edit script by Myers' greedy algorithm, or undefined when it needs more than MYERS_MAX_EDITS edits. */
function alignByMyers(
  before: readonly Cue[],
  after: readonly Cue[],
  fromA: number,
  toA: number,
  fromB: number,
  toB: number,
): Step[] | undefined {
  const n = toA - fromA;
  const m = toB - fromB;
  const max = Math.min(n + m, MYERS_MAX_EDITS);
  const offset = max + 1;
  // furthest[offset + k]: how far along `before` the best path on diagonal k (x - y) reaches.
  const furthest = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(furthest.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!)
          ? furthest[offset + k + 1]!
          : furthest[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && sameCue(before[fromA + x]!, after[fromB + y]!)) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, fromA, fromB);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], n: number, m: number, fromA: number, fromB: number): Step[] {
  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const previous = trace[d]!; // the diagonals -d-1 .. d+1 as they were before step d
    const at = (k: number) => previous[k + d + 1]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) steps.push({ kind: 'same', i: fromA + --x, j: fromB + --y });
    if (d > 0)
      steps.push(
        x === previousX
          ? { kind: 'added', i: fromA + x, j: fromB + previousY }
          : { kind: 'removed', i: fromA + previousX, j: fromB + y },
      );
    x = previousX;
    y = previousY;
  }
  return steps.reverse();
}

/** Pairs of positions of cues unique in both ranges, as the longest run increasing in both. */
function uniqueAnchors(
  { before, after }: Lists,
  { a, b }: Hashes,
  fromA: number,
  toA: number,
  fromB: number,
  toB: number,
): [number, number][] {
  const inA = new Map<number, number>();
  for (let i = fromA; i < toA; i++) inA.set(a[i]!, inA.has(a[i]!) ? -1 : i);
  const inB = new Map<number, number>();
  for (let j = fromB; j < toB; j++) inB.set(b[j]!, inB.has(b[j]!) ? -1 : j);
  const pairs: [number, number][] = [];
  for (let i = fromA; i < toA; i++) {
    const j = inB.get(a[i]!);
    if (inA.get(a[i]!) === i && j !== undefined && j >= 0 && sameCue(before[i]!, after[j]!)) pairs.push([i, j]);
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

function alignByLcs(
  { before, after }: Lists,
  { a, b }: Hashes,
  startA: number,
  endA: number,
  startB: number,
  endB: number,
): Step[] {
  const same = (i: number, j: number) => a[i] === b[j] && sameCue(before[i]!, after[j]!);
  const n = endA - startA;
  const m = endB - startB;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = same(startA + i, startB + j)
        ? table[(i + 1) * (m + 1) + j + 1]! + 1
        : Math.max(table[(i + 1) * (m + 1) + j]!, table[i * (m + 1) + j + 1]!);
    }
  }
  const steps: Step[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(startA + i, startB + j)) steps.push({ kind: 'same', i: startA + i++, j: startB + j++ });
    else if (j < m && (i === n || table[i * (m + 1) + j + 1]! >= table[(i + 1) * (m + 1) + j]!))
      steps.push({ kind: 'added', i: startA + i, j: startB + j++ });
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
function pairChanges(steps: Step[], before: readonly Cue[], after: readonly Cue[]): CueOperation[] {
  const out: CueOperation[] = [];
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
  return out;
}
