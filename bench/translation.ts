// Translation: the memory's lookups, segmenting and saving a long story, and translators saving
// units over HTTP, on the embedded engine and (when DATABASE_URL is set) PostgreSQL.
//
//   node_modules/.bin/node bench/translation.ts [--json FILE] [--only memory,segment,http] [--engine embedded|postgres]
//       [--memory-embedded 100000] [--memory-postgres 1000000] [--queries 200] [--scan-every 4] [--gin-every 4]
//       [--seconds 30] [--translators 50]
//   npm run bench -- --only translation          (writes its section of docs/BENCHMARKS.md)
//
// 1. Memory: `translation_memory` filled with generated pairs (English-like sentences of 5–30 words
//    from a vocabulary of 3,000 words and 65 function words, each stored with translations into one
//    to four of French, Spanish, Arabic and Japanese, a tenth of them a one-word variant of an
//    earlier sentence), bulk-inserted, its indexes built afterwards as the migration defines them,
//    ANALYZEd. Lookups as the translation service makes them (memoryCandidates, then scoreMatches)
//    for English → French sentences that are stored, one or two words away from a stored one, or
//    new (the repository finds candidates through MinHash bands in an int[] with a GIN index); beside
//    them the same sentences by a plain scan ranked by similarity() (for recall), exact matches
//    through the unique md5 index, and the alternative of a GIN trigram index with `%`.
// 2. Segmenting: unitSlots() of a 5,000-word story in 60 paragraphs (Markdown with emphasis and
//    links) in English, Japanese and Arabic; and the source save path, stories.update() of that story
//    with one sentence changed (it segments again, aligns unit ids and puts the translations together).
// 3. Saving units over HTTP: the site as `npm start` runs it, 50 signed-in members translating a
//    published story of about 200 units into French from a worker thread: each reads the unit list
//    once and then saves its own units (PUT with base revision and CSRF token); then in pairs on the
//    same units, where every 409 is merged and saved again and no acknowledged save may be lost.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { parseStoryMarkup } from '../src/domain/stories/markup.ts';
import type { StoryInput, StoryText } from '../src/domain/stories/story.ts';
import { memoryBandsLiteral } from '../src/domain/translation/memory-bands.ts';
import { matchScore, scoreMatches, type MemoryCandidate, type MemoryMatch } from '../src/domain/translation/memory.ts';
import { unitSlots } from '../src/domain/translation/story-units.ts';
import { createServices, type Services } from '../src/services/index.ts';
import { openDatabase, type Database, type Engine } from '../src/store/database.ts';
import type { DB } from '../src/store/schema.ts';
import {
  cpuSeconds,
  fixed,
  guardChildren,
  machine,
  machineCpu,
  markdownTable,
  option,
  percentile,
  prng,
  startServe,
} from './lib.ts';

const PARTS = ['memory', 'segment', 'http'] as const;
type Part = (typeof PARTS)[number];
const QUERIES = Number(option('queries') ?? 200);
const MEMORY_ROWS: Record<Engine, number> = {
  embedded: Number(option('memory-embedded') ?? 100_000),
  postgres: Number(option('memory-postgres') ?? 1_000_000),
};
/** The plain scan and the GIN `%` alternative take seconds each at a million pairs: they run on every n-th query. */
const SCAN_EVERY = Number(option('scan-every') ?? 4);
const GIN_EVERY = Number(option('gin-every') ?? 4);
const SECONDS = Number(option('seconds') ?? 30);
const TRANSLATORS = Number(option('translators') ?? 50);
/** In the first seconds every translator also reads the unit list: the saves after that are reported apart. */
const STEADY_AFTER_MS = 5000;
const PASSWORD = 'correct horse battery staple';
/** What the service asks the repository for, and the lowest score it shows (services/translation.ts). */
const CANDIDATES = 30;
const SHOWN_FROM = 75;
export const MEMORY_TARGETS: Record<Engine, number> = { embedded: 100, postgres: 50 };
export const SAVE_P99_TARGET_MS = 50;

const log = (line: string) => console.log(`[translation] ${line}`);
const now = () => performance.now();
const stats = (values: readonly number[]) => ({
  n: values.length,
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  max: values.length ? Math.max(...values) : Number.NaN,
});
export type Stats = ReturnType<typeof stats>;

// ---- generated text ----

type Script = 'latin' | 'arabic' | 'kana';
const SYLLABLES: Record<Script, { onsets: string[]; nuclei: string[]; codas: string[] }> = {
  latin: {
    // Empty onsets and codas (written '-') make syllables that start with a vowel or end with one.
    onsets:
      '- - b c d f g h j k l m n p r s t v w y z bl br ch cl cr dr fl fr gl gr kn ph pl pr qu sc sh sk sl sm sn sp st str sw th tr tw wh wr'
        .split(' ')
        .map((onset) => onset.replace('-', '')),
    nuclei: 'a e i o u a e i o u y ai au aw ea ee ei ew ie oa oi oo ou ow oy ui'.split(' '),
    codas: '- - - - n r s t l m d x z ck ct ft ld lt mp nd nk nt pt rd rn rt sh sk ss st ch th tch ll ng'
      .split(' ')
      .map((coda) => coda.replace('-', '')),
  },
  arabic: {
    onsets: 'ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ع غ ف ق ك ل م ن ه و ي'.split(' '),
    nuclei: ['ا', 'و', 'ي', '', ''],
    codas: ['', 'ل', 'ن', 'م', 'ر', 'ة', 'ت', 'ك'],
  },
  kana: {
    onsets: [''],
    nuclei:
      'か き く け こ さ し す せ そ た ち つ て と な に の は ひ ふ ま み む も や よ ら り る れ ろ わ ん 山 川 本 学 人 日 語 記 書 文 村 町'.split(
        ' ',
      ),
    codas: [''],
  },
};

const PREFIXES = 're un con dis pre in ex over'.split(' ');
const SUFFIXES = 's s ed ing er ly tion ness ment able ful ous ist ive al'.split(' ');

/** `size` different made-up words of one script, from a seeded generator. */
function vocabulary(script: Script, size: number, seed: number): string[] {
  const random = prng(seed);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  const { onsets, nuclei, codas } = SYLLABLES[script];
  const words = new Set<string>();
  while (words.size < size) {
    const syllables = script === 'kana' ? 1 + Math.floor(random() * 3) : 1 + Math.floor(random() * random() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++) word += pick(onsets) + pick(nuclei) + (s === syllables - 1 ? pick(codas) : '');
    // Latin words take English-like prefixes and suffixes now and then, as "reopened" or "teachers".
    if (script === 'latin' && random() < 0.08) word = pick(PREFIXES) + word;
    if (script === 'latin' && random() < 0.25) word += pick(SUFFIXES);
    if ([...word].length >= 2) words.add(word);
  }
  return [...words];
}

const FUNCTION_WORDS = (
  'the of and to a in that is was for on with as by at from they their we our it this who had were an or but ' +
  'not have be are his her which when there one all new first every after before into about through over ' +
  'under between during while because so some many each other more most only also then now very'
).split(' ');
const CONTENT_WORDS = 3000;
/** Target languages of the stored pairs, with the share of sentences translated into each. */
const TARGETS = [
  { language: 'fr', script: 'latin' as Script, share: 0.6 },
  { language: 'es', script: 'latin' as Script, share: 0.4 },
  { language: 'ar', script: 'arabic' as Script, share: 0.3 },
  { language: 'ja', script: 'kana' as Script, share: 0.25 },
];

/**
 * Sentences as lists of word numbers (function words first, then content words drawn with a
 * Zipf-like skew), written out in English-like words or in a target language's made-up words.
 */
export function sentenceMaker(seed: number) {
  const random = prng(seed);
  const words = FUNCTION_WORDS.length + CONTENT_WORDS;
  const english = [...FUNCTION_WORDS, ...vocabulary('latin', CONTENT_WORDS, 101)];
  const lexicons = new Map<string, string[]>(
    TARGETS.map((target, index) => [
      target.language,
      vocabulary(target.script, words + FUNCTION_WORDS.length, 202 + index).slice(0, words),
    ]),
  );
  const word = () =>
    random() < 0.4
      ? Math.floor(random() * random() * FUNCTION_WORDS.length)
      : FUNCTION_WORDS.length + Math.floor(random() ** 2 * CONTENT_WORDS);
  return {
    random,
    /** 5–30 words, most around 17. */
    sentence(): number[] {
      const length = 5 + Math.floor(((random() + random()) / 2) * 26);
      return Array.from({ length }, word);
    },
    /** The same sentence with `edits` words replaced, left out or added. */
    edit(sentence: readonly number[], edits: number): number[] {
      const edited = [...sentence];
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * edited.length);
        const kind = random();
        if (kind < 0.6 || edited.length <= 5) edited[at] = FUNCTION_WORDS.length + Math.floor(random() * CONTENT_WORDS);
        else if (kind < 0.8) edited.splice(at, 1);
        else edited.splice(at, 0, word());
      }
      return edited;
    },
    /** The sentence's words as they are written in `language`, without capital or full stop. */
    words(sentence: readonly number[], language = 'en'): string[] {
      const lexicon = language === 'en' ? english : lexicons.get(language)!;
      return sentence.map((n) => lexicon[n]!);
    },
    write(sentence: readonly number[], language = 'en'): string {
      const text = this.words(sentence, language).join(language === 'ja' ? '' : ' ');
      if (language === 'ja') return `${text}。`;
      if (language === 'ar') return `${text}.`;
      return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
    },
  };
}

