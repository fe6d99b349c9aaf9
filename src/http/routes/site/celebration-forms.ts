import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { NominationForm } from '../../../domain/celebration/nomination.ts';
import { AppError } from '../../../errors.ts';
import { formBody } from '../../forms.ts';
import { emptyNominationForm } from '../../views/pages/celebration-parts.ts';

// What the celebration's route files share: their addresses' and forms' schemas, the rate limits,
// and how a refusal of the service becomes a message on the form that was sent.

/**
 * A month in an address is any text here: one that is no month (2026-13, abcd) finds no cycle,
 * so it is the site's "not found" page like a month without a cycle, not a 400.
 */
export const MonthParams = Type.Object({ month: Type.String({ maxLength: 100 }) });
/** What the last post did, named after its redirect (`?done=voted`): only known names show a message. */
export const DoneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) });
export const NominationBody = formBody({
  nominee: 400,
  homeWiki: 400,
  kind: 10,
  operators: 1000,
  botTasks: 4000,
  region: 20,
  category: 40,
  reasons: 16000,
  evidence: 8000,
  language: 40,
  revision: 20,
});
/**
 * Nominating and voting are limited per account (by address when signed out) to `max` a minute
 * (NOMINATION_RATE_LIMIT, VOTE_RATE_LIMIT), answered with a page that says to wait.
 */
export const limitPerAccount = (max: number) => ({
  rateLimit: {
    max,
    timeWindow: '1 minute',
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => (request.user ? `user-${request.user.id}` : request.ip),
  },
});

/** The nomination form's fields as typed (every one a string; "Written in" only when the form had it). */
export const typedNomination = (body: Partial<Record<keyof NominationForm, string>>): NominationForm => ({
  ...emptyNominationForm(),
  ...Object.fromEntries(Object.entries(body).filter(([key]) => key in emptyNominationForm() || key === 'language')),
});

/** The celebration's refusal carried by an error (its message key), or undefined for any other error. */
export const refusalKey = (error: unknown): string | undefined =>
  error instanceof AppError && typeof error.details.messageKey === 'string' ? error.details.messageKey : undefined;
