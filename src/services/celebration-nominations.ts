import { createHash, randomBytes } from 'node:crypto';
import { accountGrants, can, type Action, type RoleGrant } from '../domain/access/authorize.ts';
import { isOpenFor } from '../domain/celebration/cycle.ts';
import {
  answersFor,
  shownState,
  validateAnecdote,
  validateHideReason,
  validateNomination,
  validateSecond,
  type Anecdote,
  type Nomination,
  type NominationForm,
  type NominationViewer,
  type Seconding,
  type ShownState,
} from '../domain/celebration/nomination.ts';
import type { FieldErrors } from '../domain/forms/fields.ts';
import {
  alreadySeconded,
  celebrationClosed,
  consentLinkExpired,
  consentLinkInvalid,
  consentLinkUsed,
  forbidden,
  notAwaitingConsent,
  notFound,
  notTheNominee,
  notYourNomination,
  ownNomination,
} from '../errors.ts';
import type { Repositories } from '../store/repositories/index.ts';

/** Who acts: a signed-in account with its grants (the HTTP layer's `request.user`). */
export interface Actor {
  id: number;
  username: string;
  grants: readonly RoleGrant[];
}

/** Refuses (403) an actor whose roles do not allow `action`; routes ask first, this is the second lock. */
export function requireAction(actor: Actor, action: Action): void {
  if (!can(accountGrants(actor.grants), action)) throw forbidden();
}

/** A nomination as one viewer is shown it: its state as they may know it; a hidden one's reason only for moderators. */
export type NominationView = Omit<Nomination, 'state'> & { state: ShownState };

export interface NominationDetail {
  nomination: NominationView;
  seconds: Seconding[];
  /** Approved anecdotes (moderators see every one, with its state). */
  anecdotes: Anecdote[];
}

/** How long a consent link may be used, unless the consent phase ends first. */
export const CONSENT_LINK_DAYS = 14;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export type Decision = 'consent' | 'refuse';

/**
 * Nominations and their life until the choice: filing (a second nomination of the same nominee
 * becomes a seconding), the nominator's edits, seconds, anecdotes and their moderation, hiding
 * and withdrawing, and the nominee's answer through a private single-use link or their account.
 */
