import assert from 'node:assert/strict';
import type { GrantableRole } from '../../src/domain/access/authorize.ts';
import { defaultSchedule, type CycleForm, type CyclePhase } from '../../src/domain/celebration/cycle.ts';
import type { NominationForm } from '../../src/domain/celebration/nomination.ts';
import type { Mailer } from '../../src/providers/mail/mail.ts';
import type { Actor } from '../../src/services/celebration.ts';
import { celebrationWithFollowUps } from '../../src/services/celebration-follow-ups.ts';
import type { Services } from '../../src/services/index.ts';
import type { Engine } from '../../src/store/database.ts';
import { createUser, form, signIn, startTestSite, type TestSite } from './app.ts';

// A month's celebration run through its service with a clock the test moves: a cycle, nominations,
// seconds, an anecdote, consent, votes. Shared by the tests of the announcement, the mail and the
// command line. Below it, the site the tests of the celebration's pages start from: a region, the
// editor and members who sign in, a cycle open for nominations.

export const MONTH = '2026-12';
export const REASONS = 'Organised twelve edit-a-thons this year and trained sixty newcomers on three wikis.';

export function cycleForm(month = MONTH, overrides: Partial<CycleForm> = {}): CycleForm {
  const dates = defaultSchedule(month);
  return {
    month,
    opensAt: dates.opensAt.toISOString(),
    secondingAt: dates.secondingAt.toISOString(),
    consentAt: dates.consentAt.toISOString(),
    choiceAt: dates.choiceAt.toISOString(),
    closesAt: dates.closesAt.toISOString(),
    choiceMode: 'community',
    committee: '',
    ...overrides,
  };
}

/** The celebration over a site's services with a movable clock (and a mailer, when the test has one). */
export function celebrationAt(
  services: Services,
  options: { mailer?: Mailer | null; origin?: string; start?: string } = {},
) {
  let clock = new Date(options.start ?? '2026-11-25T00:00:00Z');
  const celebration = celebrationWithFollowUps({
    repositories: services.repositories,
    messages: services.messages,
    storage: services.storage,
    mailer: options.mailer ?? null,
    origin: options.origin ?? 'https://stories.example.org',
    options: { clock: () => clock },
  });
  return {
    celebration,
    /** Sets the clock and runs the phase job (the moves due, then what follows them). */
    async at(iso: string) {
      clock = new Date(iso);
      await celebration.handlers['celebration.advance']!({} as never, {
        progress: async () => {},
        signal: new AbortController().signal,
      });
    },
  };
}

export async function account(
  services: Services,
  username: string,
  roles: GrantableRole[] = [],
  contact: { email?: string; language?: string } = {},
): Promise<Actor> {
  const users = services.repositories.users;
  const user = await users.create({ username, displayName: username, passwordHash: 'not-a-hash' });
  for (const role of roles) await users.grant(user!.id, role, null, null);
  await services.repositories.mail.setContact(user!.id, contact);
  // Given as its owner confirmed it: these tests are about the celebration, not about confirming.
  if (contact.email)
    await services.database.db
      .updateTable('users')
      .set({ email_confirmed_at: new Date() })
      .where('id', '=', user!.id)
      .execute();
  return (await users.findById(user!.id))!;
}

export function nominationForm(regionId: number, overrides: Partial<NominationForm> = {}): NominationForm {
  return {
    nominee: 'Lucía',
    homeWiki: 'es.wikipedia.org',
    kind: 'human',
    operators: '',
    botTasks: '',
    region: String(regionId),
    category: 'organiser',
    reasons: REASONS,
    evidence: 'https://es.wikipedia.org/wiki/Especial:Contribuciones/Lucía',
    language: 'es',
    ...overrides,
  };
}

/**
 * A whole cycle to its announcement: Lucía (human, nominated by Amani, seconded by Kofi, with an
 * approved anecdote) and LinkBot (bot of Harej, nominated by Kofi); both agree; Lucía wins the vote.
 */
