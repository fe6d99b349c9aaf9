import { sql, type Kysely } from 'kysely';
import { listedWords, searchableText } from '../../domain/search/fold.ts';

// Search as its own tables, filled here for the stories a site already has.
//
// search_documents: one row per story text (a language of a story), the tsvectors of its folded words
// (domain/search/fold.ts), stemmed by the language's text-search configuration: `vector` (title A,
// summary B, the names of the story's region, themes and storytellers C, body D) behind a GIN index,
// for matching; `head` (title A, summary B), small, for ranking every match. Chinese and Japanese are
// indexed as bigrams. The rows are kept narrow (the vector stored apart, toast_tuple_target), so a
// search that matches thousands of texts reads few pages: the matching needs only the index.
// search_texts: what was indexed, as plain text (title, summary, body, catalog names), for
// highlighting the page of results and for keeping the word list's counts when a text changes.
// search_words: the distinct folded words of the catalog with the number of document parts (a
// text, or its catalog names) holding each; typo correction looks words up here by prefix, by
// suffix (an index on the reversed word) and by a middle piece (trigrams), never by scanning.
//
// The columns story_texts kept for the old search (a plain copy and a tsvector, each with a
// trigram or GIN index rewritten at every save) go: their plain text is where the body comes from.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE search_texts (
      story_id integer NOT NULL,
      language text NOT NULL,
      title text NOT NULL,
      summary text NOT NULL,
      body text NOT NULL,
      catalog text NOT NULL,
      PRIMARY KEY (story_id, language),
      FOREIGN KEY (story_id, language) REFERENCES story_texts (story_id, language) ON DELETE CASCADE
    );
    CREATE TABLE search_documents (
      story_id integer NOT NULL,
      language text NOT NULL,
      head tsvector NOT NULL,
      vector tsvector NOT NULL,
      PRIMARY KEY (story_id, language),
      FOREIGN KEY (story_id, language) REFERENCES story_texts (story_id, language) ON DELETE CASCADE
    ) WITH (toast_tuple_target = 128);
    ALTER TABLE search_documents ALTER COLUMN vector SET STORAGE EXTERNAL;
    -- fastupdate off: PGlite has no autovacuum, and a pending list read at every search grows until it is flushed.
    CREATE INDEX search_documents_vector ON search_documents USING gin (vector) WITH (fastupdate = off);
    CREATE TABLE search_words (
      word text COLLATE "C" PRIMARY KEY,
      documents integer NOT NULL
    );
    CREATE INDEX search_words_reversed ON search_words ((reverse(word)));
    CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops);
  `.execute(db);

  const counts = new Map<string, number>();
  const count = (words: Set<string>) => {
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  };
  const BATCH = 200;
  for (let after = { story: 0, language: '' }; ;) {
    const { rows } = await sql<{
      story_id: number;
      language: string;
      title: string;
      summary: string;
      search_text: string;
      catalog: string;
    }>`
      SELECT t.story_id, t.language, t.title, t.summary, t.search_text, concat_ws(E'\n',
        (SELECT string_agg(DISTINCT n.value, E'\n') FROM stories s JOIN regions r ON r.id = s.region_id
          CROSS JOIN jsonb_each_text(r.names) n WHERE s.id = t.story_id),
        (SELECT string_agg(DISTINCT n.value, E'\n') FROM story_themes x JOIN themes th ON th.id = x.theme_id
          CROSS JOIN jsonb_each_text(th.names) n WHERE x.story_id = t.story_id),
        (SELECT string_agg(p.display_name || E'\n' || p.username, E'\n' ORDER BY x.position)
          FROM story_storytellers x JOIN people p ON p.id = x.person_id WHERE x.story_id = t.story_id)) AS catalog
      FROM story_texts t
      WHERE (t.story_id, t.language) > (${after.story}, ${after.language})
      ORDER BY t.story_id, t.language
      LIMIT ${BATCH}`.execute(db);
    if (rows.length === 0) break;
    const last = rows.at(-1)!;
    after = { story: last.story_id, language: last.language };
    const documents = rows.map((row) => {
      // search_text was trim(title || ' ' || summary || ' ' || body).
      const lead = `${row.title} ${row.summary} `;
      const body = row.search_text.startsWith(lead) ? row.search_text.slice(lead.length) : row.search_text;
      count(listedWords(`${row.title}\n${row.summary}\n${body}`));
      count(listedWords(row.catalog));
      return { ...row, body };
    });
    const column = <K extends keyof (typeof documents)[number]>(key: K) => documents.map((document) => document[key]);
    await sql`
      INSERT INTO search_texts (story_id, language, title, summary, body, catalog)
      SELECT * FROM unnest(${column('story_id')}::int[], ${column('language')}::text[], ${column('title')}::text[],
        ${column('summary')}::text[], ${column('body')}::text[], ${column('catalog')}::text[])`.execute(db);
    await sql`
      INSERT INTO search_documents (story_id, language, head, vector)
      SELECT v.story_id, v.language, h.head,
        h.head || setweight(to_tsvector(l.search_config::regconfig, v.catalog_terms), 'C')
          || setweight(to_tsvector(l.search_config::regconfig, v.body_terms), 'D')
      FROM unnest(${column('story_id')}::int[], ${column('language')}::text[],
        ${documents.map((d) => searchableText(d.title))}::text[], ${documents.map((d) => searchableText(d.summary))}::text[],
        ${documents.map((d) => searchableText(d.catalog))}::text[], ${documents.map((d) => searchableText(d.body))}::text[])
        AS v(story_id, language, title_terms, summary_terms, catalog_terms, body_terms)
      JOIN languages l ON l.code = v.language
      CROSS JOIN LATERAL (SELECT setweight(to_tsvector(l.search_config::regconfig, v.title_terms), 'A')
        || setweight(to_tsvector(l.search_config::regconfig, v.summary_terms), 'B') AS head) h`.execute(db);
  }
  const words = [...counts.keys()].sort();
  for (let from = 0; from < words.length; from += 5000) {
    const slice = words.slice(from, from + 5000);
    await sql`INSERT INTO search_words (word, documents)
      SELECT * FROM unnest(${slice}::text[], ${slice.map((word) => counts.get(word)!)}::int[])`.execute(db);
  }

  await sql`
    DROP INDEX story_texts_search_head_trgm;
    DROP INDEX story_texts_search_trgm;
    DROP INDEX story_texts_search_vector;
    ALTER TABLE story_texts DROP COLUMN search_text, DROP COLUMN search_vector;
    ANALYZE search_texts;
    ANALYZE search_documents;
    ANALYZE search_words;
  `.execute(db);
}
