import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONFIRMATION_TOKEN,
  confirmationExpiry,
  confirmationLinkState,
  linkTime,
  maskEmail,
  type StoredConfirmationLink,
} from '../../src/domain/access/email-confirmation.ts';

const now = new Date('2026-12-06T12:00:00Z');
const link = (changes: Partial<StoredConfirmationLink> = {}): StoredConfirmationLink => ({
  email: 'mei@example.org',
  expiresAt: new Date('2026-12-07T12:00:00Z'),
  usedAt: null,
  supersededAt: null,
  currentEmail: 'mei@example.org',
  ...changes,
});

test('a link that comes back is valid, or forged, used, superseded or expired, the reason that still applies first', () => {
  assert.equal(confirmationLinkState(link(), now), 'valid');
  assert.equal(confirmationLinkState(undefined, now), 'forged', 'never sent');
  assert.equal(confirmationLinkState(link({ usedAt: now }), now), 'used');
  assert.equal(
    confirmationLinkState(link({ usedAt: now, expiresAt: new Date('2026-12-01T00:00:00Z') }), now),
    'used',
    'used, then expired: its owner clicked twice',
  );
  assert.equal(confirmationLinkState(link({ supersededAt: now }), now), 'superseded', 'a newer link');
  assert.equal(confirmationLinkState(link({ currentEmail: 'mei.k@example.org' }), now), 'superseded', 'changed');
  assert.equal(confirmationLinkState(link({ currentEmail: null }), now), 'superseded', 'removed');
  assert.equal(
    confirmationLinkState(link({ supersededAt: now, expiresAt: new Date('2026-12-01T00:00:00Z') }), now),
    'superseded',
    'replaced, then expired: the page says a newer link exists',
  );
  assert.equal(confirmationLinkState(link({ expiresAt: now }), now), 'expired', 'at its expiry, no longer');
  assert.equal(confirmationLinkState(link({ expiresAt: new Date(now.getTime() + 1) }), now), 'valid');
});

test('a link works for 48 hours and its secret has the mailed form', () => {
  assert.equal(confirmationExpiry(now).toISOString(), '2026-12-08T12:00:00.000Z');
  assert.match('q'.repeat(43), CONFIRMATION_TOKEN);
  assert.doesNotMatch('q'.repeat(42), CONFIRMATION_TOKEN);
  assert.doesNotMatch(`${'q'.repeat(42)}=`, CONFIRMATION_TOKEN);
});

test('an address behind a link shows its first character and its domain only', () => {
  assert.equal(maskEmail('mei@example.org'), 'm…@example.org');
  assert.equal(maskEmail('émilie.dupont@exemple.fr'), 'é…@exemple.fr');
  assert.equal(maskEmail('𝒜da@example.org'), '𝒜…@example.org', 'a character outside the BMP is not cut in two');
  assert.equal(maskEmail('a@b.org'), 'a…@b.org');
});

test('a link’s times name their zone, in the reader’s language', () => {
  const english = linkTime(new Date('2026-12-08T12:40:00Z'), 'en');
  assert.match(english, /December 8, 2026/);
  assert.match(english, /12:40/);
  assert.match(english, /UTC/);
  assert.match(linkTime(new Date('2026-12-08T12:40:00Z'), 'ja'), /2026年12月8日/);
});