export async function runCycleToAnnouncement(services: Services, run: ReturnType<typeof celebrationAt>) {
  const { celebration, at } = run;
  const { catalog } = services.repositories;
  if (!(await catalog.regions()).length) await catalog.saveRegion({ slug: 'africa', names: { en: 'Africa' } });
  const regionId = (await catalog.regions())[0]!.id;
  const existing = async (name: string) => services.repositories.users.findByUsername(name);
  const person = async (name: string, roles: GrantableRole[] = []) =>
    (await existing(name)) ?? account(services, name, roles);
  const editor = await person('Editor', ['editor']);
  const [amani, kofi, lucia, harej, mei] = [
    await person('Amani'),
    await person('Kofi'),
    await person('Lucía'),
    await person('Harej'),
    await person('Mei'),
  ];
  const created = await celebration.createCycle(editor, cycleForm());
  assert.ok(created.ok);
  const cycle = created.cycle;
  await at('2026-12-01T08:00:00Z');
  const human = await celebration.nominate(
    amani!,
    cycle.id,
    nominationForm(regionId, {
      reasons: `${REASONS}\n\n- not a list <script>alert(1)</script> [not a link](javascript:alert(1))`,
    }),
  );
  assert.ok(human.ok);
  const bot = await celebration.nominate(
    kofi!,
    cycle.id,
    nominationForm(regionId, {
      nominee: 'LinkBot',
      homeWiki: 'en.wikipedia.org',
      kind: 'bot',
      operators: 'Harej',
      botTasks: 'Rescues dead links with archived copies.',
      category: 'technical',
    }),
  );
  assert.ok(bot.ok);
  const seconded = await celebration.second(kofi!, human.nomination.id, { reason: 'She taught *me* to cite.' });
  assert.ok(seconded.ok);
  const anecdote = await celebration.addAnecdote(mei!, human.nomination.id, {
    body: '# Always patient\n\n1. with newcomers',
  });
  assert.ok(anecdote.ok);
  await celebration.moderateAnecdote(editor, anecdote.anecdoteId, 'approved');
  await at('2026-12-11T00:00:00Z');
  await at('2026-12-16T00:00:00Z');
  await celebration.answerAsAccount(lucia!, human.nomination.id, 'consent');
  await celebration.answerAsAccount(harej!, bot.nomination.id, 'consent');
  await at('2026-12-21T00:00:00Z');
  for (const voter of [kofi, mei]) await celebration.vote(voter!, cycle.id, human.nomination.id);
  await celebration.vote(amani!, cycle.id, bot.nomination.id);
  await at('2026-12-28T00:00:00Z');
  assert.equal((await celebration.cycle(cycle.id))?.phase, 'announced');
  return {
    cycle,
    editor,
    amani: amani!,
    kofi: kofi!,
    lucia: lucia!,
    harej: harej!,
    mei: mei!,
    human: human.nomination,
    bot: bot.nomination,
    regionId,
  };
}

/** What a test of the celebration's pages starts from: its month, one region, the members besides the editor. */
export interface CelebrationSetup {
  month: string;
  region: { slug: string; names: Record<string, string> };
  members: string[];
}

/** An account that signs in with the test password, with the given roles. */
export async function memberAccount(site: TestSite, username: string, roles: GrantableRole[] = []) {
  const user = await createUser(
    site.services,
    username,
    roles.map((role) => ({ role })),
  );
  return (await site.services.accounts.find(user.id)) as Actor;
}

/** The region, then the editor and the members, on an empty site. */
export async function seedCelebration(site: TestSite, setup: Omit<CelebrationSetup, 'month'>) {
  const { catalog } = site.services.repositories;
  await catalog.saveRegion(setup.region);
  const regionId = (await catalog.regions())[0]!.id;
  const editor = await memberAccount(site, 'Editor', ['editor']);
  for (const username of setup.members) await memberAccount(site, username);
  return { regionId, editor };
}

