import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import { bigrams } from '../../domain/search/fold.ts';
import { articleVariants, corrections, typoLookup, MIN_PREFIX, type QueryWord } from '../../domain/search/query.ts';
import type { Thumbnail } from '../../domain/media/media-file.ts';
import { thumbnailsOf } from './media.ts';

// Search over search_documents, search_texts and search_words (see the migration 2026-12-06T1500-search).
//
// Two statements. The first asks the word list for the catalog words a misspelt word may stand for
// (by the index ranges typoLookup names; the edit distance is then checked here, in TypeScript) and
// for the words a last, half-typed word may become; it is skipped when no word needs it. The second
// turns each query word and its stand-ins into tsquery forms, through every text-search
// configuration in use (a French stem, an English stem and the plain word are all tried), ANDs the
// words, and matches the documents through the GIN index of search_documents.vector. Ranking reads
// only the small `head` tsvector (title and summary) of each match: title matches first (exact words
// before corrected ones), then the reader's languages in order, then ts_rank, then the newest. A
// broad query (BROAD) takes a third statement or more: its matches among the newest stories.

type Executor = Kysely<DB> | Transaction<DB>;

export interface SearchFilters {
  regionId?: number | undefined;
  themeId?: number | undefined;
  /** Only texts in this language. */
  language?: string | undefined;
  /** Only stories with a processed video. */
  hasVideo?: boolean | undefined;
  /** Only stories with published subtitles in this language. */
  subtitlesIn?: string | undefined;
}

export interface SearchRequest extends SearchFilters {
  words: QueryWord[];
  /** The reader's languages, best first: a story's text in the first of them is the one shown and ranks first. */
  chain: readonly string[];
  limit: number;
  offset: number;
}

/** A published story found, with the text (in one language) that matched best. */
export interface SearchHit {
  storyId: number;
  slug: string;
  regionId: number;
  publishedAt: Date | null;
  /** The languages the story has a text in. */
  languages: string[];
  thumbnails: Thumbnail[];
  language: string;
  title: string;
  summary: string;
  body: string;
}

export interface SearchOutcome {
  hits: SearchHit[];
  /** Stories found; with `more`, at least this many (among the newest stories only). */
  total: number;
  more: boolean;
  /** The folded words that matched, for highlighting: the words, their corrections and completions. */
  words: string[];
  /** The lexemes PostgreSQL matched (stems, bigrams), for highlighting words that begin with them. */
  lexemes: string[];
}

type Kind = 'exact' | 'prefix' | 'typo' | 'complete';
interface Alternative {
  word: number;
  text: string;
  kind: Kind;
}

/**
 * Past this many matching texts a query is broad ("library" in a library movement's stories): ranking
 * every match would cost in proportion to the catalog, so only the texts of the newest stories are
 * ranked (the newest half as many texts, then four times as many while the page is not filled),
 * and the count says "more than".
 */
const BROAD = 800;
/** How many words a half-typed word may become (the most used first). */
const COMPLETIONS = 8;

/** What to look up in the word list: where each misspelt word's stand-ins are, and the half-typed word. */
function lookups(words: QueryWord[]) {
  const typos = words.flatMap((word, index) => {
    const lookup = typoLookup(word.text, word.edits);
    return lookup ? [{ index, ...lookup }] : [];
  });
  const prefixes = words.flatMap((word, index) =>
    word.prefix && !word.cjk && [...word.text].length >= MIN_PREFIX ? [{ index, text: word.text }] : [],
  );
  return { typos, prefixes };
}

/** The catalog words that stand in for misspelt words and complete a half-typed one. */
async function expand(executor: Executor, words: QueryWord[]): Promise<Alternative[]> {
  const { typos, prefixes } = lookups(words);
  if (typos.length === 0 && prefixes.length === 0) return [];
  const { rows } = await listStatement(typos, prefixes).execute(executor);
  const found: Alternative[] = [];
  for (const [index, word] of words.entries()) {
    const candidates = rows
      .filter((row) => row.word === index && row.kind === 'typo')
      .map((row) => ({ word: row.candidate, documents: row.documents }));
    for (const text of corrections(word, candidates)) found.push({ word: index, text, kind: 'typo' });
    for (const row of rows.filter((row) => row.word === index && row.kind === 'complete'))
      found.push({ word: index, text: row.candidate, kind: 'complete' });
  }
  return found;
}

