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

test('the monthly celebration: every member nominates and votes; editors and admins moderate and run it', () => {
  const member = [{ role: 'member' as const, language: null }];
  assert.ok(can(member, 'celebration.nominate'));
  assert.ok(can(member, 'celebration.vote'));
  assert.ok(!can(member, 'celebration.moderate'));
  assert.ok(!can(member, 'celebration.manage'));
  const reviewer = [{ role: 'reviewer' as const, language: 'ar' }];
  assert.ok(can(reviewer, 'celebration.nominate'), 'not scoped to a language');
  assert.ok(!can(reviewer, 'celebration.moderate'));
  for (const role of ['editor', 'admin'] as const) {
    assert.ok(can([{ role, language: null }], 'celebration.moderate'), role);
    assert.ok(can([{ role, language: null }], 'celebration.manage'), role);
  }
  assert.ok(!can([], 'celebration.nominate'), 'signed out: nothing');
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
    member: ['translation.suggest', 'celebration.nominate', 'celebration.vote'],
    translator: [
      'translation.suggest',
      'translation.edit',
      'subtitles.edit',
      'celebration.nominate',
      'celebration.vote',
    ],
    reviewer: [
      'translation.suggest',
      'translation.edit',
      'translation.review',
      'subtitles.edit',
      'subtitles.review',
      'exports.make',
      'celebration.nominate',
      'celebration.vote',
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
      'celebration.nominate',
      'celebration.vote',
      'celebration.moderate',
      'celebration.manage',
    ],
    admin: [...ACTIONS],
  };
  assert.deepEqual([...ACTIONS].sort(), [
    'admin.enter',
    'catalog.manage',
    'celebration.manage',
    'celebration.moderate',
    'celebration.nominate',
    'celebration.vote',
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
