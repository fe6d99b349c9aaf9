import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import { listedWords, searchableText } from '../../domain/search/fold.ts';

// Keeps search_texts, search_documents and search_words (migration 2026-12-06T1500-search) in step with what
// they index, inside the transaction of the write that changes it: a story text written (source or
// put together from published translations), a story text removed, a story's region, themes or
// storytellers changed, a region, theme or person renamed. Words are folded here, in TypeScript
// (domain/search/fold.ts), the same way queries are; the stemming is PostgreSQL's.
//
// search_words counts, per word, the document parts holding it (a document's text, and its
// catalog names, are each one part), so a write changes only the counts of the words it added or
// removed, and a word nobody uses any more leaves the list. Counts are changed in one statement in
// the words' order, so two writers never wait for each other's words in opposite orders.

type Executor = Kysely<DB> | Transaction<DB>;

/** A story text as search indexes it: plain text (no Markdown), the body only as far as it is published. */
export interface IndexedText {
  storyId: number;
  language: string;
  title: string;
  summary: string;
  body: string;
}

const textWords = (text: { title: string; summary: string; body: string }) =>
  listedWords(`${text.title}\n${text.summary}\n${text.body}`);

/** The names search knows a story by besides its text: its region's and themes' names in every language, its storytellers. */
async function catalogNames(executor: Executor, storyIds: number[]): Promise<Map<number, string>> {
  if (storyIds.length === 0) return new Map();
  const { rows } = await sql<{ story_id: number; catalog: string }>`
    SELECT s.id AS story_id, concat_ws(E'\n',
      (SELECT string_agg(DISTINCT n.value, E'\n') FROM regions r
        CROSS JOIN jsonb_each_text(r.names) n WHERE r.id = s.region_id),
      (SELECT string_agg(DISTINCT n.value, E'\n') FROM story_themes x JOIN themes th ON th.id = x.theme_id
        CROSS JOIN jsonb_each_text(th.names) n WHERE x.story_id = s.id),
      (SELECT string_agg(p.display_name || E'\n' || p.username, E'\n' ORDER BY x.position)
        FROM story_storytellers x JOIN people p ON p.id = x.person_id WHERE x.story_id = s.id)) AS catalog
    FROM stories s WHERE s.id = ANY(${storyIds}::int[])`.execute(executor);
  return new Map(rows.map((row) => [row.story_id, row.catalog]));
}

/** Adds `delta` to each word's count (a word new to the list is added; one that reaches 0 leaves it). */
async function countWords(executor: Executor, deltas: Map<string, number>): Promise<void> {
  const words = [...deltas.keys()].filter((word) => deltas.get(word) !== 0).sort();
  if (words.length === 0) return;
  await sql`
    INSERT INTO search_words AS w (word, documents)
    SELECT u.word, u.delta FROM unnest(${words}::text[], ${words.map((word) => deltas.get(word)!)}::int[]) AS u(word, delta)
    ORDER BY u.word
    ON CONFLICT (word) DO UPDATE SET documents = w.documents + excluded.documents`.execute(executor);
  const lowered = words.filter((word) => deltas.get(word)! < 0);
  if (lowered.length)
    await sql`DELETE FROM search_words WHERE word = ANY(${lowered}::text[]) AND documents <= 0`.execute(executor);
}

function addWords(deltas: Map<string, number>, words: Set<string>, sign: 1 | -1): void {
  for (const word of words) deltas.set(word, (deltas.get(word) ?? 0) + sign);
}