function listStatement(
  typos: Array<{
    index: number;
    prefix: string;
    suffix: string;
    infix: string | null;
    minLength: number;
    maxLength: number;
  }>,
  prefixes: Array<{ index: number; text: string }>,
) {
  // Ranges rather than LIKE: a pattern known only when the statement runs cannot use a btree for LIKE.
  // chr(1114111) is the last code point, so every word beginning with p sorts between p and p || chr(1114111).
  return sql<{ word: number; candidate: string; documents: number; kind: 'typo' | 'complete' }>`
    SELECT q.index AS word, w.word AS candidate, w.documents, 'typo' AS kind
    FROM unnest(${typos.map((t) => t.index)}::int[], ${typos.map((t) => t.prefix)}::text[], ${typos.map((t) => t.suffix)}::text[],
      ${typos.map((t) => t.infix)}::text[], ${typos.map((t) => t.minLength)}::int[], ${typos.map((t) => t.maxLength)}::int[])
      AS q(index, prefix, suffix, infix, min_length, max_length)
    CROSS JOIN LATERAL (
      SELECT word, documents FROM search_words
      WHERE word >= q.prefix AND word < q.prefix || chr(1114111) AND length(word) BETWEEN q.min_length AND q.max_length
      UNION
      SELECT word, documents FROM search_words
      WHERE reverse(word) >= reverse(q.suffix) AND reverse(word) < reverse(q.suffix) || chr(1114111)
        AND length(word) BETWEEN q.min_length AND q.max_length
      UNION
      SELECT word, documents FROM search_words
      WHERE q.infix IS NOT NULL AND word LIKE '%' || q.infix || '%' AND length(word) BETWEEN q.min_length AND q.max_length
    ) w
    UNION ALL
    SELECT p.index, w.word, w.documents, 'complete'
    FROM unnest(${prefixes.map((p) => p.index)}::int[], ${prefixes.map((p) => p.text)}::text[]) AS p(index, text)
    CROSS JOIN LATERAL (
      SELECT word, documents FROM search_words WHERE word > p.text AND word < p.text || chr(1114111)
      ORDER BY documents DESC, word LIMIT ${COMPLETIONS}
    ) w`;
}

/** What each query word may match as: itself (as a phrase of bigrams for Chinese and Japanese), its corrections and completions. */
function alternatives(words: QueryWord[], expansions: Alternative[]): Alternative[] {
  const own = words.flatMap((word, index): Alternative[] => {
    if (word.cjk && !word.prefix) return [{ word: index, text: bigrams(word.text).join(' '), kind: 'exact' }];
    const kind = word.prefix ? 'prefix' : 'exact';
    return [word.text, ...articleVariants(word.text)].map((text) => ({ word: index, text, kind }));
  });
  return [...own, ...expansions];
}

function filterConditions(filters: SearchFilters) {
  const conditions: RawBuilder<unknown>[] = [sql`s.status = 'published'`];
  if (filters.regionId !== undefined) conditions.push(sql`s.region_id = ${filters.regionId}`);
  if (filters.themeId !== undefined)
    conditions.push(
      sql`EXISTS (SELECT FROM story_themes x WHERE x.story_id = d.story_id AND x.theme_id = ${filters.themeId})`,
    );
  if (filters.language !== undefined) conditions.push(sql`d.language = ${filters.language}`);
  if (filters.hasVideo)
    conditions.push(sql`EXISTS (SELECT FROM media_files m WHERE m.story_id = d.story_id AND m.role = 'rendition')`);
  if (filters.subtitlesIn !== undefined)
    conditions.push(sql`EXISTS (SELECT FROM subtitle_tracks t WHERE t.story_id = d.story_id
      AND t.language = ${filters.subtitlesIn} AND t.published_revision IS NOT NULL)`);
  return sql.join(conditions, sql` AND `);
}

interface HitRow {
  /** Texts that matched (up to the cap), and stories among them. */
  matched: number;
  total: number;
  terms: string | null;
  kept: number[] | null;
  story_id: number | null;
  slug: string;
  region_id: number;
  published_at: Date | null;
  languages: string[];
  thumbnails: Thumbnail[] | null;
  language: string;
  title: string;
  summary: string;
  body: string;
}

/**
 * Which texts to rank: all matches, as long as there are at most `cap` (one more is read to know);
 * those of stories from `since` on; or all.
 */
type Window = { cap: number } | { since: number } | { all: true };

/**
 * The page of the search: the best text of each matching story, ranked. One row at least: the
 * counts, with the page's stories (none past the last page) joined to them.
 */
