import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { Category, NomineeKind } from '../../domain/celebration/nomination.ts';
import type { HonoreePhoto } from '../../domain/celebration/announcement.ts';
import { HONOREE_PHOTO_LABEL } from '../../domain/media/media-file.ts';
import { selectNominations, toNomination } from './nominations.ts';

export type { HonoreePhoto };

export interface PhotoInput {
  cycleId: number;
  storyId: number;
  storageKey: string;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
  licence: string;
  author: string;
  sourceUrl: string | null;
  uploadedBy: number | null;
}

const toPhoto = (row: {
  cycle_id: number;
  storage_key: string;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
  licence: string;
  author: string;
  source_url: string | null;
  created_at: Date;
}): HonoreePhoto => ({
  cycleId: row.cycle_id,
  storageKey: row.storage_key,
  mime: row.mime,
  width: row.width,
  height: row.height,
  bytes: Number(row.bytes),
  licence: row.licence,
  author: row.author,
  sourceUrl: row.source_url,
  createdAt: row.created_at,
});

/**
 * What the celebration's announcement keeps: the story that announces a cycle's honoree (set once,
 * where it is still empty, so two workers announcing at once keep one story), the honoree's photo
 * (the story's poster, with its licence and attribution), and the archive of honorees with their stories.
 */
export function celebrationAnnouncementsRepository(db: Kysely<DB>, changes: ChangeFeed) {
  return {
    /** The story announcing a cycle's honoree, or null. */
    async storyOf(cycleId: number): Promise<number | null> {
      const row = await db
        .selectFrom('celebration_cycles')
        .select('story_id')
        .where('id', '=', cycleId)
        .executeTakeFirst();
      return row?.story_id ?? null;
    },

    /** Sets a cycle's story if it has none yet; the cycle's story afterwards (another's if it came first). */
    async setStory(cycleId: number, storyId: number): Promise<number | null> {
      await db
        .updateTable('celebration_cycles')
        .set({ story_id: storyId })
        .where('id', '=', cycleId)
        .where('story_id', 'is', null)
        .execute();
      const row = await db
        .selectFrom('celebration_cycles')
        .select('story_id')
        .where('id', '=', cycleId)
        .executeTakeFirst();
      return row?.story_id ?? null;
    },

    /** Announced cycles whose honoree has no story yet (a crash between the move and the announcement). */
    async announcedWithoutStory(): Promise<number[]> {
      const rows = await db
        .selectFrom('celebration_cycles')
        .select('id')
        .where('phase', '=', 'announced')
        .where('honoree_nomination_id', 'is not', null)
        .where('story_id', 'is', null)
        .orderBy('month')
        .execute();
      return rows.map((row) => row.id);
    },

    async photo(cycleId: number): Promise<HonoreePhoto | undefined> {
      const row = await db
        .selectFrom('celebration_photos')
        .selectAll()
        .where('cycle_id', '=', cycleId)
        .executeTakeFirst();
      return row && toPhoto(row);
    },

    /** The honoree's photo shown on a story's page, if the story announces a cycle that has one. */
    async photoOfStory(storyId: number): Promise<HonoreePhoto | undefined> {
      const row = await db
        .selectFrom('celebration_photos as p')
        .innerJoin('celebration_cycles as c', 'c.id', 'p.cycle_id')
        .selectAll('p')
        .where('c.story_id', '=', storyId)
        .executeTakeFirst();
      return row && toPhoto(row);
    },

    /**
     * Keeps a cycle's photo (replacing the one before) and makes it the story's poster, in one
     * transaction; the previous photo's storage key, for the caller to remove once this committed.
     */
    async savePhoto(input: PhotoInput): Promise<string | null> {
      const previous = await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('celebration_photos')
          .select('storage_key')
          .where('cycle_id', '=', input.cycleId)
          .forUpdate()
          .executeTakeFirst();
        const values = {
          storage_key: input.storageKey,
          mime: input.mime,
          width: input.width,
          height: input.height,
          bytes: input.bytes,
          licence: input.licence,
          author: input.author,
          source_url: input.sourceUrl,
          uploaded_by: input.uploadedBy,
        };
        await trx
          .insertInto('celebration_photos')
          .values({ cycle_id: input.cycleId, ...values })
          .onConflict((oc) => oc.column('cycle_id').doUpdateSet(values))
          .execute();
        // The story's picture: its poster (a story that also has a video keeps the video's poster).
        if (before)
          await trx
            .deleteFrom('media_files')
            .where('story_id', '=', input.storyId)
            .where('storage_key', '=', before.storage_key)
            .execute();
        const poster = await trx
          .selectFrom('media_files')
          .select('id')
          .where('story_id', '=', input.storyId)
          .where('role', '=', 'poster')
          .executeTakeFirst();
        if (!poster)
          await trx
            .insertInto('media_files')
            .values({
              story_id: input.storyId,
              role: 'poster',
              // Marked as the honoree's photo: a video processed later replaces it as the poster but keeps its file.
              label: HONOREE_PHOTO_LABEL,
              storage_key: input.storageKey,
              mime: input.mime,
              width: input.width,
              height: input.height,
              bytes: input.bytes,
            })
            .execute();
        return before?.storage_key ?? null;
      });
      changes.announce({ story: input.storyId, lists: true });
      return previous;
    },

    /** Every honoree of an announced cycle with its story's slug, the latest month first, filtered. */
    async archive(filter: { regionId?: number; category?: Category; kind?: NomineeKind } = {}) {
      let query = selectNominations(db)
        .innerJoin('celebration_cycles as c', 'c.honoree_nomination_id', 'n.id')
        .leftJoin('stories as s', (join) => join.onRef('s.id', '=', 'c.story_id').on('s.status', '=', 'published'))
        .select(['c.month', 's.id as story_id', 's.slug as story_slug'])
        .where('c.phase', '=', 'announced');
      if (filter.regionId !== undefined) query = query.where('n.region_id', '=', filter.regionId);
      if (filter.category !== undefined) query = query.where('n.category', '=', filter.category);
      if (filter.kind !== undefined) query = query.where('n.kind', '=', filter.kind);
      const rows = await query.orderBy('c.month', 'desc').execute();
      return rows.map((row) => ({
        month: row.month,
        nomination: toNomination(row),
        story: row.story_id !== null && row.story_slug !== null ? { id: row.story_id, slug: row.story_slug } : null,
      }));
    },

    /** Nominators and seconders of a cycle: the members asked to vote when the whole community chooses. */
    async participants(cycleId: number): Promise<number[]> {
      const { rows } = await sql<{ user_id: number }>`
        SELECT nominator_id AS user_id FROM nominations WHERE cycle_id = ${cycleId} AND nominator_id IS NOT NULL
        UNION
        SELECT s.user_id FROM nomination_seconds s JOIN nominations n ON n.id = s.nomination_id
        WHERE n.cycle_id = ${cycleId}`.execute(db);
      return rows.map((row) => row.user_id);
    },

    /** Whether anyone was told `key` about a cycle already (so a notice is given once). */
    async noticeGiven(cycleId: number, key: string): Promise<boolean> {
      const row = await db
        .selectFrom('notices')
        .select('id')
        .where('cycle_id', '=', cycleId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
export type CelebrationAnnouncementsRepository = ReturnType<typeof celebrationAnnouncementsRepository>;
