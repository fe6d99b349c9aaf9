import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRECONFIGURED_CODES } from '../../src/domain/languages/languages.ts';
import { createMessages, loadMessageFiles } from '../../src/services/messages.ts';

const files = loadMessageFiles();
const english = files.en!;
const placeholders = (message: string) => [...new Set(message.match(/\$\d+/g) ?? [])].sort();

test('every English message is documented in qqq.json, and nothing else is', () => {
  assert.deepEqual(Object.keys(files.qqq!).sort(), Object.keys(english).sort());
  for (const [key, documentation] of Object.entries(files.qqq!))
    assert.ok(documentation.trim().length > 10, `${key} has documentation`);
});

for (const code of PRECONFIGURED_CODES.filter((c) => c !== 'en')) {
  test(`${code}: every message is translated with the same placeholders`, () => {
    const messages = files[code];
    assert.ok(messages, `i18n/${code}.json exists`);
    assert.deepEqual(
      Object.keys(messages).filter((key) => !(key in english)),
      [],
      'no unknown keys',
    );
    for (const [key, source] of Object.entries(english)) {
      const translation: string | undefined = messages[key];
      assert.ok(translation?.trim(), `${key} is translated`);
      assert.deepEqual(placeholders(translation!), placeholders(source), `${key} keeps its placeholders`);
      assert.doesNotMatch(translation!, /<[a-z]/i, `${key} has no markup`);
    }
  });
}

test('plural forms follow each language and untranslated messages fall back to English', () => {
  const messages = createMessages(
    { uk: ['ru'] },
    {
      en: { count: '{{PLURAL:$1|$1 story|$1 stories}}', only: 'English only' },
      ru: { count: '{{PLURAL:$1|$1 история|$1 истории|$1 историй}}', extra: 'русский' },
      ar: { count: '{{PLURAL:$1|لا قصص|قصة واحدة|قصتان|$1 قصص|$1 قصة|$1 قصة}}' },
      uk: {},
    },
  );
  assert.equal(messages.forLanguage('en')('count', 1), '1 story');
  assert.equal(messages.forLanguage('en')('count', 5), '5 stories');
  assert.equal(messages.forLanguage('ru')('count', 3), '3 истории');
  assert.equal(messages.forLanguage('ru')('count', 5), '5 историй');
  assert.equal(messages.forLanguage('ar')('count', 2), 'قصتان');
  assert.equal(messages.forLanguage('ar')('count', 11), '11 قصة');
  assert.equal(messages.forLanguage('uk')('extra'), 'русский', 'Ukrainian falls back to Russian');
  assert.equal(messages.forLanguage('ar')('only'), 'English only');
});