// ---- 1. translation memory ----

export type QueryKind = 'stored' | 'edited' | 'new';
const QUERY_KINDS: readonly QueryKind[] = ['stored', 'edited', 'new'];
interface MemoryQuery {
  kind: QueryKind;
  text: string;
  /** The stored sentence it was taken or edited from. */
  origin: string | null;
}

/**
 * Fills `translation_memory` with `rows` generated pairs: without its indexes (dropped and made again
 * afterwards with the migration's own definitions, as a bulk load does), in batches, then ANALYZE.
 * Returns the queries: stored English → French sentences, edits of them, and new sentences.
 */
export async function fillMemory(db: Kysely<DB>, rows: number, batch: number) {
  const maker = sentenceMaker(7);
  const started = now();
  const indexes = await sql<{ name: string; definition: string }>`
    SELECT indexname AS name, indexdef AS definition FROM pg_indexes
    WHERE tablename = 'translation_memory' AND indexname <> 'translation_memory_pkey'`.execute(db);
  for (const index of indexes.rows) await sql`DROP INDEX ${sql.ref(index.name)}`.execute(db);
  const seen = new Set<string>();
  const french: number[][] = [];
  const recent: number[][] = [];
  const SAMPLE = 2000;
  let frenchSeen = 0;
  let sourceChars = 0;
  let stored = 0;
  let sentences = 0;
  const pairs = new Map<string, number>(TARGETS.map((target) => [target.language, 0]));
  while (stored < rows) {
    const columns = {
      target: [] as string[],
      source: [] as string[],
      translated: [] as string[],
      origin: [] as string[],
    };
    while (columns.target.length < batch && stored + columns.target.length < rows) {
      // A tenth of the sentences are a one-word variant of a recent one, as a memory holds versions of a sentence.
      const base = recent.length && maker.random() < 0.1 ? recent[Math.floor(maker.random() * recent.length)] : null;
      const sentence = base ? maker.edit(base, 1) : maker.sentence();
      const source = maker.write(sentence);
      if (seen.has(source)) continue;
      seen.add(source);
      sentences++;
      recent[sentences % 50] = sentence;
      let languages = TARGETS.filter((target) => maker.random() < target.share);
      if (languages.length === 0) languages = [TARGETS[Math.floor(maker.random() * TARGETS.length)]!];
      for (const { language } of languages) {
        if (stored + columns.target.length >= rows) break;
        columns.target.push(language);
        columns.source.push(source);
        columns.translated.push(maker.write(sentence, language));
        columns.origin.push(`story:${1 + (sentences % 5000)}:u${1 + (sentences % 311)}`);
        pairs.set(language, pairs.get(language)! + 1);
        // A uniform sample of the English → French sentences (reservoir), for the queries.
        if (language === 'fr') {
          frenchSeen++;
          const slot = french.length < SAMPLE ? french.length : Math.floor(maker.random() * frenchSeen);
          if (slot < SAMPLE) french[slot] = sentence;
        }
        sourceChars += source.length;
      }
    }
    await sql`INSERT INTO translation_memory (source_language, target_language, source_text, target_text, origin, source_bands)
      SELECT 'en', t, s, x, o, b::integer[] FROM unnest(${columns.target}::text[], ${columns.source}::text[],
        ${columns.translated}::text[], ${columns.origin}::text[], ${columns.source.map(memoryBandsLiteral)}::text[])
        AS v(t, s, x, o, b)`.execute(db);
    stored += columns.target.length;
    if (stored % (batch * 20) === 0 || stored === rows) log(`  memory: ${stored} pairs stored`);
  }
  const loaded = now();
  for (const index of indexes.rows) await sql.raw(index.definition).execute(db);
  const indexed = now();
  await sql`ANALYZE translation_memory`.execute(db);
  const size = await sql<{ table: number; indexes: number }>`
    SELECT pg_table_size('translation_memory') AS table, pg_indexes_size('translation_memory') AS indexes`.execute(db);
  // The queries: a third stored sentences, a third one or two words away from one, a third new.
  const queries: MemoryQuery[] = [];
  const pickStored = () => french.splice(Math.floor(maker.random() * french.length), 1)[0]!;
  for (let i = 0; i < QUERIES; i++) {
    const kind = QUERY_KINDS[i % 3]!;
    if (kind === 'stored') {
      const text = maker.write(pickStored());
      queries.push({ kind, text, origin: text });
    } else if (kind === 'edited') {
      const original = pickStored();
      let edited = maker.edit(original, 1 + (i % 2));
      while (seen.has(maker.write(edited))) edited = maker.edit(original, 1 + (i % 2));
      queries.push({ kind, text: maker.write(edited), origin: maker.write(original) });
    } else {
      let text = maker.write(maker.sentence());
      while (seen.has(text)) text = maker.write(maker.sentence());
      queries.push({ kind, text, origin: null });
    }
  }
  return {
    queries,
    data: {
      pairs: rows,
      sentences,
      byLanguage: Object.fromEntries(pairs),
      meanSourceChars: sourceChars / rows,
      loadSeconds: (loaded - started) / 1000,
      indexSeconds: (indexed - loaded) / 1000,
      tableMB: Number(size.rows[0]!.table) / 2 ** 20,
      indexMB: Number(size.rows[0]!.indexes) / 2 ** 20,
    },
  };
}

/** The plain way: every English → French pair ranked by similarity(), no index can help. */
const scanSql = (text: string) => sql<{ source_text: string; target_text: string; origin: string }>`
  SELECT source_text, target_text, origin FROM translation_memory
  WHERE source_language = 'en' AND target_language = 'fr'
  ORDER BY similarity(source_text, ${text}) DESC LIMIT 10`;

/** The repository's memoryCandidates query as written there, for EXPLAIN. */
const candidatesSql = (text: string, prefix: string) => sql`${sql.raw(prefix)}
  SELECT source_text, target_text, origin FROM translation_memory
  WHERE source_language = 'en' AND target_language = 'fr'
    AND source_bands && ${memoryBandsLiteral(text)}::integer[]
    AND length(source_text) >= ${Math.floor(text.length * 0.6)} AND length(source_text) <= ${Math.ceil(text.length / 0.6) + 2}
  ORDER BY similarity(source_text, ${text}) DESC LIMIT ${CANDIDATES}`;

/** The ways to look up measured side by side: the repository's, a plain scan, and the alternatives tried. */
export const WAYS = ['index', 'scan', 'exact', 'gin'] as const;
export type Way = (typeof WAYS)[number];
export interface LookupRow {
  engine: Engine;
  way: Way;
  kind: QueryKind | 'all';
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** Of the queries with a stored origin that scores ≥ 75: the best match shown is the origin or as good. */
  found: number;
  expected: number;
  /** Queries that showed any match (score ≥ 75). */
  shown: number;
}
export interface PlanNote {
  kind: QueryKind;
  chars: number;
  plan: string;
  ms: number;
}
export interface AlternativeSetup {
  way: Way;
  buildSeconds: number;
  indexMB: number;
}
export interface MemoryEngineResult {
  engine: Engine;
  data: Awaited<ReturnType<typeof fillMemory>>['data'];
  rows: LookupRow[];
  /** The repository's SQL alone and the scoring alone (all queries), ms. */
  indexSql: Stats;
  scoring: Stats;
  /** Of the queries also scanned: those whose best shown match is the same text both ways (or neither shows one). */
  scanned: number;
  agree: number;
  disagreements: Array<{
    kind: QueryKind;
    text: string;
    index: string | null;
    indexScore: number;
    scan: string | null;
    scanScore: number;
  }>;
  /** Queries with a stored origin whose 30 candidates from the repository missed it. */
  candidateMisses: number;
  plans: PlanNote[];
  setups: AlternativeSetup[];
  /** Which queries each alternative ran: every n-th. */
  every: Record<Way, number>;
}

