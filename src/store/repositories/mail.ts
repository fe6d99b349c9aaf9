import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { supersedeOpen } from './email-confirmations.ts';

/** A notice not yet sent as mail, with what the mail needs: its reader's address and language. */
export interface UnmailedNotice {
  id: number;
  userId: number;
  username: string;
  /** The reader's confirmed address; null when they have none or it is not confirmed yet. */
  email: string | null;
  language: string;
  key: string;
  params: string[];
  cycleId: number | null;
  nominationId: number | null;
}

/**
 * People's mail: their address and language, and the notices still to be sent. A notice is queued
 * as a `mail.send` job and marked in the same transaction, so it is queued once however many
 * processes look at once (the rows are taken with SKIP LOCKED). Mail goes only to an address its
 * owner confirmed (email-confirmations.ts): this is the one place its recipients are chosen.
 */
export function mailRepository(db: Kysely<DB>) {
  return {
    /**
     * Sets an account's mail address (null: none) and, when given, the language their mail is written
     * in. A different address is unconfirmed and the links sent for the old one stop working; the
     * same address saved again keeps its confirmation. Whether the address changed.
     */
    async setContact(
      userId: number,
      contact: { email?: string | null; language?: string },
    ): Promise<{ emailChanged: boolean }> {
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('users')
          .select('email')
          .where('id', '=', userId)
          .forUpdate()
          .executeTakeFirst();
        const emailChanged = before !== undefined && contact.email !== undefined && contact.email !== before.email;
        const set = {
          ...(emailChanged ? { email: contact.email ?? null, email_confirmed_at: null } : {}),
          ...(contact.language !== undefined ? { language: contact.language } : {}),
        };
        if (Object.keys(set).length) await trx.updateTable('users').set(set).where('id', '=', userId).execute();
        if (emailChanged) await supersedeOpen(trx, userId, new Date());
        return { emailChanged };
      });
    },

    async contact(userId: number): Promise<{ email: string | null; language: string } | undefined> {
      return db.selectFrom('users').select(['email', 'language']).where('id', '=', userId).executeTakeFirst();
    },

    /** The notices not yet sent as mail, oldest first, with their readers' addresses and languages. */
    async unmailedNotices(limit = 200): Promise<Array<UnmailedNotice & { createdAt: Date }>> {
      const rows = await db
        .selectFrom('notices as n')
        .innerJoin('users as u', 'u.id', 'n.user_id')
        .select([
          'n.id',
          'n.user_id',
          'u.username',
          sql<string | null>`CASE WHEN u.email_confirmed_at IS NOT NULL THEN u.email END`.as('email'),
          'u.language',
          'n.key',
          'n.params',
          'n.cycle_id',
          'n.nomination_id',
          'n.created_at',
        ])
        .where('n.mailed_at', 'is', null)
        .orderBy('n.id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        userId: row.user_id,
        username: row.username,
        email: row.email,
        language: row.language,
        key: row.key,
        params: row.params,
        cycleId: row.cycle_id,
        nominationId: row.nomination_id,
        createdAt: row.created_at,
      }));
    },

    /**
     * Marks notices sent and queues the mail made of each (null: nothing to send, such as a reader
     * without an address) as a job of `kind`, in one transaction: only the notices still unmarked
     * get their job, so two processes doing this at once queue each mail once.
     */
    async queueMail(kind: string, mails: ReadonlyArray<{ noticeId: number; payload: object | null }>): Promise<number> {
      if (!mails.length) return 0;
      return db.transaction().execute(async (trx) => {
        const marked = await trx
          .updateTable('notices')
          .set({ mailed_at: new Date() })
          .where(
            'id',
            'in',
            mails.map((mail) => mail.noticeId),
          )
          .where('mailed_at', 'is', null)
          .returning('id')
          .execute();
        const mine = new Set(marked.map((row) => row.id));
        const jobs = mails.filter((mail) => mine.has(mail.noticeId) && mail.payload !== null);
        if (jobs.length)
          await trx
            .insertInto('jobs')
            .values(jobs.map((mail) => ({ kind, payload: JSON.stringify(mail.payload) })))
            .execute();
        return jobs.length;
      });
    },
  };
}
export type MailRepository = ReturnType<typeof mailRepository>;
