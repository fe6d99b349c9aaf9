import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isOpenFor } from '../../../domain/celebration/cycle.ts';
import type { Nomination, NominationForm } from '../../../domain/celebration/nomination.ts';
import type { NominationView } from '../../../services/celebration.ts';
import { AppError, forbidden, notFound, notSignedIn } from '../../../errors.ts';
import { CsrfBody, formBody, IdParams, staleFormCheck } from '../../forms.ts';
import { consentLinkPage, consentProblemPage, consentRequestsPage } from '../../views/pages/celebration-consent.ts';
import {
  celebrationNominationEditPage,
  celebrationNominationPage,
  type NominationPageData,
} from '../../views/pages/celebration-nomination.ts';
import { DoneQuery, NominationBody, refusalKey, typedNomination } from './celebration-forms.ts';

const ReasonBody = formBody({ reason: 4000, language: 40 });
const AnecdoteBody = formBody({ body: 8000, language: 40 });
const Decision = Type.Union([Type.Literal('consent'), Type.Literal('refuse')]);
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
const TokenAnswerBody = Type.Object({ decision: Decision, _csrf: Type.Optional(Type.String({ maxLength: 200 })) });
const AccountAnswerBody = Type.Object({
  nomination: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }),
  decision: Decision,
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});

const DONE: Record<string, NominationPageData['notice']> = {
  seconded: { type: 'success', key: 'celebration-done-seconded' },
  anecdote: { type: 'success', key: 'celebration-done-anecdote' },
  edited: { type: 'success', key: 'celebration-done-edited' },
  withdrawn: { type: 'success', key: 'celebration-done-withdrawn' },
  hidden: { type: 'success', key: 'celebration-done-hidden' },
};
const ANSWERED = { consented: 'celebration-consent-done-consented', refused: 'celebration-consent-done-refused' };

function nominationToForm(nomination: Omit<Nomination, 'state'>): NominationForm {
  return {
    nominee: nomination.nominee,
    homeWiki: nomination.homeWiki,
    kind: nomination.kind,
    operators: nomination.operators.join('\n'),
    botTasks: nomination.botTasks ?? '',
    region: String(nomination.regionId),
    category: nomination.category,
    reasons: nomination.reasons,
    evidence: nomination.evidence.join('\n'),
    language: nomination.language ?? undefined,
  };
}

/**
 * One nomination's page and what people do on it (second, add an anecdote, edit, withdraw, hide,
 * make a consent link), and the nominee's answer: through their private link or as their account.
 */
