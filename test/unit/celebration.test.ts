import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultSchedule,
  dueAt,
  dueStep,
  effectivePhase,
  isLegalTransition,
  isOpenFor,
  nextPhase,
  parseInstant,
  phaseAt,
  resultsVisible,
  validateCycle,
  type CyclePhase,
  type CycleForm,
} from '../../src/domain/celebration/cycle.ts';
import {
  answersFor,
  graphemeCount,
  isWebLink,
  normalizeHomeWiki,
  normalizeUsername,
  shownState,
  validateAnecdote,
  validateNomination,
  validateSecond,
  type NominationForm,
  type NominationState,
} from '../../src/domain/celebration/nomination.ts';
import { tally, TALLY_RULE_KEY, type TallyCandidate } from '../../src/domain/celebration/tally.ts';

// The celebration's pure rules: phases from dates, legal moves, what is open when; the nomination
// form (lengths in graphemes, links, bots, self-nomination); who sees what; the tally's written rule.

const schedule = defaultSchedule('2026-12');
const at = (iso: string) => new Date(iso);

test('the dates give the phase at any instant; each boundary belongs to the phase it starts', () => {
  const cases: Array<[string, CyclePhase]> = [
    ['2026-11-30T23:59:59Z', 'upcoming'],
    ['2026-12-01T00:00:00Z', 'nominations'],
    ['2026-12-10T23:59:59Z', 'nominations'],
    ['2026-12-11T00:00:00Z', 'seconding'],
    ['2026-12-16T00:00:00Z', 'consent'],
    ['2026-12-21T00:00:00Z', 'choice'],
    ['2026-12-27T23:59:59Z', 'choice'],
    ['2026-12-28T00:00:00Z', 'announced'],
    ['2027-06-01T00:00:00Z', 'announced'],
  ];
  for (const [instant, phase] of cases) assert.equal(phaseAt(schedule, at(instant)), phase, instant);
});

test('the schedule moves one phase at a time and only forward; editors may also cancel', () => {
  const cycle = { ...schedule, phase: 'upcoming' as CyclePhase };
  assert.deepEqual(dueAt(cycle), schedule.opensAt);
  assert.equal(dueStep(cycle, at('2026-11-30T00:00:00Z')), null);
  assert.equal(dueStep(cycle, at('2026-12-25T00:00:00Z')), 'nominations', 'late by three phases: still one step');
  assert.equal(dueStep({ ...schedule, phase: 'choice' }, at('2026-12-28T00:00:00Z')), 'announced');
  assert.equal(dueStep({ ...schedule, phase: 'announced' }, at('2030-01-01T00:00:00Z')), null);
  assert.equal(dueAt({ ...schedule, phase: 'cancelled' }), null);
  assert.equal(nextPhase('consent'), 'choice');
  assert.equal(nextPhase('closed'), null);

  assert.ok(isLegalTransition('nominations', 'seconding'));
  assert.ok(isLegalTransition('choice', 'announced'));
  assert.ok(isLegalTransition('choice', 'closed'));
  assert.ok(isLegalTransition('seconding', 'cancelled'));
  assert.ok(!isLegalTransition('nominations', 'consent'), 'no skipping');
  assert.ok(!isLegalTransition('consent', 'seconding'), 'never back');
  assert.ok(!isLegalTransition('announced', 'cancelled'), 'final');
  assert.ok(!isLegalTransition('cancelled', 'nominations'));
  assert.ok(!isLegalTransition('seconding', 'closed'));
});