/** Indexes story texts, or indexes them again; a text indexed as it already is costs one read. */
export async function indexStoryTexts(executor: Executor, texts: IndexedText[]): Promise<void> {
  if (texts.length === 0) return;
  const { rows: previous } = await sql<{
    story_id: number;
    language: string;
    title: string;
    summary: string;
    body: string;
    catalog: string;
  }>`
    SELECT story_id, language, title, summary, body, catalog FROM search_texts
    WHERE (story_id, language) IN (SELECT * FROM unnest(${texts.map((t) => t.storyId)}::int[], ${texts.map((t) => t.language)}::text[]))
    FOR UPDATE`.execute(executor);
  const before = new Map(previous.map((row) => [`${row.story_id}\u0000${row.language}`, row]));
  const changed = texts.filter((text) => {
    const old = before.get(`${text.storyId}\u0000${text.language}`);
    return !old || old.title !== text.title || old.summary !== text.summary || old.body !== text.body;
  });
  if (changed.length === 0) return;
  // A document keeps its catalog names (refreshCatalogNames changes them); a new one gets them now.
  const names = await catalogNames(executor, [
    ...new Set(changed.filter((t) => !before.has(`${t.storyId}\u0000${t.language}`)).map((t) => t.storyId)),
  ]);
  const deltas = new Map<string, number>();
  const documents = changed.map((text) => {
    const old = before.get(`${text.storyId}\u0000${text.language}`);
    if (old) addWords(deltas, textWords(old), -1);
    addWords(deltas, textWords(text), 1);
    const catalog = old ? old.catalog : (names.get(text.storyId) ?? '');
    if (!old) addWords(deltas, listedWords(catalog), 1);
    return { ...text, catalog };
  });
  const column = <T>(pick: (document: (typeof documents)[number]) => T) => documents.map(pick);
  await sql`
    INSERT INTO search_texts AS t (story_id, language, title, summary, body, catalog)
    SELECT * FROM unnest(${column((d) => d.storyId)}::int[], ${column((d) => d.language)}::text[], ${column((d) => d.title)}::text[],
      ${column((d) => d.summary)}::text[], ${column((d) => d.body)}::text[], ${column((d) => d.catalog)}::text[])
    ON CONFLICT (story_id, language) DO UPDATE SET title = excluded.title, summary = excluded.summary,
      body = excluded.body, catalog = excluded.catalog`.execute(executor);
  await sql`
    INSERT INTO search_documents AS d (story_id, language, head, vector)
    SELECT v.story_id, v.language, h.head,
      h.head || setweight(to_tsvector(l.search_config::regconfig, v.catalog_terms), 'C')
        || setweight(to_tsvector(l.search_config::regconfig, v.body_terms), 'D')
    FROM unnest(${column((d) => d.storyId)}::int[], ${column((d) => d.language)}::text[],
      ${column((d) => searchableText(d.title))}::text[], ${column((d) => searchableText(d.summary))}::text[],
      ${column((d) => searchableText(d.catalog))}::text[], ${column((d) => searchableText(d.body))}::text[])
      AS v(story_id, language, title_terms, summary_terms, catalog_terms, body_terms)
    JOIN languages l ON l.code = v.language
    CROSS JOIN LATERAL (SELECT setweight(to_tsvector(l.search_config::regconfig, v.title_terms), 'A')
      || setweight(to_tsvector(l.search_config::regconfig, v.summary_terms), 'B') AS head) h
    ON CONFLICT (story_id, language) DO UPDATE SET head = excluded.head, vector = excluded.vector`.execute(executor);
  await countWords(executor, deltas);
}

/** Takes a story text out of search (call it before the text is deleted; the row would go with it, its words' counts not). */
export async function unindexStoryText(executor: Executor, storyId: number, language: string): Promise<void> {
  await sql`DELETE FROM search_documents WHERE story_id = ${storyId} AND language = ${language}`.execute(executor);
  const old = await sql<{ title: string; summary: string; body: string; catalog: string }>`
    DELETE FROM search_texts WHERE story_id = ${storyId} AND language = ${language}
    RETURNING title, summary, body, catalog`.execute(executor);
  const deltas = new Map<string, number>();
  for (const row of old.rows) {
    addWords(deltas, textWords(row), -1);
    addWords(deltas, listedWords(row.catalog), -1);
  }
  await countWords(executor, deltas);
}

/**
 * Gives the documents of these stories their current catalog names: after a story's region,
 * themes or storytellers changed, or a region, theme or person was renamed. Only the catalog part
 * (weight C) of each vector is made again; the text's part stays as it is.
 */
export async function refreshCatalogNames(executor: Executor, storyIds: number[]): Promise<void> {
  if (storyIds.length === 0) return;
  const names = await catalogNames(executor, storyIds);
  const { rows } = await sql<{ story_id: number; language: string; catalog: string }>`
    SELECT story_id, language, catalog FROM search_texts WHERE story_id = ANY(${storyIds}::int[])
    ORDER BY story_id, language FOR UPDATE`.execute(executor);
  const stale = rows.filter((row) => (names.get(row.story_id) ?? '') !== row.catalog);
  if (stale.length === 0) return;
  const deltas = new Map<string, number>();
  for (const row of stale) {
    addWords(deltas, listedWords(row.catalog), -1);
    addWords(deltas, listedWords(names.get(row.story_id) ?? ''), 1);
  }
  const stories = [...new Set(stale.map((row) => row.story_id))];
  const catalogs = stories.map((id) => names.get(id) ?? '');
  await sql`
    UPDATE search_documents d
    SET vector = ts_filter(d.vector, '{a,b,d}') || setweight(to_tsvector(l.search_config::regconfig, v.terms), 'C')
    FROM unnest(${stories}::int[], ${catalogs}::text[], ${catalogs.map(searchableText)}::text[]) AS v(story_id, catalog, terms),
      search_texts t, languages l
    WHERE d.story_id = v.story_id AND t.story_id = d.story_id AND t.language = d.language AND l.code = d.language
      AND t.catalog <> v.catalog`.execute(executor);
  await sql`
    UPDATE search_texts t SET catalog = v.catalog
    FROM unnest(${stories}::int[], ${catalogs}::text[]) AS v(story_id, catalog)
    WHERE t.story_id = v.story_id AND t.catalog <> v.catalog`.execute(executor);
  await countWords(executor, deltas);
}

/** The stories whose catalog names include this region, theme or person. */
export async function storiesNaming(
  executor: Executor,
  entry: { regionId: number } | { themeId: number } | { personId: number },
): Promise<number[]> {
  const query =
    'regionId' in entry
      ? executor.selectFrom('stories').select('id as story_id').where('region_id', '=', entry.regionId)
      : 'themeId' in entry
        ? executor.selectFrom('story_themes').select('story_id').where('theme_id', '=', entry.themeId)
        : executor.selectFrom('story_storytellers').select('story_id').where('person_id', '=', entry.personId);
  return (await query.execute()).map((row) => row.story_id);
}
