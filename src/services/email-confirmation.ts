import { createHash, randomBytes } from 'node:crypto';
import {
  CONFIRMATION_TOKEN,
  confirmationExpiry,
  linkTime,
  maskEmail,
  type ConfirmationLinkState,
} from '../domain/access/email-confirmation.ts';
import { bcp47 } from '../domain/languages/languages.ts';
import type { Mailer, MailMessage } from '../providers/mail/mail.ts';
import type { EmailState } from '../store/repositories/email-confirmations.ts';
import type { Repositories } from '../store/repositories/index.ts';
import { SEND_MAIL } from './celebration-mail.ts';
import type { Messages } from './messages.ts';

/** Where a confirmation link leads: the page that confirms with the token (the language is the page's). */
export const confirmationLinkPath = (language: string, token: string) =>
  `/${language}/account/email/confirm/${encodeURIComponent(token)}`;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** What sending a link did: sent, or why not. */
export type SendOutcome = 'sent' | 'no_address' | 'confirmed' | 'mail_off';
/** What a link did when used: confirmed the address, or why not. */
export type ConfirmOutcome = Exclude<ConfirmationLinkState, 'valid'> | 'confirmed';

/**
 * Confirming a person's e-mail address: a new or changed address gets a single-use link by mail (in
 * the language they chose for their mail, through the same job queue and mailer as the celebration's
 * notices), and no mail goes to it until the link is used. Links are made here, not from the request:
 * their origin is the site's own (PUBLIC_URL), so a forged Host header cannot send a link elsewhere.
 */
export function emailConfirmationService(deps: {
  repositories: Repositories;
  messages: Messages;
  /** Null without SMTP_URL: no link can be sent, so no address can be confirmed yet. */
  mailer: Mailer | null;
  /** The site's public origin (https://stories.example.org), for links. */
  origin: string;
  clock?: () => Date;
}) {
  const { repositories, messages, origin } = deps;
  const links = repositories.emailConfirmations;
  const now = deps.clock ?? (() => new Date());
  const mailEnabled = deps.mailer !== null;

  /** The mail that carries a link, in its reader's language; the link on a line of its own so mail programs make it clickable whole. */
  const compose =
    (token: string, expiresAt: Date) =>
    (recipient: { username: string; email: string; language: string }): MailMessage => {
      const { language } = recipient;
      const t = messages.forLanguage(language);
      return {
        to: recipient.email,
        subject: t('email-confirm-mail-subject'),
        text: [
          t('email-confirm-mail-greeting', recipient.username),
          '',
          t('email-confirm-mail-text', recipient.email),
          `${origin}${confirmationLinkPath(language, token)}`,
          '',
          t('email-confirm-mail-expiry', linkTime(expiresAt, bcp47(language))),
          '',
          t('email-confirm-mail-ignore'),
        ].join('\n'),
        language,
      };
    };

  return {
    /** Whether links can be sent at all (SMTP_URL is set). */
    mailEnabled,

    /** A person's address, whether it is confirmed, and the link open for it: for their own account page. */
    async state(userId: number): Promise<EmailState & { mailEnabled: boolean }> {
      const state = (await links.state(userId, now())) ?? { email: null, confirmedAt: null, pending: null };
      return { ...state, mailEnabled };
    },

    /** Mails a new link to a person's unconfirmed address; any earlier link stops working. */
    async send(userId: number): Promise<SendOutcome> {
      if (!mailEnabled) return 'mail_off';
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = confirmationExpiry(at);
      const outcome = await links.issue(
        userId,
        { tokenHash: hashToken(token), expiresAt, now: at },
        { kind: SEND_MAIL, compose: compose(token, expiresAt) },
      );
      return outcome === 'issued' ? 'sent' : outcome;
    },

    /** What a link is, without using it (its page): when usable, the address it confirms, masked. */
    async peek(
      token: string,
    ): Promise<{ state: 'valid'; maskedEmail: string } | { state: Exclude<ConfirmationLinkState, 'valid'> }> {
      if (!CONFIRMATION_TOKEN.test(token)) return { state: 'forged' };
      const found = await links.peek(hashToken(token), now());
      return found.state === 'valid' ? { state: 'valid', maskedEmail: maskEmail(found.email) } : found;
    },

    /** Confirms the address a link was sent to (whoever is signed in: the link itself is the proof). */
    async confirm(token: string): Promise<ConfirmOutcome> {
      if (!CONFIRMATION_TOKEN.test(token)) return 'forged';
      const state = await links.confirm(hashToken(token), now());
      return state === 'valid' ? 'confirmed' : state;
    },
  };
}
export type EmailConfirmationService = ReturnType<typeof emailConfirmationService>;
