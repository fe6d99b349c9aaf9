import { monthLabel } from '../domain/celebration/announcement.ts';
import { AppError } from '../errors.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Mailer, MailMessage } from '../providers/mail/mail.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { UnmailedNotice } from '../store/repositories/mail.ts';
import type { Messages } from './messages.ts';

/** The job kind that sends one mail (retried by the queue when the SMTP server fails). */
export const SEND_MAIL = 'mail.send';

const NOTICE_PREFIX = 'celebration-notice-';
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Where a consent link leads: the page that takes the nominee's answer with the token. */
export const consentLinkPath = (language: string, token: string) =>
  `/${language}/celebration/consent/${encodeURIComponent(token)}`;

/**
 * The celebration's mail: every in-site notice (message key and parameters) also sent by mail to
 * a person with an address, in their interface language, with links from the site's public origin;
 * a nominee asked for consent gets their private single-use link in it. Mail is queued as
 * `mail.send` jobs (retried by the queue) and each notice is queued once. Without a mailer (no
 * SMTP_URL), the notices on the site are all there is.
 */
export function celebrationMailService(deps: {
  repositories: Repositories;
  messages: Messages;
  mailer: Mailer | null;
  /** The site's public origin (https://stories.example.org), for links. */
  origin: string;
  /** A consent link's token for a nomination awaiting its nominee (celebration-nominations.ts). */
  issueConsentLink: (nominationId: number) => Promise<{ token: string; expiresAt: Date }>;
}) {
  const { repositories, messages, mailer, origin } = deps;

  /** One notice as a mail in its reader's language; null when there is nothing to send any more. */
  async function compose(notice: UnmailedNotice): Promise<MailMessage | null> {
    if (!notice.email) return null;
    const language = notice.language;
    const t = messages.forLanguage(language);
    const params = notice.params.map((param) => (MONTH.test(param) ? monthLabel(param, language) : param));
    const month = notice.params.find((param) => MONTH.test(param));
    const kind = notice.key.startsWith(NOTICE_PREFIX) ? notice.key.slice(NOTICE_PREFIX.length) : notice.key;
    const lines = [t('celebration-mail-greeting', notice.username), '', t(notice.key, ...params), ''];
    if (kind === 'consent' || kind === 'consent-bot') {
      if (notice.nominationId === null) return null;
      let link;
      try {
        link = await deps.issueConsentLink(notice.nominationId);
      } catch (error) {
        // Answered already, or the consent phase is over: the mail would ask for nothing.
        if (error instanceof AppError) return null;
        throw error;
      }
      const expires = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(link.expiresAt);
      // The link on a line of its own: mail programs make it clickable whole.
      lines.push(t('celebration-mail-consent-link', expires), `${origin}${consentLinkPath(language, link.token)}`);
    } else if (month) {
      lines.push(t('celebration-mail-cycle-link'), `${origin}/${language}/celebration/${month}`);
    }
    lines.push('', t('celebration-mail-footer'), `${origin}/${language}/notices`);
    return {
      to: notice.email,
      subject: t(`celebration-mail-subject-${kind}`, ...params),
      text: lines.join('\n'),
      language,
    };
  }

  const sendMail: JobHandler = async (job) => {
    if (!mailer) throw new Error('No mail server is configured (SMTP_URL)');
    await mailer.send(job.payload as MailMessage);
  };

  return {
    /** Whether mail is sent at all (SMTP_URL is set). */
    enabled: mailer !== null,

    /** Queues the notices not yet sent as mail; how many mails were queued. Nothing without a mailer. */
    async flush(): Promise<number> {
      if (!mailer) return 0;
      let queued = 0;
      for (;;) {
        const notices = await repositories.mail.unmailedNotices();
        if (!notices.length) return queued;
        const since = Date.now() - 24 * 3_600_000;
        const mails = [];
        for (const notice of notices)
          // Notices from before mail was configured stay on the site only.
          mails.push({
            noticeId: notice.id,
            payload: notice.createdAt.getTime() < since ? null : await compose(notice),
          });
        queued += await repositories.mail.queueMail(SEND_MAIL, mails);
      }
    },

    /** The job handlers: sending one mail. */
    handlers: mailer ? ({ [SEND_MAIL]: sendMail } as Record<string, JobHandler>) : ({} as Record<string, JobHandler>),
  };
}
export type CelebrationMailService = ReturnType<typeof celebrationMailService>;
