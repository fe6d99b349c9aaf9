import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { defaultSubtitleLimits } from '../../src/domain/subtitles/index.ts';
import { createUser, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Subtitle limits per language on the admin languages page: effective values in the form, saved
// values read back, a reset to the defaults, and refusals for other roles and for nonsense.

const JAPANESE_DEFAULTS = {
  maxCharsPerLine: '13',
  maxCharsPerSecond: '4',
  maxLines: '2',
  minDuration: '0.833',
  maxDuration: '7',
  minGapFrames: '2',
  frameRate: '24',
};
const inputValue = (body: string, id: string) => new RegExp(`<input id="${id}"[^>]* value="([^"]*)"`).exec(body)?.[1];

for (const engine of testEngines()) {
  describe(`subtitle limits on the admin languages page (${engine})`, () => {
    let site: TestSite;
    let admin: { cookie: string; csrf: string };
    let editor: { cookie: string; csrf: string };
    before(async () => {
      site = await startTestSite(engine);
      await site.reset();
      await createUser(site.services, 'limits-admin', [{ role: 'admin' }]);
      await createUser(site.services, 'limits-editor', [{ role: 'editor' }]);
      admin = await signIn(site.app, 'limits-admin');
      editor = await signIn(site.app, 'limits-editor');
    });
    beforeEach(async () => {
      for (const code of ['ja', 'en']) await site.services.repositories.languages.saveSubtitleLimits(code, null);
    });
    after(async () => {
      await site.close();
    });

    const page = () =>
      site.app.inject({ method: 'GET', url: '/en/admin/languages', headers: { cookie: admin.cookie } });
    const save = (session: { cookie: string; csrf: string }, code: string, fields: Record<string, string | string[]>) =>
      site.app.inject(
        form(`/en/admin/languages/${code}/subtitle-limits`, { ...fields, _csrf: session.csrf }, session.cookie),
      );

    test('each language shows the limits in force, prefilled with its defaults', async () => {
      const response = await page();
      assert.equal(response.statusCode, 200);
      assert.equal(inputValue(response.body, 'limits-ja-maxCharsPerLine'), '13');
      assert.equal(inputValue(response.body, 'limits-ja-maxCharsPerSecond'), '4');
      assert.equal(inputValue(response.body, 'limits-en-maxCharsPerLine'), '42');
      assert.equal(inputValue(response.body, 'limits-en-maxCharsPerSecond'), '20');
      assert.equal(inputValue(response.body, 'limits-zh-hans-maxCharsPerLine'), '16');
      assert.match(
        response.body,
        /<label class="cdx-label__label" for="limits-ja-maxCharsPerLine"><span class="cdx-label__label__text">Characters per line, at most</,
      );
    });

    test('an admin changes Japanese to 15 characters per line, and the value reads back until reset', async () => {
      const saved = await save(admin, 'ja', { ...JAPANESE_DEFAULTS, maxCharsPerLine: '15' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/en/admin/languages?saved=1#limits-ja');
      const limits = await site.services.repositories.languages.subtitleLimits('ja');
      assert.deepEqual(limits, { ...defaultSubtitleLimits('ja'), maxCharsPerLine: 15 });
      const shown = await page();
      assert.equal(inputValue(shown.body, 'limits-ja-maxCharsPerLine'), '15');
      assert.match(shown.body, /<code dir="ltr">ja<\/code>: custom limits/);
      assert.match(shown.body, /<code dir="ltr">en<\/code>: default limits/);
      assert.equal(
        (await site.services.repositories.languages.subtitleLimits('en')).maxCharsPerLine,
        42,
        'other languages keep theirs',
      );

      const reset = await save(admin, 'ja', { ...JAPANESE_DEFAULTS, maxCharsPerLine: '15', reset: '1' });
      assert.equal(reset.statusCode, 303);
      assert.deepEqual(await site.services.repositories.languages.subtitleLimits('ja'), defaultSubtitleLimits('ja'));
      assert.equal(inputValue((await page()).body, 'limits-ja-maxCharsPerLine'), '13');
    });

    test('saving the defaults unchanged stores nothing custom', async () => {
      assert.equal((await save(admin, 'ja', JAPANESE_DEFAULTS)).statusCode, 303);
      const japanese = (await site.services.repositories.languages.list()).find((l) => l.code === 'ja')!;
      assert.equal(japanese.customSubtitleLimits, false);
    });

    test('a non-admin gets 403 and nothing changes', async () => {
      const response = await save(editor, 'ja', { ...JAPANESE_DEFAULTS, maxCharsPerLine: '15' });
      assert.equal(response.statusCode, 403);
      assert.equal((await site.services.repositories.languages.subtitleLimits('ja')).maxCharsPerLine, 13);
      const anonymous = await site.app.inject(
        form('/en/admin/languages/ja/subtitle-limits', { ...JAPANESE_DEFAULTS, maxCharsPerLine: '15' }),
      );
      assert.notEqual(anonymous.statusCode, 303);
      assert.equal((await site.services.repositories.languages.subtitleLimits('ja')).maxCharsPerLine, 13);
    });

    test('bad numbers get a 400 page naming each field, with the values as typed, and nothing is saved', async () => {
      const response = await save(admin, 'ja', {
        ...JAPANESE_DEFAULTS,
        maxCharsPerLine: '13.5',
        frameRate: '0',
        maxLines: '',
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /<details id="limits-ja" open/);
      assert.match(
        response.body,
        /id="limits-ja-maxCharsPerLine-error"[^>]*><span class="cdx-message__icon"><\/span><div class="cdx-message__content">Enter a whole number from 1 to 200\./,
      );
      assert.match(response.body, /id="limits-ja-frameRate-error"[^>]*>.*?Enter a number from 1 to 240\./s);
      assert.match(response.body, /id="limits-ja-maxLines-error"[^>]*>.*?This field is required\./s);
      assert.match(
        response.body,
        /aria-describedby="limits-ja-maxCharsPerLine-help limits-ja-maxCharsPerLine-error" aria-invalid="true"/,
      );
      assert.doesNotMatch(response.body, /id="limits-ja-maxCharsPerSecond-error"/, 'valid fields carry no error');
      assert.equal(inputValue(response.body, 'limits-ja-maxCharsPerLine'), '13.5');
      assert.equal(inputValue(response.body, 'limits-en-maxCharsPerLine'), '42', 'other languages show their values');

      const order = await save(admin, 'ja', { ...JAPANESE_DEFAULTS, minDuration: '8' });
      assert.equal(order.statusCode, 400);
      assert.match(order.body, /id="limits-ja-minDuration-error"[^>]*>.*?longest time on screen \(7 s\)/s);
      assert.deepEqual(await site.services.repositories.languages.subtitleLimits('ja'), defaultSubtitleLimits('ja'));
    });

    test('nonsense requests are refused with 400 or 404, never a 500', async () => {
      assert.equal((await save(admin, 'ja', { ...JAPANESE_DEFAULTS, maxCharsPerLine: ['14', '15'] })).statusCode, 400);
      assert.equal(
        (await save(admin, 'ja', { ...JAPANESE_DEFAULTS, maxCharsPerLine: '9'.repeat(60) })).statusCode,
        400,
      );
      assert.equal(
        (
          await save(admin, 'ja', {
            ...JAPANESE_DEFAULTS,
            maxCharsPerSecond: 'NaN',
            maxDuration: 'Infinity',
            minGapFrames: '-1',
          })
        ).statusCode,
        400,
      );
      assert.equal((await save(admin, 'xx', JAPANESE_DEFAULTS)).statusCode, 404);
      assert.deepEqual(await site.services.repositories.languages.subtitleLimits('ja'), defaultSubtitleLimits('ja'));
    });
  });
}
