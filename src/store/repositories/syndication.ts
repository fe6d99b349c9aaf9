import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** A story's text in one language, and when a translation last reached it there (null: the source or none). */
export interface SyndicatedText {
  language: string;
  title: string;
  summary: string;
  translatedAt: Date | null;
}
/** A published story as a feed entry needs it. */
export interface FeedStory {
  id: number;
  slug: string;
  sourceLanguage: string;
  publishedAt: Date | null;
  updatedAt: Date;
  /** Its texts in the languages asked for (those it has). */
  texts: SyndicatedText[];
  storytellers: Array<{ username: string; displayName: string }>;
}
/** A published story as the sitemap needs it: every language it is readable in. */
export interface SitemapStory {
  slug: string;
  sourceLanguage: string;
  updatedAt: Date;
  texts: Array<{ language: string; translatedAt: Date | null }>;
}

const date = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * Reads for feeds and the sitemap: published stories only, newest first, each with what an entry
 * shows in one round trip (the embedded engine has a single connection, so a query per story is
 * paid in full, one after the other). It writes nothing, so it announces nothing.
 */
export function syndicationRepository(db: Kysely<DB>) {
  // When the latest approved translation of the story into the text's language was saved: a published
  // translation changes the page in that language without touching the story's own row.
  const translatedAt = sql<string | null>`(SELECT max(u.updated_at) FROM unit_translations u
    WHERE u.story_id = t.story_id AND u.language = t.language AND u.state = 'approved')`;

  return {
    /** The newest published stories, filtered by region, theme or storyteller, with their texts in `languages`. */
    async newest(
      filter: { regionId?: number; themeId?: number; personId?: number; limit: number },
      languages: readonly string[],
    ): Promise<FeedStory[]> {
      const wanted = languages.length ? sql.join([...languages]) : sql`NULL`;
      let query = db
        .selectFrom('stories as s')
        .select([
          's.id',
          's.slug',
          's.source_language',
          's.published_at',
          's.updated_at',
          sql<Array<{ language: string; title: string; summary: string; translatedAt: string | null }>>`coalesce((
            SELECT json_agg(json_build_object('language', t.language, 'title', t.title, 'summary', t.summary,
              'translatedAt', ${translatedAt}))
            FROM story_texts t WHERE t.story_id = s.id AND (t.language IN (${wanted}) OR t.language = s.source_language)),
            '[]'::json)`.as('texts'),
          sql<Array<{ username: string; displayName: string }>>`coalesce((
            SELECT json_agg(json_build_object('username', p.username, 'displayName', p.display_name) ORDER BY x.position)
            FROM story_storytellers x JOIN people p ON p.id = x.person_id WHERE x.story_id = s.id), '[]'::json)`.as(
            'storytellers',
          ),
        ])
        .where('s.status', '=', 'published');
      if (filter.regionId !== undefined) query = query.where('s.region_id', '=', filter.regionId);
      if (filter.themeId !== undefined) {
        const themeId = filter.themeId;
        query = query.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('story_themes as x')
              .select('x.story_id')
              .whereRef('x.story_id', '=', 's.id')
              .where('x.theme_id', '=', themeId),
          ),
        );
      }
      if (filter.personId !== undefined) {
        const personId = filter.personId;
        query = query.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('story_storytellers as x')
              .select('x.story_id')
              .whereRef('x.story_id', '=', 's.id')
              .where('x.person_id', '=', personId),
          ),
        );
      }
      const rows = await query
        .orderBy(sql`s.published_at DESC NULLS LAST`)
        .orderBy('s.id', 'desc')
        .limit(filter.limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        slug: row.slug,
        sourceLanguage: row.source_language,
        publishedAt: row.published_at,
        updatedAt: row.updated_at,
        texts: row.texts.map((text) => ({ ...text, translatedAt: date(text.translatedAt) })),
        storytellers: row.storytellers,
      }));
    },

    /** Every published story with the languages it has a text in, oldest first (a stable order for numbered sitemaps). */
    async sitemapStories(): Promise<SitemapStory[]> {
      const rows = await db
        .selectFrom('stories as s')
        .innerJoin('story_texts as t', 't.story_id', 's.id')
        .select(['s.id', 's.slug', 's.source_language', 's.updated_at', 't.language', translatedAt.as('translated_at')])
        .where('s.status', '=', 'published')
        .orderBy('s.id')
        .orderBy('t.language')
        .execute();
      const stories: SitemapStory[] = [];
      let lastId: number | undefined;
      for (const row of rows) {
        if (row.id !== lastId) {
          stories.push({ slug: row.slug, sourceLanguage: row.source_language, updatedAt: row.updated_at, texts: [] });
          lastId = row.id;
        }
        stories.at(-1)!.texts.push({ language: row.language, translatedAt: date(row.translated_at) });
      }
      return stories;
    },
  };
}
export type SyndicationRepository = ReturnType<typeof syndicationRepository>;
