import {
  dueAt,
  dueStep,
  effectivePhase,
  isLegalTransition,
  resultsVisible,
  validateCycle,
  type Cycle,
  type CycleForm,
  type CyclePhase,
  type CycleTransition,
} from '../domain/celebration/cycle.ts';
import type { Category, Nomination, NomineeKind } from '../domain/celebration/nomination.ts';
import type { Notice } from '../domain/celebration/notice.ts';
import type { DecidedBy } from '../domain/celebration/tally.ts';
import type { FieldErrors } from '../domain/forms/fields.ts';
import {
  alreadyVoted,
  celebrationClosed,
  illegalTransition,
  notACandidate,
  notAVoter,
  notFound,
  phaseMoved,
  resultsHidden,
} from '../errors.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { CycleValues } from '../store/repositories/celebrations.ts';
import type { Repositories } from '../store/repositories/index.ts';
import { nominationsService, requireAction, type Actor } from './celebration-nominations.ts';

export type { Actor, NominationDetail, NominationView, Decision } from './celebration-nominations.ts';

/** The job kind that moves cycles whose dates have come; it queues its own next run. */
export const ADVANCE_CELEBRATION = 'celebration.advance';

/** A cycle with the phase that governs it now (its stored phase, or a later one its dates have reached). */
export type CycleView = Cycle & { effectivePhase: CyclePhase };

/** A phase moved by the schedule. */
export interface PhaseMove {
  cycleId: number;
  month: string;
  from: CyclePhase;
  to: CyclePhase;
}

export interface ResultRow {
  nominationId: number;
  nominee: string;
  homeWiki: string;
  kind: NomineeKind;
  votes: number;
  seconds: number;
  place: number;
}
/** A closed vote: the counted nominations by place, the honoree, and what decided (the rule: `ruleKey`). */
export interface CycleResults {
  cycleId: number;
  month: string;
  phase: CyclePhase;
  rows: ResultRow[];
  winner: number | null;
  decidedBy: DecidedBy | null;
  votesCounted: number;
  /** Votes for nominations withdrawn, refused or hidden: counted for nobody, their nominees not named. */
  votesSetAside: number;
  ruleKey: string;
}

export interface CelebrationOptions {
  /** The time, for everything the cycle's dates decide (tests move it). Default: the system clock. */
  clock?: () => Date;
  /**
   * What follows phase moves outside their transaction (the announcement's story, mail): run by the
   * phase job after its moves (a failure fails the job, which runs again) and after an editor's move.
   * It must be idempotent and catch up on moves it missed.
   */
  afterMoves?: (moves: readonly PhaseMove[]) => Promise<void>;
}

/**
 * The monthly celebration: cycles and their phases (moved by the `celebration.advance` job when
 * their dates come, or early by an editor, each move recorded), nominations up to consent
 * (celebration-nominations.ts), the vote (one per account per cycle, by the database) and its
 * results, hidden until the vote closes, and each person's in-site notices.
 */
