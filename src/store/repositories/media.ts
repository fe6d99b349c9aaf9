import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { DB, MediaFilesTable } from '../schema.ts';
import type { MediaRole, Thumbnail } from '../../domain/media/media-file.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { MediaFile } from '../../domain/media/media-file.ts';

export interface MediaFileInput {
  storyId: number;
  role: MediaRole;
  label?: string;
  storageKey: string;
  mime: string;
  width?: number | null;
  height?: number | null;
  durationSeconds?: number | null;
  bytes: number;
}

/**
 * A story's thumbnails (narrowest first) as a column of a list's own query, so a list of cards
 * costs no query per story; `storyId` is the column that holds the story's id ('s.id').
 */
export function thumbnailsOf(storyId: string): RawBuilder<Thumbnail[]> {
  return sql<
    Thumbnail[]
  >`coalesce((SELECT json_agg(json_build_object('key', m.storage_key, 'width', m.width, 'height', m.height) ORDER BY m.width)
    FROM media_files m WHERE m.story_id = ${sql.ref(storyId)} AND m.role = 'thumbnail' AND m.width IS NOT NULL), '[]'::json)`;
}

const toMediaFile = (row: Selectable<MediaFilesTable>): MediaFile => ({
  id: row.id,
  storyId: row.story_id,
  role: row.role,
  label: row.label,
  storageKey: row.storage_key,
  mime: row.mime,
  width: row.width,
  height: row.height,
  durationSeconds: row.duration_seconds,
  bytes: Number(row.bytes),
  createdAt: row.created_at,
});

/** The files of a story's media (source, poster, renditions, audio); the bytes live in a FileStorage. */
export function mediaRepository(db: Kysely<DB>, changes: ChangeFeed) {
  return {
    async add(input: MediaFileInput): Promise<MediaFile> {
      const row = await db
        .insertInto('media_files')
        .values({
          story_id: input.storyId,
          role: input.role,
          label: input.label ?? '',
          storage_key: input.storageKey,
          mime: input.mime,
          width: input.width ?? null,
          height: input.height ?? null,
          duration_seconds: input.durationSeconds ?? null,
          bytes: input.bytes,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      changes.announce({ story: input.storyId, lists: false });
      return toMediaFile(row);
    },

    async listForStory(storyId: number): Promise<MediaFile[]> {
      const rows = await db
        .selectFrom('media_files')
        .selectAll()
        .where('story_id', '=', storyId)
        .orderBy('role')
        .orderBy('height', (ob) => ob.desc().nullsLast())
        .orderBy('label')
        .execute();
      return rows.map(toMediaFile);
    },

    /** Forgets a story's files (of one role and label, or all); returns them so their bytes can be removed from storage. */
    async removeForStory(storyId: number, role?: MediaRole, label?: string): Promise<MediaFile[]> {
      let query = db.deleteFrom('media_files').where('story_id', '=', storyId);
      if (role !== undefined) query = query.where('role', '=', role);
      if (label !== undefined) query = query.where('label', '=', label);
      const rows = await query.returningAll().execute();
      if (rows.length > 0) changes.announce({ story: storyId, lists: false });
      return rows.map(toMediaFile);
    },
  };
}
export type MediaRepository = ReturnType<typeof mediaRepository>;
