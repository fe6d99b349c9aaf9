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

test('the role matrix: every named action, for every role, in its own language and another', async () => {
  const { ACTIONS, isLanguageScoped } = await import('../../src/domain/access/authorize.ts');
  // What each role may do; language-scoped actions only in the grant's language (here 'fr').
  const expected: Record<string, readonly string[]> = {
    member: ['translation.suggest'],
    translator: ['translation.suggest', 'translation.edit', 'subtitles.edit'],
    reviewer: [
      'translation.suggest',
      'translation.edit',
      'translation.review',
      'subtitles.edit',
      'subtitles.review',
      'exports.make',
    ],
    editor: [
      'translation.suggest',
      'story.edit',
      'story.publish',
      'catalog.manage',
      'translation.edit',
      'subtitles.edit',
      'subtitles.review',
      'exports.make',
      'admin.enter',
    ],
    admin: [...ACTIONS],
  };
  assert.deepEqual([...ACTIONS].sort(), [
    'admin.enter',
    'catalog.manage',
    'exports.make',
    'languages.manage',
    'story.edit',
    'story.publish',
    'subtitles.edit',
    'subtitles.review',
    'translation.edit',
    'translation.review',
    'translation.suggest',
    'users.manage',
  ]);
  for (const [role, allowed] of Object.entries(expected)) {
    const perLanguage = role === 'translator' || role === 'reviewer';
    const grants = [{ role: role as 'translator', language: perLanguage ? 'fr' : null }];
    for (const action of ACTIONS) {
      const may = allowed.includes(action);
      if (isLanguageScoped(action)) {
        assert.equal(can(grants, action, 'fr'), may, `${role} ${action} in fr`);
        assert.equal(can(grants, action, 'ar'), may && !perLanguage, `${role} ${action} in ar`);
        assert.equal(
          can(grants, action),
          may && !perLanguage,
          `${role} ${action} with no language: only site-wide grants`,
        );
      } else {
        assert.equal(can(grants, action), may, `${role} ${action}`);
      }
    }
    assert.ok(
      ACTIONS.every((action) => !can([], action, 'fr')),
      'no grants, no actions',
    );
  }
});