/** A plan in one line: its nodes, rows, what the filter threw away, buffers. */
function describePlan(node: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (n: Record<string, unknown>) => {
    const name = [
      n['Node Type'],
      n['Index Name'] ? `using ${n['Index Name']}` : '',
      n['Relation Name'] && !n['Index Name'] ? `on ${n['Relation Name']}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const removed = Number(n['Rows Removed by Filter'] ?? 0) + Number(n['Rows Removed by Index Recheck'] ?? 0);
    const loops = Number(n['Actual Loops'] ?? 1);
    const buffers = Number(n['Shared Hit Blocks'] ?? 0) + Number(n['Shared Read Blocks'] ?? 0);
    parts.push(
      `${name} (${Number(n['Actual Rows']) * loops} rows${removed ? `, ${removed * loops} removed by filter` : ''}${buffers ? `, ${buffers} buffers` : ''}${n['Workers Launched'] ? `, ${n['Workers Launched']} workers` : ''})`,
    );
    for (const child of (n.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
  };
  walk(node);
  return parts.join(' → ');
}

async function explain(db: Kysely<DB>, query: MemoryQuery): Promise<PlanNote> {
  const { rows } = await candidatesSql(query.text, 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)').execute(db);
  const json = (rows[0] as Record<string, unknown>)['QUERY PLAN'];
  const [top] = (typeof json === 'string' ? JSON.parse(json) : json) as Array<Record<string, unknown>>;
  return {
    kind: query.kind,
    chars: query.text.length,
    plan: describePlan(top!.Plan as Record<string, unknown>),
    ms: Number(top!['Execution Time']),
  };
}

const best = (matches: readonly MemoryMatch[]) => matches[0] ?? null;
/** A table with its indexes (TOAST included), or an index, in MB. */
const megabytes = async (db: Kysely<DB>, relation: string) =>
  Number(
    (await sql<{ size: number }>`SELECT pg_total_relation_size(${relation}::regclass) AS size`.execute(db)).rows[0]!
      .size,
  ) /
  2 ** 20;
const asCandidates = (rows: Array<{ source_text: string; target_text: string; origin: string }>): MemoryCandidate[] =>
  rows.map((row) => ({ source: row.source_text, target: row.target_text, origin: row.origin }));

/** Lookups through the real code (memoryCandidates, then scoreMatches), by a plain scan and by the alternatives, side by side. */
async function measureMemory(engine: Engine, database: Database, services: Services): Promise<MemoryEngineResult> {
  const rows = MEMORY_ROWS[engine];
  const { db } = database;
  log(`${engine}: filling the memory with ${rows} pairs`);
  const { queries, data } = await fillMemory(db, rows, engine === 'embedded' ? 2000 : 5000);
  log(
    `${engine}: ${rows} pairs (${data.sentences} English sentences) stored in ${fixed(data.loadSeconds, 1)} s, indexes built in ${fixed(data.indexSeconds, 1)} s; table ${fixed(data.tableMB, 0)} MB, indexes ${fixed(data.indexMB, 0)} MB`,
  );
  const { translations } = services.repositories;
  const timed = async (text: string, fetch: () => Promise<MemoryCandidate[]>) => {
    const begin = now();
    const candidates = await fetch();
    const fetched = now();
    const matches = scoreMatches(text, candidates, SHOWN_FROM).slice(0, 5);
    return { candidates, matches, sql: fetched - begin, scoring: now() - fetched, total: now() - begin };
  };
  type Lookup = Awaited<ReturnType<typeof timed>>;
  const ways: Record<Way, (text: string) => Promise<Lookup>> = {
    index: (text) => timed(text, () => translations.memoryCandidates('en', 'fr', text, CANDIDATES)),
    scan: (text) => timed(text, async () => asCandidates((await scanSql(text).execute(db)).rows)),
    exact: (text) =>
      timed(text, async () =>
        asCandidates(
          (
            await sql<{ source_text: string; target_text: string; origin: string }>`
              SELECT source_text, target_text, origin FROM translation_memory
              WHERE source_language = 'en' AND target_language = 'fr' AND md5(source_text) = md5(${text})`.execute(db)
          ).rows,
        ),
      ),
    gin: (text) =>
      timed(text, () =>
        db.transaction().execute(async (trx) => {
          await sql`SET LOCAL pg_trgm.similarity_threshold = 0.5`.execute(trx);
          const found = await sql<{ source_text: string; target_text: string; origin: string }>`
            SELECT source_text, target_text, origin FROM translation_memory
            WHERE source_language = 'en' AND target_language = 'fr' AND source_text % ${text}
            ORDER BY similarity(source_text, ${text}) DESC LIMIT ${CANDIDATES}`.execute(trx);
          return asCandidates(found.rows);
        }),
      ),
  };
  // Every n-th query: the slow ways run on a share of them, spread over the three kinds.
  const every: Record<Way, number> = { index: 1, scan: SCAN_EVERY, exact: 1, gin: GIN_EVERY };
  const measured = new Map<Way, Array<{ query: MemoryQuery; lookup: Lookup }>>(WAYS.map((way) => [way, []]));
  const run = async (chosen: readonly Way[]) => {
    const warm = sentenceMaker(99);
    for (const way of chosen) for (let i = 0; i < 3; i++) await ways[way](warm.write(warm.sentence()));
    for (const [i, query] of queries.entries()) {
      for (const way of chosen)
        if (i % every[way] === 0) measured.get(way)!.push({ query, lookup: await ways[way](query.text) });
      if ((i + 1) % 50 === 0) log(`  ${engine}: ${i + 1} of ${queries.length} queries (${chosen.join(', ')})`);
    }
  };
  // The repository's way and the scan, turn about, on the data as the migration indexes it.
  await run(['index', 'scan', 'exact']);
  const plans: PlanNote[] = [];
  for (const kind of QUERY_KINDS)
    plans.push(
      await explain(
        db,
        queries.find((query) => query.kind === kind)!,
      ),
    );
  // The alternative, on the same rows: a GIN trigram index, for `%`.
  const setups: AlternativeSetup[] = [];
  const begin = now();
  await sql`CREATE INDEX bench_memory_gin ON translation_memory USING gin (source_text gin_trgm_ops)`.execute(db);
  setups.push({ way: 'gin', buildSeconds: (now() - begin) / 1000, indexMB: await megabytes(db, 'bench_memory_gin') });
  await run(['gin']);

  const originScore = (query: MemoryQuery) => (query.origin === null ? 0 : matchScore(query.text, query.origin));
  const found = (query: MemoryQuery, matches: readonly MemoryMatch[]) =>
    query.origin !== null && (best(matches)?.score ?? -1) >= originScore(query);
  const row = (way: Way, kind: QueryKind | 'all'): LookupRow => {
    const these = measured.get(way)!.filter((m) => kind === 'all' || m.query.kind === kind);
    const expecting = these.filter((m) => m.query.origin !== null && originScore(m.query) >= SHOWN_FROM);
    return {
      engine,
      way,
      kind,
      ...stats(these.map((m) => m.lookup.total)),
      found: expecting.filter((m) => found(m.query, m.lookup.matches)).length,
      expected: expecting.length,
      shown: these.filter((m) => m.lookup.matches.length > 0).length,
    };
  };
  const index = measured.get('index')!;
  const byText = new Map(index.map((m) => [m.query.text, m.lookup]));
  const scanned = measured.get('scan')!;
  const disagreements = scanned
    .map((m) => ({ query: m.query, scan: m.lookup, index: byText.get(m.query.text)! }))
    .filter((m) => (best(m.index.matches)?.source ?? null) !== (best(m.scan.matches)?.source ?? null))
    .map((m) => ({
      kind: m.query.kind,
      text: m.query.text,
      index: best(m.index.matches)?.source ?? null,
      indexScore: best(m.index.matches)?.score ?? 0,
      scan: best(m.scan.matches)?.source ?? null,
      scanScore: best(m.scan.matches)?.score ?? 0,
    }));
  return {
    engine,
    data,
    rows: WAYS.flatMap((way) => [...QUERY_KINDS, 'all' as const].map((kind) => row(way, kind))),
    indexSql: stats(index.map((m) => m.lookup.sql)),
    scoring: stats(index.map((m) => m.lookup.scoring)),
    scanned: scanned.length,
    agree: scanned.length - disagreements.length,
    disagreements,
    candidateMisses: index.filter(
      (m) => m.query.origin !== null && !m.lookup.candidates.some((c) => c.source === m.query.origin),
    ).length,
    plans,
    setups,
    every,
  };
}

// ---- 2. segmenting and saving a long story ----

export type StoryLanguage = 'en' | 'ja' | 'ar';
/**
 * A story of about `words` words in `paragraphs` paragraphs (a heading before every 12th, every 15th
 * a quote), written in the Markdown subset: a quarter of the sentences with a word in *emphasis*,
 * an eighth with two words as a [link](https://example.org/…). Stored as the editor stores it:
 * the blocks parseStoryMarkup gives.
 */
export function storyText(language: StoryLanguage, words: number, paragraphs: number, seed: number): StoryText {
  const maker = sentenceMaker(seed);
  const join = language === 'ja' ? '' : ' ';
  const marked = (sentence: number[]) => {
    const pieces = maker.words(sentence, language);
    if (language === 'en') pieces[0] = pieces[0]![0]!.toUpperCase() + pieces[0]!.slice(1);
    const roll = maker.random();
    const at = 1 + Math.floor(maker.random() * (pieces.length - 2));
    if (roll < 0.25) pieces[at] = `*${pieces[at]}*`;
    else if (roll < 0.375)
      pieces.splice(at, 2, `[${pieces[at]}${join}${pieces[at + 1]}](https://example.org/${language}/${at})`);
    return pieces.join(join) + (language === 'ja' ? '。' : '.');
  };
  const blocks: string[] = [];
  let written = 0;
  for (let p = 0; p < paragraphs; p++) {
    if (p > 0 && p % 12 === 0) blocks.push(`## ${maker.write(maker.sentence().slice(0, 4), language).slice(0, -1)}`);
    const budget = Math.round(((p + 1) * words) / paragraphs) - written;
    const sentences: string[] = [];
    for (let used = 0; used < budget;) {
      let sentence = maker.sentence();
      if (used + sentence.length > budget && budget - used >= 5) sentence = sentence.slice(0, budget - used);
      used += sentence.length;
      written += sentence.length;
      sentences.push(marked(sentence));
    }
    blocks.push((p % 15 === 14 ? '> ' : '') + sentences.join(join));
  }
  const parsed = parseStoryMarkup(blocks.join('\n\n'));
  if ('problems' in parsed)
    throw new Error(`generated ${language} story: ${parsed.problems[0]!.message} (line ${parsed.problems[0]!.line})`);
  return {
    language,
    title: maker.write(maker.sentence().slice(0, 6), language).slice(0, -1),
    summary: [maker.sentence(), maker.sentence()].map((s) => maker.write(s, language)).join(join),
    blocks: parsed.blocks.map(({ type, text }) => ({ type, text })),
  };
}

export interface SegmentRow {
  language: StoryLanguage;
  words: number;
  chars: number;
  blocks: number;
  units: number;
  runs: number;
  p50: number;
  p95: number;
}

/** unitSlots() of each story, in this process: 5 runs to warm up, then `runs` timed. */
function measureSegmenting(runs: number): SegmentRow[] {
  return (['en', 'ja', 'ar'] as const).map((language) => {
    const text = storyText(language, 5000, 60, 31);
    for (let i = 0; i < 5; i++) unitSlots(text, language);
    const times: number[] = [];
    let units = 0;
    for (let i = 0; i < runs; i++) {
      const begin = now();
      units = unitSlots(text, language).length;
      times.push(now() - begin);
    }
    const body = text.blocks.map((block) => block.text).join('\n');
    return {
      language,
      words: 5000,
      chars: body.length,
      blocks: text.blocks.length,
      units,
      runs,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
    };
  });
}

export interface SourceSaveRow {
  engine: Engine;
  units: number;
  languages: number;
  runs: number;
  p50: number;
  p95: number;
  max: number;
  /** Edits made (the timed runs and two to warm up), and the units whose version went up: one per edit. */
  edits: number;
  outdated: number;
  unitsAfter: number;
}

/** The story with approved translations of every unit, then `runs` edits of one sentence each through stories.update(). */
async function measureSourceSave(
  engine: Engine,
  services: Services,
  db: Kysely<DB>,
  runs: number,
): Promise<SourceSaveRow> {
  const { catalog, stories } = services.repositories;
  await catalog.saveRegion({ slug: 'bench-region', names: { en: 'Bench region' } });
  const [region] = await catalog.regions();
  const text = storyText('en', 5000, 60, 31);
  const input: StoryInput = {
    slug: 'a-long-story',
    regionId: region!.id,
    sourceLanguage: 'en',
    featured: false,
    themeIds: [],
    storytellerIds: [],
    text,
  };
  const created = (await stories.create(input, null))!;
  const languages = ['fr', 'ar', 'ja'];
  // Every unit translated and approved in three languages (the markers kept), as a finished translation is.
  await sql`INSERT INTO unit_translations (story_id, unit_id, language, text, state, source_version, origin)
    SELECT u.story_id, u.id, l.code, '«' || l.code || '» ' || u.text, 'approved', u.version, 'import'
    FROM story_units u CROSS JOIN unnest(${languages}::text[]) AS l(code) WHERE u.story_id = ${created.id}`.execute(db);
  await stories.setPublished(created.id, new Date('2026-05-01T00:00:00Z'));
  await sql`ANALYZE`.execute(db);
  const units = Number(
    (await sql<{ n: number }>`SELECT count(*) AS n FROM story_units WHERE story_id = ${created.id}`.execute(db))
      .rows[0]!.n,
  );
  let revision = (await stories.findById(created.id))!.revision;
  const times: number[] = [];
  const paragraphs = text.blocks.flatMap((block, index) => (block.type === 'paragraph' ? [index] : []));
  for (let run = -2; run < runs; run++) {
    // One word of the first sentence of another paragraph each time (the first two runs warm up).
    const at = paragraphs[(run + 2) * 2]!;
    const blocks = text.blocks.map((block, index) =>
      index === at ? { ...block, text: block.text.replace(/(\S+ \S+ )[a-z]{2,}/, `$1edited${run + 3}`) } : block,
    );
    const begin = now();
    const saved = await stories.update(created.id, revision, { ...input, text: { ...text, blocks } }, null);
    const took = now() - begin;
    if (!saved?.ok) throw new Error(`${engine}: the story could not be saved (run ${run})`);
    revision = saved.story.revision;
    if (run >= 0) times.push(took);
  }
  const after = await sql<{ active: number; outdated: number }>`
    SELECT count(*) FILTER (WHERE active) AS active, count(*) FILTER (WHERE version > 1) AS outdated
    FROM story_units WHERE story_id = ${created.id}`.execute(db);
  return {
    engine,
    units,
    languages: languages.length,
    runs,
    ...stats(times),
    edits: runs + 2,
    outdated: Number(after.rows[0]!.outdated),
    unitsAfter: Number(after.rows[0]!.active),
  };
}

// ---- 3. saving units over HTTP ----

interface Translator {
  name: string;
  cookie: string;
  csrf: string;
  units: string[];
}
interface SavesJob {
  port: number;
  slug: string;
  language: string;
  translators: Translator[];
  paced: boolean;
  seconds: number;
  seed: number;
}
interface Ack {
  unit: string;
  revision: number;
  text: string;
}
interface SavesReport {
  list: number[];
  latencies: number[];
  /** When each PUT was sent, in ms from the start of the run. */
  sentAt: number[];
  saved: number;
  conflicts: number;
  /** Saves made again after a 409, from the unit as the server answered it. */
  merged: number;
  errors: Record<string, number>;
  acks: Ack[];
  seconds: number;
  /** This thread's CPU time (ms) and event-loop utilization over the run. */
  cpuMs: number;
  elu: number;
}

function send(
  agent: http.Agent,
  port: number,
  method: 'GET' | 'PUT',
  urlPath: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        headers:
          body === undefined
            ? headers
            : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${urlPath} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

interface UnitState {
  revision: number;
  sourceVersion: number;
  source: string;
}

/**
 * The translators' side, in a worker thread: each reads the unit list once, then saves its units in
 * turn (paced: every 1–3 s; flat out: again as soon as the answer came). A 409 is merged as the editor
 * does: the translator's text saved again from the revision the server answered with.
 */
async function runTranslators(job: SavesJob): Promise<SavesReport> {
  const cpuBefore = process.threadCpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const report: SavesReport = {
    list: [],
    latencies: [],
    sentAt: [],
    saved: 0,
    conflicts: 0,
    merged: 0,
    errors: {},
    acks: [],
    seconds: 0,
    cpuMs: 0,
    elu: 0,
  };
  const fail = (key: string) => {
    report.errors[key] = (report.errors[key] ?? 0) + 1;
  };
  const base = `/api/v1/stories/${job.slug}/translations/${job.language}`;
  const started = now();
  const end = started + job.seconds * 1000;
  await Promise.all(
    job.translators.map(async (translator, who) => {
      const random = prng(job.seed * 1000 + who);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const headers = { cookie: translator.cookie, 'csrf-token': translator.csrf };
      if (job.paced) await new Promise((resolve) => setTimeout(resolve, random() * 2000));
      const begin = now();
      const list = await send(agent, job.port, 'GET', base, headers);
      report.list.push(now() - begin);
      if (list.status !== 200) return void fail(`GET ${list.status}`);
      const units = new Map<string, UnitState>(
        (JSON.parse(list.body) as { units: Array<UnitState & { id: string }> }).units.map((unit) => [
          unit.id,
          { revision: unit.revision, sourceVersion: unit.sourceVersion, source: unit.source },
        ]),
      );
      /** One save as the editor makes it: after a 409, the same text again from the revision in the answer (5 tries). */
      const saveMerging = async (id: string, unit: UnitState, text: string) => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const body = JSON.stringify({
            baseRevision: unit.revision,
            sourceVersion: unit.sourceVersion,
            text,
            state: 'draft',
          });
          const sent = now();
          let answer: { status: number; body: string };
          try {
            answer = await send(agent, job.port, 'PUT', `${base}/units/${id}`, headers, body);
          } catch (error) {
            return fail(`network ${(error as Error).message}`);
          }
          report.latencies.push(now() - sent);
          report.sentAt.push(sent - started);
          if (answer.status === 200) {
            const saved = (JSON.parse(answer.body) as { unit: { revision: number } }).unit;
            unit.revision = saved.revision;
            report.saved++;
            report.acks.push({ unit: id, revision: saved.revision, text });
            return;
          }
          if (answer.status !== 409) return fail(`PUT ${answer.status}`);
          report.conflicts++;
          const current = (JSON.parse(answer.body) as { current?: { revision: number; sourceVersion: number } })
            .current;
          if (!current) return fail('409 without the current unit');
          unit.revision = current.revision;
          unit.sourceVersion = current.sourceVersion;
          report.merged++;
        }
        fail('409 five times in a row: given up');
      };
      for (let n = 0; now() < end; n++) {
        const id = translator.units[(n + who) % translator.units.length]!;
        const unit = units.get(id)!;
        // The source with its markers, and who wrote this version: every acknowledged text is different.
        const text = `${unit.source} [${translator.name} ${n}]`;
        await saveMerging(id, unit, text);
        if (job.paced) await new Promise((resolve) => setTimeout(resolve, 1000 + random() * 2000));
      }
      agent.destroy();
    }),
  );
  report.seconds = (now() - started) / 1000;
  const cpu = process.threadCpuUsage(cpuBefore);
  report.cpuMs = (cpu.user + cpu.system) / 1000;
  report.elu = performance.eventLoopUtilization(eluBefore).utilization;
  return report;
}

function inWorker(job: SavesJob): Promise<SavesReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    cleanups.push(async () => void (await worker.terminate()));
  });
}

