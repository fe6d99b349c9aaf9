import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import { publishTranslations, sourceSearch, syncUnits, writeStoryText } from './story-units.ts';
import { refreshCatalogNames } from './search-index.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { Person, Region, Theme } from '../../domain/catalog/vocabulary.ts';
import { thumbnailsOf } from './media.ts';
import type {
  StoryHead,
  StoryText,
  StorySummary,
  StoryRecord,
  StoryInput,
  StoryRevision,
} from '../../domain/stories/story.ts';

export interface StoryFilter {
  publishedOnly?: boolean;
  regionId?: number;
  themeId?: number;
  personId?: number;
  /** Only stories whose text exists in this language. */
  language?: string;
  featured?: boolean;
  limit: number;
  offset?: number;
}
export type SaveResult = { ok: true; story: StoryRecord } | { ok: false; current: StoryRecord };
/** A story with what its reading page shows beside it: its region, themes (by slug) and storytellers (in order). */
export interface StoryWithCatalog {
  story: StoryRecord;
  region: Region | null;
  themes: Theme[];
  storytellers: Person[];
}

type Executor = Kysely<DB> | Transaction<DB>;

export function storiesRepository(db: Kysely<DB>, changes: ChangeFeed) {
  // Announced once the transaction has committed, so a page rendered after the announcement shows the change.
  const changed = <T>(storyId: number | undefined, result: T): T => {
    if (storyId !== undefined) changes.announce({ story: storyId, lists: true });
    return result;
  };
  const COLUMNS = [
    's.id',
    's.slug',
    's.region_id',
    's.source_language',
    's.status',
    's.featured',
    's.published_at',
    's.updated_at',
    's.revision',
  ] as const;
  const languagesOf = sql<
    string[]
  >`array(SELECT language FROM story_texts t WHERE t.story_id = s.id ORDER BY language)`.as('languages');
  const thumbnails = thumbnailsOf('s.id').as('thumbnails');
  function summaries(executor: Executor) {
    return executor.selectFrom('stories as s').select([...COLUMNS, languagesOf, thumbnails]);
  }
  type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];
  const toSummary = (row: SummaryRow): StorySummary => ({
    id: row.id,
    slug: row.slug,
    regionId: row.region_id,
    sourceLanguage: row.source_language,
    status: row.status,
    featured: row.featured,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    revision: row.revision,
    languages: row.languages,
    thumbnails: row.thumbnails,
  });

  // A story with its themes, storytellers and texts in one round trip (the embedded engine has a
  // single connection, so every extra query is paid in full, one after the other).
  function records(executor: Executor) {
    return summaries(executor).select([
      sql<number[]>`array(SELECT x.theme_id FROM story_themes x WHERE x.story_id = s.id ORDER BY x.theme_id)`.as(
        'theme_ids',
      ),
      sql<number[]>`array(SELECT x.person_id FROM story_storytellers x WHERE x.story_id = s.id ORDER BY x.position)`.as(
        'storyteller_ids',
      ),
      sql<
        StoryText[]
      >`coalesce((SELECT json_agg(json_build_object('language', t.language, 'title', t.title, 'summary', t.summary, 'blocks', t.blocks))
        FROM story_texts t WHERE t.story_id = s.id), '[]'::json)`.as('texts'),
    ]);
  }
  type RecordRow = Awaited<ReturnType<ReturnType<typeof records>['execute']>>[number];
  const toRecord = (row: RecordRow): StoryRecord => ({
    ...toSummary(row),
    themeIds: row.theme_ids,
    storytellerIds: row.storyteller_ids,
    texts: Object.fromEntries(
      row.texts.map((t) => [
        t.language,
        { language: t.language, title: t.title, summary: t.summary, blocks: t.blocks },
      ]),
    ),
  });

  async function load(executor: Executor, where: { id?: number; slug?: string }): Promise<StoryRecord | undefined> {
    let query = records(executor);
    if (where.id !== undefined) query = query.where('s.id', '=', where.id);
    if (where.slug !== undefined) query = query.where('s.slug', '=', where.slug);
    const row = await query.executeTakeFirst();
    return row && toRecord(row);
  }

  /** Writes the source text, keeps its units in step and puts the other languages' texts together again. */
  async function writeSource(trx: Transaction<DB>, storyId: number, text: StoryText, typoFix: boolean): Promise<void> {
    await writeStoryText(trx, storyId, text, sourceSearch(text));
    await syncUnits(trx, storyId, text, typoFix);
    await publishTranslations(trx, storyId);
  }

  async function writeLinks(executor: Executor, storyId: number, input: StoryInput): Promise<void> {
    await executor.deleteFrom('story_themes').where('story_id', '=', storyId).execute();
    await executor.deleteFrom('story_storytellers').where('story_id', '=', storyId).execute();
    if (input.themeIds.length) {
      await executor
        .insertInto('story_themes')
        .values(input.themeIds.map((theme_id) => ({ story_id: storyId, theme_id })))
        .execute();
    }
    if (input.storytellerIds.length) {
      await executor
        .insertInto('story_storytellers')
        .values(input.storytellerIds.map((person_id, position) => ({ story_id: storyId, person_id, position })))
        .execute();
    }
    await refreshCatalogNames(executor, [storyId]);
  }

  async function recordRevision(
    executor: Executor,
    storyId: number,
    userId: number | null,
    summary: string,
  ): Promise<StoryRecord> {
    const story = (await load(executor, { id: storyId }))!;
    await executor
      .insertInto('story_revisions')
      .values({
        story_id: storyId,
        revision: story.revision,
        user_id: userId,
        summary,
        snapshot: JSON.stringify(story),
      })
      .execute();
    return story;
  }

  return {
    findBySlug: (slug: string) => load(db, { slug }),
    /** Only the id, status and source language of the story with this slug: for requests that act on a story without showing it. */
    async headBySlug(slug: string): Promise<StoryHead | undefined> {
      const row = await db
        .selectFrom('stories')
        .select(['id', 'slug', 'status', 'source_language'])
        .where('slug', '=', slug)
        .executeTakeFirst();
      return row && { id: row.id, slug: row.slug, status: row.status, sourceLanguage: row.source_language };
    },
    findById: (id: number) => load(db, { id }),

    /** A story for its reading page, with its region, themes and storytellers: one query. */
    async findWithCatalog(slug: string): Promise<StoryWithCatalog | undefined> {
      const row = await records(db)
        .select([
          sql<Region | null>`(SELECT json_build_object('id', r.id, 'slug', r.slug, 'names', r.names, 'position', r.position)
          FROM regions r WHERE r.id = s.region_id)`.as('region'),
          sql<
            Theme[]
          >`coalesce((SELECT json_agg(json_build_object('id', th.id, 'slug', th.slug, 'names', th.names) ORDER BY th.slug)
          FROM story_themes x JOIN themes th ON th.id = x.theme_id WHERE x.story_id = s.id), '[]'::json)`.as('themes'),
          sql<
            Person[]
          >`coalesce((SELECT json_agg(json_build_object('id', p.id, 'username', p.username, 'displayName', p.display_name,
            'homeWiki', p.home_wiki, 'bios', p.bios, 'photoUrl', p.photo_url) ORDER BY x.position)
          FROM story_storytellers x JOIN people p ON p.id = x.person_id WHERE x.story_id = s.id), '[]'::json)`.as(
            'storytellers',
          ),
        ])
        .where('s.slug', '=', slug)
        .executeTakeFirst();
      if (!row) return undefined;
      return { story: toRecord(row), region: row.region, themes: row.themes, storytellers: row.storytellers };
    },

    async list(filter: StoryFilter): Promise<{ stories: StorySummary[]; total: number }> {
      // The page is chosen first and only its rows get their languages: computing them for every
      // row skipped by the offset made late pages slow.
      let query = db.selectFrom('stories as s').select([...COLUMNS, sql<number>`count(*) OVER ()`.as('total')]);
      if (filter.publishedOnly) query = query.where('s.status', '=', 'published');
      if (filter.regionId !== undefined) query = query.where('s.region_id', '=', filter.regionId);
      if (filter.featured !== undefined) query = query.where('s.featured', '=', filter.featured);
      if (filter.themeId !== undefined) {
        const themeId = filter.themeId;
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('story_themes as x')
              .select('x.story_id')
              .whereRef('x.story_id', '=', 's.id')
              .where('x.theme_id', '=', themeId),
          ),
        );
      }
      if (filter.personId !== undefined) {
        const personId = filter.personId;
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('story_storytellers as x')
              .select('x.story_id')
              .whereRef('x.story_id', '=', 's.id')
              .where('x.person_id', '=', personId),
          ),
        );
      }
      if (filter.language !== undefined) {
        const language = filter.language;
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('story_texts as x')
              .select('x.story_id')
              .whereRef('x.story_id', '=', 's.id')
              .where('x.language', '=', language),
          ),
        );
      }
      const page = query
        .orderBy(sql`s.published_at DESC NULLS FIRST`)
        .orderBy('s.id', 'desc')
        .limit(filter.limit)
        .offset(filter.offset ?? 0);
      const rows = await db
        .selectFrom(page.as('s'))
        .select([...COLUMNS, 's.total', languagesOf, thumbnails])
        .orderBy(sql`s.published_at DESC NULLS FIRST`)
        .orderBy('s.id', 'desc')
        .execute();
      return { stories: rows.map(toSummary), total: rows[0] ? Number(rows[0].total) : 0 };
    },

    /** Titles and summaries of some stories in some languages, for cards and lists. */
    async texts(
      storyIds: number[],
      languages: string[],
    ): Promise<Array<{ storyId: number; language: string; title: string; summary: string }>> {
      if (storyIds.length === 0 || languages.length === 0) return [];
      const rows = await db
        .selectFrom('story_texts')
        .select(['story_id', 'language', 'title', 'summary'])
        .where('story_id', 'in', storyIds)
        .where('language', 'in', languages)
        .execute();
      return rows.map((row) => ({
        storyId: row.story_id,
        language: row.language,
        title: row.title,
        summary: row.summary,
      }));
    },

    async create(input: StoryInput, userId: number | null): Promise<StoryRecord | null> {
      const created = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('stories')
          .values({
            slug: input.slug,
            region_id: input.regionId,
            source_language: input.sourceLanguage,
            featured: input.featured,
            status: 'draft',
          })
          .onConflict((oc) => oc.column('slug').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) return null;
        await writeLinks(trx, row.id, input);
        await writeSource(trx, row.id, input.text, false);
        return recordRevision(trx, row.id, userId, 'created');
      });
      return changed(created?.id, created);
    },

    /** Compare-and-set: applies only when the story is still at `baseRevision`. */
    async update(
      id: number,
      baseRevision: number,
      input: StoryInput,
      userId: number | null,
    ): Promise<SaveResult | null> {
      const result = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('stories')
          .set({
            slug: input.slug,
            region_id: input.regionId,
            source_language: input.sourceLanguage,
            featured: input.featured,
            revision: sql`revision + 1`,
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .where('revision', '=', baseRevision)
          .returning('id')
          .executeTakeFirst();
        if (!row) {
          const current = await load(trx, { id });
          return current ? { ok: false as const, current } : null;
        }
        await writeLinks(trx, id, input);
        await writeSource(trx, id, input.text, input.typoFix === true);
        const summary = input.typoFix ? `typo fix ${input.text.language}` : `edited ${input.text.language}`;
        return { ok: true as const, story: await recordRevision(trx, id, userId, summary) };
      });
      return changed(result?.ok ? id : undefined, result);
    },

    async setStatus(
      id: number,
      baseRevision: number,
      status: 'draft' | 'published',
      userId: number | null,
    ): Promise<SaveResult | null> {
      const result = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('stories')
          .set({
            status,
            revision: sql`revision + 1`,
            updated_at: new Date(),
            published_at: status === 'published' ? sql`coalesce(published_at, now())` : sql`published_at`,
          })
          .where('id', '=', id)
          .where('revision', '=', baseRevision)
          .returning('id')
          .executeTakeFirst();
        if (!row) {
          const current = await load(trx, { id });
          return current ? { ok: false as const, current } : null;
        }
        return { ok: true as const, story: await recordRevision(trx, id, userId, status) };
      });
      return changed(result?.ok ? id : undefined, result);
    },

    /** Demo and import: sets the publication date as given. */
    async setPublished(id: number, publishedAt: Date): Promise<void> {
      await db
        .updateTable('stories')
        .set({ status: 'published', published_at: publishedAt })
        .where('id', '=', id)
        .execute();
      changed(id, undefined);
    },

    async revisions(id: number): Promise<StoryRevision[]> {
      const rows = await db
        .selectFrom('story_revisions as r')
        .leftJoin('users as u', 'u.id', 'r.user_id')
        .select(['r.revision', 'r.created_at', 'r.summary', 'r.user_id', 'u.username', 'u.is_bot'])
        .where('r.story_id', '=', id)
        .orderBy('r.revision', 'desc')
        .execute();
      return rows.map((r) => ({
        revision: r.revision,
        createdAt: r.created_at,
        summary: r.summary,
        userId: r.user_id,
        username: r.username,
        bot: r.is_bot ?? false,
      }));
    },
  };
}
export type StoriesRepository = ReturnType<typeof storiesRepository>;
