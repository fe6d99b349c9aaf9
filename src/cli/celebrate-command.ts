// `storyhub celebrate status|advance|export MONTH`: the monthly celebration from the command line,
// run here or in the running site like every database command. The export is the movement's record
// of a month: its nominations and results as JSON, and of nominees who did not agree only a count.
import { resultsVisible, type Cycle } from '../domain/celebration/cycle.ts';
import type { Services } from '../services/index.ts';
import type { CommandOutput } from './control.ts';

/** A mistake in the command line (the caller reports it with exit code 2). */
export class CelebrateUsageError extends Error {}

export const CELEBRATE_USAGE = `storyhub celebrate status MONTH     where the month's cycle stands (YYYY-MM)
storyhub celebrate advance MONTH    move the cycle one phase on now (ending the choice counts the vote)
storyhub celebrate export MONTH     the month's nominations and results as JSON on stdout`;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
// Nominations whose nominee agreed: only these are told about in the record.
const AGREED = new Set(['consented', 'chosen']);

async function cycleOf(services: Services, month: string | undefined): Promise<Cycle> {
  if (!month || !MONTH.test(month)) throw new CelebrateUsageError(`A month is written YYYY-MM.\n${CELEBRATE_USAGE}`);
  const cycle = await services.celebration.cycleByMonth(month);
  if (!cycle) throw new CelebrateUsageError(`There is no celebration cycle for ${month}.`);
  return cycle;
}

/** The month's record: the cycle, the nominations whose nominee agreed, the others counted, the results. */
async function record(services: Services, cycle: Cycle) {
  const { celebration, catalog } = services;
  const [all, regions, transitions, story] = await Promise.all([
    services.repositories.nominations.ofCycle(cycle.id),
    catalog.regions(),
    celebration.transitions(cycle.id),
    celebration.honoreeStory(cycle.id),
  ]);
  const agreed = all.filter((nomination) => AGREED.has(nomination.state));
  const nominations = [];
  for (const nomination of agreed) {
    const [seconds, anecdotes] = await Promise.all([
      services.repositories.nominations.seconds(nomination.id),
      services.repositories.nominations.anecdotes(nomination.id, ['approved']),
    ]);
    nominations.push({
      id: nomination.id,
      nominee: nomination.nominee,
      homeWiki: nomination.homeWiki,
      kind: nomination.kind,
      operators: nomination.operators,
      botTasks: nomination.botTasks,
      region: regions.find((region) => region.id === nomination.regionId)?.slug ?? null,
      category: nomination.category,
      reasons: nomination.reasons,
      language: nomination.language,
      evidence: nomination.evidence,
      nominator: nomination.nominator,
      state: nomination.state,
      nominatedAt: nomination.createdAt.toISOString(),
      consentedAt: nomination.answeredAt?.toISOString() ?? null,
      seconds: seconds.map((seconding) => ({
        by: seconding.username,
        reason: seconding.reason,
        language: seconding.language,
        evidence: seconding.evidence,
        at: seconding.createdAt.toISOString(),
      })),
      anecdotes: anecdotes.map((anecdote) => ({
        by: anecdote.author,
        text: anecdote.body,
        language: anecdote.language,
      })),
    });
  }
  const results = resultsVisible(cycle.phase) ? await celebration.results(cycle.id) : null;
  return {
    month: cycle.month,
    phase: cycle.phase,
    choiceMode: cycle.choiceMode,
    dates: {
      opensAt: cycle.opensAt.toISOString(),
      secondingAt: cycle.secondingAt.toISOString(),
      consentAt: cycle.consentAt.toISOString(),
      choiceAt: cycle.choiceAt.toISOString(),
      closesAt: cycle.closesAt.toISOString(),
    },
    transitions: transitions.map((move) => ({
      from: move.from,
      to: move.to,
      how: move.how,
      by: move.username,
      at: move.at.toISOString(),
    })),
    nominations,
    /** Nominations whose nominee did not agree (or never answered), were hidden or withdrawn: a count only. */
    otherNominations: all.length - agreed.length,
    results: results && {
      honoreeNominationId: results.winner,
      decidedBy: results.decidedBy,
      votesCounted: results.votesCounted,
      votesSetAside: results.votesSetAside,
      places: results.rows.map((row) => ({
        nominationId: row.nominationId,
        nominee: row.nominee,
        votes: row.votes,
        seconds: row.seconds,
        place: row.place,
      })),
    },
    story: story?.slug ?? null,
  };
}

/** Runs `celebrate ACTION MONTH`; its exit code. */
export async function celebrateCommand(services: Services, args: string[], output: CommandOutput): Promise<number> {
  const [action, month] = args;
  if (action !== 'status' && action !== 'advance' && action !== 'export')
    throw new CelebrateUsageError(CELEBRATE_USAGE);
  const cycle = await cycleOf(services, month);
  if (action === 'export') {
    output.out(JSON.stringify(await record(services, cycle), null, 2));
    return 0;
  }
  if (action === 'advance') {
    const move = await services.celebration.advanceNow(cycle.id);
    if (!move) {
      output.err(`The ${cycle.month} cycle is ${cycle.phase}: it moves no further.`);
      return 1;
    }
    output.out(`Moved ${cycle.month} from ${move.from} to ${move.to}.`);
  }
  const now = (await services.celebration.cycle(cycle.id))!;
  const nominations = await services.repositories.nominations.ofCycle(cycle.id);
  const byState = new Map<string, number>();
  for (const nomination of nominations) byState.set(nomination.state, (byState.get(nomination.state) ?? 0) + 1);
  const story = await services.celebration.honoreeStory(cycle.id);
  output.out(`${now.month}\t${now.phase}${now.effectivePhase !== now.phase ? ` (due: ${now.effectivePhase})` : ''}`);
  output.out(`choice\t${now.choiceMode}`);
  output.out(
    `dates\t${[now.opensAt, now.secondingAt, now.consentAt, now.choiceAt, now.closesAt].map((date) => date.toISOString()).join(' → ')}`,
  );
  output.out(
    `nominations\t${nominations.length}${byState.size ? ` (${[...byState].map(([state, count]) => `${state}: ${count}`).join(', ')})` : ''}`,
  );
  output.out(`voters\t${await services.celebration.voterCount(cycle.id)}`);
  if (story) output.out(`story\t${story.slug}`);
  return 0;
}
