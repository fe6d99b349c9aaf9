import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';

// Who did what, read from the work itself (translations, their history, subtitle revisions): nothing
// here is written, so there is nothing to announce. A translation counts as published when it is
// approved and translates the unit's current version, as everywhere else.

/** A person credited on a story, with the languages they worked in (codes, sorted). */
export interface Credit {
  username: string;
  /** Whether the account is a bot (its credit is labelled so). */
  bot: boolean;
  languages: string[];
}
export interface StoryCredits {
  translators: Credit[];
  reviewers: Credit[];
  subtitlers: Credit[];
}
/** One person's work in a period. */
export interface ContributorCounts {
  username: string;
  /** Whether the account is a bot. */
  bot: boolean;
  /** Distinct units (story, unit, language) they saved a translation of. */
  translated: number;
  /** Distinct units they approved or sent back. */
  reviewed: number;
  subtitleRevisions: number;
}
export interface StoryFilterIds {
  regionId?: number;
  themeId?: number;
}

export function contributionsRepository(db: Kysely<DB>) {
  return {
    /** The languages each story has a published subtitle track in (what viewers can watch with). */
    async publishedSubtitles(storyIds: number[]): Promise<Array<{ storyId: number; language: string }>> {
      if (!storyIds.length) return [];
      const rows = await db
        .selectFrom('subtitle_tracks')
        .select(['story_id', 'language'])
        .where('story_id', 'in', storyIds)
        .where('published_revision', 'is not', null)
        .execute();
      return rows.map((row) => ({ storyId: row.story_id, language: row.language }));
    },

    /**
     * Across the published stories the filter keeps: how many units they have, and per language how
     * many are published. A story's own language counts all its units: its text is the source.
     */
    async languageProgress(filter: StoryFilterIds): Promise<{ units: number; published: Map<string, number> }> {
      const chosen = sql`SELECT s.id, s.source_language FROM stories s
        WHERE s.status = 'published'
          ${filter.regionId === undefined ? sql`` : sql`AND s.region_id = ${filter.regionId}`}
          ${
            filter.themeId === undefined
              ? sql``
              : sql`AND EXISTS (SELECT 1 FROM story_themes x WHERE x.story_id = s.id AND x.theme_id = ${filter.themeId})`
          }`;
      const { rows } = await sql<{ language: string | null; units: number }>`
        WITH chosen AS (${chosen})
        SELECT NULL AS language, count(*) AS units
          FROM story_units u JOIN chosen c ON c.id = u.story_id WHERE u.active
        UNION ALL
        SELECT c.source_language, count(*)
          FROM story_units u JOIN chosen c ON c.id = u.story_id WHERE u.active GROUP BY c.source_language
        UNION ALL
        SELECT t.language, count(*)
          FROM unit_translations t
          JOIN story_units u ON u.story_id = t.story_id AND u.id = t.unit_id
          JOIN chosen c ON c.id = t.story_id
          WHERE u.active AND t.state = 'approved' AND t.source_version = u.version AND t.language <> c.source_language
          GROUP BY t.language`.execute(db);
      const published = new Map<string, number>();
      let units = 0;
      for (const row of rows) {
        if (row.language === null) units = Number(row.units);
        else published.set(row.language, (published.get(row.language) ?? 0) + Number(row.units));
      }
      return { units, published };
    },

    /**
     * The people whose work viewers see in a story: translators and reviewers (the approver) of its
     * published units, and the authors of the subtitle revisions up to each track's published one
     * (a revision still awaiting review is not what viewers see yet).
     */
    async storyCredits(storyId: number): Promise<StoryCredits> {
      const { rows } = await sql<{ role: keyof StoryCredits; username: string; bot: boolean; language: string }>`
        WITH published AS (
          SELECT t.language, t.translator_id, t.reviewer_id
          FROM unit_translations t
          JOIN story_units u ON u.story_id = t.story_id AND u.id = t.unit_id
          WHERE t.story_id = ${storyId} AND u.active AND t.state = 'approved' AND t.source_version = u.version
        )
        SELECT 'translators' AS role, us.username, us.is_bot AS bot, p.language
          FROM published p JOIN users us ON us.id = p.translator_id
        UNION
        SELECT 'reviewers', us.username, us.is_bot, p.language FROM published p JOIN users us ON us.id = p.reviewer_id
        UNION
        SELECT 'subtitlers', us.username, us.is_bot, tr.language
          FROM subtitle_tracks tr
          JOIN subtitle_revisions r ON r.track_id = tr.id AND r.revision <= tr.published_revision
          JOIN users us ON us.id = r.user_id
          WHERE tr.story_id = ${storyId} AND tr.published_revision IS NOT NULL
        ORDER BY 1, 2, 4`.execute(db);
      const credits: StoryCredits = { translators: [], reviewers: [], subtitlers: [] };
      for (const row of rows) {
        const list = credits[row.role];
        const last = list.at(-1);
        if (last?.username === row.username) last.languages.push(row.language);
        else list.push({ username: row.username, bot: row.bot, languages: [row.language] });
      }
      for (const list of [credits.translators, credits.reviewers, credits.subtitlers])
        list.sort((a, b) => a.username.localeCompare(b.username, 'en', { sensitivity: 'base' }));
      return credits;
    },

    /** Every person who did any work in [from, to), the most active first (then by name). */
    async contributors(from: Date, to: Date): Promise<ContributorCounts[]> {
      const { rows } = await sql<{
        username: string;
        is_bot: boolean;
        translated: number;
        reviewed: number;
        subtitled: number;
      }>`
        WITH units AS (
          SELECT user_id,
            count(DISTINCT (story_id, unit_id, language)) FILTER (WHERE action = 'saved') AS translated,
            count(DISTINCT (story_id, unit_id, language)) FILTER (WHERE action IN ('approved', 'sent-back')) AS reviewed
          FROM unit_history
          WHERE user_id IS NOT NULL AND created_at >= ${from} AND created_at < ${to}
          GROUP BY user_id
        ),
        subtitles AS (
          SELECT user_id, count(*) AS subtitled
          FROM subtitle_revisions
          WHERE user_id IS NOT NULL AND created_at >= ${from} AND created_at < ${to}
          GROUP BY user_id
        ),
        counted AS (
          SELECT coalesce(un.user_id, su.user_id) AS user_id,
            coalesce(un.translated, 0) AS translated, coalesce(un.reviewed, 0) AS reviewed,
            coalesce(su.subtitled, 0) AS subtitled
          FROM units un FULL JOIN subtitles su ON su.user_id = un.user_id
        )
        SELECT us.username, us.is_bot, c.translated, c.reviewed, c.subtitled
        FROM counted c JOIN users us ON us.id = c.user_id
        WHERE c.translated + c.reviewed + c.subtitled > 0
        ORDER BY c.translated + c.reviewed + c.subtitled DESC, lower(us.username)`.execute(db);
      return rows.map((row) => ({
        username: row.username,
        bot: row.is_bot,
        translated: Number(row.translated),
        reviewed: Number(row.reviewed),
        subtitleRevisions: Number(row.subtitled),
      }));
    },
  };
}
export type ContributionsRepository = ReturnType<typeof contributionsRepository>;