export function nominationsService(repositories: Repositories, now: () => Date) {
  const { celebrations, nominations, consent, catalog, languages } = repositories;

  /** The codes a "Written in" field takes: the site's enabled languages. */
  const writtenInChoices = async () =>
    new Set((await languages.list()).filter((language) => language.enabled).map((language) => language.code));

  const viewerOf = (actor: Actor | null): NominationViewer =>
    actor && {
      userId: actor.id,
      username: actor.username,
      moderator: can(accountGrants(actor.grants), 'celebration.moderate'),
    };

  function present(nomination: Nomination, viewer: NominationViewer): NominationView | null {
    const state = shownState(nomination, viewer);
    if (state === null) return null;
    const moderator = viewer?.moderator ?? false;
    return {
      ...nomination,
      state,
      hiddenReason: moderator ? nomination.hiddenReason : null,
      hiddenBy: moderator ? nomination.hiddenBy : null,
      hiddenAt: moderator ? nomination.hiddenAt : null,
    };
  }

  async function found(nominationId: number): Promise<Nomination> {
    const nomination = await nominations.find(nominationId);
    if (!nomination) throw notFound('nomination');
    return nomination;
  }

  async function checked(form: NominationForm, actor: Actor) {
    const [regions, languageCodes] = await Promise.all([catalog.regions(), writtenInChoices()]);
    const known = { regionIds: new Set(regions.map((region) => region.id)), languages: languageCodes };
    return validateNomination(form, known, actor.username);
  }

  return {
    /**
     * Files a nomination in a cycle taking nominations. The same nominee nominated again joins the
     * first nomination as this account's seconding (`outcome: 'seconded'`).
     */
    async nominate(
      actor: Actor,
      cycleId: number,
      form: NominationForm,
    ): Promise<
      { ok: true; outcome: 'nominated' | 'seconded'; nomination: Nomination } | { ok: false; errors: FieldErrors }
    > {
      requireAction(actor, 'celebration.nominate');
      const result = await checked(form, actor);
      if ('errors' in result) return { ok: false, errors: result.errors };
      const filed = await nominations.nominate(cycleId, result.input, actor.id, now());
      if (filed.outcome === 'missing') throw notFound('cycle');
      if (filed.outcome === 'closed') throw celebrationClosed('nominate');
      if (filed.outcome === 'own-nomination') throw ownNomination();
      if (filed.outcome === 'already-seconded') throw alreadySeconded();
      return { ok: true, outcome: filed.outcome, nomination: await found(filed.nominationId) };
    },

    /** The nominator's edit until nominations close; refused as a conflict when it changed since `revision`. */
    async edit(
      actor: Actor,
      nominationId: number,
      form: NominationForm & { revision: string },
    ): Promise<
      { ok: true; nomination: Nomination } | { ok: false; errors: FieldErrors } | { ok: false; conflict: Nomination }
    > {
      requireAction(actor, 'celebration.nominate');
      const result = await checked(form, actor);
      if ('errors' in result) return { ok: false, errors: result.errors };
      const baseRevision = Number(form.revision);
      if (!Number.isInteger(baseRevision)) return { ok: false, errors: { revision: 'form-error-stale' } };
      const outcome = await nominations.edit(nominationId, baseRevision, result.input, actor.id, now());
      if (outcome === 'missing') throw notFound('nomination');
      if (outcome === 'not-yours') throw notYourNomination();
      if (outcome === 'closed') throw celebrationClosed('edit-nomination');
      if (outcome === 'duplicate') return { ok: false, errors: { nominee: 'celebration-error-already-nominated' } };
      const nomination = await found(nominationId);
      return outcome === 'conflict' ? { ok: false, conflict: nomination } : { ok: true, nomination };
    },

    /**
     * A member seconds a nomination with a short reason (not their own, and not as its nominee),
     * written in `language` (one of the site's; absent: not asked, kept as unknown).
     */
    async second(
      actor: Actor,
      nominationId: number,
      form: { reason: string; language?: string },
    ): Promise<{ ok: true; seconds: Seconding[] } | { ok: false; errors: FieldErrors }> {
      requireAction(actor, 'celebration.nominate');
      const result = validateSecond(form.reason, form.language, await writtenInChoices());
      if ('errors' in result) return { ok: false, errors: result.errors };
      if (answersFor(await found(nominationId), actor.username)) throw ownNomination();
      const outcome = await nominations.second(nominationId, actor.id, result, now());
      if (outcome === 'missing') throw notFound('nomination');
      if (outcome === 'closed') throw celebrationClosed('second');
      if (outcome === 'own-nomination') throw ownNomination();
      if (outcome === 'already-seconded') throw alreadySeconded();
      return { ok: true, seconds: await nominations.seconds(nominationId) };
    },

    /** An anecdote about working with the nominee, written in `language` as `second` takes it; shown once a moderator approves it. */
    async addAnecdote(
      actor: Actor,
      nominationId: number,
      form: { body: string; language?: string },
    ): Promise<{ ok: true; anecdoteId: number } | { ok: false; errors: FieldErrors }> {
      requireAction(actor, 'celebration.nominate');
      const result = validateAnecdote(form.body, form.language, await writtenInChoices());
      if ('errors' in result) return { ok: false, errors: result.errors };
      const outcome = await nominations.addAnecdote(nominationId, actor.id, result, now());
      if (outcome === 'missing') throw notFound('nomination');
      if (outcome === 'closed') throw celebrationClosed('anecdote');
      return { ok: true, anecdoteId: outcome };
    },

    /** A moderator approves or refuses an anecdote. */
    async moderateAnecdote(actor: Actor, anecdoteId: number, decision: 'approved' | 'refused'): Promise<Anecdote> {
      requireAction(actor, 'celebration.moderate');
      const anecdote = await nominations.moderateAnecdote(anecdoteId, decision, actor.id, now());
      if (!anecdote) throw notFound('anecdote');
      return anecdote;
    },

    /** The anecdotes of a cycle waiting for a moderator. */
    async pendingAnecdotes(actor: Actor, cycleId: number): Promise<Anecdote[]> {
      requireAction(actor, 'celebration.moderate');
      return nominations.pendingAnecdotes(cycleId);
    },

    /** A moderator hides a nomination with a reason: kept with who and when, never deleted. */
    async hide(
      actor: Actor,
      nominationId: number,
      form: { reason: string },
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      requireAction(actor, 'celebration.moderate');
      const result = validateHideReason(form.reason);
      if ('errors' in result) return { ok: false, errors: result.errors };
      const outcome = await nominations.hide(nominationId, result.reason, actor.id, now());
      if (outcome === 'missing') throw notFound('nomination');
      if (outcome === 'closed') throw celebrationClosed('moderate');
      return { ok: true };
    },

    /**
     * Withdraws a nomination until the choice closes: by its nominator, by the nominee (or a bot's
     * operator), or by a moderator. Votes already cast for it then count for nobody.
     */
    async withdraw(actor: Actor, nominationId: number): Promise<void> {
      const nomination = await found(nominationId);
      const isNominator = nomination.nominatorId === actor.id;
      const moderator = can(accountGrants(actor.grants), 'celebration.moderate');
      if (!isNominator && !moderator && !answersFor(nomination, actor.username)) throw notYourNomination();
      const outcome = await nominations.withdraw(nominationId, now(), !isNominator);
      if (outcome === 'missing') throw notFound('nomination');
      if (outcome === 'closed') throw celebrationClosed('withdraw');
    },

    /** A cycle's nominations as `viewer` (null: nobody signed in) may see them. */
    async list(cycleId: number, viewer: Actor | null): Promise<NominationView[]> {
      const who = viewerOf(viewer);
      return (await nominations.ofCycle(cycleId))
        .map((nomination) => present(nomination, who))
        .filter((nomination): nomination is NominationView => nomination !== null);
    },

    /** One nomination with its seconds and anecdotes, as `viewer` may see it; undefined when they may not. */
    async detail(nominationId: number, viewer: Actor | null): Promise<NominationDetail | undefined> {
      const nomination = await nominations.find(nominationId);
      const who = viewerOf(viewer);
      const shown = nomination && present(nomination, who);
      if (!shown) return undefined;
      const [seconds, anecdotes] = await Promise.all([
        nominations.seconds(nominationId),
        nominations.anecdotes(nominationId, who?.moderator ? ['pending', 'approved', 'refused'] : ['approved']),
      ]);
      return { nomination: shown, seconds, anecdotes };
    },

    /**
     * A private consent link's token for a nomination awaiting its nominee's answer, for the mail
     * job (`'system'`) or an editor to send; only its hash is stored. It can be used once, until
     * `CONSENT_LINK_DAYS` have passed or the consent phase ends, whichever comes first.
     */
    async issueConsentLink(
      issuer: Actor | 'system',
      nominationId: number,
    ): Promise<{ token: string; expiresAt: Date; nominationId: number }> {
      if (issuer !== 'system') requireAction(issuer, 'celebration.manage');
      const nomination = await found(nominationId);
      const cycle = (await celebrations.cycle(nomination.cycleId))!;
      const at = now();
      const expiresAt = new Date(Math.min(at.getTime() + CONSENT_LINK_DAYS * 86_400_000, cycle.choiceAt.getTime()));
      const token = randomBytes(32).toString('base64url');
      const outcome = await consent.addConsentToken(
        nominationId,
        hashToken(token),
        expiresAt,
        issuer === 'system' ? null : issuer.id,
        at,
      );
      if (outcome === 'missing') throw notFound('nomination');
      if (outcome === 'closed') throw celebrationClosed('consent');
      if (outcome === 'not-awaiting') throw notAwaitingConsent();
      return { token, expiresAt, nominationId };
    },

    /** The nomination a consent link answers for, without using the link (its page); refused as an answer would be. */
    async consentLink(token: string): Promise<Nomination> {
      const result = await consent.peekToken(hashToken(token), now());
      if (result.outcome === 'forged') throw consentLinkInvalid();
      if (result.outcome === 'used') throw consentLinkUsed();
      if (result.outcome === 'expired') throw consentLinkExpired();
      const nomination = await found(result.nominationId!);
      if (nomination.state !== 'awaiting_consent') throw notAwaitingConsent();
      return nomination;
    },

    /** The nominee's answer through their link: a forged, used or expired link is refused with its own error. */
    async answerWithLink(
      token: string,
      decision: Decision,
    ): Promise<{ nominationId: number; state: 'consented' | 'refused' }> {
      const result = await consent.answerWithToken(hashToken(token), decision, now());
      switch (result.outcome) {
        case 'consented':
        case 'refused':
          return { nominationId: result.nominationId!, state: result.outcome };
        case 'forged':
        case 'missing':
          throw consentLinkInvalid();
        case 'used':
          throw consentLinkUsed();
        case 'expired':
          throw consentLinkExpired();
        case 'closed':
          throw celebrationClosed('consent');
        case 'not-awaiting':
          throw notAwaitingConsent();
      }
    },

    /** The nominee's answer as their signed-in account (for a bot: an operator's account). */
    async answerAsAccount(
      actor: Actor,
      nominationId: number,
      decision: Decision,
    ): Promise<{ state: 'consented' | 'refused' }> {
      if (!answersFor(await found(nominationId), actor.username)) throw notTheNominee();
      const outcome = await consent.answerAsAccount(nominationId, decision, now());
      if (outcome === 'missing') throw notFound('nomination');
      if (outcome === 'closed') throw celebrationClosed('consent');
      if (outcome === 'not-awaiting') throw notAwaitingConsent();
      return { state: outcome };
    },

    /** Nominations waiting for this account's answer (it is the nominee, or operates the bot). */
    consentRequests: (actor: Actor): Promise<Nomination[]> => consent.awaitingAnswerFrom(actor.username),

    /** Whether a nomination's cycle takes `step` now (for pages that offer a form only when it would be taken). */
    async isOpen(nominationId: number, step: Parameters<typeof isOpenFor>[1]): Promise<boolean> {
      const nomination = await nominations.find(nominationId);
      const cycle = nomination && (await celebrations.cycle(nomination.cycleId));
      return cycle ? isOpenFor(cycle, step, now()) : false;
    },
  };
}
export type NominationsService = ReturnType<typeof nominationsService>;
