import assert from 'node:assert/strict';
import type { GrantableRole } from '../../src/domain/access/authorize.ts';
import { defaultSchedule, type CycleForm } from '../../src/domain/celebration/cycle.ts';
import type { NominationForm } from '../../src/domain/celebration/nomination.ts';
import type { Mailer } from '../../src/providers/mail/mail.ts';
import type { Actor } from '../../src/services/celebration.ts';
import { celebrationWithFollowUps } from '../../src/services/celebration-follow-ups.ts';
import type { Services } from '../../src/services/index.ts';

// A month's celebration run through its service with a clock the test moves: a cycle, nominations,
// seconds, an anecdote, consent, votes. Shared by the tests of the announcement, the mail and the
// command line.

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
