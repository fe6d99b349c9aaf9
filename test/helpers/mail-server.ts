import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { startWorker } from '../../src/jobs/worker.ts';
import { SEND_MAIL } from '../../src/services/celebration-mail.ts';
import type { Services } from '../../src/services/index.ts';

// A real SMTP server (smtp-server) on loopback that keeps what it receives, decoded, and a way to
// send the queued mail jobs to it: the site's mail goes through nodemailer exactly as in production.

export interface ReceivedMail {
  to: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
}

/** A message's headers (unfolded, names lower-case) and its text body, decoded. */
export function parseMail(raw: string, to: string[]): ReceivedMail {
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

export interface MailServer {
  /** `smtp://127.0.0.1:PORT`: SMTP_URL for a test site. */
  url: string;
  /** Every mail received, oldest first (empty it between tests). */
  inbox: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP server listening on a free port of 127.0.0.1 (no TLS, no authentication). */
export async function startMailServer(): Promise<MailServer> {
  const inbox: ReceivedMail[] = [];
  const server = new SMTPServer({
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
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs the queued mail jobs through a worker (with `handlers`: the site's own sender by default) until none is left. */
export async function deliverMail(
  services: Services,
  handlers: Parameters<typeof startWorker>[0]['handlers'] = { [SEND_MAIL]: services.jobHandlers[SEND_MAIL]! },
): Promise<void> {
  const worker = startWorker({ jobs: services.repositories.jobs, handlers, pollMs: 10 });
  try {
    for (let waited = 0; waited < 10_000; waited += 20) {
      const pending = await services.database.db
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
