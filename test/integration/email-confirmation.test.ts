import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { openDatabase, type Database, type Engine } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { smtpMailer } from '../../src/providers/mail/smtp.ts';
import {
  cookieHeader,
  createUser,
  csrfFrom,
  form,
  PASSWORD,
  signIn,
  startTestSite,
  type TestSite,
} from '../helpers/app.ts';
import { account, celebrationAt, cycleForm, nominationForm } from '../helpers/celebration.ts';
import { createTestDatabase, testEngines } from '../helpers/database.ts';
import { deliverMail, startMailServer, type MailServer, type ReceivedMail } from '../helpers/mail-server.ts';

// Confirming an e-mail address through app.inject(), with the site's mail going through nodemailer
// to a real SMTP server on loopback, on every engine: a new address gets a single-use link in its
// owner's mail language; the link's page confirms only with its button; used, expired, forged and
// superseded links are refused, each with its own message; the celebration writes only to a
// confirmed address.

const ORIGIN = 'https://stories.example.org';
const LINK = /https:\/\/stories\.example\.org\/([a-z-]+)\/account\/email\/confirm\/([A-Za-z0-9_-]{43})/;
/** A parameter as pages show it: isolated, so a name in another script cannot reorder the sentence. */
const isolated = (text: string) => `\u2068${text}\u2069`;

