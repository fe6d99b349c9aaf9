/** One message to one person: plain text, in the language named (sent as Content-Language). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** BCP 47 code of the message's language. */
  language: string;
}

/** Sends mail. A failure rejects, so the job that sends it is tried again later by the queue. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A mailer that keeps what it is given (tests, and the demo without a mail server). */
export function memoryMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
    close() {},
  };
}