export function celebrationService(repositories: Repositories, options: CelebrationOptions = {}) {
  const { celebrations, nominations, notices, users, jobs } = repositories;
  const now = options.clock ?? (() => new Date());
  const nominationUseCases = nominationsService(repositories, now);

  const view = (cycle: Cycle, at = now()): CycleView => ({ ...cycle, effectivePhase: effectivePhase(cycle, at) });

  async function found(cycleId: number): Promise<Cycle> {
    const cycle = await celebrations.cycle(cycleId);
    if (!cycle) throw notFound('cycle');
    return cycle;
  }

  /** The form's committee as account ids; the field's problem when a name has no account. */
  async function committeeIds(names: readonly string[]): Promise<number[] | FieldErrors> {
    const ids: number[] = [];
    for (const name of names) {
      const user = await users.findCredentials(name);
      if (!user) return { committee: 'celebration-error-committee-unknown' };
      ids.push(user.id);
    }
    return ids;
  }

  async function checkedCycle(
    form: CycleForm,
  ): Promise<{ ok: true; month: string; values: CycleValues } | { ok: false; errors: FieldErrors }> {
    const result = validateCycle(form);
    if ('errors' in result) return { ok: false, errors: result.errors };
    const ids = await committeeIds(result.input.committee);
    if (!Array.isArray(ids)) return { ok: false, errors: ids };
    const { month, committee: _, ...schedule } = result.input;
    return { ok: true, month, values: { ...schedule, committeeIds: ids } };
  }

  /** Makes sure the advance job is queued for the next date any cycle is due to move at; that date, or null. */
  async function schedule(): Promise<Date | null> {
    const dates = (await celebrations.movingCycles()).map(dueAt).filter((date): date is Date => date !== null);
    if (!dates.length) return null;
    const next = new Date(Math.min(...dates.map((date) => date.getTime())));
    await jobs.ensureQueued(ADVANCE_CELEBRATION, next);
    return next;
  }

  /**
   * Moves every cycle whose dates have come, one phase at a time (each with its own transition and
   * effects), so a cycle late by two phases still goes through consent. Safe to run anywhere at
   * once: each move is a compare-and-set, and a move someone else made is simply not made again.
   */
  async function advanceDue(): Promise<PhaseMove[]> {
    const at = now();
    const moves: PhaseMove[] = [];
    for (const start of await celebrations.movingCycles()) {
      let cycle: Cycle | undefined = start;
      for (let step = dueStep(cycle, at); cycle && step; step = cycle ? dueStep(cycle, at) : null) {
        const from: CyclePhase = cycle.phase;
        const result = await celebrations.move(cycle.id, from, step, 'schedule', null, at);
        if (result.moved) moves.push({ cycleId: cycle.id, month: cycle.month, from, to: result.cycle.phase });
        else if (result.cycle?.phase === from) break;
        cycle = result.cycle;
      }
    }
    return moves;
  }

  const advanceJob: JobHandler = async () => {
    const moves = await advanceDue();
    await options.afterMoves?.(moves);
    await schedule();
  };

  return {
    ...nominationUseCases,

    /** A new cycle (editors); its phases then move by themselves on its dates. */
    async createCycle(
      actor: Actor,
      form: CycleForm,
    ): Promise<{ ok: true; cycle: CycleView } | { ok: false; errors: FieldErrors }> {
      requireAction(actor, 'celebration.manage');
      const checked = await checkedCycle(form);
      if (!checked.ok) return checked;
      const cycle = await celebrations.create(checked.month, checked.values, actor.id);
      if (!cycle) return { ok: false, errors: { month: 'celebration-error-month-taken' } };
      await schedule();
      return { ok: true, cycle: view(cycle) };
    },

    /**
     * Changes a cycle's dates, choice mode or committee (editors) if nobody changed it since
     * `form.revision` (a phase move counts as a change); its month stays. Refused once it is over.
     */
    async updateCycle(
      actor: Actor,
      cycleId: number,
      form: CycleForm & { revision: string },
    ): Promise<
      { ok: true; cycle: CycleView } | { ok: false; errors: FieldErrors } | { ok: false; conflict: CycleView }
    > {
      requireAction(actor, 'celebration.manage');
      const existing = await found(cycleId);
      const checked = await checkedCycle({ ...form, month: existing.month });
      if (!checked.ok) return checked;
      const baseRevision = Number(form.revision);
      if (!Number.isInteger(baseRevision)) return { ok: false, errors: { revision: 'form-error-stale' } };
      const result = await celebrations.update(cycleId, baseRevision, checked.values);
      if (!result) throw notFound('cycle');
      if (!result.ok) return { ok: false, conflict: view(result.current) };
      await schedule();
      return { ok: true, cycle: view(result.cycle) };
    },

    async cycle(cycleId: number): Promise<CycleView | undefined> {
      const cycle = await celebrations.cycle(cycleId);
      return cycle && view(cycle);
    },
    async cycleByMonth(month: string): Promise<CycleView | undefined> {
      const cycle = await celebrations.cycleByMonth(month);
      return cycle && view(cycle);
    },
    /** Every cycle, the latest month first. */
    async cycles(): Promise<CycleView[]> {
      const at = now();
      return (await celebrations.cycles()).map((cycle) => view(cycle, at));
    },
    committee: (cycleId: number) => celebrations.committee(cycleId),
    transitions: (cycleId: number): Promise<CycleTransition[]> => celebrations.transitions(cycleId),

    /**
     * An editor moves a cycle on early (or cancels it): only from the phase their page showed
     * (`from`), to a legal next phase. Ending the choice counts the vote (announced with the
     * honoree, or closed when there is none). Recorded with who and when.
     */
    async advancePhase(actor: Actor, cycleId: number, from: CyclePhase, to: CyclePhase): Promise<CycleView> {
      requireAction(actor, 'celebration.manage');
      const cycle = await found(cycleId);
      if (!isLegalTransition(from, to)) throw illegalTransition(from, to);
      if (cycle.phase !== from) throw phaseMoved(cycle.phase);
      const result = await celebrations.move(cycleId, from, to, 'editor', actor.id, now());
      if (!result.moved) throw phaseMoved(result.cycle?.phase ?? from);
      try {
        await options.afterMoves?.([{ cycleId, month: cycle.month, from, to: result.cycle.phase }]);
      } catch {
        // The move stands; the phase job does what followed it when it next runs (now).
        await jobs.ensureQueued(ADVANCE_CELEBRATION, now());
      }
      await schedule();
      return view(result.cycle);
    },

    advanceDue,
    schedule,

    /**
     * Casts the actor's vote in a cycle's choice: in committee mode only the committee votes. One
     * vote per account per cycle (the database decides between attempts made at once); a vote
     * cannot be changed.
     */
    async vote(actor: Actor, cycleId: number, nominationId: number): Promise<{ nominationId: number }> {
      requireAction(actor, 'celebration.vote');
      const cycle = await found(cycleId);
      if (cycle.choiceMode === 'committee' && !(await celebrations.isOnCommittee(cycleId, actor.id))) throw notAVoter();
      const outcome = await celebrations.castVote(cycleId, nominationId, actor.id, now());
      if (outcome === 'missing') throw notFound('cycle');
      if (outcome === 'closed') throw celebrationClosed('vote');
      if (outcome === 'already-voted') throw alreadyVoted();
      if (outcome === 'not-a-candidate') throw notACandidate();
      return { nominationId };
    },

    /** Whether the actor may vote in a cycle (the mode and committee; not whether the choice is open). */
    async mayVote(actor: Actor, cycleId: number): Promise<boolean> {
      const cycle = await found(cycleId);
      return cycle.choiceMode === 'community' || celebrations.isOnCommittee(cycleId, actor.id);
    },
    /** The nomination the actor voted for in a cycle, or null. */
    myVote: (actor: Actor, cycleId: number) => celebrations.voteOf(cycleId, actor.id),
    /** How many accounts have voted (no tallies: those wait for the close). */
    voterCount: (cycleId: number) => celebrations.voterCount(cycleId),

    /** The vote's results by the written rule, only once the choice has ended (refused before). */
    async results(cycleId: number): Promise<CycleResults> {
      const cycle = await found(cycleId);
      if (!resultsVisible(cycle.phase)) throw resultsHidden();
      const [counted, all] = await Promise.all([celebrations.tally(cycleId), nominations.ofCycle(cycleId)]);
      const byId = new Map(all.map((nomination) => [nomination.id, nomination]));
      const rows = counted.rows
        .filter((row) => row.counted)
        .map((row) => {
          const nomination = byId.get(row.nominationId)!;
          return {
            nominationId: row.nominationId,
            nominee: nomination.nominee,
            homeWiki: nomination.homeWiki,
            kind: nomination.kind,
            votes: row.votes,
            seconds: row.seconds,
            place: row.place!,
          };
        });
      return {
        cycleId,
        month: cycle.month,
        phase: cycle.phase,
        rows,
        winner: cycle.honoreeNominationId,
        decidedBy: counted.decidedBy,
        votesCounted: counted.votesCounted,
        votesSetAside: counted.votesSetAside,
        ruleKey: counted.ruleKey,
      };
    },

    /** Every honoree of an announced cycle, the latest month first (the archive), filtered. */
    honorees: (filter: { regionId?: number; category?: Category; kind?: NomineeKind } = {}) =>
      nominations.honorees(filter),

    /** The actor's in-site notices, newest first: message keys with their parameters. */
    notices: (actor: Actor): Promise<Notice[]> => notices.list(actor.id),
    unreadNotices: (actor: Actor): Promise<number> => notices.unread(actor.id),
    markNoticesRead: (actor: Actor, ids: readonly number[]): Promise<number> => notices.markRead(actor.id, ids),

    /** The job handlers of the celebration, for the workers. */
    handlers: { [ADVANCE_CELEBRATION]: advanceJob } as Record<string, JobHandler>,
  };
}
export type CelebrationService = ReturnType<typeof celebrationService>;