for (const engine of testEngines()) {
  describe(`confirming an e-mail address (${engine})`, () => {
    let site: TestSite;
    let mail: MailServer;

    before(async () => {
      mail = await startMailServer();
      site = await startTestSite(engine, { SMTP_URL: mail.url, PUBLIC_URL: ORIGIN, SIGN_IN_RATE_LIMIT: '10000' });
    });
    after(async () => {
      await site?.close();
      await mail?.close();
    });
    beforeEach(async () => {
      await site.reset();
      mail.inbox.length = 0;
    });

    const t = (language: string) => site.services.messages.forLanguage(language);
    const mailTo = (address: string): ReceivedMail[] => mail.inbox.filter((received) => received.to.includes(address));
    /** The link in the last mail to `address`: its language and path. */
    function linkIn(received: ReceivedMail | undefined) {
      assert.ok(received, 'a mail arrived');
      const found = LINK.exec(received.text);
      assert.ok(found, `a confirmation link in: ${received.text}`);
      return { language: found[1]!, token: found[2]!, path: `/${found[1]}/account/email/confirm/${found[2]}` };
    }
    const confirmedAt = async (username: string) => {
      const user = await site.services.repositories.users.findByUsername(username);
      return (await site.services.repositories.emailConfirmations.state(user!.id, new Date()))!.confirmedAt;
    };
    /** Opens a link's page (as `cookie`'s browser, or a fresh one); `press` sends its button, now or later. */
    async function openLink(path: string, cookie = '') {
      const page = await site.app.inject({ method: 'GET', url: path, headers: { cookie } });
      assert.equal(page.statusCode, 200, `the page of ${path}`);
      const jar = [cookie, cookieHeader(page.headers['set-cookie'])].filter(Boolean).join('; ');
      const csrf = csrfFrom(page.body);
      return { page, press: () => site.app.inject(form(path, { _csrf: csrf }, jar)) };
    }
    async function confirmWith(path: string, cookie = '') {
      const { page, press } = await openLink(path, cookie);
      return { page, pressed: await press() };
    }

    test('a new address gets a link in its owner’s mail language; only the button confirms it, once', async () => {
      await createUser(site.services, 'Mei');
      const session = await signIn(site.app, 'Mei');
      const get = (url: string) => site.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
      const saved = await site.app.inject(
        form('/en/account/email', { email: 'mei@example.org', language: 'ja', _csrf: session.csrf }, session.cookie),
      );
      assert.equal(saved.statusCode, 303);

      const waiting = await get('/en/account?done=email-saved');
      assert.match(waiting.body, /Waiting for confirmation: a link was sent to \u2068mei@example\.org\u2069 on/);
      assert.match(waiting.body, /<button class="cdx-button" type="submit">Send the link again<\/button>/);

      await deliverMail(site.services);
      const [received, ...more] = mailTo('mei@example.org');
      assert.equal(more.length, 0, 'one mail');
      assert.equal(received!.headers.get('content-language'), 'ja');
      assert.equal(received!.subject, t('ja')('email-confirm-mail-subject'));
      assert.ok(received!.text.includes(t('ja')('email-confirm-mail-greeting', 'Mei')), received!.text);
      assert.ok(received!.text.includes(t('ja')('email-confirm-mail-text', 'mei@example.org')));
      const link = linkIn(received);
      assert.equal(link.language, 'ja', 'the link opens the page in Japanese');
      const stored = await site.database.db.selectFrom('email_confirmations').selectAll().execute();
      assert.equal(stored.length, 1);
      assert.ok(!JSON.stringify(stored).includes(link.token), 'only a hash of the secret is kept');

      // Opening the page (as a link scanner would, signed out) confirms nothing.
      const page = await site.app.inject({ method: 'GET', url: link.path });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<html lang="ja"/);
      assert.ok(page.body.includes(t('ja')('email-confirm-title')));
      assert.ok(page.body.includes(isolated('m…@example.org')), 'the address, masked');
      assert.doesNotMatch(page.body, /mei@example\.org/, 'never the whole address');
      assert.match(page.body, /<meta name="robots" content="noindex"/);
      assert.equal(await confirmedAt('Mei'), null);
      const noCsrf = await site.app.inject(form(link.path, {}, cookieHeader(page.headers['set-cookie'])));
      assert.equal(noCsrf.statusCode, 403, 'a POST without the form’s token is refused');
      assert.equal(await confirmedAt('Mei'), null);

      // The button confirms, signed out: the link is the proof. The page open in another tab is then used up.
      const otherTab = await openLink(`/en${link.path.slice(3)}`);
      const { pressed } = await confirmWith(link.path);
      assert.equal(pressed.statusCode, 200);
      assert.ok(pressed.body.includes(t('ja')('email-confirm-done')));
      assert.ok(await confirmedAt('Mei'));
      const confirmed = await get('/en/account');
      assert.match(confirmed.body, /Confirmed: your mail goes to \u2068mei@example\.org\u2069\./);
      assert.doesNotMatch(confirmed.body, /Send the link again|Send a confirmation link/);

      // The same link again: used.
      const again = await site.app.inject({ method: 'GET', url: link.path });
      assert.equal(again.statusCode, 410);
      assert.ok(again.body.includes(t('ja')('email-confirm-link-used')));
      const pressedAgain = await otherTab.press();
      assert.equal(pressedAgain.statusCode, 410);
      assert.match(pressedAgain.body, /This link has already been used\./);

      // Saving the same address again (a new language) keeps it confirmed and sends nothing.
      mail.inbox.length = 0;
      await site.app.inject(
        form('/en/account/email', { email: 'mei@example.org', language: 'fr', _csrf: session.csrf }, session.cookie),
      );
      await deliverMail(site.services);
      assert.ok(await confirmedAt('Mei'));
      assert.equal(mail.inbox.length, 0);
    });

    test('a forged, superseded or expired link is refused with its own message and a way on', async () => {
      await createUser(site.services, 'Amani');
      const session = await signIn(site.app, 'Amani');
      const post = (url: string, fields: Record<string, string> = {}) =>
        site.app.inject(form(url, { ...fields, _csrf: session.csrf }, session.cookie));
      await post('/en/account/email', { email: 'amani@example.org', language: 'ar' });
      await deliverMail(site.services);
      const first = linkIn(mailTo('amani@example.org')[0]);
      assert.equal(first.language, 'ar');

      // Forged: never sent, or not even of a link's form.
      const oneOff = `${first.token.slice(0, 42)}${first.token.endsWith('A') ? 'B' : 'A'}`;
      for (const token of ['A'.repeat(43), 'not-a-link', oneOff]) {
        const forged = await site.app.inject({ method: 'GET', url: `/en/account/email/confirm/${token}` });
        assert.equal(forged.statusCode, 404, token);
        assert.match(forged.body, /This link is not valid\./);
        assert.match(forged.body, /href="\/en\/account"/, 'the way to a new link');
      }

      // Superseded by a newer link: the button on the account page.
      const firstPage = await openLink(first.path);
      const resent = await post('/en/account/email/confirmation');
      assert.equal(resent.statusCode, 303);
      assert.equal(resent.headers.location, '/en/account?done=email-link-sent');
      const sentPage = await site.app.inject({
        method: 'GET',
        url: '/en/account?done=email-link-sent',
        headers: { cookie: session.cookie },
      });
      assert.ok(sentPage.body.includes(t('en')('account-email-link-sent-done')));
      await deliverMail(site.services);
      const second = linkIn(mailTo('amani@example.org')[1]);
      assert.notEqual(second.token, first.token);
      const superseded = await site.app.inject({ method: 'GET', url: first.path });
      assert.equal(superseded.statusCode, 410);
      assert.match(superseded.body, /<html lang="ar" dir="rtl"/);
      assert.ok(superseded.body.includes(t('ar')('email-confirm-link-superseded')));
      assert.equal((await firstPage.press()).statusCode, 410, 'its button too');

      // Expired: the newer link's time is up.
      const secondPage = await openLink(second.path);
      await site.database.db
        .updateTable('email_confirmations')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('used_at', 'is', null)
        .where('superseded_at', 'is', null)
        .execute();
      const expired = await site.app.inject({ method: 'GET', url: `/en${second.path.slice(3)}` });
      assert.equal(expired.statusCode, 410);
      assert.match(expired.body, /This link has expired\. Send a new one from your account page/);
      const pressedLate = await secondPage.press();
      assert.equal(pressedLate.statusCode, 410);
      assert.ok(pressedLate.body.includes(t('ar')('email-confirm-link-expired')));
      const accountPage = await site.app.inject({
        method: 'GET',
        url: '/en/account',
        headers: { cookie: session.cookie },
      });
      assert.match(accountPage.body, /\u2068amani@example\.org\u2069 is not confirmed yet/);
      assert.match(accountPage.body, />Send a confirmation link<\/button>/);
      assert.equal(await confirmedAt('Amani'), null);

      // A change of address supersedes the link sent to the old one.
      await post('/en/account/email/confirmation');
      await deliverMail(site.services);
      const third = linkIn(mailTo('amani@example.org')[2]);
      await post('/en/account/email', { email: 'amani.k@example.org', language: 'ar' });
      const changed = await site.app.inject({ method: 'GET', url: `/en${third.path.slice(3)}` });
      assert.equal(changed.statusCode, 410);
      assert.match(changed.body, /This link has been replaced/);

      // The new address's link works for whoever holds it, even signed in as someone else.
      await deliverMail(site.services);
      const fourth = linkIn(mailTo('amani.k@example.org')[0]);
      await createUser(site.services, 'Kofi');
      const kofi = await signIn(site.app, 'Kofi');
      const { page, pressed } = await confirmWith(fourth.path, kofi.cookie);
      assert.doesNotMatch(page.body, /amani/i, 'nothing of the account or its whole address');
      assert.equal(pressed.statusCode, 200);
      assert.ok(await confirmedAt('Amani'));
      assert.equal(await confirmedAt('Kofi'), null);
    });

    test('links are limited per account and hour', async () => {
      await createUser(site.services, 'Lucía');
      const session = await signIn(site.app, 'Lucía');
      const post = (url: string, fields: Record<string, string> = {}) =>
        site.app.inject(form(url, { ...fields, _csrf: session.csrf }, session.cookie));
      await post('/es/account/email', { email: 'lucia@example.org', language: 'es' });
      for (let sent = 0; sent < 5; sent++)
        assert.equal((await post('/es/account/email/confirmation')).statusCode, 303, `link ${sent + 1}`);
      const refused = await post('/es/account/email/confirmation');
      assert.equal(refused.statusCode, 429);
      assert.ok(refused.body.includes(t('es')('account-email-error-too-many')));
      await deliverMail(site.services);
      assert.equal(mailTo('lucia@example.org').length, 6, 'the address, then five links: none more');
      // Another account is counted on its own.
      await createUser(site.services, 'Harej');
      const harej = await signIn(site.app, 'Harej');
      const own = await site.app.inject(
        form('/en/account/email', { email: 'harej@example.org', language: 'fr', _csrf: harej.csrf }, harej.cookie),
      );
      assert.equal(own.statusCode, 303);
    });

    test('the celebration writes to an address only once it is confirmed', async () => {
      const mailer = smtpMailer({ url: mail.url, from: 'storyhub <celebration@example.org>' });
      const { celebration, at } = celebrationAt(site.services, { mailer, origin: ORIGIN });
      try {
        await site.services.repositories.catalog.saveRegion({ slug: 'africa', names: { en: 'Africa' } });
        const regionId = (await site.services.repositories.catalog.regions())[0]!.id;
        const editor = await account(site.services, 'Editor', ['editor']);
        const created = await celebration.createCycle(editor, cycleForm());
        assert.ok(created.ok);
        await at('2026-12-01T08:00:00Z');
        // Signed up with an address: a link is mailed, nothing else.
        const signedUp = await site.services.accounts.signUp({
          username: 'Nour',
          password: PASSWORD,
          email: 'nour@example.org',
          language: 'ar',
        });
        assert.ok('user' in signedUp);
        const nour = (await site.services.repositories.users.findById(signedUp.user.id))!;
        assert.ok((await celebration.nominate(nour, created.cycle.id, nominationForm(regionId))).ok);
        await deliverMail(site.services);
        assert.deepEqual(
          mailTo('nour@example.org').map((received) => received.subject),
          [t('ar')('email-confirm-mail-subject')],
          'the confirmation link only: the notice stays on the site',
        );
        assert.deepEqual(
          (await celebration.notices(nour)).map((notice) => notice.key),
          ['celebration-notice-nominated'],
        );

        const link = linkIn(mailTo('nour@example.org')[0]);
        assert.equal((await confirmWith(link.path)).pressed.statusCode, 200);
        mail.inbox.length = 0;
        const second = nominationForm(regionId, { nominee: 'Kofi', homeWiki: 'en.wikipedia.org' });
        assert.ok((await celebration.nominate(nour, created.cycle.id, second)).ok);
        await deliverMail(site.services);
        const [notice, ...more] = mailTo('nour@example.org');
        assert.ok(notice, 'confirmed: the next notice comes by mail');
        assert.equal(more.length, 0);
        assert.equal(notice.headers.get('content-language'), 'ar');
        assert.equal(notice.subject, t('ar')('celebration-mail-subject-nominated'));
      } finally {
        mailer.close();
      }
    });
  });

  describe(`the confirmation migration (${engine})`, () => {
    let database: Database;
    before(async () => {
      database = engine === 'embedded' ? await openDatabase({}) : await createTestDatabase(engine as Engine);
    });
    after(async () => {
      await database.close();
    });

    test('addresses given before confirmation existed stay confirmed; none is still none', async () => {
      const names = Object.keys(migrations);
      const previous = names[names.indexOf('2026-12-06T1730-email-confirmation') - 1]!;
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      assert.equal((await migrator.migrateTo(previous)).error, undefined);
      await sql`INSERT INTO users (username, display_name, password_hash, email)
        VALUES ('Amani', 'Amani', NULL, 'amani@example.org'), ('Kofi', 'Kofi', NULL, NULL)`.execute(database.db);
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const rows = await sql<{ username: string; confirmed: boolean }>`
        SELECT username, email_confirmed_at IS NOT NULL AS confirmed FROM users ORDER BY username`.execute(database.db);
      assert.deepEqual(
        rows.rows.map((row) => [row.username, row.confirmed]),
        [
          ['Amani', true],
          ['Kofi', false],
        ],
      );
    });
  });
}