/** Signs in as a browser does (sign-in page, form, then a page for the CSRF token), from an address of its own. */
async function signIn(port: number, username: string, address: string): Promise<{ cookie: string; csrf: string }> {
  const agent = new http.Agent({ keepAlive: false, localAddress: address } as http.AgentOptions);
  const cookies = (headers: string[] | undefined) => (headers ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrfFrom = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
  const raw = (method: string, urlPath: string, headers: Record<string, string>, body?: string) =>
    new Promise<http.IncomingMessage & { text: string }>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Object.assign(response, { text: Buffer.concat(chunks).toString('utf8') })));
      });
      request.on('error', reject);
      request.end(body);
    });
  const page = await raw('GET', '/en/sign-in', {});
  let cookie = cookies(page.headers['set-cookie']);
  const form = new URLSearchParams({ username, password: PASSWORD, _csrf: csrfFrom(page.text) }).toString();
  const answer = await raw(
    'POST',
    '/en/sign-in',
    { cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)) },
    form,
  );
  if (answer.statusCode !== 303) throw new Error(`sign-in of ${username} failed with ${answer.statusCode}`);
  cookie = cookies(answer.headers['set-cookie']) || cookie;
  const after = await raw('GET', '/en/stories', { cookie });
  const csrf = csrfFrom(after.text);
  if (!csrf) throw new Error(`no CSRF token for ${username} after signing in`);
  return { cookie, csrf };
}

