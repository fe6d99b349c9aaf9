import nodemailer from 'nodemailer';
import type { Mailer } from './mail.ts';

/**
 * Mail through an SMTP server named by a URL (`smtp://user:pass@host:587`, `smtps://…:465`), with
 * nodemailer: one pooled transport per process, plain-text UTF-8 messages.
 */
export function smtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(message) {
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { 'Content-Language': message.language },
      });
    },
    close() {
      transport.close();
    },
  };
}
