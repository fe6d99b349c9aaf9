import { PLACEHOLDER_PATTERN, placeholder } from './markers.ts';

// Translation memory matches: candidates come from the database (trigram distance within a length
// window); here each is scored by edit distance over characters, so "100" means the same text and
// a one-word change in a ten-word sentence scores about 90, as translators expect from CAT tools.

export interface MemoryCandidate {
  source: string;
  target: string;
  origin: string;
}

export interface MemoryMatch extends MemoryCandidate {
  /** 0–100; 100 only for the same text. */
  score: number;
}

const MARKERS = new RegExp(PLACEHOLDER_PATTERN.source, 'gu');

/** Edit distance (insert, delete, replace) between two strings, over code points, in O(min) memory. */
export function editDistance(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  if (left.length < right.length) return editDistance(b, a);
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[right.length]!;
}

/** How alike two texts are, 0–100: 100 only when they are the same (markers compared by place, not number). */
export function matchScore(a: string, b: string): number {
  const left = a.replace(MARKERS, '\uE000');
  const right = b.replace(MARKERS, '\uE000');
  if (left === right) return 100;
  const longest = Math.max([...left].length, [...right].length);
  if (longest === 0) return 100;
  return Math.min(99, Math.floor(100 * (1 - editDistance(left, right) / longest)));
}

/**
 * A remembered translation's markers renumbered for the unit it is offered to: the n-th marker of
 * the remembered source stands for the n-th marker of the unit's. When they do not pair up, the
 * markers are left out for the translator to place.
 */
export function adaptMarkers(candidate: MemoryCandidate, unitSource: string): string {
  const from = [...candidate.source.matchAll(MARKERS)].map((match) => match[1]!);
  const to = [...unitSource.matchAll(MARKERS)].map((match) => Number(match[1]));
  if (from.length !== to.length) return candidate.target.replace(MARKERS, '');
  const map = new Map(from.map((index, at) => [index, to[at]!]));
  return candidate.target.replace(MARKERS, (_, index: string) => (map.has(index) ? placeholder(map.get(index)!) : ''));
}

/** Candidates scored against `text`, best first, those below `minimum` left out (the same translation once). */
export function scoreMatches(text: string, candidates: readonly MemoryCandidate[], minimum: number): MemoryMatch[] {
  const seen = new Set<string>();
  return candidates
    .map((candidate) => ({
      ...candidate,
      target: adaptMarkers(candidate, text),
      score: matchScore(text, candidate.source),
    }))
    .filter((match) => match.score >= minimum)
    .sort((a, b) => b.score - a.score)
    .filter((match) => !seen.has(match.target) && Boolean(seen.add(match.target)));
}