test('what is open follows the effective phase: a late job never keeps a phase open past its date', () => {
  const stored = { ...schedule, phase: 'nominations' as CyclePhase };
  assert.ok(isOpenFor(stored, 'nominate', at('2026-12-05T00:00:00Z')));
  assert.equal(effectivePhase(stored, at('2026-12-12T00:00:00Z')), 'seconding');
  assert.ok(!isOpenFor(stored, 'nominate', at('2026-12-12T00:00:00Z')), 'nominations closed by date');
  assert.ok(isOpenFor(stored, 'second', at('2026-12-12T00:00:00Z')));
  // An editor's early move holds: the dates never move a cycle back.
  const early = { ...schedule, phase: 'choice' as CyclePhase };
  assert.equal(effectivePhase(early, at('2026-12-02T00:00:00Z')), 'choice');
  assert.ok(isOpenFor(early, 'vote', at('2026-12-02T00:00:00Z')));
  assert.ok(!isOpenFor(early, 'vote', at('2026-12-28T00:00:00Z')), 'the vote closes on its date');
  assert.ok(!isOpenFor({ ...schedule, phase: 'cancelled' }, 'vote', at('2026-12-22T00:00:00Z')));
  assert.ok(isOpenFor({ ...schedule, phase: 'consent' }, 'consent', at('2026-12-17T00:00:00Z')));
  assert.ok(!isOpenFor({ ...schedule, phase: 'seconding' }, 'consent', at('2026-12-12T00:00:00Z')));
  assert.ok(resultsVisible('announced') && resultsVisible('closed'));
  assert.ok(!resultsVisible('choice'));
});

test('the cycle form: a month, dates in order (UTC unless an offset is given), a mode and its committee', () => {
  const form: CycleForm = {
    month: '2026-12',
    opensAt: '2026-12-01',
    secondingAt: '2026-12-11T12:00',
    consentAt: '2026-12-16T00:00:00+02:00',
    choiceAt: '2026-12-21',
    closesAt: '2026-12-28',
    choiceMode: 'committee',
    committee: 'Amani, Lucía\nAmani',
  };
  const valid = validateCycle(form);
  assert.ok('input' in valid, JSON.stringify(valid));
  assert.deepEqual(valid.input.secondingAt, at('2026-12-11T12:00:00Z'));
  assert.deepEqual(valid.input.consentAt, at('2026-12-15T22:00:00Z'));
  assert.deepEqual(valid.input.committee, ['Amani', 'Lucía']);

  const invalid = validateCycle({
    ...form,
    month: '2026-13',
    secondingAt: '2026-02-30',
    choiceAt: '2026-12-10',
    closesAt: 'next week',
    choiceMode: 'lottery',
    committee: '',
  });
  assert.deepEqual('errors' in invalid && invalid.errors, {
    month: 'celebration-error-month',
    secondingAt: 'celebration-error-date',
    choiceAt: 'celebration-error-date-order',
    closesAt: 'celebration-error-date',
    choiceMode: 'form-error-choose',
  });
  const noCommittee = validateCycle({ ...form, committee: ' , ' });
  assert.deepEqual('errors' in noCommittee && noCommittee.errors, {
    committee: 'celebration-error-committee-required',
  });
  assert.ok('input' in validateCycle({ ...form, choiceMode: 'community', committee: '' }));
  assert.equal(parseInstant('2026-12-01T10:00Z')?.toISOString(), '2026-12-01T10:00:00.000Z');
  assert.equal(parseInstant('2026-12-01T10:00:00<script>'), undefined);
});

const human: NominationForm = {
  nominee: 'lucía_fernández',
  homeWiki: 'https://ES.wikipedia.org/wiki/Usuario:Lucía',
  kind: 'human',
  operators: 'ignored for a human',
  botTasks: 'ignored',
  region: '1',
  category: 'organiser',
  reasons: 'She organised twelve edit-a-thons in Bogotá this year and trained sixty newcomers.',
  evidence: 'https://es.wikipedia.org/wiki/Special:Contributions/Lucía\n\nhttp://meta.wikimedia.org/wiki/Event',
  language: 'es',
};
const languages = new Set(['en', 'es', 'ar']);
const known = { regionIds: new Set([1, 2]), languages };

test('a nomination of a human: names as MediaWiki writes them, the home wiki as its host, links kept', () => {
  const result = validateNomination(human, known, 'Amani');
  assert.ok('input' in result, JSON.stringify(result));
  assert.deepEqual(result.input, {
    nominee: 'Lucía fernández',
    homeWiki: 'es.wikipedia.org',
    kind: 'human',
    operators: [],
    botTasks: null,
    regionId: 1,
    category: 'organiser',
    reasons: human.reasons,
    evidence: ['https://es.wikipedia.org/wiki/Special:Contributions/Lucía', 'http://meta.wikimedia.org/wiki/Event'],
    language: 'es',
  });
});

