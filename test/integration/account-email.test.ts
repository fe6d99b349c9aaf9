import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { cookieHeader, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// The e-mail address on the sign-up form and the account page's "E-mail and notifications", through
// app.inject() on every engine: an optional, checked address (a clear message, what was typed
// kept), the language mail is written in, removing the address, and the address shown to its owner only.
// This site has no SMTP_URL: an address cannot be confirmed, and the page says so (the confirmation
// itself, with a mail server, is in email-confirmation.test.ts).

const messages = (language: string) =>
  JSON.parse(readFileSync(`i18n/${language}.json`, 'utf8')) as Record<string, string>;
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

for (const engine of testEngines()) {
  describe(`e-mail on sign-up and the account page (${engine})`, () => {
    let site: TestSite;

    before(async () => {
      site = await startTestSite(engine, { SIGN_IN_RATE_LIMIT: '10000' });
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
    });

    const contactOf = async (username: string) => {
      const user = await site.services.repositories.users.findByUsername(username);
      return site.services.repositories.mail.contact(user!.id);
    };
    async function signUp(language: string, fields: Record<string, string>) {
      const page = await site.app.inject({ method: 'GET', url: `/${language}/sign-up` });
      const cookie = cookieHeader(page.headers['set-cookie']);
      return site.app.inject(form(`/${language}/sign-up`, { ...fields, _csrf: csrfFrom(page.body) }, cookie));
    }
    const invalid = (body: string, id: string) => new RegExp(`id="${id}"[^>]*aria-invalid="true"`).test(body);

    test('signing up with an address keeps it, in the page’s language for mail; none is fine too', async () => {
      const page = await site.app.inject({ method: 'GET', url: '/fr/sign-up' });
      assert.match(page.body, /<input id="email"[^>]*name="email"[^>]*type="email"/);
      assert.ok(page.body.includes(messages('fr')['sign-up-email']!), 'the optional field, labelled in French');
      const signedUp = await signUp('fr', {
        username: 'Camille',
        password: 'a long enough password',
        email: ' Camille@Exemple.FR ',
      });
      assert.equal(signedUp.statusCode, 303);
      assert.deepEqual(await contactOf('Camille'), { email: 'Camille@exemple.fr', language: 'fr' });
      assert.equal((await signUp('en', { username: 'Kofi', password: 'a long enough password' })).statusCode, 303);
      assert.deepEqual(await contactOf('Kofi'), { email: null, language: 'en' });
    });

    test('a sign-up with a bad address is explained, with everything typed kept', async () => {
      const typed = 'amani@example<script>alert(1)</script>';
      const bad = await signUp('ar', {
        username: 'Amani',
        displayName: 'Amani K.',
        password: 'a long enough password',
        email: typed,
      });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.body.includes(messages('ar')['account-email-error-invalid']!), 'the message, in Arabic');
      assert.match(bad.body, /aria-describedby="email-help email-error" aria-invalid="true"/, 'the field marked');
      assert.ok(bad.body.includes(`value="${escaped(typed)}"`), 'the address as typed, escaped');
      assert.doesNotMatch(bad.body, /<script>alert/);
      assert.match(bad.body, /value="Amani"/);
      assert.match(bad.body, /value="Amani K\."/);
      assert.equal(await site.services.repositories.users.findByUsername('Amani'), undefined, 'no account made');
      const long = await signUp('en', {
        username: 'Amani',
        password: 'a long enough password',
        email: `${'a'.repeat(64)}@${'b'.repeat(200)}.org`,
      });
      assert.equal(long.statusCode, 400);
      assert.match(long.body, /at most 254 characters/);
    });

    test('the account page sets, changes and removes the address and the language of the mail', async () => {
      await createUser(site.services, 'Mei');
      const session = await signIn(site.app, 'Mei');
      const get = (url: string) => site.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
      const post = (url: string, fields: Record<string, string>, csrf = session.csrf) =>
        site.app.inject(form(url, { ...fields, _csrf: csrf }, session.cookie));

      const empty = await get('/en/account');
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /<h2 id="account-email">E-mail and notifications<\/h2>/);
      assert.match(empty.body, /No e-mail address is set/);
      assert.match(empty.body, /<option value="ja" lang="ja" dir="ltr">日本語<\/option>/);
      assert.match(empty.body, /<option value="ar" lang="ar" dir="rtl">/);
      assert.doesNotMatch(empty.body, /Remove the address/, 'nothing to remove yet');

      const saved = await post('/en/account/email', { email: 'mei@example.org', language: 'ja' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/en/account?done=email-saved');
      assert.deepEqual(await contactOf('Mei'), { email: 'mei@example.org', language: 'ja' });
      const page = await get('/en/account?done=email-saved');
      assert.match(page.body, /Your e-mail settings are saved/);
      assert.match(
        page.body,
        /\u2068mei@example\.org\u2069 is not confirmed, and this site is not set up to send mail/,
        'no mail server: the address cannot be confirmed yet',
      );
      assert.doesNotMatch(page.body, /Send a confirmation link|Send the link again/, 'so no button offers a link');
      const noMail = await post('/en/account/email/confirmation', {});
      assert.equal(noMail.statusCode, 409);
      assert.match(noMail.body, /This site is not set up to send mail, so no confirmation link can be sent\./);
      assert.equal(
        (await site.database.db.selectFrom('email_confirmations').select('id').execute()).length,
        0,
        'and no link is made',
      );
      assert.match(page.body, /<option value="ja" lang="ja" dir="ltr" selected>/);

      const typed = 'mei at example dot org';
      const bad = await post('/en/account/email', { email: typed, language: 'fr' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /This is not an e-mail address/);
      assert.ok(invalid(bad.body, 'email'));
      assert.match(bad.body, new RegExp(`value="${typed}"`), 'what was typed is kept');
      assert.match(bad.body, /<option value="fr" lang="fr" dir="ltr" selected>/, 'and the language chosen');
      assert.deepEqual(await contactOf('Mei'), { email: 'mei@example.org', language: 'ja' }, 'nothing changed');

      const unknownLanguage = await post('/en/account/email', { email: 'mei@example.org', language: 'xx' });
      assert.equal(unknownLanguage.statusCode, 400);
      assert.ok(invalid(unknownLanguage.body, 'email-language'));

      const tooLong = await post('/en/account/email', {
        email: `${'m'.repeat(60)}@${'e'.repeat(250)}.org`,
        language: 'ja',
      });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /at most 254 characters/);

      assert.equal((await post('/en/account/email', { email: 'x@example.org', language: 'ja' }, '')).statusCode, 403);
      assert.deepEqual(
        await contactOf('Mei'),
        { email: 'mei@example.org', language: 'ja' },
        'no CSRF token, no change',
      );

      const removed = await post('/en/account/email/remove', {});
      assert.equal(removed.statusCode, 303);
      assert.equal(removed.headers.location, '/en/account?done=email-removed');
      assert.deepEqual(await contactOf('Mei'), { email: null, language: 'ja' });
      assert.match((await get('/en/account?done=email-removed')).body, /Your e-mail address is removed/);

      assert.equal((await post('/en/account/email', { email: '', language: 'es' })).statusCode, 303, 'empty: none');
      assert.deepEqual(await contactOf('Mei'), { email: null, language: 'es' });
    });

    test('the address is shown to its owner only', async () => {
      await createUser(site.services, 'Lucía');
      await createUser(site.services, 'Admin', [{ role: 'admin' }]);
      const owner = await signIn(site.app, 'Lucía');
      const set = await site.app.inject(
        form('/en/account/email', { email: 'lucia@example.org', language: 'es', _csrf: owner.csrf }, owner.cookie),
      );
      assert.equal(set.statusCode, 303);
      const admin = await signIn(site.app, 'Admin');
      for (const url of ['/en/account', '/en/admin/users', '/en/']) {
        const seen = await site.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie } });
        assert.equal(seen.statusCode, 200, url);
        assert.doesNotMatch(seen.body, /lucia@example\.org/, `${url} for another account`);
      }
      assert.equal((await site.app.inject({ method: 'GET', url: '/en/account' })).statusCode, 401);
      const anonymous = await site.app.inject(form('/en/account/email', { email: 'x@example.org', language: 'en' }));
      assert.ok([401, 403].includes(anonymous.statusCode), 'signed out: refused');
      assert.deepEqual(await contactOf('Lucía'), { email: 'lucia@example.org', language: 'es' });
    });
  });
}