export interface SaveRunRow {
  engine: Engine;
  units: 'own' | 'pairs';
  load: 'paced' | 'flat out';
  translators: number;
  requests: number;
  saved: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
  conflicts: number;
  merged: number;
  errors: number;
  serverErrors: number;
  failures: Record<string, number>;
  /** The PUTs sent after the first 5 s, when every translator has read the unit list once. */
  steady?: Stats;
  list: Stats;
  /** Shares of one core over the run. */
  cpu: { loader: number; loaderElu: number; bench: number; server: number; database: number | null; machine: number };
  /** Acknowledged saves missing from the history, or whose revision was acknowledged twice; units whose final text is not the last acknowledged. */
  lost: number;
  duplicated: number;
  finalMismatches: number;
}
export interface HttpEngineResult {
  engine: Engine;
  units: number;
  prepSeconds: number;
  rows: SaveRunRow[];
}

/** CPU seconds of the PostgreSQL backends of one database, by process id (they live as long as the server's pool). */
async function backendCpu(client: pg.Client | null, name: string | null): Promise<Map<number, number>> {
  const seconds = new Map<number, number>();
  if (!client || !name) return seconds;
  const { rows } = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [name],
  );
  for (const { pid } of rows) seconds.set(pid, cpuSeconds([pid]));
  return seconds;
}

async function measureHttp(engine: Engine): Promise<HttpEngineResult> {
  const prepared = now();
  const store = await freshStore(engine);
  const slug = 'translated-together';
  {
    const { database, services } = await openStore(store);
    await services.repositories.catalog.saveRegion({ slug: 'bench-region', names: { en: 'Bench region' } });
    const [region] = await services.repositories.catalog.regions();
    const story = (await services.repositories.stories.create(
      {
        slug,
        regionId: region!.id,
        sourceLanguage: 'en',
        featured: false,
        themeIds: [],
        storytellerIds: [],
        text: storyText('en', 3400, 40, 41),
      },
      null,
    ))!;
    await services.repositories.stories.setPublished(story.id, new Date('2026-05-01T00:00:00Z'));
    for (let i = 0; i < TRANSLATORS; i++) {
      const result = await services.accounts.signUp({ username: `translator-${i + 1}`, password: PASSWORD });
      if (!('user' in result)) throw new Error(`could not create translator-${i + 1}`);
    }
    await database.close();
  }
  const logFile = path.join(store.dataDir, 'server.log');
  const server = await startServe(
    { DATA_DIR: store.dataDir, SEED_DEMO: 'false', ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : {}) },
    logFile,
  );
  cleanups.push(() => server.stop());
  log(`${engine}: storyhub serve (pid ${server.pid}) on 127.0.0.1:${server.port}`);
  const rows: SaveRunRow[] = [];
  let client: pg.Client | null = null;
  const databaseName = store.databaseUrl ? new URL(store.databaseUrl).pathname.slice(1) : null;
  const acksByRow: Ack[][] = [];
  let unitIds: string[] = [];
  try {
    const list = await send(new http.Agent(), server.port, 'GET', `/api/v1/stories/${slug}/translations/fr`, {});
    unitIds = (JSON.parse(list.body) as { units: Array<{ id: string }> }).units.map((unit) => unit.id);
    const sessions: Array<{ cookie: string; csrf: string }> = [];
    for (let i = 0; i < TRANSLATORS; i++)
      sessions.push(await signIn(server.port, `translator-${i + 1}`, `127.0.0.${10 + i}`));
    log(`${engine}: ${unitIds.length} units; ${TRANSLATORS} translators signed in`);
    if (databaseName) {
      client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
    }
    const perOwn = Math.floor(unitIds.length / TRANSLATORS);
    const perPair = Math.floor(unitIds.length / Math.ceil(TRANSLATORS / 2));
    const scenarios = [
      ['own', true],
      ['own', false],
      ['pairs', true],
      ['pairs', false],
    ] as const;
    for (const [units, paced] of scenarios) {
      const translators = sessions.map((session, i) => ({
        name: `translator-${i + 1}`,
        ...session,
        units:
          units === 'own'
            ? unitIds.slice(i * perOwn, (i + 1) * perOwn)
            : unitIds.slice(Math.floor(i / 2) * perPair, (Math.floor(i / 2) + 1) * perPair),
      }));
      const before = {
        bench: process.cpuUsage(),
        server: cpuSeconds([server.pid]),
        database: await backendCpu(client, databaseName),
        machine: machineCpu(),
        at: now(),
      };
      const report = await inWorker({
        port: server.port,
        slug,
        language: 'fr',
        translators,
        paced,
        seconds: SECONDS,
        seed: rows.length + 1,
      });
      const wall = (now() - before.at) / 1000;
      const bench = process.cpuUsage(before.bench);
      const database = await backendCpu(client, databaseName);
      const machineAfter = machineCpu();
      let databaseSeconds = 0;
      for (const [pid, seconds] of database) databaseSeconds += seconds - (before.database.get(pid) ?? 0);
      acksByRow.push(report.acks);
      const failures = Object.values(report.errors).reduce((sum, count) => sum + count, 0);
      rows.push({
        engine,
        units,
        load: paced ? 'paced' : 'flat out',
        translators: translators.length,
        requests: report.latencies.length,
        saved: report.saved,
        ...stats(report.latencies),
        perSecond: report.saved / report.seconds,
        conflicts: report.conflicts,
        merged: report.merged,
        errors: failures,
        serverErrors: Object.entries(report.errors)
          .filter(([key]) => /^(PUT|GET) 5/.test(key))
          .reduce((sum, [, count]) => sum + count, 0),
        failures: report.errors,
        steady: stats(report.latencies.filter((_, i) => report.sentAt[i]! >= STEADY_AFTER_MS)),
        list: stats(report.list),
        cpu: {
          loader: report.cpuMs / 1000 / report.seconds,
          loaderElu: report.elu,
          bench: (bench.user + bench.system) / 1e6 / wall,
          server: (cpuSeconds([server.pid]) - before.server) / wall,
          database: client ? databaseSeconds / wall : null,
          machine:
            (machineAfter.busy - before.machine.busy) /
            ((machineAfter.total - before.machine.total) / os.cpus().length),
        },
        lost: 0,
        duplicated: 0,
        finalMismatches: 0,
      });
      const row = rows.at(-1)!;
      log(
        `${engine} ${units} ${row.load}: ${row.saved} saves, p50 ${fixed(row.p50, 1)} p99 ${fixed(row.p99, 1)} ms, ${row.conflicts} conflicts, ${row.errors} errors; loader ${fixed(row.cpu.loader * 100, 0)}% of a core`,
      );
    }
  } finally {
    await server.stop();
  }
  // Every acknowledged save, against the history and the units as stored, with the server stopped.
  const { database } = await openStore(store);
  try {
    const history = await sql<{ unit_id: string; revision: number; text: string }>`
      SELECT h.unit_id, h.revision, h.text FROM unit_history h JOIN stories s ON s.id = h.story_id
      WHERE s.slug = ${slug} AND h.language = 'fr'`.execute(database.db);
    const stored = new Map(history.rows.map((row) => [`${row.unit_id}:${row.revision}`, row.text]));
    const final = await sql<{ unit_id: string; text: string }>`
      SELECT t.unit_id, t.text FROM unit_translations t JOIN stories s ON s.id = t.story_id
      WHERE s.slug = ${slug} AND t.language = 'fr'`.execute(database.db);
    const finalText = new Map(final.rows.map((row) => [row.unit_id, row.text]));
    // A revision acknowledged twice would be a silent overwrite; the last acknowledged text must be the unit's.
    const seen = new Set<string>();
    const latest = new Map<string, Ack>();
    for (const [index, row] of rows.entries()) {
      for (const ack of acksByRow[index]!) {
        const key = `${ack.unit}:${ack.revision}`;
        if (stored.get(key) !== ack.text) row.lost++;
        if (seen.has(key)) row.duplicated++;
        seen.add(key);
        if (ack.revision > (latest.get(ack.unit)?.revision ?? 0)) latest.set(ack.unit, ack);
      }
    }
    const last = rows.at(-1);
    if (last) for (const [unit, ack] of latest) if (finalText.get(unit) !== ack.text) last.finalMismatches++;
  } finally {
    await database.close();
  }
  const result = { engine, units: unitIds.length, prepSeconds: (now() - prepared) / 1000, rows };
  await store.drop();
  return result;
}

