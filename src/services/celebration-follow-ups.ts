import { nextPhase } from '../domain/celebration/cycle.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Mailer } from '../providers/mail/mail.ts';
import type { FileStorage } from '../providers/storage/storage.ts';
import type { Repositories } from '../store/repositories/index.ts';
import { announcementService } from './celebration-announce.ts';
import { celebrationMailService } from './celebration-mail.ts';
import { celebrationService, type CelebrationOptions, type PhaseMove } from './celebration.ts';
import type { Messages } from './messages.ts';

/**
 * The celebration with what follows its steps outside their transactions: after phase moves, the
 * honoree's story (announced cycles without one) and the community's call to vote; after any step
 * that tells someone something (a notice), the mail of it. Each follow-up is a sweep, so one missed
 * (a crash, a mail server down) is made up by the next.
 */
export function celebrationWithFollowUps(deps: {
  repositories: Repositories;
  messages: Messages;
  storage: FileStorage;
  mailer: Mailer | null;
  origin: string;
  options?: CelebrationOptions;
}) {
  const { repositories } = deps;
  const { notices, celebrationAnnouncements } = repositories;

  async function afterMoves(moves: readonly PhaseMove[]): Promise<void> {
    for (const move of moves) if (move.to === 'choice') await callCommunityToVote(move);
    await announcement.announceMissing();
    await mail.flush();
  }

  /** In a community vote, those who nominated or seconded are told the vote is open (the committee is told by the core). */
  async function callCommunityToVote(move: PhaseMove): Promise<void> {
    const cycle = await repositories.celebrations.cycle(move.cycleId);
    if (cycle?.choiceMode !== 'community') return;
    if (await celebrationAnnouncements.noticeGiven(move.cycleId, 'celebration-notice-vote-open')) return;
    const voters = await celebrationAnnouncements.participants(move.cycleId);
    await notices.add(
      voters.map((userId) => ({
        userId,
        key: 'celebration-notice-vote-open',
        params: [move.month],
        cycleId: move.cycleId,
      })),
    );
  }

  const now = deps.options?.clock ?? (() => new Date());
  const core = celebrationService(repositories, { ...deps.options, afterMoves });
  const announcement = announcementService({
    repositories,
    messages: deps.messages,
    storage: deps.storage,
  });
  const mail = celebrationMailService({
    repositories,
    messages: deps.messages,
    mailer: deps.mailer,
    origin: deps.origin,
    issueConsentLink: (nominationId) => core.issueConsentLink('system', nominationId),
  });

  /** Runs a step, then mails what it told (a mail failure never undoes or fails the step: the next sweep sends it). */
  const thenMail =
    <Args extends unknown[], Result>(step: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      const result = await step(...args);
      await mail.flush().catch(() => undefined);
      return result;
    };

  const celebration = {
    ...core,
    /** Files a nomination; its nominator is told (on the site, and by mail) that it was filed. */
    nominate: thenMail(async (...args: Parameters<typeof core.nominate>) => {
      const result = await core.nominate(...args);
      if (result.ok && result.outcome === 'nominated') {
        const cycle = await repositories.celebrations.cycle(result.nomination.cycleId);
        await notices.add([
          {
            userId: args[0].id,
            key: 'celebration-notice-nominated',
            params: [result.nomination.nominee, cycle?.month ?? ''],
            cycleId: result.nomination.cycleId,
            nominationId: result.nomination.id,
          },
        ]);
      }
      return result;
    }),
    hide: thenMail(core.hide),
    withdraw: thenMail(core.withdraw),
    answerWithLink: thenMail(core.answerWithLink),
    answerAsAccount: thenMail(core.answerAsAccount),
    /** The use cases of the announcement: the honoree's story, its photo, the archive. */
    announce: announcement.announce,
    savePhoto: announcement.savePhoto,
    photo: announcement.photo,
    honoreeStory: announcement.honoreeStory,
    photoOfStory: announcement.photoOfStory,
    archive: announcement.archive,
    /**
     * Moves a cycle one phase on now, for the command line (the operator of the site): recorded as an
     * early move with no account; ending the choice counts the vote. What follows the move follows.
     */
    async advanceNow(cycleId: number): Promise<PhaseMove | null> {
      const cycle = await repositories.celebrations.cycle(cycleId);
      const to = cycle && nextPhase(cycle.phase);
      if (!cycle || !to) return null;
      const result = await repositories.celebrations.move(cycleId, cycle.phase, to, 'editor', null, now());
      if (!result.moved) return null;
      const move = { cycleId, month: cycle.month, from: cycle.phase, to: result.cycle.phase };
      await afterMoves([move]);
      await core.schedule();
      return move;
    },
    /** Queues the mail of notices not sent yet (nothing without SMTP_URL). */
    flushMail: mail.flush,
    mailEnabled: mail.enabled,
    handlers: { ...core.handlers, ...mail.handlers } as Record<string, JobHandler>,
  };
  return celebration;
}
export type CelebrationWithFollowUps = ReturnType<typeof celebrationWithFollowUps>;
