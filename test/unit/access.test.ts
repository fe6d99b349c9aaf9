import assert from 'node:assert/strict';
import { test } from 'node:test';
import { can } from '../../src/domain/access/authorize.ts';
import { hashPassword, verifyPassword } from '../../src/services/passwords.ts';

test('language-scoped roles act only in their language', () => {
  const translator = [{ role: 'translator' as const, language: 'fr' }];
  assert.ok(can(translator, 'translation.edit', 'fr'));
  assert.ok(!can(translator, 'translation.edit', 'ar'));
  assert.ok(!can(translator, 'translation.review', 'fr'));
  assert.ok(!can(translator, 'story.edit'));
  const reviewer = [{ role: 'reviewer' as const, language: 'ar' }];
  assert.ok(can(reviewer, 'translation.review', 'ar'));
  assert.ok(!can(reviewer, 'translation.review', 'fr'));
  const editor = [{ role: 'editor' as const, language: null }];
  assert.ok(can(editor, 'story.publish'));
  assert.ok(can(editor, 'translation.edit', 'ja'));
  assert.ok(!can(editor, 'users.manage'));
  assert.ok(can([{ role: 'admin', language: null }], 'languages.manage'));
  assert.ok(!can([], 'story.edit'));
});

test('passwords are stored as salted scrypt hashes and verified', async () => {
  const hash = await hashPassword('correct horse battery staple');
  assert.match(hash, /^scrypt\$32768\$8\$1\$/);
  assert.notEqual(hash, await hashPassword('correct horse battery staple'), 'salted');
  assert.ok(await verifyPassword('correct horse battery staple', hash));
  assert.ok(!(await verifyPassword('correct horse battery stapler', hash)));
  assert.ok(!(await verifyPassword('anything', 'not-a-hash')));
});
