import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { monthLabel } from '../../src/domain/celebration/announcement.ts';
import { AppError } from '../../src/errors.ts';
import { smtpMailer } from '../../src/providers/mail/smtp.ts';
import { SEND_MAIL } from '../../src/services/celebration-mail.ts';
import { csrfFrom, form, startTestSite, type TestSite } from '../helpers/app.ts';
import { account, celebrationAt, cycleForm, MONTH, nominationForm } from '../helpers/celebration.ts';
import { testEngines } from '../helpers/database.ts';
import { deliverMail, startMailServer, type MailServer } from '../helpers/mail-server.ts';

// The celebration's mail, sent through nodemailer to a real SMTP server (smtp-server) listening on
// loopback, on every engine: who gets which mail, in their own language (an Arabic-speaking
// nominator reads Arabic), and the nominee's private consent link, which works once. New message
// keys may still render as keys: the checks use the messages themselves, not their English.

for (const engine of testEngines()) {
  describe(`the celebration's mail (${engine})`, () => {
    let site: TestSite;
    let server: MailServer;
    let inbox: MailServer['inbox'];

    before(async () => {
      site = await startTestSite(engine);
      server = await startMailServer();
      inbox = server.inbox;
    });
    after(async () => {
      await server.close();
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      inbox.length = 0;
    });

    /** Runs the queued mail jobs through a worker until none is left. */
    const deliver = (handlers: Parameters<typeof deliverMail>[1]) => deliverMail(site.services, handlers);

    test('nominators, nominees and voters get their mail, each in their language; the consent link works once', async () => {
      const mailer = smtpMailer({ url: server.url, from: 'storyhub <celebration@example.org>' });
      const run = celebrationAt(site.services, { mailer, origin: 'https://stories.example.org' });
      const { celebration, at } = run;
      try {
        await site.services.repositories.catalog.saveRegion({ slug: 'africa', names: { en: 'Africa' } });
        const regionId = (await site.services.repositories.catalog.regions())[0]!.id;
        const editor = await account(site.services, 'Editor', ['editor']);
        const amani = await account(site.services, 'Amani', [], { email: 'amani@example.org', language: 'ar' });
        const kofi = await account(site.services, 'Kofi', [], { email: 'kofi@example.org', language: 'en' });
        const lucia = await account(site.services, 'Lucía', [], { email: 'lucia@example.org', language: 'es' });
        const harej = await account(site.services, 'Harej', [], { email: 'harej@example.org', language: 'fr' });
        const mei = await account(site.services, 'Mei', [], { email: 'mei@example.org', language: 'ja' });
        const bystander = await account(site.services, 'Nour', [], { email: 'nour@example.org', language: 'ar' });

        const created = await celebration.createCycle(editor, cycleForm());
        assert.ok(created.ok);
        const cycleId = created.cycle.id;
        await at('2026-12-01T08:00:00Z');
        const human = await celebration.nominate(amani, cycleId, nominationForm(regionId));
        assert.ok(human.ok);
        const bot = await celebration.nominate(
          kofi,
          cycleId,
          nominationForm(regionId, {
            nominee: 'LinkBot',
            homeWiki: 'en.wikipedia.org',
            kind: 'bot',
            operators: 'Harej',
            botTasks: 'Rescues dead links with archived copies.',
            category: 'technical',
          }),
        );
        assert.ok(bot.ok);
        await celebration.second(mei, human.nomination.id, { reason: 'She taught me to cite.' });
        await at('2026-12-11T00:00:00Z');
        await at('2026-12-16T00:00:00Z');
        await deliver(celebration.handlers);

        const to = (address: string) => inbox.filter((mail) => mail.to.includes(address));
        assert.equal(to('amani@example.org').length, 1, 'Amani: her nomination was filed');
        assert.equal(to('kofi@example.org').length, 1, 'Kofi: his nomination was filed');
        const [consentMail] = to('lucia@example.org');
        assert.ok(consentMail, 'Lucía is asked for her consent');
        assert.equal(to('lucia@example.org').length, 1);
        assert.equal(consentMail.headers.get('content-language'), 'es');
        assert.equal(consentMail.headers.get('from'), 'storyhub <celebration@example.org>');
        const es = site.services.messages.forLanguage('es');
        assert.ok(
          consentMail.text.includes(es('celebration-notice-consent', monthLabel(MONTH, 'es'))),
          'the notice in Spanish',
        );
        const link = /https:\/\/stories\.example\.org\/es\/celebration\/consent\/([A-Za-z0-9_-]{43})/.exec(
          consentMail.text,
        );
        assert.ok(link, `a consent link in: ${consentMail.text}`);
        const [botMail] = to('harej@example.org');
        assert.ok(botMail, "the bot's operator is asked");
        assert.equal(botMail.headers.get('content-language'), 'fr');
        assert.match(botMail.text, /https:\/\/stories\.example\.org\/fr\/celebration\/consent\/[A-Za-z0-9_-]{43}/);
        assert.equal(to('nour@example.org').length, 0);

        // The link in the mail answers once; the same link again is refused.
        assert.deepEqual(await celebration.answerWithLink(link[1]!, 'consent'), {
          nominationId: human.nomination.id,
          state: 'consented',
        });
        await assert.rejects(
          celebration.answerWithLink(link[1]!, 'consent'),
          (error) => (error as AppError).code === 'celebration_link_used',
        );
        await celebration.answerAsAccount(harej, bot.nomination.id, 'consent');

        inbox.length = 0;
        await at('2026-12-21T00:00:00Z');
        await deliver(celebration.handlers);
        const ar = site.services.messages.forLanguage('ar');
        const voteOpen = (address: string, language: string, t = site.services.messages.forLanguage(language)) =>
          to(address).some(
            (mail) =>
              mail.headers.get('content-language') === language &&
              mail.text.includes(t('celebration-notice-vote-open', monthLabel(MONTH, language))),
          );
        assert.ok(voteOpen('amani@example.org', 'ar'), 'the nominators are called to vote');
        assert.ok(voteOpen('kofi@example.org', 'en'));
        assert.ok(voteOpen('mei@example.org', 'ja'), 'and those who seconded');
        assert.equal(to('nour@example.org').length, 0, 'not everyone');

        for (const voter of [kofi, mei, bystander]) await celebration.vote(voter, cycleId, human.nomination.id);
        inbox.length = 0;
        await at('2026-12-28T00:00:00Z');
        await deliver(celebration.handlers);
        const chosen = to('amani@example.org');
        assert.equal(chosen.length, 1, 'Amani is told her nominee was chosen');
        assert.equal(chosen[0]!.headers.get('content-language'), 'ar');
        const arabic = ar('celebration-notice-chosen', 'Lucía', monthLabel(MONTH, 'ar'));
        assert.notEqual(arabic, site.services.messages.forLanguage('en')('celebration-notice-chosen', 'Lucía', MONTH));
        assert.ok(chosen[0]!.text.includes(arabic), `in Arabic: ${chosen[0]!.text}`);
        assert.match(chosen[0]!.text, /https:\/\/stories\.example\.org\/ar\/celebration\/2026-12/);

        // Each notice is mailed once: another sweep sends nothing.
        assert.equal(await celebration.flushMail(), 0);
        const editorRow = await site.services.repositories.mail.contact(editor.id);
        assert.equal(editorRow?.email, null, 'no address, no mail: notices stay on the site');
      } finally {
        mailer.close();
      }
    });

    test('an account signed up in Arabic gets its mail in Arabic', async () => {
      const page = await site.app.inject({ method: 'GET', url: '/ar/sign-up' });
      const cookie = String(page.headers['set-cookie']).split(';')[0]!;
      const signedUp = await site.app.inject(
        form(
          '/ar/sign-up',
          { username: 'Nour', password: 'a long enough password', _csrf: csrfFrom(page.body) },
          cookie,
        ),
      );
      assert.equal(signedUp.statusCode, 303);
      const nour = await site.services.repositories.users.findByUsername('Nour');
      assert.equal((await site.services.repositories.mail.contact(nour!.id))?.language, 'ar');
      const kofi = await account(site.services, 'Kofi');
      assert.equal(
        (await site.services.repositories.mail.contact(kofi.id))?.language,
        'en',
        'the source language otherwise',
      );
    });

    test('without SMTP_URL no mail is queued and the notices stay on the site', async () => {
      const { celebration, at } = celebrationAt(site.services);
      await site.services.repositories.catalog.saveRegion({ slug: 'africa', names: { en: 'Africa' } });
      const regionId = (await site.services.repositories.catalog.regions())[0]!.id;
      const editor = await account(site.services, 'Editor', ['editor']);
      const amani = await account(site.services, 'Amani', [], { email: 'amani@example.org', language: 'ar' });
      const created = await celebration.createCycle(editor, cycleForm());
      assert.ok(created.ok);
      await at('2026-12-01T08:00:00Z');
      assert.ok((await celebration.nominate(amani, created.cycle.id, nominationForm(regionId))).ok);
      assert.equal(celebration.mailEnabled, false);
      assert.equal(await celebration.flushMail(), 0);
      const mails = await site.database.db.selectFrom('jobs').select('id').where('kind', '=', SEND_MAIL).execute();
      assert.equal(mails.length, 0);
      assert.deepEqual(
        (await celebration.notices(amani)).map((notice) => notice.key),
        ['celebration-notice-nominated'],
      );
    });
  });
}
