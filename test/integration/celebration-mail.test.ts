import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { monthLabel } from '../../src/domain/celebration/announcement.ts';
import { AppError } from '../../src/errors.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { smtpMailer } from '../../src/providers/mail/smtp.ts';
import { SEND_MAIL } from '../../src/services/celebration-mail.ts';
import { csrfFrom, form, startTestSite, type TestSite } from '../helpers/app.ts';
import { account, celebrationAt, cycleForm, MONTH, nominationForm } from '../helpers/celebration.ts';
import { testEngines } from '../helpers/database.ts';

// The celebration's mail, sent through nodemailer to a real SMTP server (smtp-server) listening on
// loopback, on every engine: who gets which mail, in their own language (an Arabic-speaking
// nominator reads Arabic), and the nominee's private consent link, which works once. New message
// keys may still render as keys: the checks use the messages themselves, not their English.

interface Received {
  to: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
}

/** A message's headers (unfolded, names lower-case) and its text body, decoded. */
function parseMail(raw: string, to: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4).replace(/\r\n\.\r\n$/, '');
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  const subject = (headers.get('subject') ?? '').replace(
    /=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi,
    (_, kind: string, data: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
  return { to, headers, subject, text: body.replace(/\r\n/g, '\n').trim() };
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let at = 0; at < joined.length; at++) {
    if (joined[at] === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(at + 1, at + 3))) {
      bytes.push(Number.parseInt(joined.slice(at + 1, at + 3), 16));
      at += 2;
    } else bytes.push(...Buffer.from(joined[at]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

for (const engine of testEngines()) {
  describe(`the celebration's mail (${engine})`, () => {
    let site: TestSite;
    let server: SMTPServer;
    let port: number;
    const inbox: Received[] = [];

    before(async () => {
      site = await startTestSite(engine);
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            inbox.push(
              parseMail(
                Buffer.concat(chunks).toString('utf8'),
                session.envelope.rcptTo.map((rcpt) => rcpt.address),
              ),
            );
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.server.address() as AddressInfo).port;
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      inbox.length = 0;
    });

    /** Runs the queued mail jobs through a worker until none is left. */
    async function deliver(handlers: Parameters<typeof startWorker>[0]['handlers']) {
      const worker = startWorker({ jobs: site.services.repositories.jobs, handlers, pollMs: 10 });
      try {
        for (let waited = 0; waited < 10_000; waited += 20) {
          const pending = await site.database.db
            .selectFrom('jobs')
            .select('state')
            .where('kind', '=', SEND_MAIL)
            .where('state', 'in', ['queued', 'running'])
            .execute();
          if (!pending.length) break;
          await delay(20);
        }
      } finally {
        await worker.stop();
      }
    }

    test('nominators, nominees and voters get their mail, each in their language; the consent link works once', async () => {
      const mailer = smtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'storyhub <celebration@example.org>' });
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