test('"Written in" takes one of the site\'s languages; a form without it leaves the language unknown', () => {
  for (const language of ['fr', '', 'ES', '<script>'])
    assert.deepEqual(validateNomination({ ...human, language }, known, 'Amani'), {
      errors: { language: 'celebration-error-written-in' },
    });
  const { language: _, ...asked } = human;
  const unasked = validateNomination(asked, known, 'Amani');
  assert.ok('input' in unasked);
  assert.equal(unasked.input.language, null);
  assert.deepEqual(validateSecond('Yes!', 'ar', languages), { reason: 'Yes!', language: 'ar' });
  assert.deepEqual(validateSecond('Yes!', 'fr', languages), { errors: { language: 'celebration-error-written-in' } });
  assert.deepEqual(validateAnecdote('', 'xx', languages), {
    errors: { body: 'form-error-required', language: 'celebration-error-written-in' },
  });
  assert.deepEqual(validateAnecdote(' Once… ', undefined, languages), { body: 'Once…', language: null });
});

test('a nomination of a bot needs its operators and what it does', () => {
  const bot = { ...human, nominee: 'InternetArchiveBot', homeWiki: 'en.wikipedia.org', kind: 'bot' };
  const missing = validateNomination({ ...bot, operators: ' ', botTasks: '' }, known, 'Amani');
  assert.deepEqual('errors' in missing && missing.errors, {
    operators: 'celebration-error-operators-required',
    botTasks: 'form-error-required',
  });
  const valid = validateNomination(
    { ...bot, operators: 'Cyberpower678, harej\ncyberpower678', botTasks: 'Rescues dead links with archived copies.' },
    known,
    'Amani',
  );
  assert.ok('input' in valid);
  assert.deepEqual(valid.input.operators, ['Cyberpower678', 'Harej']);
  assert.equal(valid.input.botTasks, 'Rescues dead links with archived copies.');
  const operatorIsBot = validateNomination(
    { ...bot, operators: 'InternetArchiveBot', botTasks: 'Rescues links.' },
    known,
    'X',
  );
  assert.equal('errors' in operatorIsBot && operatorIsBot.errors.operators, 'celebration-error-operator-is-bot');
});

test("self-nomination is refused: one's own username (any case, underscores) or a bot one operates", () => {
  const self = validateNomination({ ...human, nominee: 'amani' }, known, 'Amani');
  assert.deepEqual('errors' in self && self.errors, { nominee: 'celebration-error-self-nomination' });
  const ownBot = validateNomination(
    { ...human, nominee: 'AmaniBot', kind: 'bot', operators: 'Amani_K', botTasks: 'Fixes typos in Swahili.' },
    known,
    'Amani K',
  );
  assert.deepEqual('errors' in ownBot && ownBot.errors, { nominee: 'celebration-error-self-nomination' });
});

test('every field problem is a message key', () => {
  const result = validateNomination(
    {
      nominee: 'Evil<script>',
      homeWiki: 'javascript:alert(1)',
      kind: 'alien',
      operators: '',
      botTasks: '',
      region: '9',
      category: 'best',
      reasons: 'Great.',
      evidence: 'javascript:alert(1) https://ok.example.org/ ftp://files.example.org/x',
    },
    known,
    'Amani',
  );
  assert.deepEqual('errors' in result && result.errors, {
    nominee: 'celebration-error-username',
    homeWiki: 'celebration-error-home-wiki',
    kind: 'form-error-choose',
    region: 'form-error-choose',
    category: 'form-error-choose',
    reasons: 'celebration-error-reasons-short',
    evidence: 'celebration-error-evidence-link',
  });
  const empty = validateNomination({ ...human, nominee: ' ', homeWiki: '', reasons: '  ' }, known, 'Amani');
  assert.deepEqual('errors' in empty && empty.errors, {
    nominee: 'form-error-required',
    homeWiki: 'form-error-required',
    reasons: 'form-error-required',
  });
  const many = Array.from({ length: 11 }, (_, i) => `https://example.org/${i}`).join('\n');
  const tooMany = validateNomination({ ...human, evidence: many }, known, 'Amani');
  assert.equal('errors' in tooMany && tooMany.errors.evidence, 'celebration-error-evidence-too-many');
});

