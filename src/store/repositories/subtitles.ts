import { sql, type Kysely, type Selectable } from 'kysely';
import type { Cue } from '../../domain/subtitles/cue.ts';
import type { DB, SubtitleTracksTable } from '../schema.ts';

export interface SubtitleTrack {
  id: number; storyId: number; language: string; status: 'draft' | 'published'; revision: number;
  cues: Cue[]; updatedAt: Date;
}
export interface SubtitleTrackSummary extends Omit<SubtitleTrack, 'cues'> { cueCount: number }

const toTrack = (row: Selectable<SubtitleTracksTable>): SubtitleTrack => ({
  id: row.id, storyId: row.story_id, language: row.language, status: row.status, revision: row.revision,
  cues: row.cues, updatedAt: row.updated_at,
});

/** Subtitle tracks: one per story and language; every save appends a revision with the whole cue list. */
export function subtitlesRepository(db: Kysely<DB>) {
  return {
    async find(storyId: number, language: string): Promise<SubtitleTrack | undefined> {
      const row = await db.selectFrom('subtitle_tracks').selectAll().where('story_id', '=', storyId).where('language', '=', language).executeTakeFirst();
      return row && toTrack(row);
    },

    async listForStory(storyId: number): Promise<SubtitleTrackSummary[]> {
      const rows = await db.selectFrom('subtitle_tracks')
        .select(['id', 'story_id', 'language', 'status', 'revision', 'updated_at', sql<number>`jsonb_array_length(cues)`.as('cue_count')])
        .where('story_id', '=', storyId).orderBy('language').execute();
      return rows.map((row) => ({
        id: row.id, storyId: row.story_id, language: row.language, status: row.status, revision: row.revision,
        updatedAt: row.updated_at, cueCount: Number(row.cue_count),
      }));
    },

    /** Replaces a track's cues (creating the track at revision 1) and records the revision. */
    async save(storyId: number, language: string, cues: Cue[], userId: number | null, summary: string): Promise<SubtitleTrack> {
      const json = JSON.stringify(cues);
      return db.transaction().execute(async (trx) => {
        const row = await trx.insertInto('subtitle_tracks')
          .values({ story_id: storyId, language, cues: json })
          .onConflict((oc) => oc.columns(['story_id', 'language']).doUpdateSet({
            cues: json, revision: sql`subtitle_tracks.revision + 1`, updated_at: new Date(),
          }))
          .returningAll().executeTakeFirstOrThrow();
        await trx.insertInto('subtitle_revisions').values({ track_id: row.id, revision: row.revision, user_id: userId, summary, cues: json }).execute();
        return toTrack(row);
      });
    },

    async setStatus(storyId: number, language: string, status: 'draft' | 'published'): Promise<boolean> {
      const result = await db.updateTable('subtitle_tracks').set({ status, updated_at: new Date() })
        .where('story_id', '=', storyId).where('language', '=', language).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Published track languages of many stories at once (for "available in my language" with subtitles). */
    async publishedLanguages(storyId: number): Promise<string[]> {
      const rows = await db.selectFrom('subtitle_tracks').select('language').where('story_id', '=', storyId)
        .where('status', '=', 'published').orderBy('language').execute();
      return rows.map((row) => row.language);
    },
  };
}
export type SubtitlesRepository = ReturnType<typeof subtitlesRepository>;