export const celebrationNominationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { celebration, catalog } = app.services;
  const form = staleFormCheck(app);

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'private, no-store');
    return payload;
  });

  async function renderNomination(
    request: FastifyRequest,
    reply: FastifyReply,
    nominationId: number,
    extra: Partial<Pick<NominationPageData, 'sent' | 'notice' | 'consentLink'>> = {},
    status = 200,
  ) {
    const detail = await celebration.detail(nominationId, request.user);
    if (!detail) throw notFound('nomination');
    const [cycle, regions] = await Promise.all([celebration.cycle(detail.nomination.cycleId), catalog.regions()]);
    const now = new Date();
    const open = {
      second: isOpenFor(cycle!, 'second', now),
      anecdote: isOpenFor(cycle!, 'anecdote', now),
      edit: isOpenFor(cycle!, 'edit-nomination', now),
      withdraw: isOpenFor(cycle!, 'withdraw', now),
      moderate: isOpenFor(cycle!, 'moderate', now),
    };
    const context = request.pageContext(reply, request.language, { forms: true });
    const data: NominationPageData = { detail, cycle: cycle!, regions, open, notice: null, ...extra };
    return reply.page(celebrationNominationPage(context, data), status);
  }

  const back = (request: FastifyRequest, reply: FastifyReply, id: number | string, done: string) =>
    reply.redirect(`/${request.language.code}/celebration/nominations/${id}?done=${done}`, 303);

  /**
   * A form with typed text (second, anecdote, hide) and, for the first two, the language it is written
   * in: a stale token, field problems or a refusal show it again as typed.
   */
  function textRoute(
    path: 'second' | 'anecdote' | 'hide',
    field: 'reason' | 'body',
    perform: (
      request: FastifyRequest,
      id: number,
      typed: { text: string; language: string | undefined },
    ) => Promise<{ ok: true } | { ok: false; errors: Record<string, string> }>,
  ) {
    app.post(
      `/celebration/nominations/:id/${path}`,
      {
        schema: { params: IdParams, body: path === 'anecdote' ? AnecdoteBody : ReasonBody },
        preHandler: form.preHandler,
      },
      async (request, reply) => {
        if (!request.user) throw notSignedIn();
        const id = Number(request.params.id);
        const body = request.body as Record<string, string | undefined>;
        const typed = { text: body[field] ?? '', language: body.language };
        const sent = { form: path, ...typed };
        if (form.isStale(request))
          return renderNomination(request, reply, id, { sent: { ...sent, errors: {}, stale: true } }, 403);
        try {
          const result = await perform(request, id, typed);
          if (!result.ok)
            return renderNomination(request, reply, id, { sent: { ...sent, errors: result.errors } }, 400);
        } catch (error) {
          const key = refusalKey(error);
          if (!key || !(error instanceof AppError)) throw error;
          const notice = { type: 'error' as const, key };
          return renderNomination(request, reply, id, { sent: { ...sent, errors: {} }, notice }, error.status);
        }
        return back(request, reply, id, path === 'second' ? 'seconded' : path === 'anecdote' ? 'anecdote' : 'hidden');
      },
    );
  }

  app.get(
    '/celebration/nominations/:id',
    { schema: { params: IdParams, querystring: DoneQuery } },
    async (request, reply) =>
      renderNomination(request, reply, Number(request.params.id), { notice: DONE[request.query.done ?? ''] ?? null }),
  );

  textRoute('second', 'reason', (request, id, { text, language }) => {
    request.authorize('celebration.nominate');
    return celebration.second(request.user!, id, { reason: text, language });
  });
  textRoute('anecdote', 'body', (request, id, { text, language }) => {
    request.authorize('celebration.nominate');
    return celebration.addAnecdote(request.user!, id, { body: text, language });
  });
  textRoute('hide', 'reason', (request, id, { text }) => {
    request.authorize('celebration.moderate');
    return celebration.hide(request.user!, id, { reason: text });
  });

  async function renderEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    nomination: { id: number; revision: number },
    typed: NominationForm,
    errors: Record<string, string>,
    problem?: string,
    status = 200,
  ) {
    const regions = await catalog.regions();
    const context = request.pageContext(reply, request.language, { forms: true });
    const { revision: revisionError, ...fieldErrors } = errors;
    const page = celebrationNominationEditPage(context, {
      nominationId: nomination.id,
      revision: nomination.revision,
      form: typed,
      errors: fieldErrors,
      regions,
      problem: problem ?? revisionError,
    });
    return reply.page(page, status);
  }

  async function ownNomination(request: FastifyRequest, id: number): Promise<NominationView> {
    if (!request.user) throw notSignedIn();
    const detail = await celebration.detail(id, request.user);
    if (!detail) throw notFound('nomination');
    if (detail.nomination.nominatorId !== request.user.id) throw forbidden();
    return detail.nomination;
  }

  app.get('/celebration/nominations/:id/edit', { schema: { params: IdParams } }, async (request, reply) => {
    const nomination = await ownNomination(request, Number(request.params.id));
    return renderEdit(request, reply, nomination, nominationToForm(nomination), {});
  });

  app.post(
    '/celebration/nominations/:id/edit',
    { schema: { params: IdParams, body: NominationBody }, preHandler: form.preHandler },
    async (request, reply) => {
      const nomination = await ownNomination(request, Number(request.params.id));
      const typed = typedNomination(request.body);
      if (form.isStale(request))
        return renderEdit(request, reply, nomination, typed, {}, 'celebration-form-stale', 403);
      const revision = request.body.revision ?? '';
      try {
        const result = await celebration.edit(request.user!, nomination.id, { ...typed, revision });
        if (result.ok) return back(request, reply, nomination.id, 'edited');
        if ('conflict' in result)
          return renderEdit(request, reply, result.conflict, typed, {}, 'celebration-edit-conflict', 409);
        return renderEdit(request, reply, nomination, typed, result.errors, undefined, 400);
      } catch (error) {
        const key = refusalKey(error);
        if (!key || !(error instanceof AppError)) throw error;
        return renderEdit(request, reply, nomination, typed, {}, key, error.status);
      }
    },
  );

  app.post(
    '/celebration/nominations/:id/withdraw',
    { schema: { params: IdParams, body: CsrfBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      await celebration.withdraw(request.user, Number(request.params.id));
      return back(request, reply, request.params.id, 'withdrawn');
    },
  );

  app.post(
    '/celebration/nominations/:id/consent-link',
    { schema: { params: IdParams, body: CsrfBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('celebration.manage');
      const id = Number(request.params.id);
      const link = await celebration.issueConsentLink(request.user!, id);
      const address = `${request.protocol}://${request.host}/${request.language.code}/celebration/consent/${link.token}`;
      return renderNomination(request, reply, id, { consentLink: address });
    },
  );

  // The nominee's private link: a used, expired or forged one is told so on a page of its own.
  async function consentProblem(request: FastifyRequest, reply: FastifyReply, error: unknown) {
    const key = refusalKey(error);
    if (!key || !(error instanceof AppError)) throw error;
    return reply.page(consentProblemPage(request.pageContext(reply, request.language), key), error.status);
  }

  app.get('/celebration/consent/:token', { schema: { params: TokenParams } }, async (request, reply) => {
    const context = () => request.pageContext(reply, request.language, { forms: true });
    try {
      const nomination = await celebration.consentLink(request.params.token);
      const cycle = await celebration.cycle(nomination.cycleId);
      const action = `/${request.language.code}/celebration/consent/${encodeURIComponent(request.params.token)}`;
      return reply.page(consentLinkPage(context(), { action, nomination, month: cycle!.month, answered: null }));
    } catch (error) {
      return consentProblem(request, reply, error);
    }
  });

  app.post(
    '/celebration/consent/:token',
    { schema: { params: TokenParams, body: TokenAnswerBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      try {
        const answer = await celebration.answerWithLink(request.params.token, request.body.decision);
        const context = request.pageContext(reply, request.language);
        return reply.page(
          consentLinkPage(context, { action: '', nomination: null, month: '', answered: ANSWERED[answer.state] }),
        );
      } catch (error) {
        return consentProblem(request, reply, error);
      }
    },
  );

  app.get('/celebration/consent', { schema: { querystring: DoneQuery } }, async (request, reply) => {
    if (!request.user) throw notSignedIn();
    const [requests, cycles] = await Promise.all([celebration.consentRequests(request.user), celebration.cycles()]);
    const months = new Map(cycles.map((cycle) => [cycle.id, cycle.month]));
    const done = request.query.done;
    const notice = done === 'consented' || done === 'refused' ? ANSWERED[done] : null;
    return reply.page(consentRequestsPage(request.pageContext(reply, request.language), { requests, months, notice }));
  });

  app.post(
    '/celebration/consent',
    { schema: { body: AccountAnswerBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      const answer = await celebration.answerAsAccount(
        request.user,
        Number(request.body.nomination),
        request.body.decision,
      );
      return reply.redirect(`/${request.language.code}/celebration/consent?done=${answer.state}`, 303);
    },
  );
};
