import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { defaultCueSettings, type Cue, type CueSettings } from '../../domain/subtitles/cue.ts';
import { applySplices, type CueSplice } from '../../domain/subtitles/changes.ts';
import type { DB, SubtitleTracksTable } from '../schema.ts';
import type { SubtitleStatus } from '../../domain/subtitles/track.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { TokenAttribution } from '../../domain/access/scopes.ts';
import type {
  SubtitleTrack,
  SubtitleTrackSummary,
  SubtitleRevision,
  SubtitleReview,
} from '../../domain/subtitles/track.ts';

export interface TrackSave {
  storyId: number;
  language: string;
  cues: Cue[];
  userId: number | null;
  /** The personal API token the save was made through, recorded beside the author. */
  viaToken?: TokenAttribution | null;
  summary: string;
  changedCues: number;
  source?: { language: string; revision: number } | null;
  /** What changed since the revision saved over, when known: the revision is then stored as these (see storesWhole). */
  splices?: CueSplice[];
}

export interface WorkingCopy {
  id: number;
  revision: number;
  cues: Cue[];
  version: string;
}

/** Every this many revisions, and whenever a save replaces many cues, a revision keeps a whole copy of the cues. */
const WHOLE_COPY_EVERY = 25;
/** Whether `revision` keeps a whole copy of its cues rather than the splices from the one before. */
function storesWhole(revision: number, cueCount: number, splices: readonly CueSplice[] | undefined): boolean {
  if (!splices || revision % WHOLE_COPY_EVERY === 1) return true;
  let inserted = 0;
  for (const splice of splices) inserted += splice.insert.length;
  return inserted * 4 > cueCount;
}

// Cues are stored with only what differs from WebVTT's defaults (most cues have no settings and no id):
// under half the bytes of the full objects to write, compress and keep, for every save.
const DEFAULT_SETTINGS: Readonly<CueSettings> = Object.freeze(defaultCueSettings());
const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as (keyof CueSettings)[];
interface StoredCue {
  id?: string;
  startTime: number;
  endTime: number;
  text: string;
  settings?: Partial<CueSettings>;
}
function toStored(cue: Cue): StoredCue {
  const stored: StoredCue = { startTime: cue.startTime, endTime: cue.endTime, text: cue.text };
  if (cue.id) stored.id = cue.id;
  let settings: Partial<CueSettings> | undefined;
  for (const name of SETTING_NAMES) {
    if (cue.settings[name] !== DEFAULT_SETTINGS[name]) (settings ??= {})[name] = cue.settings[name] as never;
  }
  if (settings) stored.settings = settings;
  return stored;
}
/** Stored cues back as whole cues (rows written before storage was compact have every field already). */
function fromStored(cues: readonly StoredCue[]): Cue[] {
  return cues.map((cue) => ({
    id: cue.id ?? '',
    startTime: cue.startTime,
    endTime: cue.endTime,
    text: cue.text,
    settings: { ...DEFAULT_SETTINGS, ...cue.settings },
  }));
}
const storedJSON = (cues: readonly Cue[]) => JSON.stringify(cues.map(toStored));
const storedSplicesJSON = (splices: readonly CueSplice[]) =>
  JSON.stringify(splices.map((splice) => ({ ...splice, insert: splice.insert.map(toStored) })));

const toTrack = (row: Selectable<SubtitleTracksTable>): SubtitleTrack => ({
  id: row.id,
  storyId: row.story_id,
  language: row.language,
  status: row.status,
  revision: row.revision,
  cues: fromStored(row.cues),
  updatedAt: row.updated_at,
  publishedRevision: row.published_revision,
  publishedCues: row.published_cues && fromStored(row.published_cues),
  sourceLanguage: row.source_language,
  sourceRevision: row.source_revision,
});

