import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import type { Notice } from '../../domain/celebration/notice.ts';

/** A notice to write: to whom, which message, its parameters, and what it is about. */
export interface NoticeInput {
  userId: number;
  key: string;
  params?: string[];
  cycleId?: number | null;
  nominationId?: number | null;
}

/** Writes notices within the caller's transaction, so they exist exactly when what they tell of does. */
export async function addNotices(executor: Kysely<DB> | Transaction<DB>, notices: readonly NoticeInput[]) {
  if (!notices.length) return;
  await executor
    .insertInto('notices')
    .values(
      notices.map((notice) => ({
        user_id: notice.userId,
        key: notice.key,
        params: JSON.stringify(notice.params ?? []),
        cycle_id: notice.cycleId ?? null,
        nomination_id: notice.nominationId ?? null,
      })),
    )
    .execute();
}

/** Each person's in-site notices (what they are told when no mail server is configured), newest first. */
export function noticesRepository(db: Kysely<DB>) {
  return {
    add: (notices: readonly NoticeInput[]) => addNotices(db, notices),

    async list(userId: number, limit = 50): Promise<Notice[]> {
      const rows = await db
        .selectFrom('notices')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        key: row.key,
        params: row.params,
        cycleId: row.cycle_id,
        nominationId: row.nomination_id,
        createdAt: row.created_at,
        readAt: row.read_at,
      }));
    },

    async unread(userId: number): Promise<number> {
      const row = await db
        .selectFrom('notices')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** Marks the person's notices read (only their own: another's ids are ignored); how many changed. */
    async markRead(userId: number, ids: readonly number[]): Promise<number> {
      if (!ids.length) return 0;
      const result = await db
        .updateTable('notices')
        .set({ read_at: new Date() })
        .where('user_id', '=', userId)
        .where('id', 'in', [...ids])
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
export type NoticesRepository = ReturnType<typeof noticesRepository>;