test('reasons are counted in graphemes, so a short sentence in a language without spaces counts as it reads', () => {
  // 20 Japanese characters: long enough; the same 20 in UTF-16 units would be the same, but
  // emoji with modifiers and Devanagari clusters are one character each.
  const japanese = 'この方は毎週地域の写真を撮影して共有しています';
  assert.equal(graphemeCount(japanese), [...japanese].length);
  assert.ok('input' in validateNomination({ ...human, reasons: japanese }, known, 'Amani'));
  assert.equal(graphemeCount('👩🏽‍💻'), 1);
  assert.equal(graphemeCount('नमस्ते'), 3);
  const hindi = 'नमस्ते'.repeat(6); // 18 graphemes, 36 code points
  const short = validateNomination({ ...human, reasons: hindi }, known, 'Amani');
  assert.equal(
    'errors' in short && short.errors.reasons,
    'celebration-error-reasons-short',
    'graphemes, not code points',
  );
  const long = validateNomination({ ...human, reasons: '👩🏽‍💻'.repeat(2000) }, known, 'Amani');
  assert.ok('input' in long, '2,000 emoji are 2,000 characters, though 14,000 UTF-16 units');
  const tooLong = validateNomination({ ...human, reasons: 'a'.repeat(2001) }, known, 'Amani');
  assert.equal('errors' in tooLong && tooLong.errors.reasons, 'form-error-too-long');
});

test('hostile text is kept as text; controls and direction overrides are dropped from it and refused in names', () => {
  const payload = '<img src=x onerror=alert(1)> "quoted" & more reasons than enough here';
  const kept = validateNomination({ ...human, reasons: `\u202e${payload}\u0007` }, known, 'Amani');
  assert.ok('input' in kept);
  assert.equal(kept.input.reasons, payload);
  const spoofed = validateNomination({ ...human, nominee: 'Admin\u202eistrator' }, known, 'Amani');
  assert.equal('errors' in spoofed && spoofed.errors.nominee, 'celebration-error-username');
});

test('names, wikis and links', () => {
  assert.equal(normalizeUsername('  amani__k  '), 'Amani k');
  assert.equal(normalizeHomeWiki('sw.wikipedia.org/'), 'sw.wikipedia.org');
  assert.equal(normalizeHomeWiki('https://commons.wikimedia.org/wiki/Main_Page'), 'commons.wikimedia.org');
  assert.equal(normalizeHomeWiki('localhost'), '');
  assert.equal(normalizeHomeWiki('wiki pedia.org'), '');
  assert.ok(isWebLink('https://example.org/a?b#c'));
  assert.ok(!isWebLink('javascript:alert(1)'));
  assert.ok(!isWebLink('mailto:a@example.org'));
  assert.ok(!isWebLink('https://'));
  assert.ok(!isWebLink('data:text/html,hi'));
  assert.deepEqual(validateSecond('  ', 'en', languages), { errors: { reason: 'form-error-required' } });
  assert.deepEqual(validateSecond(' Yes! ', 'en', languages), { reason: 'Yes!', language: 'en' });
  assert.deepEqual(validateAnecdote('x'.repeat(1001), 'en', languages), { errors: { body: 'form-error-too-long' } });
});

