import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { PHASES_IN_ORDER, resultsVisible, type CyclePhase } from '../../../domain/celebration/cycle.ts';
import { AppError, notFound, notSignedIn } from '../../../errors.ts';
import type { CycleView } from '../../../services/celebration.ts';
import { formBody, staleFormCheck } from '../../forms.ts';
import {
  DoneQuery,
  limitPerAccount,
  MonthParams,
  NominationBody,
  refusalKey,
  typedNomination,
} from './celebration-forms.ts';
import { celebrationCyclePage, celebrationIndexPage, type CyclePageData } from '../../views/pages/celebration-cycle.ts';
import { emptyNominationForm } from '../../views/pages/celebration-parts.ts';
import { noticesPage } from '../../views/pages/celebration-consent.ts';

const VoteBody = formBody({ nomination: 20 });
const PHASES = [...PHASES_IN_ORDER, 'closed', 'cancelled'] as const;
const AdvanceBody = Type.Object({
  from: Type.Union(PHASES.map((phase) => Type.Literal(phase))),
  to: Type.Union(PHASES.map((phase) => Type.Literal(phase))),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
const ReadBody = formBody({ ids: 2000 });

const DONE: Record<string, string> = {
  nominated: 'celebration-done-nominated',
  joined: 'celebration-done-joined',
  voted: 'celebration-done-voted',
  moved: 'celebration-done-moved',
};

/**
 * The monthly celebration's pages: the current cycle and past ones, a month's cycle with its
 * nominations, the nomination form, the ballot and the results, an editor's "next phase", and each
 * person's notices. Every page depends on who looks (what they may see and do): none is cached.
 */
export const celebrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { celebration, catalog } = app.services;
  const form = staleFormCheck(app);

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'private, no-store');
    return payload;
  });

  async function findCycle(month: string): Promise<CycleView> {
    const cycle = await celebration.cycleByMonth(month);
    if (!cycle) throw notFound('cycle');
    return cycle;
  }

  async function renderCycle(
    request: FastifyRequest,
    reply: FastifyReply,
    cycle: CycleView,
    extra: Partial<Pick<CyclePageData, 'nominate' | 'notice'>> & { ballotError?: string } = {},
    status = 200,
  ) {
    const user = request.user;
    const phase = cycle.effectivePhase;
    const [nominations, regions] = await Promise.all([celebration.list(cycle.id, user), catalog.regions()]);
    const ballot =
      phase === 'choice'
        ? {
            mayVote: user ? await celebration.mayVote(user, cycle.id) : false,
            myVote: user ? await celebration.myVote(user, cycle.id) : null,
            voters: await celebration.voterCount(cycle.id),
            error: extra.ballotError,
          }
        : null;
    const data: CyclePageData = {
      cycle,
      nominations,
      regions,
      nominate:
        user && phase === 'nominations' ? (extra.nominate ?? { form: emptyNominationForm(), errors: {} }) : null,
      ballot,
      results: resultsVisible(cycle.phase) ? await celebration.results(cycle.id) : null,
      notice: extra.notice ?? null,
    };
    const context = request.pageContext(reply, request.language, { forms: true });
    return reply.page(celebrationCyclePage(context, data), status);
  }

  const back = (request: FastifyRequest, reply: FastifyReply, month: string, done: string) =>
    reply.redirect(`/${request.language.code}/celebration/${month}?done=${done}`, 303);

  app.get('/celebration', async (request, reply) => {
    const cycles = await celebration.cycles();
    // The current cycle: the latest one under way, else the latest one coming, else the latest.
    const current =
      cycles.find((cycle) => !['upcoming', 'announced', 'closed', 'cancelled'].includes(cycle.effectivePhase)) ??
      cycles.findLast((cycle) => cycle.effectivePhase === 'upcoming') ??
      cycles[0] ??
      null;
    const past = cycles.filter((cycle) => cycle !== current);
    return reply.page(celebrationIndexPage(request.pageContext(reply, request.language), { current, past }));
  });

  app.get(
    '/celebration/:month',
    { schema: { params: MonthParams, querystring: DoneQuery } },
    async (request, reply) => {
      const cycle = await findCycle(request.params.month);
      return renderCycle(request, reply, cycle, { notice: DONE[request.query.done ?? ''] ?? null });
    },
  );

  app.post(
    '/celebration/:month/nominate',
    {
      schema: { params: MonthParams, body: NominationBody },
      preHandler: form.preHandler,
      config: limitPerAccount(app.config.nominationRateLimit),
    },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      request.authorize('celebration.nominate');
      const cycle = await findCycle(request.params.month);
      const typed = typedNomination(request.body);
      if (form.isStale(request))
        return renderCycle(request, reply, cycle, { nominate: { form: typed, errors: {}, stale: true } }, 403);
      try {
        const result = await celebration.nominate(request.user, cycle.id, typed);
        if (!result.ok)
          return renderCycle(request, reply, cycle, { nominate: { form: typed, errors: result.errors } }, 400);
        return back(request, reply, cycle.month, result.outcome === 'seconded' ? 'joined' : 'nominated');
      } catch (error) {
        const key = refusalKey(error);
        if (!key || !(error instanceof AppError)) throw error;
        return renderCycle(
          request,
          reply,
          cycle,
          { nominate: { form: typed, errors: { nominee: key } } },
          error.status,
        );
      }
    },
  );

  app.post(
    '/celebration/:month/vote',
    {
      schema: { params: MonthParams, body: VoteBody },
      preHandler: app.csrfProtection,
      config: limitPerAccount(app.config.voteRateLimit),
    },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      request.authorize('celebration.vote');
      const cycle = await findCycle(request.params.month);
      const nominationId = Number(request.body.nomination);
      if (!Number.isInteger(nominationId) || nominationId < 1)
        return renderCycle(request, reply, cycle, { ballotError: 'celebration-error-choose-candidate' }, 400);
      await celebration.vote(request.user, cycle.id, nominationId);
      return back(request, reply, cycle.month, 'voted');
    },
  );

  app.post(
    '/celebration/:month/advance',
    { schema: { params: MonthParams, body: AdvanceBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('celebration.manage');
      const cycle = await findCycle(request.params.month);
      await celebration.advancePhase(request.user!, cycle.id, request.body.from, request.body.to as CyclePhase);
      return back(request, reply, cycle.month, 'moved');
    },
  );

  app.get('/notices', async (request, reply) => {
    if (!request.user) throw notSignedIn();
    const [notices, cycles] = await Promise.all([celebration.notices(request.user), celebration.cycles()]);
    const months = new Map(cycles.map((cycle) => [cycle.id, cycle.month]));
    return reply.page(noticesPage(request.pageContext(reply, request.language), { notices, months }));
  });

  app.post('/notices/read', { schema: { body: ReadBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    if (!request.user) throw notSignedIn();
    const ids = (request.body.ids ?? '')
      .split(',')
      .map(Number)
      .filter((id) => Number.isInteger(id) && id > 0)
      .slice(0, 200);
    await celebration.markNoticesRead(request.user, ids);
    return reply.redirect(`/${request.language.code}/notices`, 303);
  });
};
