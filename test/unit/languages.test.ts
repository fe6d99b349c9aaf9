import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bcp47,
  describeLanguage,
  isKnownLanguage,
  isVerticalScript,
  negotiateLanguage,
  preconfiguredLanguages,
} from '../../src/domain/languages/languages.ts';
import { localizedName, pickLanguage } from '../../src/domain/languages/localize.ts';

const SITE = ['en', 'ar', 'fr', 'ja', 'zh-hans', 'sr-cyrl', 'sr-latn', 'es'];

test('Accept-Language negotiation honours q-values, regional variants and scripts', () => {
  assert.equal(negotiateLanguage('fr-CA,fr;q=0.9,en;q=0.8', SITE), 'fr');
  assert.equal(negotiateLanguage('de, ja;q=0.5, en;q=0.4', SITE), 'ja');
  assert.equal(negotiateLanguage('en;q=0.1, ar', SITE), 'ar');
  assert.equal(negotiateLanguage('zh-CN', SITE), 'zh-hans');
  assert.equal(negotiateLanguage('sr-Latn-RS', SITE), 'sr-latn');
  assert.equal(negotiateLanguage('sr', SITE), 'sr-cyrl');
  assert.equal(negotiateLanguage('ES-419', SITE), 'es');
  assert.equal(negotiateLanguage('de, it', SITE), null);
  assert.equal(negotiateLanguage('fr;q=0', SITE), null);
  assert.equal(negotiateLanguage('', SITE), null);
  assert.equal(negotiateLanguage(';;;,q=abc', SITE), null);
});

test('language attributes use BCP 47 casing and the direction of the script', () => {
  assert.equal(bcp47('zh-hans'), 'zh-Hans');
  assert.equal(bcp47('sr-latn'), 'sr-Latn');
  assert.equal(bcp47('pt-br'), 'pt-BR');
  assert.deepEqual(describeLanguage('AR'), { code: 'ar', autonym: 'العربية', dir: 'rtl' });
  assert.equal(describeLanguage('ja').autonym, '日本語');
  assert.ok(isKnownLanguage('fa'));
  assert.ok(!isKnownLanguage('xx-yy-zz'));
  assert.ok(!isKnownLanguage('<script>'));
});

test('preconfigured languages choose a text-search configuration the database has', () => {
  const languages = preconfiguredLanguages(new Set(['simple', 'english', 'arabic']));
  assert.equal(languages.length, 15);
  assert.equal(languages.find((l) => l.code === 'ar')!.searchConfig, 'arabic');
  assert.equal(languages.find((l) => l.code === 'fr')!.searchConfig, 'simple');
  assert.equal(languages.find((l) => l.code === 'ar')!.dir, 'rtl');
  assert.deepEqual(languages.find((l) => l.code === 'uk')!.fallbacks, ['ru']);
});

test('localized names fall back along the chain, then to English', () => {
  assert.deepEqual(localizedName({ en: 'Africa', fr: 'Afrique' }, ['fr']), { text: 'Afrique', language: 'fr' });
  assert.deepEqual(localizedName({ en: 'Africa', ru: 'Африка' }, ['uk', 'ru']), { text: 'Африка', language: 'ru' });
  assert.deepEqual(localizedName({ en: 'Africa' }, ['ja']), { text: 'Africa', language: 'en' });
  assert.equal(pickLanguage(['ja'], ['es', 'fr'], 'fr'), 'fr');
  assert.equal(pickLanguage(['ja'], [], 'fr'), null);
});

test('scripts set in vertical lines are known by language: traditional Mongolian is, Cyrillic Mongolian and Japanese are not', () => {
  assert.equal(isVerticalScript('mn-mong'), true);
  assert.equal(isVerticalScript('mn'), false);
  assert.equal(isVerticalScript('ja'), false);
  assert.equal(isVerticalScript('ar'), false);
});