/** Creates the cycle as the editor and opens it for nominations (the editor's move); its id. */
export async function openCycle(site: TestSite, editor: Actor, form: CycleForm) {
  const created = await site.services.celebration.createCycle(editor, form);
  assert.ok(created.ok);
  await site.services.celebration.advancePhase(editor, created.cycle.id, 'upcoming', 'nominations');
  return created.cycle.id;
}

export type Session = { cookie: string; csrf: string };

/**
 * A site for one engine's tests of the celebration's pages, through app.inject(). Its `start`,
 * `reset` and `close` go in the file's before, beforeEach and after: every test starts from an
 * empty database with `setup`'s region, the editor and the members, and each of them signs in once.
 */
export function celebrationPages(engine: Engine, setup: CelebrationSetup) {
  let site: TestSite;
  let regionId: number;
  let editor: Actor;
  let cycleId: number;
  const sessions = new Map<string, Session>();

  async function seed(members: string[]) {
    ({ regionId, editor } = await seedCelebration(site, { region: setup.region, members }));
  }
  async function as(username: string): Promise<Session> {
    let session = sessions.get(username);
    if (!session) sessions.set(username, (session = await signIn(site.app, username)));
    return session;
  }
  /** A form sent by `who`, with their CSRF token unless `csrf` is false. */
  async function post(url: string, fields: Record<string, string>, who: string, options: { csrf?: boolean } = {}) {
    const session = await as(who);
    return site.app.inject(
      form(url, options.csrf === false ? fields : { ...fields, _csrf: session.csrf }, session.cookie),
    );
  }
  const nominationFields = (overrides: Record<string, string> = {}) => ({
    ...nominationForm(regionId),
    ...overrides,
  });

  return {
    get site() {
      return site;
    },
    get editor() {
      return editor;
    },
    /** The cycle `openCycle` made. */
    get cycleId() {
      return cycleId;
    },
    async start() {
      site = await startTestSite(engine, { SIGN_IN_RATE_LIMIT: '10000' });
    },
    async close() {
      await site.close();
    },
    async reset() {
      await site.reset();
      sessions.clear();
      await seed(setup.members);
    },
    /** Creates the month's cycle (from `form`, the service's own by default) and opens its nominations. */
    async openCycle(form: CycleForm = cycleForm(setup.month)) {
      cycleId = await openCycle(site, editor, form);
    },
    /** A page as `who` sees it (signed out without). */
    get: async (url: string, who?: string) =>
      site.app.inject({ method: 'GET', url, headers: { cookie: who ? (await as(who)).cookie : '' } }),
    post,
    async move(from: CyclePhase, to: CyclePhase) {
      await site.services.celebration.advancePhase(editor, cycleId, from, to);
    },
    /** The nomination form's fields for the region, with `overrides`. */
    nominationFields,
    /** `who` nominates through the form of the page in `language`; the nomination of that nominee. */
    async nominate(who: string, overrides: Record<string, string> = {}, language = 'en') {
      const response = await post(`/${language}/celebration/${setup.month}/nominate`, nominationFields(overrides), who);
      assert.equal(response.statusCode, 303, response.body.slice(0, 2000));
      return (await site.services.celebration.list(cycleId, editor)).find(
        (nomination) => nomination.nominee === (overrides.nominee ?? 'Lucía'),
      )!;
    },
    /**
     * Runs `steps` against a site of its own started with `env`, holding the region, the editor and
     * `members` (the file's site stays as it was).
     */
    async withSite(env: Record<string, string>, members: string[], steps: () => Promise<void>) {
      const shared = site;
      site = await startTestSite(engine, env);
      sessions.clear();
      try {
        await seed(members);
        await steps();
      } finally {
        await site.close();
        site = shared;
        sessions.clear();
      }
    },
  };
}