/** Subtitle tracks: one per story and language; every save appends a revision (its splices, or a whole copy of the cues). */
export function subtitlesRepository(db: Kysely<DB>, changes: ChangeFeed) {
  // A track as a summary: counts of its cues, not the cues.
  const summaryColumns = [
    'subtitle_tracks.id',
    'subtitle_tracks.story_id',
    'subtitle_tracks.language',
    'subtitle_tracks.status',
    'subtitle_tracks.revision',
    'subtitle_tracks.updated_at',
    'subtitle_tracks.published_revision',
    'subtitle_tracks.source_language',
    'subtitle_tracks.source_revision',
    sql<number>`jsonb_array_length(subtitle_tracks.cues)`.as('cue_count'),
    sql<number>`(SELECT count(*) FROM jsonb_array_elements(subtitle_tracks.cues) AS cue WHERE btrim(cue->>'text') <> '')`.as(
      'filled_count',
    ),
  ] as const;
  type SummaryRow = Omit<Selectable<SubtitleTracksTable>, 'cues' | 'published_cues' | 'status'> & {
    status: SubtitleStatus;
    cue_count: number;
    filled_count: number;
  };
  const toSummary = (row: SummaryRow): SubtitleTrackSummary => ({
    id: row.id,
    storyId: row.story_id,
    language: row.language,
    status: row.status,
    revision: row.revision,
    updatedAt: row.updated_at,
    cueCount: Number(row.cue_count),
    filledCount: Number(row.filled_count),
    publishedRevision: row.published_revision,
    sourceLanguage: row.source_language,
    sourceRevision: row.source_revision,
  });

  async function recordRevision(
    trx: Transaction<DB>,
    row: Selectable<SubtitleTracksTable>,
    input: TrackSave,
    json: string,
  ) {
    await trx
      .insertInto('subtitle_revisions')
      .values({
        track_id: row.id,
        revision: row.revision,
        user_id: input.userId,
        api_token_id: input.viaToken?.id ?? null,
        api_token_name: input.viaToken?.name ?? null,
        summary: input.summary,
        cues: json,
        changed_cues: input.changedCues,
      })
      .execute();
  }

  return {
    async find(storyId: number, language: string): Promise<SubtitleTrack | undefined> {
      const row = await db
        .selectFrom('subtitle_tracks')
        .selectAll()
        .where('story_id', '=', storyId)
        .where('language', '=', language)
        .executeTakeFirst();
      return row && toTrack(row);
    },

    async listForStory(storyId: number): Promise<SubtitleTrackSummary[]> {
      const rows = await db
        .selectFrom('subtitle_tracks')
        .select(summaryColumns)
        .where('story_id', '=', storyId)
        .orderBy('language')
        .execute();
      return rows.map(toSummary);
    },

    /**
     * Every track of every story that has one, with the story's slug and title (in `language`, else
     * the story's own language) and the track's latest review: what a translator chooses work from.
     */
    async listAll(language: string): Promise<
      (SubtitleTrackSummary & {
        slug: string;
        title: string;
        review: Pick<SubtitleReview, 'decision' | 'comment'> | null;
      })[]
    > {
      const rows = await db
        .selectFrom('subtitle_tracks')
        .innerJoin('stories as s', 's.id', 'subtitle_tracks.story_id')
        .select([
          ...summaryColumns,
          's.slug',
          sql<string>`coalesce((SELECT title FROM story_texts WHERE story_id = s.id AND language = ${language}),
            (SELECT title FROM story_texts WHERE story_id = s.id AND language = s.source_language), s.slug)`.as(
            'title',
          ),
          sql<Pick<
            SubtitleReview,
            'decision' | 'comment'
          > | null>`(SELECT json_build_object('decision', decision, 'comment', comment) FROM subtitle_reviews
            WHERE track_id = subtitle_tracks.id ORDER BY id DESC LIMIT 1)`.as('review'),
        ])
        .orderBy('s.updated_at', 'desc')
        .orderBy('subtitle_tracks.language')
        .execute();
      return rows.map((row) => ({ ...toSummary(row), slug: row.slug, title: row.title, review: row.review }));
    },

    /** Replaces a track's cues whatever its revision (a deliberate upload), creating it at revision 1; an approved track goes back to review. */
    async save(input: TrackSave): Promise<SubtitleTrack> {
      const json = storedJSON(input.cues);
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('subtitle_tracks')
          .values({
            story_id: input.storyId,
            language: input.language,
            cues: json,
            source_language: input.source?.language ?? null,
            source_revision: input.source?.revision ?? null,
          })
          .onConflict((oc) =>
            oc.columns(['story_id', 'language']).doUpdateSet({
              cues: json,
              revision: sql`subtitle_tracks.revision + 1`,
              updated_at: new Date(),
              status: sql`CASE WHEN subtitle_tracks.status = 'published' THEN 'in_review' ELSE subtitle_tracks.status END`,
            }),
          )
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordRevision(trx, row, input, json);
        return toTrack(row);
      });
    },

    /**
     * Compare-and-set: saves only if the track is still at `baseRevision` (0: only if it does not
     * exist yet), so of two saves from the same revision exactly one applies. One statement writes
     * the track and its revision (atomic, one round trip, the cue list sent once). Undefined when
     * the track moved on (or already exists). The returned track carries the cues saved, not the published ones.
     * A `source` given records what the translation now follows (the translator worked beside it).
     */
    async saveIfCurrent(
      input: TrackSave,
      baseRevision: number,
      version?: string,
    ): Promise<(SubtitleTrack & { version: string }) | undefined> {
      const json = storedJSON(input.cues);
      const splices = storesWhole(baseRevision + 1, input.cues.length, input.splices)
        ? null
        : storedSplicesJSON(input.splices!);
      const write =
        baseRevision === 0
          ? sql`INSERT INTO subtitle_tracks (story_id, language, cues, source_language, source_revision)
            VALUES (${input.storyId}, ${input.language}, ${json}::jsonb, ${input.source?.language ?? null}, ${input.source?.revision ?? null})
            ON CONFLICT (story_id, language) DO NOTHING`
          : sql`UPDATE subtitle_tracks SET cues = ${json}::jsonb, revision = revision + 1, updated_at = now(),
              status = CASE WHEN status = 'published' THEN 'in_review' ELSE status END,
              source_language = COALESCE(${input.source?.language ?? null}, source_language),
              source_revision = COALESCE(${input.source?.revision ?? null}::integer, source_revision)
            WHERE story_id = ${input.storyId} AND language = ${input.language} AND revision = ${baseRevision}
              ${version === undefined ? sql`` : sql`AND xmin = ${version}::xid`}`;
      const { rows } = await sql<
        Omit<Selectable<SubtitleTracksTable>, 'cues' | 'published_cues'> & { version: string }
      >`
        WITH written AS (${write} RETURNING id, story_id, language, status, revision, updated_at, published_revision, source_language, source_revision, cues, xmin::text AS version),
        recorded AS (
          INSERT INTO subtitle_revisions (track_id, revision, user_id, api_token_id, api_token_name, summary, cues, splices, changed_cues)
          SELECT id, revision, ${input.userId}, ${input.viaToken?.id ?? null}::integer, ${input.viaToken?.name ?? null}::text, ${input.summary}, ${splices === null ? sql`cues` : sql`NULL`}, ${splices}::jsonb, ${input.changedCues} FROM written
        )
        SELECT id, story_id, language, status, revision, updated_at, published_revision, source_language, source_revision, version FROM written`.execute(
        db,
      );
      const row = rows[0];
      return row && { ...toTrack({ ...row, cues: [], published_cues: null }), cues: input.cues, version: row.version };
    },

    /** A track's id, revision and status without any cues: enough to act on it or to name its revision. */
    async head(
      storyId: number,
      language: string,
    ): Promise<{ id: number; revision: number; status: SubtitleStatus } | undefined> {
      return db
        .selectFrom('subtitle_tracks')
        .select(['id', 'revision', 'status'])
        .where('story_id', '=', storyId)
        .where('language', '=', language)
        .executeTakeFirst();
    },

    /**
     * The working copy's revision and cues, without the published copy: what a save compares against.
     * `version` names this state of the row (any later write changes it), so a copy kept in memory can
     * be saved over with saveIfCurrent(…, version) without reading the cues again.
     */
    async workingCopy(storyId: number, language: string): Promise<WorkingCopy | undefined> {
      const row = await db
        .selectFrom('subtitle_tracks')
        .select(['id', 'revision', 'cues', sql<string>`xmin::text`.as('version')])
        .where('story_id', '=', storyId)
        .where('language', '=', language)
        .executeTakeFirst();
      return row && { ...row, cues: fromStored(row.cues) };
    },

    /**
     * Moves a track along the review workflow and records who did it, only while the track is still
     * at `revision` in one of the statuses `from` (two reviewers acting at once: one succeeds).
     * Approving publishes that revision. 'moved': the revision or the status changed meanwhile.
     */
    async review(
      trackId: number,
      revision: number,
      decision: SubtitleReview['decision'],
      from: readonly SubtitleStatus[],
      userId: number,
      comment: string,
    ): Promise<'done' | 'moved'> {
      const status: SubtitleStatus =
        decision === 'submitted' ? 'in_review' : decision === 'approved' ? 'published' : 'draft';
      const outcome = await db.transaction().execute(async (trx) => {
        const changed = await trx
          .updateTable('subtitle_tracks')
          .set({
            status,
            updated_at: new Date(),
            ...(decision === 'approved' ? { published_revision: revision, published_cues: sql`cues` } : {}),
          })
          .where('id', '=', trackId)
          .where('revision', '=', revision)
          .where('status', 'in', [...from])
          .returning('story_id')
          .executeTakeFirst();
        if (!changed) return 'moved';
        await trx
          .insertInto('subtitle_reviews')
          .values({ track_id: trackId, revision, user_id: userId, decision, comment })
          .execute();
        return { storyId: changed.story_id };
      });
      if (outcome === 'moved') return outcome;
      // Only an approval changes what viewers see: the story's page, transcript and files.
      if (decision === 'approved') changes.announce({ story: outcome.storyId, lists: true });
      return 'done';
    },

    /** Publishes the current revision directly (the demo content, and imports by editors). */
    async publishCurrent(storyId: number, language: string): Promise<boolean> {
      const result = await db
        .updateTable('subtitle_tracks')
        .set({
          status: 'published',
          published_revision: sql`revision`,
          published_cues: sql`cues`,
          updated_at: new Date(),
        })
        .where('story_id', '=', storyId)
        .where('language', '=', language)
        .executeTakeFirst();
      const published = Number(result.numUpdatedRows) > 0;
      if (published) changes.announce({ story: storyId, lists: true });
      return published;
    },

    async latestReview(trackId: number): Promise<SubtitleReview | undefined> {
      const row = await db
        .selectFrom('subtitle_reviews')
        .leftJoin('users', 'users.id', 'subtitle_reviews.user_id')
        .select([
          'decision',
          'comment',
          'revision',
          'users.display_name',
          'users.is_bot',
          'subtitle_reviews.created_at',
        ])
        .where('track_id', '=', trackId)
        .orderBy('subtitle_reviews.id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return (
        row && {
          decision: row.decision,
          comment: row.comment,
          revision: row.revision,
          userName: row.display_name,
          bot: row.is_bot ?? false,
          at: row.created_at,
        }
      );
    },

    async revisions(trackId: number): Promise<SubtitleRevision[]> {
      const rows = await db
        .selectFrom('subtitle_revisions')
        .leftJoin('users', 'users.id', 'subtitle_revisions.user_id')
        .select([
          'revision',
          'users.display_name',
          'users.is_bot',
          'subtitle_revisions.api_token_name',
          'subtitle_revisions.created_at',
          'summary',
          'changed_cues',
        ])
        .where('track_id', '=', trackId)
        .orderBy('revision', 'desc')
        .execute();
      return rows.map((row) => ({
        revision: row.revision,
        userName: row.display_name,
        bot: row.is_bot ?? false,
        viaToken: row.api_token_name,
        createdAt: row.created_at,
        summary: row.summary,
        changedCues: row.changed_cues,
      }));
    },

    /** A revision's cues, rebuilt from the nearest whole copy at or before it and the splices since. */
    async revisionCues(trackId: number, revision: number): Promise<Cue[] | undefined> {
      const rows = await db
        .selectFrom('subtitle_revisions')
        .select(['revision', 'cues', 'splices'])
        .where('track_id', '=', trackId)
        .where('revision', '<=', revision)
        .where('revision', '>=', (eb) =>
          eb
            .selectFrom('subtitle_revisions')
            .select(eb.fn.max('revision').as('whole'))
            .where('track_id', '=', trackId)
            .where('revision', '<=', revision)
            .where('cues', 'is not', null),
        )
        .orderBy('revision')
        .execute();
      if (rows.at(-1)?.revision !== revision) return undefined;
      let cues: Cue[] = [];
      for (const row of rows)
        cues = row.cues
          ? fromStored(row.cues)
          : applySplices(
              cues,
              (row.splices ?? []).map((splice) => ({ ...splice, insert: fromStored(splice.insert) })),
            );
      return cues;
    },

    /** Who saved a revision, and when (for the other side of a conflict). */
    async revisionAuthor(
      trackId: number,
      revision: number,
    ): Promise<{ userName: string | null; bot: boolean; savedAt: Date } | undefined> {
      const row = await db
        .selectFrom('subtitle_revisions')
        .leftJoin('users', 'users.id', 'subtitle_revisions.user_id')
        .select(['users.display_name', 'users.is_bot', 'subtitle_revisions.created_at'])
        .where('track_id', '=', trackId)
        .where('revision', '=', revision)
        .executeTakeFirst();
      return row && { userName: row.display_name, bot: row.is_bot ?? false, savedAt: row.created_at };
    },

    /** Languages of a story with an approved revision: what viewers get. */
    async publishedLanguages(storyId: number): Promise<string[]> {
      const rows = await db
        .selectFrom('subtitle_tracks')
        .select('language')
        .where('story_id', '=', storyId)
        .where('published_revision', 'is not', null)
        .orderBy('language')
        .execute();
      return rows.map((row) => row.language);
    },
  };
}
export type SubtitlesRepository = ReturnType<typeof subtitlesRepository>;
