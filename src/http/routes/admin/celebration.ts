import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { CycleForm } from '../../../domain/celebration/cycle.ts';
import { notFound, notSignedIn } from '../../../errors.ts';
import type { CycleView } from '../../../services/celebration.ts';
import { formBody, IdParams, SavedQuery, staleFormCheck } from '../../forms.ts';
import { celebrationAdminPage, celebrationCycleAdminPage, cycleToForm } from '../../views/pages/admin/celebration.ts';
import { MonthParams } from '../site/celebration-forms.ts';

const CycleBody = formBody({
  month: 20,
  opensAt: 40,
  secondingAt: 40,
  consentAt: 40,
  choiceAt: 40,
  closesAt: 40,
  choiceMode: 20,
  committee: 5000,
  revision: 20,
});
const ModerateBody = Type.Object({
  decision: Type.Union([Type.Literal('approved'), Type.Literal('refused')]),
  month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});

const emptyCycleForm = (): CycleForm => ({
  month: '',
  opensAt: '',
  secondingAt: '',
  consentAt: '',
  choiceAt: '',
  closesAt: '',
  choiceMode: 'community',
  committee: '',
});
const typedCycle = (body: Partial<Record<keyof CycleForm, string>>): CycleForm => ({
  ...emptyCycleForm(),
  ...Object.fromEntries(Object.entries(body).filter(([key]) => key in emptyCycleForm())),
});

/** The celebration's management: cycles (celebration.manage) and the anecdotes waiting for a moderator (celebration.moderate). */
export const celebrationAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { celebration } = app.services;
  const form = staleFormCheck(app);

  /** Editors and moderators only; anybody else is refused before anything is read. */
  function mayEnter(request: FastifyRequest) {
    if (!request.user) throw notSignedIn();
    if (!request.can('celebration.moderate')) request.authorize('celebration.manage');
  }

  async function findCycle(month: string): Promise<CycleView> {
    const cycle = await celebration.cycleByMonth(month);
    if (!cycle) throw notFound('cycle');
    return cycle;
  }

  async function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { form?: CycleForm; errors?: Record<string, string>; error?: string; saved?: boolean },
    status = 200,
  ) {
    const cycles = await celebration.cycles();
    const context = request.pageContext(reply, request.language, { forms: true });
    const page = celebrationAdminPage(context, {
      cycles,
      form: extra.form ?? emptyCycleForm(),
      errors: extra.errors ?? {},
      saved: extra.saved ?? false,
      ...(extra.error ? { error: extra.error } : {}),
    });
    return reply.page(page, status);
  }

  async function renderCycle(
    request: FastifyRequest,
    reply: FastifyReply,
    cycle: CycleView,
    extra: { form?: CycleForm; errors?: Record<string, string>; error?: string; saved?: boolean },
    status = 200,
  ) {
    const [committee, transitions, pending] = await Promise.all([
      celebration.committee(cycle.id),
      celebration.transitions(cycle.id),
      request.can('celebration.moderate') ? celebration.pendingAnecdotes(request.user!, cycle.id) : null,
    ]);
    const context = request.pageContext(reply, request.language, { forms: true });
    const page = celebrationCycleAdminPage(context, {
      cycle,
      form: extra.form ?? cycleToForm(cycle, committee),
      errors: extra.errors ?? {},
      error: extra.error,
      saved: extra.saved ?? false,
      pending,
      transitions,
    });
    return reply.page(page, status);
  }

  app.get('/celebration', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    mayEnter(request);
    return renderList(request, reply, { saved: request.query.saved === '1' });
  });

  app.post('/celebration', { schema: { body: CycleBody }, preHandler: form.preHandler }, async (request, reply) => {
    request.authorize('celebration.manage');
    const typed = typedCycle(request.body);
    if (form.isStale(request)) return renderList(request, reply, { form: typed, error: 'celebration-form-stale' }, 403);
    const result = await celebration.createCycle(request.user!, typed);
    if (!result.ok) return renderList(request, reply, { form: typed, errors: result.errors }, 400);
    return reply.redirect(`/${request.language.code}/admin/celebration/${result.cycle.month}?saved=1`, 303);
  });

  app.get(
    '/celebration/:month',
    { schema: { params: MonthParams, querystring: SavedQuery } },
    async (request, reply) => {
      mayEnter(request);
      const cycle = await findCycle(request.params.month);
      return renderCycle(request, reply, cycle, { saved: request.query.saved === '1' });
    },
  );

  app.post(
    '/celebration/:month',
    { schema: { params: MonthParams, body: CycleBody }, preHandler: form.preHandler },
    async (request, reply) => {
      request.authorize('celebration.manage');
      const cycle = await findCycle(request.params.month);
      const typed = { ...typedCycle(request.body), month: cycle.month };
      if (form.isStale(request))
        return renderCycle(request, reply, cycle, { form: typed, error: 'celebration-form-stale' }, 403);
      const result = await celebration.updateCycle(request.user!, cycle.id, {
        ...typed,
        revision: request.body.revision ?? '',
      });
      if (result.ok) return reply.redirect(`/${request.language.code}/admin/celebration/${cycle.month}?saved=1`, 303);
      if ('conflict' in result)
        return renderCycle(request, reply, result.conflict, { form: typed, error: 'celebration-edit-conflict' }, 409);
      const { revision, ...errors } = result.errors;
      return renderCycle(request, reply, cycle, { form: typed, errors, error: revision }, 400);
    },
  );

  app.post(
    '/celebration/anecdotes/:id',
    { schema: { params: IdParams, body: ModerateBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('celebration.moderate');
      await celebration.moderateAnecdote(request.user!, Number(request.params.id), request.body.decision);
      return reply.redirect(`/${request.language.code}/admin/celebration/${request.body.month}?saved=1`, 303);
    },
  );
};