function matchStatement(request: SearchRequest, found: Alternative[], window: Window) {
  const chain = sql`${[...request.chain]}::text[]`;
  const since = 'since' in window ? sql`AND d.story_id >= ${window.since}` : sql``;
  // With a cap the matches are only counted past it (not ranked, not joined): the query is broad.
  const cap = 'cap' in window ? sql`LIMIT ${window.cap + 1}` : sql``;
  const withinCap = 'cap' in window ? sql`(SELECT count(*) FROM matched) <= ${window.cap}` : sql`true`;
  const language = sql`coalesce(array_position(${chain}, d.language), 1000)`;
  // Ranking reads only the small head (title A, summary B) of each match.
  const ranks =
    request.words.length === 0
      ? sql`SELECT 0 AS in_title, ${language} AS language_rank, 0 AS score`
      : sql`SELECT
      CASE WHEN ts_filter(d.head, '{a}') @@ q.exact THEN 2 WHEN ts_filter(d.head, '{a}') @@ q.matching THEN 1 ELSE 0 END
        AS in_title,
      ${language} AS language_rank,
      ts_rank(d.head, q.exact) + ts_rank(d.head, q.matching) / 2 AS score
    FROM query q`;
  const ranked = sql`
    hit AS (
      SELECT DISTINCT ON (d.story_id) d.story_id, d.language, s.published_at, r.in_title, r.language_rank, r.score
      FROM matched d JOIN stories s ON s.id = d.story_id
      CROSS JOIN LATERAL (${ranks}) r
      WHERE ${withinCap} AND ${filterConditions(request)}
      ORDER BY d.story_id, r.in_title DESC, r.language_rank, r.score DESC
    ), page AS (
      SELECT * FROM hit h ORDER BY h.in_title DESC, h.language_rank, h.score DESC, h.published_at DESC NULLS LAST, h.story_id DESC
      LIMIT ${request.limit} OFFSET ${request.offset}
    ), summary AS (
      SELECT (SELECT count(*) FROM matched) AS matched, (SELECT count(*) FROM hit) AS total,
        (SELECT matching::text FROM query) AS terms, (SELECT kept FROM query) AS kept
    )
    SELECT summary.*, p.story_id, s.slug, s.region_id, s.published_at,
      array(SELECT x.language FROM story_texts x WHERE x.story_id = p.story_id ORDER BY x.language) AS languages,
      ${thumbnailsOf('p.story_id')} AS thumbnails,
      p.language, t.title, t.summary, t.body
    FROM summary
    LEFT JOIN (page p JOIN stories s ON s.id = p.story_id
      JOIN search_texts t ON t.story_id = p.story_id AND t.language = p.language) ON true
    ORDER BY p.in_title DESC, p.language_rank, p.score DESC, p.published_at DESC NULLS LAST, p.story_id DESC`;
  if (request.words.length === 0) {
    return sql<HitRow>`
      WITH query AS (SELECT NULL::tsquery AS matching, NULL::int[] AS kept),
      matched AS MATERIALIZED (SELECT d.story_id, d.language FROM search_documents d WHERE true ${since} ${cap}),
      ${ranked}`;
  }
  return sql<HitRow>`
    WITH alternative AS (
      SELECT * FROM unnest(${found.map((a) => a.word)}::int[], ${found.map((a) => a.text)}::text[], ${found.map((a) => a.kind)}::text[])
        AS a(word, text, kind)
    ), configuration AS (
      SELECT DISTINCT search_config::regconfig AS name FROM languages UNION SELECT 'simple'::regconfig
    ), form AS (
      SELECT a.word, a.kind, CASE WHEN a.kind = 'prefix' AND f.text ~ '^''[^'']+''$' THEN f.text || ':*' ELSE f.text END AS text
      FROM alternative a CROSS JOIN configuration c
      CROSS JOIN LATERAL (SELECT phraseto_tsquery(c.name, a.text)::text AS text) f
    ), term AS (
      SELECT word,
        bool_or(kind IN ('exact', 'prefix') AND text = '') AS stopword,
        string_agg(DISTINCT text, ' | ') FILTER (WHERE text <> '') AS matching,
        string_agg(DISTINCT text, ' | ') FILTER (WHERE text <> '' AND kind IN ('exact', 'prefix')) AS exact
      FROM form GROUP BY word
    ), kept AS (
      -- A word that is a stop word in some language is left out (its texts do not have it), unless all are.
      SELECT * FROM term WHERE matching IS NOT NULL
        AND (NOT stopword OR NOT EXISTS (SELECT FROM term WHERE NOT stopword AND matching IS NOT NULL))
    ), query AS (
      SELECT string_agg('(' || matching || ')', ' & ')::tsquery AS matching,
        string_agg('(' || coalesce(exact, matching) || ')', ' & ')::tsquery AS exact, array_agg(word) AS kept
      FROM kept HAVING count(*) > 0
    ), matched AS MATERIALIZED (
      -- The GIN index finds the texts.
      SELECT d.story_id, d.language, d.head FROM query q JOIN search_documents d ON d.vector @@ q.matching ${since} ${cap}
    ), ${ranked}`;
}