// ---- databases of the run's own ----

const cleanups: Array<() => Promise<void>> = [];
async function cleanUp() {
  while (cleanups.length) await cleanups.pop()!().catch((error: Error) => console.error(`cleanup: ${error.message}`));
}

/** A fresh place for one engine's data: a temporary data directory, and on PostgreSQL a database made for the run. */
async function freshStore(
  engine: Engine,
): Promise<{ dataDir: string; databaseUrl: string | undefined; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-translation-'));
  let dropDatabase = async () => {};
  let databaseUrl: string | undefined;
  if (engine === 'postgres') {
    const base = new URL(process.env.DATABASE_URL!);
    const name = `storyhub_translation_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    dropDatabase = async () => {
      const cleanup = new pg.Client({ connectionString: base.toString() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
    const url = new URL(base);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  };
  cleanups.push(drop);
  return { dataDir, databaseUrl, drop };
}

/** The database as `storyhub serve` opens it (embedded: PGlite in its worker thread, on a data directory) and the services over it. */
async function openStore(store: { dataDir: string; databaseUrl: string | undefined }) {
  const database = await openDatabase({
    url: store.databaseUrl,
    dataDir: path.join(store.dataDir, 'db'),
    command: 'bench/translation.ts',
  });
  const services = await createServices(
    database,
    loadConfig({ DATA_DIR: store.dataDir, ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : {}) }),
  );
  return { database, services };
}

// ---- the run ----

export interface TranslationResult {
  engines: Engine[];
  memory: MemoryEngineResult[];
  segmenting: SegmentRow[];
  sourceSaves: SourceSaveRow[];
  http: HttpEngineResult[];
  /** Load average (1, 5, 15 min) when each part began, and at the end. */
  loads: Array<{ part: string; load: number[] }>;
  failures: string[];
}

async function runTranslation(
  parts: readonly Part[],
  engines: readonly Engine[],
  save: (result: TranslationResult) => void,
) {
  const result: TranslationResult = {
    engines: [...engines],
    memory: [],
    segmenting: [],
    sourceSaves: [],
    http: [],
    loads: [],
    failures: [],
  };
  const step = async (part: string, work: () => Promise<void>) => {
    result.loads.push({ part, load: os.loadavg() });
    try {
      await work();
    } catch (error) {
      console.error(error);
      result.failures.push(`${part}: ${(error as Error).message}`);
      await cleanUp();
    }
    save(result);
  };
  if (parts.includes('memory'))
    for (const engine of engines)
      await step(`memory, ${engine}`, async () => {
        const store = await freshStore(engine);
        const { database, services } = await openStore(store);
        try {
          result.memory.push(await measureMemory(engine, database, services));
        } finally {
          await database.close();
          await store.drop();
        }
      });
  if (parts.includes('segment')) {
    await step('segmenting', async () => {
      result.segmenting = measureSegmenting(20);
      for (const row of result.segmenting)
        log(`segmenting ${row.language}: ${row.units} units, p50 ${fixed(row.p50, 1)} ms, p95 ${fixed(row.p95, 1)} ms`);
    });
    for (const engine of engines)
      await step(`source save, ${engine}`, async () => {
        const store = await freshStore(engine);
        const { database, services } = await openStore(store);
        try {
          const row = await measureSourceSave(engine, services, database.db, 20);
          result.sourceSaves.push(row);
          log(
            `${engine}: saving the story (${row.units} units): p50 ${fixed(row.p50, 1)} ms, p95 ${fixed(row.p95, 1)} ms`,
          );
        } finally {
          await database.close();
          await store.drop();
        }
      });
  }
  if (parts.includes('http'))
    for (const engine of engines)
      await step(`saving units over HTTP, ${engine}`, async () => void result.http.push(await measureHttp(engine)));
  result.loads.push({ part: 'end', load: os.loadavg() });
  save(result);
  return result;
}

// ---- the report ----

const ms = (value: number) => (value >= 100 ? fixed(value, 0) : fixed(value, 1));
const engineName = (engine: Engine) => (engine === 'embedded' ? 'embedded' : 'postgres');
const WAY_NAMES: Record<Way, string> = {
  index:
    '**the repository** (memoryCandidates: MinHash bands `&&` (GIN on int[]), length window, `ORDER BY similarity()`) + scoreMatches',
  scan: 'plain scan: `ORDER BY similarity() DESC LIMIT 10` + scoreMatches',
  exact: 'exact only: `md5(source_text) = md5($1)` (the unique index)',
  gin: 'alternative: GIN trigram index, `%` at 0.5, `ORDER BY similarity()` + scoreMatches',
};

function memoryTables(result: TranslationResult): string {
  const rows = result.memory.flatMap((engine) =>
    WAYS.map((way) => {
      const of = (kind: QueryKind | 'all') => engine.rows.find((row) => row.way === way && row.kind === kind)!;
      const all = of('all');
      const setup = engine.setups.find((s) => s.way === way);
      return [
        `${engineName(engine.engine)} (${engine.data.pairs.toLocaleString('en')})`,
        WAY_NAMES[way] +
          (setup ? ` (index built in ${fixed(setup.buildSeconds, 0)} s, ${fixed(setup.indexMB, 0)} MB)` : ''),
        all.n,
        way === 'index' ? `**${ms(all.p50)}**` : ms(all.p50),
        way === 'index' ? `**${ms(all.p95)}**` : ms(all.p95),
        ms(all.max),
        QUERY_KINDS.map((kind) => ms(of(kind).p95)).join(' / '),
        `${of('stored').found}/${of('stored').expected} · ${of('edited').found}/${of('edited').expected}`,
        `${of('new').shown}/${of('new').n}`,
      ];
    }),
  );
  const data = result.memory.map(
    (engine) =>
      `- ${engineName(engine.engine)}: ${engine.data.pairs.toLocaleString('en')} pairs (${Object.entries(
        engine.data.byLanguage,
      )
        .map(([language, count]) => `en→${language} ${count.toLocaleString('en')}`)
        .join(
          ', ',
        )}) of ${engine.data.sentences.toLocaleString('en')} English sentences, ${fixed(engine.data.meanSourceChars, 0)} characters on average; stored in ${fixed(engine.data.loadSeconds, 0)} s, the migration's indexes built in ${fixed(engine.data.indexSeconds, 0)} s; table ${fixed(engine.data.tableMB, 0)} MB, indexes ${fixed(engine.data.indexMB, 0)} MB. The repository's SQL alone: p50 ${ms(engine.indexSql.p50)} ms, p95 ${ms(engine.indexSql.p95)} ms; scoring its 30 candidates: p50 ${ms(engine.scoring.p50)} ms, p95 ${ms(engine.scoring.p95)} ms.`,
  );
  const plans = result.memory.flatMap((engine) =>
    engine.plans.map(
      (plan) =>
        `- ${engineName(engine.engine)}, ${plan.kind === 'edited' ? 'an' : 'a'} ${plan.kind} sentence (${plan.chars} characters): ${plan.plan}; ${ms(plan.ms)} ms`,
    ),
  );
  return `${markdownTable(
    [
      'engine (pairs)',
      'lookup',
      'n',
      'p50 ms',
      'p95 ms',
      'max ms',
      'p95 stored / edited / new',
      'best match found (stored · edited)',
      'new sentences with a match shown',
    ],
    rows,
  )}

${data.join('\n')}

EXPLAIN (ANALYZE, BUFFERS) of the repository's query:

${plans.join('\n')}`;
}

function memoryReading(result: TranslationResult): string {
  return result.memory
    .map((engine) => {
      const of = (way: Way, kind: QueryKind | 'all' = 'all') =>
        engine.rows.find((row) => row.way === way && row.kind === kind)!;
      const target = MEMORY_TARGETS[engine.engine];
      const index = of('index');
      const scan = of('scan');
      const gin = of('gin');
      const plan = engine.plans[0]?.plan ?? '';
      const how = /translation_memory_bands/.test(plan)
        ? "the planner reads the bands' GIN index and only the rows that share a band with the sentence"
        : "**the planner does not use the bands' GIN index** (see the plans below)";
      const verdict = (p95: number) =>
        p95 <= target
          ? `within the ≤ ${target} ms target`
          : `**${fixed(p95 / target, p95 / target < 10 ? 1 : 0)}× over the ≤ ${target} ms target**`;
      return (
        `On ${engine.engine === 'embedded' ? 'the embedded engine' : 'PostgreSQL'} with ${engine.data.pairs.toLocaleString('en')} pairs, a lookup as the service makes it took ${ms(index.p50)} ms at the median and ${ms(index.p95)} ms at p95: ${verdict(index.p95)}; ${how}. ` +
        `It finds ${index.found} of ${index.expected} stored and edited sentences' best match; ${engine.candidateMisses} queries' 30 candidates missed the sentence they came from; the best match is the plain scan's for ${engine.agree} of ${engine.scanned} scanned. ` +
        `The plain scan ranked by \`similarity()\` takes ${ms(scan.p50)} ms at the median and ${ms(scan.p95)} ms at p95 (${fixed(scan.p50 / Math.max(index.p50, 0.001), 0)}× the repository's median) and grows with the table. ` +
        `Exact matches alone, through the unique md5 index, take ${ms(of('exact').p50)} ms (p95 ${ms(of('exact').p95)}). ` +
        `A GIN trigram index with \`%\` found ${gin.found} of ${gin.expected} at ${ms(gin.p50)} ms median and ${ms(gin.p95)} ms p95 (${verdict(gin.p95)}: a sentence's trigrams include common ones whose posting lists hold much of the table).`
      );
    })
    .join(' ');
}

