import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import type { GrantableRole } from '../../src/domain/access/authorize.ts';
import { changeFeed } from '../../src/domain/changes.ts';
import { defaultSchedule, type CycleForm } from '../../src/domain/celebration/cycle.ts';
import type { NominationForm } from '../../src/domain/celebration/nomination.ts';
import { AppError } from '../../src/errors.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { ADVANCE_CELEBRATION, celebrationService, type Actor } from '../../src/services/celebration.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { createRepositories } from '../../src/store/repositories/index.ts';
import { createTestDatabase, resetDatabase, testEngines } from '../helpers/database.ts';
import {
  cycleForm as cycleFormFor,
  MONTH,
  nominationForm as nominationFormFor,
  REASONS,
} from '../helpers/celebration.ts';

const cycleForm = (overrides: Partial<CycleForm> = {}) => cycleFormFor(MONTH, overrides);
const dates = defaultSchedule(MONTH);

// The monthly celebration through its service on every engine: a whole cycle from nominations to
// the announcement; duplicate and self-nominations; consent links forged, reused and expired; 100
// accounts voting at once with duplicate attempts; the phase job run by two workers at once.

/** Rejects with an AppError of this code (never anything else, never a 500). */
async function refused(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
    assert.equal(error.code, code);
    assert.ok(error.status < 500);
    return true;
  });
}