/** The lexemes of a tsquery's text ('stori':* & ('東京' <-> '京都') → stori, 東京, 京都). */
function lexemesOf(terms: string | null): string[] {
  if (!terms) return [];
  return [...new Set([...terms.matchAll(/'((?:[^']|'')+)'/g)].map((match) => match[1]!.replaceAll("''", "'")))];
}

/** `broadAfter`: how many matching texts make a query broad (tests make it small). */
export function searchRepository(db: Kysely<DB>, { broadAfter = BROAD } = {}) {
  return {
    /** Published stories matching the words (or, with no words, the filters alone), ranked, one page. */
    async search(request: SearchRequest): Promise<SearchOutcome> {
      const expansions = request.words.length ? await expand(db, request.words) : [];
      const found = alternatives(request.words, expansions);
      let rows = (await matchStatement(request, found, { cap: broadAfter }).execute(db)).rows;
      let more = false;
      // More texts match than are worth ranking one by one: rank those of the newest stories, in a
      // wider window as long as the page asked for is not filled.
      if (rows[0]!.matched > broadAfter) {
        for (let window = Math.ceil(broadAfter / 2); ; window *= 4) {
          // The first story of the window; none (or the very first story) when the window holds them all.
          const since = await sql<{ story_id: number; first: boolean }>`
            SELECT story_id, story_id = (SELECT min(story_id) FROM search_documents) AS first
            FROM search_documents ORDER BY story_id DESC OFFSET ${window} LIMIT 1`.execute(db);
          const from = since.rows[0]?.first === false ? since.rows[0].story_id : undefined;
          more = from !== undefined;
          rows = (await matchStatement(request, found, more ? { since: from! } : { all: true }).execute(db)).rows;
          if (!more || rows[0]!.total >= request.offset + request.limit) break;
        }
      }
      const summary = rows[0]!;
      const hits = rows.filter((row) => row.story_id !== null);
      return {
        hits: hits.map((row) => ({
          storyId: row.story_id!,
          slug: row.slug,
          regionId: row.region_id,
          publishedAt: row.published_at,
          languages: row.languages,
          thumbnails: row.thumbnails ?? [],
          language: row.language,
          title: row.title,
          summary: row.summary,
          body: row.body,
        })),
        total: Number(summary.total),
        more,
        // Only the words searched for (a stop word left out is not marked), with their stand-ins.
        words: [
          ...new Set(
            [...request.words.map((word, index) => ({ word: index, text: word.text })), ...expansions]
              .filter((alternative) => summary.kept?.includes(alternative.word))
              .map((alternative) => alternative.text),
          ),
        ],
        lexemes: lexemesOf(summary.terms),
      };
    },

    /**
     * The plans PostgreSQL makes for a search's statements (EXPLAIN, JSON; the word-list one only when
     * the query needs it): with sequential scans off when `indexesOnly` (tests check the indexes can
     * be used), run and timed when `analyze` (benchmarks).
     */
    async explain(
      request: SearchRequest,
      options: { indexesOnly?: boolean; analyze?: boolean },
    ): Promise<{ words: unknown; match: unknown }> {
      return db.transaction().execute(async (trx) => {
        if (options.indexesOnly) await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const how = options.analyze ? sql`(ANALYZE, FORMAT JSON)` : sql`(FORMAT JSON)`;
        const plan = async (statement: RawBuilder<unknown>) =>
          (await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN ${how} ${statement}`.execute(trx)).rows[0]!['QUERY PLAN'];
        const { typos, prefixes } = lookups(request.words);
        const needed = typos.length > 0 || prefixes.length > 0;
        const expansions = await expand(trx, request.words);
        return {
          words: needed ? await plan(listStatement(typos, prefixes)) : null,
          match: await plan(matchStatement(request, alternatives(request.words, expansions), { cap: broadAfter })),
        };
      });
    },
  };
}
export type SearchRepository = ReturnType<typeof searchRepository>;