test('who sees a nomination: the public only after consent; a refusal is quiet', () => {
  const nomination = (state: NominationState) => ({ state, nominatorId: 1, nominee: 'Lucía', operators: [] });
  const nominator = { userId: 1, username: 'Amani', moderator: false };
  const member = { userId: 2, username: 'Kofi', moderator: false };
  const nominee = { userId: 3, username: 'lucía', moderator: false };
  const moderator = { userId: 4, username: 'Editor', moderator: true };
  const seen = (state: NominationState) =>
    [null, nominator, member, nominee, moderator].map((viewer) => shownState(nomination(state), viewer));
  assert.deepEqual(seen('open'), [null, 'open', 'open', 'open', 'open']);
  assert.deepEqual(seen('awaiting_consent'), [
    null,
    'awaiting_consent',
    'awaiting_consent',
    'awaiting_consent',
    'awaiting_consent',
  ]);
  assert.deepEqual(seen('consented'), ['consented', 'consented', 'consented', 'consented', 'consented']);
  assert.deepEqual(seen('chosen'), ['chosen', 'chosen', 'chosen', 'chosen', 'chosen']);
  assert.deepEqual(seen('refused'), [null, 'not-going-ahead', null, 'refused', 'refused']);
  assert.deepEqual(seen('withdrawn'), [null, 'not-going-ahead', null, 'withdrawn', 'withdrawn']);
  assert.deepEqual(seen('hidden'), [null, 'not-going-ahead', null, null, 'hidden']);
  assert.ok(answersFor({ kind: 'human', nominee: 'Lucía', operators: [] }, 'lucía'));
  assert.ok(
    !answersFor({ kind: 'bot', nominee: 'LinkBot', operators: ['Harej'] }, 'LinkBot'),
    'a bot answers through its operators',
  );
  assert.ok(answersFor({ kind: 'bot', nominee: 'LinkBot', operators: ['Harej'] }, 'harej'));
});

const candidate = (nominationId: number, state: NominationState, seconds: number, day: number): TallyCandidate => ({
  nominationId,
  state,
  seconds,
  nominatedAt: new Date(Date.UTC(2026, 11, day)),
});

test('the tally: most votes wins', () => {
  const result = tally(
    [candidate(1, 'consented', 5, 1), candidate(2, 'consented', 0, 2), candidate(3, 'open', 9, 1)],
    [
      { nominationId: 1, votes: 3 },
      { nominationId: 2, votes: 4 },
    ],
  );
  assert.equal(result.winner, 2);
  assert.equal(result.decidedBy, 'votes');
  assert.equal(result.ruleKey, TALLY_RULE_KEY);
  assert.deepEqual(
    result.rows.map((row) => [row.nominationId, row.votes, row.counted, row.place]),
    [
      [2, 4, true, 1],
      [1, 3, true, 2],
      [3, 0, false, null],
    ],
  );
  assert.equal(result.votesCounted, 7);
  assert.equal(result.votesSetAside, 0);
});

test('the tally: a tie goes to more seconds, then to the nomination made first', () => {
  const bySeconds = tally(
    [candidate(1, 'consented', 2, 1), candidate(2, 'consented', 3, 5)],
    [
      { nominationId: 1, votes: 4 },
      { nominationId: 2, votes: 4 },
    ],
  );
  assert.deepEqual([bySeconds.winner, bySeconds.decidedBy], [2, 'seconds']);
  const byDate = tally(
    [candidate(7, 'consented', 3, 9), candidate(8, 'consented', 3, 4)],
    [
      { nominationId: 7, votes: 4 },
      { nominationId: 8, votes: 4 },
    ],
  );
  assert.deepEqual([byDate.winner, byDate.decidedBy], [8, 'earliest']);
});

test('the tally: votes for withdrawn, refused or hidden nominations count for nobody; no votes, no honoree', () => {
  const result = tally(
    [
      candidate(1, 'withdrawn', 9, 1),
      candidate(2, 'consented', 0, 2),
      candidate(3, 'hidden', 0, 3),
      candidate(4, 'refused', 0, 3),
    ],
    [
      { nominationId: 1, votes: 10 },
      { nominationId: 2, votes: 1 },
      { nominationId: 3, votes: 2 },
      { nominationId: 4, votes: 1 },
    ],
  );
  assert.equal(result.winner, 2);
  assert.equal(result.votesCounted, 1);
  assert.equal(result.votesSetAside, 13);
  const none = tally(
    [candidate(1, 'consented', 4, 1), candidate(2, 'withdrawn', 0, 1)],
    [{ nominationId: 2, votes: 3 }],
  );
  assert.equal(none.winner, null);
  assert.equal(none.decidedBy, null);
  assert.equal(tally([], []).winner, null);
});