for (const engine of testEngines()) {
  describe(`the monthly celebration (${engine})`, () => {
    let database: Database;
    let services: Services;
    let clock: Date;
    let celebration: ReturnType<typeof celebrationService>;
    let regionId: number;

    before(async () => {
      database = await createTestDatabase(engine);
      services = await createServices(database);
    });
    after(async () => {
      await database.close();
    });
    beforeEach(async () => {
      await resetDatabase(database);
      clock = new Date('2026-11-25T00:00:00Z');
      celebration = celebrationService(services.repositories, { clock: () => clock });
      await services.repositories.catalog.saveRegion({ slug: 'africa', names: { en: 'Africa' } });
      regionId = (await services.repositories.catalog.regions())[0]!.id;
    });

    const users = () => services.repositories.users;
    async function account(username: string, roles: GrantableRole[] = []): Promise<Actor> {
      const user = await users().create({ username, displayName: username, passwordHash: 'not-a-hash' });
      for (const role of roles) await users().grant(user!.id, role, null, null);
      return (await users().findById(user!.id))!;
    }
    const nominationForm = (overrides: Partial<NominationForm> = {}) => nominationFormFor(regionId, overrides);
    async function at(iso: string) {
      clock = new Date(iso);
      return celebration.advanceDue();
    }
    async function nominate(actor: Actor, cycleId: number, overrides: Partial<NominationForm> = {}) {
      const result = await celebration.nominate(actor, cycleId, nominationForm(overrides));
      assert.ok(result.ok, JSON.stringify(result));
      return result;
    }

    test('a whole cycle: nominate a human and a bot, second, consent, vote, close, announce', async () => {
      const editor = await account('Editor', ['editor']);
      const [amani, kofi, mei, lucia, harej, nour] = await Promise.all(
        ['Amani', 'Kofi', 'Mei', 'Lucía', 'Harej', 'Nour'].map((name) => account(name)),
      );
      await refused(celebration.createCycle(amani!, cycleForm()), 'forbidden');
      const created = await celebration.createCycle(editor, cycleForm());
      assert.ok(created.ok);
      const cycle = created.cycle;
      assert.equal(cycle.phase, 'upcoming');
      const again = await celebration.createCycle(editor, cycleForm());
      assert.deepEqual(again, { ok: false, errors: { month: 'celebration-error-month-taken' } });
      const queued = await database.db.selectFrom('jobs').selectAll().where('kind', '=', ADVANCE_CELEBRATION).execute();
      assert.equal(queued.length, 1, 'the advance job is queued once');
      assert.deepEqual(queued[0]!.run_after, dates.opensAt, 'for the opening of nominations');

      await refused(celebration.nominate(amani!, cycle.id, nominationForm()), 'celebration_closed');
      assert.deepEqual(await at('2026-12-01T08:00:00Z'), [
        { cycleId: cycle.id, month: MONTH, from: 'upcoming', to: 'nominations' },
      ]);
      assert.deepEqual(await celebration.advanceDue(), [], 'nothing more is due');

      const human = await nominate(amani!, cycle.id, {
        nominee: 'lucía',
        reasons: `${REASONS} <script>alert(1)</script>`,
      });
      assert.equal(human.outcome, 'nominated');
      assert.equal(human.nomination.nominee, 'Lucía');
      assert.match(human.nomination.reasons, /<script>/, 'kept as text; pages escape it');
      const bot = await nominate(kofi!, cycle.id, {
        nominee: 'LinkBot',
        homeWiki: 'en.wikipedia.org',
        kind: 'bot',
        operators: 'Harej',
        botTasks: 'Rescues dead links with archived copies.',
        category: 'technical',
      });
      assert.deepEqual(bot.nomination.operators, ['Harej']);
      const other = await nominate(mei!, cycle.id, { nominee: 'Nour', homeWiki: 'ar.wikipedia.org' });
      // The same nominee again, by someone else: a seconding of the first nomination.
      const duplicate = await nominate(mei!, cycle.id, { nominee: 'LUCÍA' });
      assert.equal(duplicate.outcome, 'seconded');
      assert.equal(duplicate.nomination.id, human.nomination.id);
      assert.equal(duplicate.nomination.seconds, 1);

      // The nominator edits until nominations close; a stale form is a conflict.
      const edited = await celebration.edit(amani!, human.nomination.id, {
        ...nominationForm({ category: 'lifetime' }),
        revision: '1',
      });
      assert.ok(edited.ok && edited.nomination.category === 'lifetime' && edited.nomination.revision === 2);
      const stale = await celebration.edit(amani!, human.nomination.id, { ...nominationForm(), revision: '1' });
      assert.ok(!stale.ok && 'conflict' in stale && stale.conflict.revision === 2);
      await refused(
        celebration.edit(kofi!, human.nomination.id, { ...nominationForm(), revision: '2' }),
        'celebration_not_your_nomination',
      );

      // Nothing is public before consent; members see open nominations to second them.
      assert.deepEqual(await celebration.list(cycle.id, null), []);
      assert.equal((await celebration.list(cycle.id, nour!)).length, 3);

      const seconded = await celebration.second(nour!, bot.nomination.id, {
        reason: 'It fixed 10,000 links on arwiki.',
      });
      assert.ok(seconded.ok && seconded.seconds.length === 1);
      await refused(celebration.second(nour!, bot.nomination.id, { reason: 'Again' }), 'celebration_already_seconded');
      await refused(celebration.second(kofi!, bot.nomination.id, { reason: 'Mine' }), 'celebration_own_nomination');
      await refused(celebration.second(nour!, other.nomination.id, { reason: 'Me!' }), 'celebration_own_nomination');
      assert.deepEqual(await celebration.second(mei!, bot.nomination.id, { reason: ' ' }), {
        ok: false,
        errors: { reason: 'form-error-required' },
      });

      const anecdote = await celebration.addAnecdote(harej!, human.nomination.id, { body: 'She taught me to cite.' });
      assert.ok(anecdote.ok);
      assert.deepEqual((await celebration.detail(human.nomination.id, kofi!))!.anecdotes, [], 'not before moderation');
      await refused(celebration.moderateAnecdote(kofi!, anecdote.anecdoteId, 'approved'), 'forbidden');
      assert.equal((await celebration.pendingAnecdotes(editor, cycle.id)).length, 1);
      await celebration.moderateAnecdote(editor, anecdote.anecdoteId, 'approved');
      assert.deepEqual(
        (await celebration.detail(human.nomination.id, kofi!))!.anecdotes.map((a) => [a.body, a.author]),
        [['She taught me to cite.', 'Harej']],
      );

      assert.equal((await at('2026-12-11T00:00:00Z'))[0]?.to, 'seconding');
      await refused(celebration.nominate(nour!, cycle.id, nominationForm({ nominee: 'Zed' })), 'celebration_closed');
      await refused(
        celebration.edit(amani!, human.nomination.id, { ...nominationForm(), revision: '2' }),
        'celebration_closed',
      );

      assert.equal((await at('2026-12-16T00:00:00Z'))[0]?.to, 'consent');
      const states = async () =>
        Object.fromEntries((await celebration.list(cycle.id, editor)).map((n) => [n.nominee, n.state]));
      assert.deepEqual(await states(), {
        Lucía: 'awaiting_consent',
        LinkBot: 'awaiting_consent',
        Nour: 'awaiting_consent',
      });
      // Those who answer for a nominee and have an account are asked on the site.
      assert.deepEqual(
        (await celebration.notices(lucia!)).map((n) => [n.key, n.params]),
        [['celebration-notice-consent', [MONTH]]],
      );
      assert.deepEqual(
        (await celebration.notices(harej!)).map((n) => n.key),
        ['celebration-notice-consent-bot'],
      );
      assert.deepEqual(
        (await celebration.consentRequests(lucia!)).map((n) => n.id),
        [human.nomination.id],
      );

      await refused(celebration.answerAsAccount(kofi!, human.nomination.id, 'consent'), 'celebration_not_the_nominee');
      assert.deepEqual(await celebration.answerAsAccount(lucia!, human.nomination.id, 'consent'), {
        state: 'consented',
      });
      await refused(celebration.issueConsentLink(kofi!, bot.nomination.id), 'forbidden');
      const link = await celebration.issueConsentLink('system', bot.nomination.id);
      assert.match(link.token, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(link.expiresAt, dates.choiceAt, 'no later than the end of the consent phase');
      const stored = await database.db.selectFrom('consent_tokens').select('token_hash').execute();
      assert.ok(stored.every((row) => row.token_hash !== link.token && /^[0-9a-f]{64}$/.test(row.token_hash)));
      assert.deepEqual(await celebration.answerWithLink(link.token, 'consent'), {
        nominationId: bot.nomination.id,
        state: 'consented',
      });
      // Nour refuses: quietly. Mei (the nominator) learns only that it will not go ahead.
      assert.deepEqual(await celebration.answerAsAccount(nour!, other.nomination.id, 'refuse'), { state: 'refused' });
      assert.deepEqual(
        (await celebration.notices(mei!)).map((n) => n.key),
        ['celebration-notice-not-going-ahead'],
      );
      assert.equal((await celebration.detail(other.nomination.id, mei!))?.nomination.state, 'not-going-ahead');
      assert.equal(await celebration.detail(other.nomination.id, kofi!), undefined);
      assert.deepEqual((await celebration.list(cycle.id, null)).map((n) => n.nominee).sort(), ['LinkBot', 'Lucía']);

      await refused(celebration.vote(kofi!, cycle.id, human.nomination.id), 'celebration_closed');
      await refused(celebration.results(cycle.id), 'celebration_results_hidden');
      assert.equal((await at('2026-12-21T00:00:00Z'))[0]?.to, 'choice');
      for (const voter of [kofi, mei, nour]) await celebration.vote(voter!, cycle.id, human.nomination.id);
      for (const voter of [amani, harej]) await celebration.vote(voter!, cycle.id, bot.nomination.id);
      await refused(celebration.vote(lucia!, cycle.id, other.nomination.id), 'celebration_not_a_candidate');
      await refused(celebration.vote(kofi!, cycle.id, bot.nomination.id), 'celebration_already_voted');
      assert.equal(await celebration.myVote(kofi!, cycle.id), human.nomination.id);
      assert.equal(await celebration.voterCount(cycle.id), 5);
      await refused(celebration.results(cycle.id), 'celebration_results_hidden');

      assert.deepEqual(await at('2026-12-28T00:00:00Z'), [
        { cycleId: cycle.id, month: MONTH, from: 'choice', to: 'announced' },
      ]);
      const results = await celebration.results(cycle.id);
      assert.equal(results.winner, human.nomination.id);
      assert.equal(results.decidedBy, 'votes');
      assert.equal(results.ruleKey, 'celebration-tally-rule');
      assert.deepEqual(
        results.rows.map((row) => [row.nominee, row.votes, row.seconds, row.place]),
        [
          ['Lucía', 3, 1, 1],
          ['LinkBot', 2, 1, 2],
        ],
      );
      assert.equal(results.votesSetAside, 0);
      assert.equal((await celebration.detail(human.nomination.id, null))?.nomination.state, 'chosen');
      assert.deepEqual(
        (await celebration.notices(amani!)).map((n) => [n.key, n.params]),
        [
          ['celebration-notice-chosen', ['Lucía', MONTH]],
          ['celebration-notice-consented', ['Lucía', MONTH]],
        ],
      );
      assert.deepEqual(
        (await celebration.transitions(cycle.id)).map((t) => [t.from, t.to, t.how]),
        [
          ['upcoming', 'nominations', 'schedule'],
          ['nominations', 'seconding', 'schedule'],
          ['seconding', 'consent', 'schedule'],
          ['consent', 'choice', 'schedule'],
          ['choice', 'announced', 'schedule'],
        ],
      );
      assert.deepEqual(
        (await celebration.honorees()).map((h) => [h.month, h.nomination.nominee]),
        [[MONTH, 'Lucía']],
      );
      assert.deepEqual(await celebration.honorees({ kind: 'bot' }), []);
      assert.equal(await celebration.schedule(), null, 'nothing left to move');
      await refused(celebration.vote(harej!, cycle.id, human.nomination.id), 'celebration_closed');
    });

    test('editors move phases early (recorded), never backwards or twice; a choice with no votes closes', async () => {
      const editor = await account('Editor', ['editor']);
      const member = await account('Amani');
      const created = await celebration.createCycle(
        editor,
        cycleForm({ choiceMode: 'committee', committee: 'Editor' }),
      );
      assert.ok(created.ok);
      const id = created.cycle.id;
      await refused(celebration.advancePhase(member, id, 'upcoming', 'nominations'), 'forbidden');
      await refused(celebration.advancePhase(editor, id, 'upcoming', 'seconding'), 'celebration_illegal_transition');
      await celebration.advancePhase(editor, id, 'upcoming', 'nominations');
      await refused(celebration.advancePhase(editor, id, 'upcoming', 'nominations'), 'celebration_phase_moved');
      // The cycle's form changes its dates; a stale form is a conflict (a phase move counts).
      const stale = await celebration.updateCycle(editor, id, { ...cycleForm(), revision: '1' });
      assert.ok(!stale.ok && 'conflict' in stale);
      const updated = await celebration.updateCycle(editor, id, {
        ...cycleForm({ closesAt: '2026-12-30', choiceMode: 'committee', committee: 'Editor, Amani' }),
        revision: '2',
      });
      assert.ok(updated.ok && updated.cycle.closesAt.toISOString() === '2026-12-30T00:00:00.000Z');
      assert.deepEqual(
        (await celebration.committee(id)).map((m) => m.username),
        ['Amani', 'Editor'],
      );
      const unknown = await celebration.updateCycle(editor, id, {
        ...cycleForm({ choiceMode: 'committee', committee: 'Nobody' }),
        revision: '3',
      });
      assert.deepEqual(unknown, { ok: false, errors: { committee: 'celebration-error-committee-unknown' } });
      for (const [from, to] of [
        ['nominations', 'seconding'],
        ['seconding', 'consent'],
        ['consent', 'choice'],
      ] as const)
        await celebration.advancePhase(editor, id, from, to);
      assert.equal(await celebration.mayVote(member, id), true);
      assert.equal(await celebration.mayVote(await account('Kofi'), id), false);
      const closed = await celebration.advancePhase(editor, id, 'choice', 'announced');
      assert.equal(closed.phase, 'closed', 'no counted vote, no honoree');
      assert.equal(closed.honoreeNominationId, null);
      const transitions = await celebration.transitions(id);
      assert.deepEqual(
        transitions.map((t) => [t.to, t.how, t.username]),
        [
          ['nominations', 'editor', 'Editor'],
          ['seconding', 'editor', 'Editor'],
          ['consent', 'editor', 'Editor'],
          ['choice', 'editor', 'Editor'],
          ['closed', 'editor', 'Editor'],
        ],
      );
      assert.deepEqual(await at('2027-01-01T00:00:00Z'), [], 'the schedule never moves a closed cycle');
      await refused(celebration.advancePhase(editor, id, 'closed', 'cancelled'), 'celebration_illegal_transition');
    });

    test('the advance job stays queued once, for the earliest date any cycle is due at', async () => {
      const editor = await account('Editor', ['editor']);
      const queued = () =>
        database.db.selectFrom('jobs').select(['run_after', 'state']).where('kind', '=', ADVANCE_CELEBRATION).execute();
      assert.ok((await celebration.createCycle(editor, cycleForm())).ok);
      assert.ok((await celebration.createCycle(editor, cycleForm({ month: '2027-01', ...isoDates('2027-01') }))).ok);
      assert.deepEqual(await queued(), [{ run_after: dates.opensAt, state: 'queued' }], 'not later, not twice');
      // An earlier cycle brings the queued run forward.
      assert.ok(
        (
          await celebration.createCycle(
            editor,
            cycleForm({ month: '2026-11', ...isoDates('2026-11'), closesAt: '2026-12-05' }),
          )
        ).ok,
      );
      assert.deepEqual(await queued(), [{ run_after: new Date('2026-11-01T00:00:00Z'), state: 'queued' }]);
      // Run by hand (as a worker would) at 2026-12-02: it moves what is due and queues the next date.
      clock = new Date('2026-12-02T00:00:00Z');
      await database.db.deleteFrom('jobs').execute();
      await celebration.handlers[ADVANCE_CELEBRATION]!(
        (await services.repositories.jobs.enqueue(ADVANCE_CELEBRATION, {}))!,
        { progress: async () => {}, signal: new AbortController().signal },
      );
      assert.deepEqual(
        (await celebration.cycles()).map((cycle) => [cycle.month, cycle.phase]),
        [
          ['2027-01', 'upcoming'],
          ['2026-12', 'nominations'],
          ['2026-11', 'choice'],
        ],
      );
      const next = (await queued()).filter((job) => job.state === 'queued');
      assert.deepEqual(
        next,
        [{ run_after: new Date('2026-12-05T00:00:00Z'), state: 'queued' }],
        'the November vote closes',
      );
    });

    test('duplicate and self-nominations', async () => {
      const editor = await account('Editor', ['editor']);
      const amani = await account('Amani_K');
      const created = await celebration.createCycle(editor, cycleForm());
      assert.ok(created.ok);
      const id = created.cycle.id;
      await at('2026-12-02T00:00:00Z');
      assert.deepEqual(await celebration.nominate(amani, id, nominationForm({ nominee: 'amani k' })), {
        ok: false,
        errors: { nominee: 'celebration-error-self-nomination' },
      });
      assert.deepEqual(
        await celebration.nominate(
          amani,
          id,
          nominationForm({
            nominee: 'AmaniBot',
            kind: 'bot',
            operators: 'Amani K',
            botTasks: 'Fixes typos in Swahili.',
          }),
        ),
        { ok: false, errors: { nominee: 'celebration-error-self-nomination' } },
      );
      const first = await nominate(amani, id);
      await refused(
        celebration.nominate(amani, id, nominationForm({ nominee: 'LUCÍA' })),
        'celebration_own_nomination',
      );
      // Twenty members nominate the same person at the same moment: one nomination, nineteen seconds.
      const others = await Promise.all(Array.from({ length: 20 }, (_, i) => account(`Member ${i}`)));
      const results = await Promise.all(
        others.map((member, i) =>
          celebration.nominate(member, id, nominationForm({ nominee: i % 2 ? 'Nour' : 'nour' })),
        ),
      );
      const outcomes = results.map((result) => (result.ok ? result.outcome : 'error'));
      assert.equal(outcomes.filter((o) => o === 'nominated').length, 1);
      assert.equal(outcomes.filter((o) => o === 'seconded').length, 19);
      const nour = (await celebration.list(id, editor)).find((n) => n.nominee === 'Nour')!;
      assert.equal(nour.seconds, 19);
      const rows = await database.db.selectFrom('nominations').select('id').execute();
      assert.equal(rows.length, 2);
      assert.notEqual(nour.id, first.nomination.id);
      // Renaming one's nomination to a nominee already nominated is refused on the field.
      const renamed = await celebration.edit(amani, first.nomination.id, {
        ...nominationForm({ nominee: 'Nour' }),
        revision: '1',
      });
      assert.deepEqual(renamed, { ok: false, errors: { nominee: 'celebration-error-already-nominated' } });
      // A moderator hides a nomination with a reason: kept, never deleted; the nominator is told it will not go ahead.
      await refused(celebration.hide(amani, nour.id, { reason: 'x' }), 'forbidden');
      assert.deepEqual(await celebration.hide(editor, nour.id, { reason: '' }), {
        ok: false,
        errors: { reason: 'form-error-required' },
      });
      assert.deepEqual(await celebration.hide(editor, nour.id, { reason: 'Asked by the nominee off-wiki' }), {
        ok: true,
      });
      const hidden = (await celebration.detail(nour.id, editor))!.nomination;
      assert.deepEqual(
        [hidden.state, hidden.hiddenReason, hidden.hiddenBy],
        ['hidden', 'Asked by the nominee off-wiki', 'Editor'],
      );
      const nominator = others.find((member) => member.id === nour.nominatorId)!;
      const seconder = others.find((member) => member.id !== nour.nominatorId)!;
      assert.equal(await celebration.detail(nour.id, seconder), undefined);
      const told = (await celebration.detail(nour.id, nominator))!.nomination;
      assert.deepEqual([told.state, told.hiddenReason, told.hiddenBy], ['not-going-ahead', null, null]);
      assert.deepEqual(
        (await celebration.notices(nominator)).map((n) => n.key),
        ['celebration-notice-not-going-ahead'],
      );
    });

    test('consent links: forged, reused, expired and raced are refused with clear errors', async () => {
      const editor = await account('Editor', ['editor']);
      const amani = await account('Amani');
      // A long consent phase (Dec 1–31) so a link expires (14 days) before the phase ends.
      const created = await celebration.createCycle(
        editor,
        cycleForm({
          month: '2027-01',
          opensAt: '2026-11-01',
          secondingAt: '2026-11-20',
          consentAt: '2026-12-01',
          choiceAt: '2026-12-31',
          closesAt: '2027-01-10',
        }),
      );
      assert.ok(created.ok);
      const id = created.cycle.id;
      await at('2026-11-02T00:00:00Z');
      const lucia = await nominate(amani, id);
      const nour = await nominate(amani, id, { nominee: 'Nour' });
      const kofi = await nominate(amani, id, { nominee: 'Kofi' });
      await refused(celebration.issueConsentLink('system', lucia.nomination.id), 'celebration_closed');
      await at('2026-12-01T00:00:00Z');
      assert.equal((await celebration.cycle(id))?.phase, 'consent');

      await refused(
        celebration.answerWithLink('forged-token-that-was-never-issued', 'consent'),
        'celebration_link_invalid',
      );
      await refused(celebration.answerWithLink('', 'consent'), 'celebration_link_invalid');

      const link = await celebration.issueConsentLink(editor, lucia.nomination.id);
      assert.deepEqual(link.expiresAt, new Date('2026-12-15T00:00:00Z'));
      // Ten answers with the same link at once: one is taken, the rest find it used.
      const raced = await Promise.allSettled(
        Array.from({ length: 10 }, () => celebration.answerWithLink(link.token, 'consent')),
      );
      assert.equal(raced.filter((r) => r.status === 'fulfilled').length, 1);
      for (const result of raced)
        if (result.status === 'rejected') assert.equal((result.reason as AppError).code, 'celebration_link_used');
      await refused(celebration.answerWithLink(link.token, 'refuse'), 'celebration_link_used');
      assert.equal((await celebration.detail(lucia.nomination.id, null))?.nomination.state, 'consented');
      await refused(celebration.issueConsentLink('system', lucia.nomination.id), 'celebration_not_awaiting_consent');

      const late = await celebration.issueConsentLink('system', nour.nomination.id);
      clock = new Date('2026-12-15T00:00:01Z');
      await refused(celebration.answerWithLink(late.token, 'consent'), 'celebration_link_expired');
      const fresh = await celebration.issueConsentLink('system', nour.nomination.id);
      assert.deepEqual(await celebration.answerWithLink(fresh.token, 'refuse'), {
        nominationId: nour.nomination.id,
        state: 'refused',
      });
      const tokens = await database.db
        .selectFrom('consent_tokens')
        .select(['nomination_id', 'used_at'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        tokens.map((t) => [t.nomination_id, t.used_at !== null]),
        [
          [lucia.nomination.id, true],
          [nour.nomination.id, false],
          [nour.nomination.id, true],
        ],
      );

      // A link issued in the consent phase cannot be used once the choice has begun.
      const kofiLink = await celebration.issueConsentLink('system', kofi.nomination.id);
      assert.deepEqual(kofiLink.expiresAt, new Date('2026-12-29T00:00:01Z'));
      await at('2026-12-31T00:00:00Z');
      await refused(celebration.answerWithLink(kofiLink.token, 'consent'), 'celebration_link_expired');
      await refused(
        celebration.answerAsAccount(await account('Kofi'), kofi.nomination.id, 'consent'),
        'celebration_closed',
      );
    });

    test('100 accounts vote at once with duplicate attempts: the counts are exact', async () => {
      const editor = await account('Editor', ['editor']);
      const nominator = await account('Nominator');
      const created = await celebration.createCycle(editor, cycleForm());
      assert.ok(created.ok);
      const id = created.cycle.id;
      await at('2026-12-01T00:00:00Z');
      const a = await nominate(nominator, id, { nominee: 'Ama' });
      const b = await nominate(nominator, id, { nominee: 'Bea' });
      const c = await nominate(nominator, id, { nominee: 'Cai' });
      await at('2026-12-16T00:00:00Z');
      for (const nomination of [a, b, c]) {
        const link = await celebration.issueConsentLink('system', nomination.nomination.id);
        await celebration.answerWithLink(link.token, 'consent');
      }
      await at('2026-12-21T00:00:00Z');
      const voters: Actor[] = [];
      for (let i = 0; i < 100; i++) voters.push(await account(`Voter ${String(i).padStart(3, '0')}`));
      // Each voter tries three times at once (same choice); voter i picks a for i < 60, b otherwise.
      const choiceOf = (i: number) => (i < 60 ? a : b).nomination.id;
      const eager = await account('Eager');
      const attempts = voters.flatMap((voter, i) =>
        [0, 1, 2].map(() => celebration.vote(voter, id, choiceOf(i)).then(() => 'cast' as const)),
      );
      // And one account tries 100 times at once.
      const eagerAttempts = Array.from({ length: 100 }, () =>
        celebration.vote(eager, id, c.nomination.id).then(() => 'cast' as const),
      );
      const settled = await Promise.allSettled([...attempts, ...eagerAttempts]);
      const codes = settled.map((result) =>
        result.status === 'fulfilled' ? result.value : ((result.reason as AppError).code ?? String(result.reason)),
      );
      assert.equal(codes.filter((code) => code === 'cast').length, 101, 'one vote per account');
      assert.equal(codes.filter((code) => code === 'celebration_already_voted').length, 200 + 99);
      assert.equal(codes.length, 400);
      const counts = await database.db
        .selectFrom('celebration_votes')
        .select(['nomination_id', sql<number>`count(*)`.as('votes')])
        .groupBy('nomination_id')
        .execute();
      assert.deepEqual(Object.fromEntries(counts.map((row) => [row.nomination_id, Number(row.votes)])), {
        [a.nomination.id]: 60,
        [b.nomination.id]: 40,
        [c.nomination.id]: 1,
      });
      // The database itself refuses a second vote, whatever the code does.
      await assert.rejects(
        database.db
          .insertInto('celebration_votes')
          .values({ cycle_id: id, nomination_id: b.nomination.id, user_id: eager.id })
          .execute(),
        (error: { code?: string }) => error.code === '23505',
      );
      // A withdrawal during the vote sets its votes aside.
      await celebration.withdraw(nominator, c.nomination.id);
      await at('2026-12-28T00:00:00Z');
      const results = await celebration.results(id);
      assert.deepEqual(
        results.rows.map((row) => [row.nominee, row.votes]),
        [
          ['Ama', 60],
          ['Bea', 40],
        ],
      );
      assert.equal(results.votesCounted, 100);
      assert.equal(results.votesSetAside, 1);
      assert.equal(results.winner, a.nomination.id);
    });

    test('a committee vote: only the committee votes', async () => {
      const editor = await account('Editor', ['editor']);
      const [chair, member, nominator] = await Promise.all(['Chair', 'Member', 'Nominator'].map((n) => account(n)));
      const created = await celebration.createCycle(editor, cycleForm({ choiceMode: 'committee', committee: 'chair' }));
      assert.ok(created.ok);
      const id = created.cycle.id;
      await at('2026-12-01T00:00:00Z');
      const ama = await nominate(nominator!, id, { nominee: 'Ama' });
      await at('2026-12-16T00:00:00Z');
      const link = await celebration.issueConsentLink('system', ama.nomination.id);
      await celebration.answerWithLink(link.token, 'consent');
      await at('2026-12-21T00:00:00Z');
      assert.deepEqual(
        (await celebration.notices(chair!)).map((n) => n.key),
        ['celebration-notice-vote-open'],
      );
      await refused(celebration.vote(member!, id, ama.nomination.id), 'celebration_not_a_voter');
      await celebration.vote(chair!, id, ama.nomination.id);
      // Past the closing date the vote is refused even before the job has moved the phase.
      clock = new Date('2026-12-28T00:00:01Z');
      assert.equal((await celebration.cycle(id))?.phase, 'choice');
      assert.equal((await celebration.cycle(id))?.effectivePhase, 'announced');
      await refused(celebration.vote(editor, id, ama.nomination.id), 'celebration_not_a_voter');
      await celebration.updateCycle(editor, id, {
        ...cycleForm({ choiceMode: 'committee', committee: 'chair, editor' }),
        revision: String((await celebration.cycle(id))!.revision),
      });
      await refused(celebration.vote(editor, id, ama.nomination.id), 'celebration_closed');
    });

    test('the phase job run by two workers at once moves each phase once', async () => {
      const editor = await account('Editor', ['editor']);
      const created = await celebration.createCycle(editor, cycleForm());
      assert.ok(created.ok);
      const id = created.cycle.id;
      // A second process: its own connections on PostgreSQL; on the embedded engine the one session is shared.
      const other = engine === 'postgres' ? await openDatabase({ url: database.url }) : undefined;
      try {
        const otherRepositories = other ? createRepositories(other.db, changeFeed()) : services.repositories;
        const first = celebrationService(services.repositories, { clock: () => clock });
        const second = celebrationService(otherRepositories, { clock: () => clock });

        // Straight calls at once, phase by phase, then all at once across several due phases.
        for (const instant of ['2026-12-01T00:00:00Z', '2026-12-11T00:00:00Z']) {
          clock = new Date(instant);
          const [one, two] = await Promise.all([first.advanceDue(), second.advanceDue()]);
          assert.equal(one.length + two.length, 1, `one move at ${instant}`);
        }
        clock = new Date('2026-12-28T00:00:00Z');
        const runs = await Promise.all([
          first.advanceDue(),
          second.advanceDue(),
          first.advanceDue(),
          second.advanceDue(),
        ]);
        assert.equal(runs.flat().length, 3, 'seconding → consent → choice → closed, each once');

        // Through the job queue: two workers, each with a job of the kind, running at once.
        const next = await celebration.createCycle(editor, cycleForm({ month: '2027-01', ...isoDates('2027-01') }));
        assert.ok(next.ok);
        clock = new Date('2027-01-28T00:00:00Z');
        await database.db.deleteFrom('jobs').execute();
        const jobs = services.repositories.jobs;
        const queued = [await jobs.enqueue(ADVANCE_CELEBRATION, {}), await jobs.enqueue(ADVANCE_CELEBRATION, {})];
        const workers = [
          startWorker({ jobs, handlers: first.handlers, pollMs: 10, workerId: 'w1' }),
          startWorker({ jobs: otherRepositories.jobs, handlers: second.handlers, pollMs: 10, workerId: 'w2' }),
        ];
        try {
          const deadline = Date.now() + 20_000;
          while (true) {
            const states = await Promise.all(queued.map((job) => jobs.find(job.id)));
            if (states.every((job) => job?.state === 'done')) break;
            assert.ok(
              states.every((job) => job?.state !== 'failed'),
              JSON.stringify(states.map((job) => job?.error)),
            );
            assert.ok(Date.now() < deadline, 'the jobs finish');
            await delay(20);
          }
        } finally {
          await Promise.all(workers.map((worker) => worker.stop()));
        }
        for (const cycleId of [id, next.cycle.id]) {
          const transitions = await celebration.transitions(cycleId);
          assert.deepEqual(
            transitions.map((t) => [t.from, t.to, t.how]),
            [
              ['upcoming', 'nominations', 'schedule'],
              ['nominations', 'seconding', 'schedule'],
              ['seconding', 'consent', 'schedule'],
              ['consent', 'choice', 'schedule'],
              ['choice', 'closed', 'schedule'],
            ],
            `cycle ${cycleId}`,
          );
        }
        const cycles = await database.db.selectFrom('celebration_cycles').select(['phase', 'revision']).execute();
        assert.deepEqual(
          cycles.map((cycle) => [cycle.phase, cycle.revision]),
          [
            ['closed', 6],
            ['closed', 6],
          ],
          'five moves each: revision 1 + 5',
        );
        assert.equal(
          (await database.db.selectFrom('jobs').select('id').where('state', '=', 'queued').execute()).length,
          0,
          'nothing left to schedule',
        );
      } finally {
        await other?.close();
      }
    });
  });
}

function isoDates(month: string) {
  const schedule = defaultSchedule(month);
  return {
    opensAt: schedule.opensAt.toISOString(),
    secondingAt: schedule.secondingAt.toISOString(),
    consentAt: schedule.consentAt.toISOString(),
    choiceAt: schedule.choiceAt.toISOString(),
    closesAt: schedule.closesAt.toISOString(),
  };
}