function segmentTables(result: TranslationResult): string {
  const segment = markdownTable(
    ['language', 'words', 'characters of the body', 'blocks', 'units', 'runs', 'p50 ms', 'p95 ms'],
    result.segmenting.map((row) => [
      row.language,
      row.words.toLocaleString('en'),
      row.chars.toLocaleString('en'),
      row.blocks,
      row.units,
      row.runs,
      ms(row.p50),
      ms(row.p95),
    ]),
  );
  const saves = markdownTable(
    [
      'engine',
      'units',
      'approved translations',
      'runs',
      'p50 ms',
      'p95 ms',
      'max ms',
      'units outdated / sentences edited',
      'units after',
    ],
    result.sourceSaves.map((row) => [
      row.engine,
      row.units,
      `${row.languages} languages × ${row.units}`,
      row.runs,
      `**${ms(row.p50)}**`,
      ms(row.p95),
      ms(row.max),
      `${row.outdated} / ${row.edits}`,
      row.unitsAfter,
    ]),
  );
  return `${segment}\n\nSaving the English source with one sentence changed (stories.update: segmenting, aligning unit ids, putting the three translations together again, one transaction):\n\n${saves}`;
}

function segmentReading(result: TranslationResult): string {
  const parts = result.segmenting.map((row) => `${row.language} ${ms(row.p50)} ms (${row.units} units)`);
  const saves = result.sourceSaves.map(
    (row) =>
      `on ${row.engine === 'embedded' ? 'the embedded engine' : 'PostgreSQL'} ${ms(row.p50)} ms at the median and ${ms(row.p95)} ms at p95${row.outdated === row.edits && row.unitsAfter === row.units ? ', outdating exactly the edited unit each time and keeping every other id' : ` (**${row.outdated} units outdated for ${row.edits} edits, ${row.unitsAfter} units after against ${row.units}**)`}`,
  );
  return `Segmenting the 5,000-word story takes ${parts.join(', ')} at the median (pure code, no I/O). Saving its source with one sentence changed took ${saves.join('; ')}.`;
}

function httpTable(result: TranslationResult): string {
  const rows = result.http.flatMap((engine) =>
    engine.rows.map((row) => [
      row.engine,
      row.units === 'own'
        ? `own units (${Math.floor(engine.units / row.translators)} each)`
        : 'pairs on the same units',
      row.load,
      row.saved,
      ms(row.p50),
      ms(row.p95),
      row.load === 'paced' ? `**${ms(row.p99)}**` : ms(row.p99),
      row.steady ? `${ms(row.steady.p99)} (${row.steady.n})` : '–',
      ms(row.max),
      fixed(row.perSecond, 0),
      `${row.conflicts} (${row.merged} merged)`,
      `${row.errors} (${row.serverErrors})`,
      `${row.lost} / ${row.duplicated}${row.finalMismatches ? ` / ${row.finalMismatches} units` : ''}`,
      `${ms(row.list.p50)} / ${ms(row.list.p95)}`,
      `${fixed(row.cpu.loader * 100, 0)}% (${fixed(row.cpu.loaderElu * 100, 0)}%)`,
      `${fixed(row.cpu.server * 100, 0)}%`,
      row.cpu.database === null ? '–' : `${fixed(row.cpu.database * 100, 0)}%`,
      `${fixed(row.cpu.machine * 100, 0)}%`,
      `${fixed(Math.max(0, row.cpu.machine - row.cpu.bench - row.cpu.server - (row.cpu.database ?? 0)) * 100, 0)}%`,
    ]),
  );
  return markdownTable(
    [
      'engine',
      'units',
      'load',
      'saves',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'p99 ms after the first 5 s (PUTs)',
      'max ms',
      'saves/s',
      '409 (merged and saved again)',
      'errors (5xx)',
      'lost / revision acknowledged twice',
      'unit list GET p50 / p95 ms',
      'loader thread CPU (event loop busy)',
      'server CPU',
      'PostgreSQL CPU',
      `machine (of ${os.cpus().length * 100}%)`,
      "others' work",
    ],
    rows,
  );
}

function httpReading(result: TranslationResult): string {
  return result.http
    .map((engine) => {
      const find = (units: 'own' | 'pairs', load: 'paced' | 'flat out') =>
        engine.rows.find((row) => row.units === units && row.load === load);
      const paced = find('own', 'paced');
      const flat = find('own', 'flat out');
      const pairs = engine.rows.filter((row) => row.units === 'pairs');
      const loaderMax = Math.max(...engine.rows.map((row) => row.cpu.loader));
      const errors = engine.rows.reduce((sum, row) => sum + row.errors, 0);
      const lost = engine.rows.reduce((sum, row) => sum + row.lost + row.duplicated + row.finalMismatches, 0);
      const name = engine.engine === 'embedded' ? 'the embedded engine' : 'PostgreSQL';
      return [
        paced
          ? `On ${name}, ${paced.translators} translators each saving their own units every 1–3 s: p99 ${ms(paced.p99)} ms (median ${ms(paced.p50)}), ${paced.p99 <= SAVE_P99_TARGET_MS ? 'within' : '**over**'} the ≤ ${SAVE_P99_TARGET_MS} ms target${paced.steady ? `; ${ms(paced.steady.p99)} ms after the first 5 s, when the ${paced.translators} readings of the unit list (p50 ${ms(paced.list.p50)} ms) are over` : ''}.`
          : '',
        flat
          ? `Flat out they made ${fixed(flat.perSecond, 0)} saves/s (p99 ${ms(flat.p99)} ms: every save waits for the others), the server process using ${fixed(flat.cpu.server * 100, 0)}% of a core${flat.cpu.database === null ? ' (the embedded database is a thread of it)' : ` and PostgreSQL ${fixed(flat.cpu.database * 100, 0)}%`}: about ${fixed(((flat.cpu.server + (flat.cpu.database ?? 0)) * 1000) / Math.max(flat.perSecond, 1e-9), 0)} ms of CPU per save.`
          : '',
        pairs.length
          ? `In pairs on the same units, ${pairs.map((row) => `${row.load}: ${row.conflicts} answers were 409 (each merged and saved again from the revision in the answer)`).join('; ')}.`
          : '',
        `Errors: ${errors}; acknowledged saves lost or overwritten: ${lost}${errors === 0 && lost === 0 ? ' (none, as required)' : ' (**must be 0**)'}.`,
        `The load generator's thread used at most ${fixed(loaderMax * 100, 0)}% of a core${loaderMax < 0.5 ? ', so it was not the limit' : ', **close to the limit**'}.`,
      ]
        .filter(Boolean)
        .join(' ');
    })
    .join(' ');
}

