import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEmail } from '../../src/domain/access/email.ts';

test('an e-mail address: trimmed, its domain lowercased; empty is none', () => {
  assert.deepEqual(checkEmail('  Amani.K+celebration@Example.ORG '), {
    ok: true,
    email: 'Amani.K+celebration@example.org',
  });
  assert.deepEqual(checkEmail('josé@correo.example.es'), { ok: true, email: 'josé@correo.example.es' });
  assert.deepEqual(checkEmail('نور@مثال.موقع'), { ok: true, email: 'نور@مثال.موقع' });
  assert.deepEqual(checkEmail(''), { ok: true, email: null });
  assert.deepEqual(checkEmail('   '), { ok: true, email: null });
});

test('what is not an address is refused with the message that says so', () => {
  for (const typed of [
    'amani',
    'amani@',
    '@example.org',
    'amani@example',
    'amani@@example.org',
    'amani@example..org',
    'amani@-example.org',
    'amani@example.org-',
    '.amani@example.org',
    'amani.@example.org',
    'ama..ni@example.org',
    'ama ni@example.org',
    'amani@exa mple.org',
    'Amani <amani@example.org>',
    '"amani"@example.org',
    'amani@[127.0.0.1]',
    'amani@127.0.0.1',
    'amani@example.org\nBcc: everyone@example.org',
    '<script>alert(1)</script>@example.org',
    'amani,kofi@example.org',
  ])
    assert.deepEqual(checkEmail(typed), { ok: false, error: 'account-email-error-invalid' }, typed);
});

test('SMTP’s lengths: 254 bytes in all, 64 before the @', () => {
  const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.org`;
  const longest = `${'a'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(57)}.org`;
  assert.equal(longest.length, 254);
  assert.deepEqual(checkEmail(longest), { ok: true, email: longest });
  assert.deepEqual(checkEmail(`${longest.slice(0, -4)}x.org`), { ok: false, error: 'account-email-error-too-long' });
  assert.deepEqual(checkEmail(`x@${domain}`), { ok: true, email: `x@${domain}` });
  assert.deepEqual(checkEmail(`${'a'.repeat(64)}@example.org`).ok, true);
  assert.deepEqual(checkEmail(`${'a'.repeat(65)}@example.org`), { ok: false, error: 'account-email-error-invalid' });
  assert.deepEqual(checkEmail(`${'a'.repeat(250)}@example.org`), { ok: false, error: 'account-email-error-too-long' });
  assert.deepEqual(checkEmail(`${'ä'.repeat(40)}@${'ö'.repeat(60)}.${'ü'.repeat(40)}.org`), {
    ok: false,
    error: 'account-email-error-too-long',
  });
});
