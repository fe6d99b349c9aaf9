import type { NominationState } from './nomination.ts';

// The vote's count and the written rule that decides it, shown on the page as the message
// `celebration-tally-rule`: the nomination with the most votes is chosen; a tie goes to the one
// with more seconds, then to the one nominated first. Only nominations whose nominee agreed count:
// votes for a nomination withdrawn, refused or hidden are set aside. With no counted vote at all,
// nobody is chosen.

/** The message that states the rule, for the page that shows the results. */
export const TALLY_RULE_KEY = 'celebration-tally-rule';

export interface TallyCandidate {
  nominationId: number;
  state: NominationState;
  /** Seconds, a nomination that joined as a seconding included. */
  seconds: number;
  nominatedAt: Date;
}

export interface TallyRow {
  nominationId: number;
  votes: number;
  seconds: number;
  /** Whether its votes count (its nominee agreed and it was not withdrawn). */
  counted: boolean;
  /** 1 for the first place among counted nominations; null for those set aside. */
  place: number | null;
}

/** What decided the winner over the runner-up: the votes, the seconds (a tie), or who was nominated first. */
export type DecidedBy = 'votes' | 'seconds' | 'earliest';

export interface Tally {
  /** Counted nominations in order of place, then those set aside. */
  rows: TallyRow[];
  winner: number | null;
  decidedBy: DecidedBy | null;
  votesCounted: number;
  votesSetAside: number;
  ruleKey: typeof TALLY_RULE_KEY;
}

const COUNTED: ReadonlySet<NominationState> = new Set(['consented', 'chosen']);

/** The order of the rule: more votes, then more seconds, then nominated earlier (then the lower id, for a total order). */
function compare(a: TallyRow & { nominatedAt: Date }, b: TallyRow & { nominatedAt: Date }): number {
  return (
    b.votes - a.votes ||
    b.seconds - a.seconds ||
    a.nominatedAt.getTime() - b.nominatedAt.getTime() ||
    a.nominationId - b.nominationId
  );
}

/** Counts the votes (`votes`: per nomination) over `candidates` by the written rule; the winner and why. */
export function tally(
  candidates: readonly TallyCandidate[],
  votes: ReadonlyArray<{ nominationId: number; votes: number }>,
): Tally {
  const byNomination = new Map<number, number>();
  for (const row of votes) byNomination.set(row.nominationId, (byNomination.get(row.nominationId) ?? 0) + row.votes);
  const rows = candidates.map((candidate) => ({
    nominationId: candidate.nominationId,
    votes: byNomination.get(candidate.nominationId) ?? 0,
    seconds: candidate.seconds,
    counted: COUNTED.has(candidate.state),
    place: null as number | null,
    nominatedAt: candidate.nominatedAt,
  }));
  const counted = rows.filter((row) => row.counted).sort(compare);
  counted.forEach((row, index) => (row.place = index + 1));
  const setAside = rows.filter((row) => !row.counted).sort(compare);
  const votesCounted = counted.reduce((sum, row) => sum + row.votes, 0);
  const allVotes = [...byNomination.values()].reduce((sum, count) => sum + count, 0);
  const [first, second] = counted;
  const winner = first && first.votes > 0 ? first : undefined;
  let decidedBy: DecidedBy | null = null;
  if (winner)
    decidedBy =
      !second || second.votes !== winner.votes ? 'votes' : second.seconds !== winner.seconds ? 'seconds' : 'earliest';
  return {
    rows: [...counted, ...setAside].map(({ nominatedAt: _, ...row }) => row),
    winner: winner?.nominationId ?? null,
    decidedBy,
    votesCounted,
    votesSetAside: allVotes - votesCounted,
    ruleKey: TALLY_RULE_KEY,
  };
}