/**
 * A warning for the parts (by name prefix) that began with a load average above 1.5× the cores: other
 * people's work then competed for them, and the times measured are inflated.
 */
function busyNote(result: TranslationResult, ...prefixes: string[]): string {
  const cores = os.cpus().length;
  const busy = result.loads.filter(
    (entry) => prefixes.some((prefix) => entry.part.startsWith(prefix)) && entry.load[0]! > 1.5 * cores,
  );
  if (!busy.length) return '';
  const when = busy.map((entry) => `${fixed(entry.load[0]!, 1)} when ${entry.part} began`).join(', ');
  return ` _The load average was ${when}, on ${cores} cores: other people's work competed for them, and those times are inflated._`;
}

export function translationMarkdown(result: TranslationResult): string {
  const sections: string[] = [];
  if (result.failures.length) sections.push(`_Failed: ${result.failures.join('; ')}._`);
  if (result.memory.length)
    sections.push(
      `### Translation memory lookups\n\n${memoryTables(result)}\n\n**Reading.** ${memoryReading(result)}${busyNote(result, 'memory')}`,
    );
  if (result.segmenting.length || result.sourceSaves.length)
    sections.push(
      `### Segmenting and saving a 5,000-word story\n\n${segmentTables(result)}\n\n**Reading.** ${segmentReading(result)}${busyNote(result, 'segmenting', 'source save')}`,
    );
  if (result.http.length)
    sections.push(
      `### Saving units with ${TRANSLATORS} translators at once\n\n${httpTable(result)}\n\n**Reading.** ${httpReading(result)}`,
    );
  return sections.join('\n\n');
}

/** The section of docs/BENCHMARKS.md (bench/run.ts writes it with the others). */
export function translationSection(
  outcome: { result?: unknown; failure?: string; loadAfter: number[] },
  date: string,
): string {
  const result = outcome.result as TranslationResult | undefined;
  const host = machine();
  const engines = result?.engines.includes('postgres')
    ? 'the embedded engine and PostgreSQL (DATABASE_URL set)'
    : 'the embedded engine only (set DATABASE_URL to include PostgreSQL)';
  const loads = result?.loads
    .map((entry) => `${entry.part} ${entry.load.map((l) => l.toFixed(1)).join(' / ')}`)
    .join('; ');
  return `## Translation (bench/translation.ts)

- Command: \`npm run bench -- --only translation\` (alone: \`node_modules/.bin/node bench/translation.ts [--only memory,segment,http] [--engine embedded|postgres] [--memory-embedded 100000] [--memory-postgres 1000000] [--queries 200] [--scan-every 4] [--gin-every 4] [--seconds 30] [--translators 50]\`), on ${engines}
- Date: ${date}
- Machine: ${host.cores} cores, ${host.cpu}, ${host.memoryGiB} GiB, ${host.platform}; Node ${host.node}
- Method, memory: \`translation_memory\` filled with generated pairs, ${MEMORY_ROWS.embedded.toLocaleString('en')} on the embedded engine (PGlite in its worker thread, on a data directory, as \`storyhub serve\` opens it) and ${MEMORY_ROWS.postgres.toLocaleString('en')} on PostgreSQL (a database made for the run): English-like sentences of 5–30 words (3,000 made-up content words drawn with a Zipf-like skew and ${FUNCTION_WORDS.length} English function words; a tenth of them a one-word variant of an earlier one), each stored with translations into 1–4 of French, Spanish, Arabic and Japanese (${TARGETS.map((target) => `${target.language} ${fixed(target.share * 100, 0)}%`).join(', ')} of them, at least one); inserted in batches without the indexes, which are then built with the migration's own definitions, and ANALYZEd. ${QUERIES} English → French lookups, a third stored sentences, a third one or two words away from a stored one (replaced, left out or added), a third new; 3 lookups of each way to warm up. A lookup is what \`services.translation.memory\` does: \`repositories.translations.memoryCandidates('en', 'fr', text, 30)\` then \`scoreMatches(text, candidates, 75)\`, timed together, one after another. Beside it, on the same data: a plain scan ranked by \`similarity()\` (top 10, then the same scoring; on every ${SCAN_EVERY}th query, as it takes seconds), exact matches through the unique md5 index, and two alternatives for near matches (MinHash bands, in a copy of the memory with the column that change would add; the GIN trigram index replacing the GiST one, on every ${GIN_EVERY}th query). "Best match found": the best match shown is the sentence the query came from, or one scoring as high.
- Method, segmenting and saving: a 5,000-word story in 60 paragraphs (a heading before every 12th, every 15th a quote), a quarter of its sentences with a word in *emphasis* and an eighth with a [link](https://example.org), written in the Markdown subset and stored as parseStoryMarkup gives it, in English, Japanese and Arabic; \`unitSlots\` timed in this process (5 runs to warm up, 20 timed). The source save: the English story created through \`repositories.stories.create\`, every unit translated and approved in French, Arabic and Japanese, then 20 \`repositories.stories.update\` calls (after 2 to warm up), each changing one word of a different paragraph's first sentence, with the revision the last one returned.
- Method, saving units: the site as \`npm start\` runs it (\`node src/cli/main.ts serve\` in a child process, every setting at its default but DATA_DIR, PORT, SEED_DEMO=false and DATABASE_URL for PostgreSQL), a published story of about 200 units (3,400 words), ${TRANSLATORS} member accounts signed in over HTTP (each from an address of its own in 127.0.0.0/8), translating into French from one worker thread of the bench process, one keep-alive connection each: each reads the unit list once (GET, timed apart), then saves its units in turn (PUT \`/api/v1/stories/SLUG/translations/fr/units/ID\` with \`{baseRevision, sourceVersion, text, state: 'draft'}\`, cookie and \`csrf-token\`), paced (every 1–3 s) or flat out, ${SECONDS} s each; first each on units of its own, then two translators on the same units, where a 409 is merged as the editor does (the translator's text saved again from the revision in the answer). Afterwards, with the server stopped, every acknowledged save must be in the history with its revision and text, no revision acknowledged twice, and each unit must hold the last acknowledged text. Latency is from sending a PUT to the end of its answer (a 409 and the save after it count as two). CPU as a share of one core over each run: the loader thread (process.threadCpuUsage, event-loop utilization), the server process (/proc), the PostgreSQL backends of the run's database, the whole machine (everyone's work).
- Load average (1 / 5 / 15 min) as each part began: ${loads ?? 'not recorded'}

${outcome.failure ? `_${outcome.failure}._\n\n` : ''}${result ? translationMarkdown(result) : 'No result.'}

Targets (shared/QUALITY.md): translation-memory lookup p95 ≤ ${MEMORY_TARGETS.postgres} ms with 1,000,000 segments on PostgreSQL and ≤ ${MEMORY_TARGETS.embedded} ms with 100,000 on the embedded default; saving a translation unit p99 ≤ ${SAVE_P99_TARGET_MS} ms with 50 concurrent editors; no lost edit.
`;
}

if (!isMainThread) {
  parentPort!.postMessage(await runTranslators(workerData as SavesJob));
} else if (import.meta.main) {
  guardChildren(cleanUp);
  const parts = (option('only')?.split(',') ?? [...PARTS]) as Part[];
  const engines: Engine[] = option('engine')
    ? [option('engine') as Engine]
    : process.env.DATABASE_URL
      ? ['embedded', 'postgres']
      : ['embedded'];
  const json = option('json');
  try {
    const result = await runTranslation(parts, engines, (partial) => {
      if (json) writeFileSync(json, JSON.stringify(partial, null, 2));
    });
    console.log(translationMarkdown(result));
    if (result.failures.length) process.exitCode = 1;
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
  await cleanUp();
  // Worker threads and sockets are done; leave even if a handle lingers.
  setTimeout(() => process.exit(), 1000).unref();
}
