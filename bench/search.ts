// Search with 10,000 published stories in five languages, on the embedded engine (on a data
// directory, as `storyhub serve` opens it) and, when DATABASE_URL is set, on PostgreSQL: p50/p95 of
// realistic queries (exact words, typos, prefixes, Arabic, Japanese) through the function the search
// page calls (services.search.search: both statements, then highlighting), side by side with a
// plain ILIKE scan of the same texts, plus EXPLAIN ANALYZE of the statements, the index sizes and
// what indexing costs a save.
//
//   node_modules/.bin/node bench/search.ts [--json FILE] [--engine embedded|postgres] [--stories 10000] [--rounds 3]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { parseQuery } from '../src/domain/search/query.ts';
import { createServices, type Services } from '../src/services/index.ts';
import { openDatabase, type Database, type Engine } from '../src/store/database.ts';
import { createTestDatabase } from '../test/helpers/database.ts';
import { generateStories, insertStories, type GeneratedStory } from './data.ts';
import { fixed, machine, markdownTable, median, option, percentile, prng } from './lib.ts';

const STORIES = Number(option('stories') ?? 10_000);
const ROUNDS = Number(option('rounds') ?? 3);
const PAGE = 20;
const TARGETS: Record<Engine, number> = { postgres: 50, embedded: 100 };
/** Made-up words per language, drawn with a Zipf-like skew: real catalogs have a long tail of names and rare words. */
const VOCABULARY = 30_000;
const RARE_WORDS_PER_TEXT = 30;

type Lang = 'en' | 'ar' | 'fr' | 'es' | 'ja';
type Kind = 'exact' | 'typo' | 'prefix' | 'arabic' | 'japanese';
interface Query {
  kind: Kind;
  q: string;
}

/** Words that look like each language's (syllables of its letters), so trigrams and typos behave as with real words. */
function vocabulary(language: Lang, random: () => number): string[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const latin = {
    en: {
      onsets: 'b c d f g h j k l m n p r s t v w y br cr dr fl gr pl pr sh st th tr wh'.split(' '),
      vowels: 'a e i o u ea ee oo ai ou'.split(' '),
      codas: ' n r s t l m nd st ng rk'.split(' '),
    },
    fr: {
      onsets: 'b c d f g j l m n p r s t v ch br cr fr gr pl pr tr'.split(' '),
      vowels: 'a e i o u é è ou au eau ai oi'.split(' '),
      codas: ' n r s t l x nt rd'.split(' '),
    },
    es: {
      onsets: 'b c d f g j l m n p r s t v ch ll ñ br cr pr tr'.split(' '),
      vowels: 'a e i o u á é í ó ue ie'.split(' '),
      codas: ' n r s l z d'.split(' '),
    },
  };
  const words = new Set<string>();
  while (words.size < VOCABULARY) {
    if (language === 'ar') {
      const letters = [...'ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآؤئ'];
      const length = 3 + Math.floor(random() * 5);
      let word = random() < 0.3 ? 'ال' : '';
      for (let i = 0; i < length; i += 1) word += pick(letters.slice(0, i === length - 1 ? letters.length : 28));
      words.add(word);
    } else if (language === 'ja') {
      const katakana = [
        ...'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダデドバビブベボパピプペポー',
      ];
      const kanji = Array.from({ length: 600 }, (_, i) => String.fromCodePoint(0x4e00 + i * 31));
      const word =
        random() < 0.5
          ? Array.from({ length: 3 + Math.floor(random() * 4) }, () => pick(katakana)).join('')
          : Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(kanji)).join('');
      words.add(word);
    } else {
      const { onsets, vowels, codas } = latin[language];
      const syllables = 2 + Math.floor(random() * 3);
      let word = '';
      for (let i = 0; i < syllables; i += 1)
        word += pick(onsets) + pick(vowels) + (i === syllables - 1 ? pick(codas) : '');
      if ([...word].length >= 4) words.add(word);
    }
  }
  return [...words];
}

/** The generated stories (bench/data.ts), each text with a paragraph of rarer words of its language. */
function enrich(stories: GeneratedStory[], seed: number): { stories: GeneratedStory[]; words: Record<Lang, string[]> } {
  const random = prng(seed);
  const words = Object.fromEntries(
    (['en', 'ar', 'fr', 'es', 'ja'] as const).map((language) => [language, vocabulary(language, random)]),
  ) as Record<Lang, string[]>;
  // Zipf-like: the i-th word about 1/i as often.
  const draw = (list: string[]) =>
    list[Math.min(list.length - 1, Math.floor(Math.exp(random() * Math.log(list.length))) - 1)]!;
  for (const story of stories) {
    for (const text of story.texts) {
      const list = words[text.language];
      const join = text.language === 'ja' ? '' : ' ';
      const paragraph = Array.from({ length: RARE_WORDS_PER_TEXT }, () => draw(list)).join(join);
      text.blocks = [...text.blocks, { type: 'paragraph', text: paragraph + (text.language === 'ja' ? '。' : '.') }];
    }
  }
  return { stories, words };
}

/** Realistic queries: the phrase lists' words, rare words (a name), their misspellings and beginnings. */
function queries(words: Record<Lang, string[]>, seed: number): Query[] {
  const random = prng(seed);
  const rare = (language: Lang, minLength = 5) => {
    const pool = words[language].slice(50, 3000).filter((word) => [...word].length >= minLength);
    return pool[Math.floor(random() * pool.length)]!;
  };
  const swap = (word: string) => {
    const letters = [...word];
    const at = 1 + Math.floor(random() * (letters.length - 2));
    [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!];
    return letters.join('');
  };
  const drop = (word: string) => {
    const letters = [...word];
    letters.splice(1 + Math.floor(random() * (letters.length - 2)), 1);
    return letters.join('');
  };
  const list: Query[] = [];
  const add = (kind: Kind, ...qs: string[]) => list.push(...qs.map((q) => ({ kind, q })));
  add('exact', 'library', 'photographs', 'radio archive', 'harvest songs', 'bibliothèque', 'canciones', 'translators');
  add('exact', rare('en'), rare('fr'), rare('es'), `${rare('en')} ${rare('en')}`);
  add('typo', 'libary', 'photgraphs', 'volunteres', 'ledgres', 'tarnslators', 'bibliotheqeu');
  add('typo', swap(rare('en')), drop(rare('fr')), swap(rare('es')), drop(swap(rare('en', 10))));
  add('prefix', 'libr', 'photog', 'transl', 'volunteers gath', rare('en').slice(0, 4), rare('es').slice(0, 5));
  add('arabic', 'المكتبة', 'مكتبه', 'المتطوعون', 'اغاني الحصاد', rare('ar'), swap(rare('ar', 6)));
  add('japanese', '図書館', 'ウィキ', '写真', '漁師', rare('ja', 3), [...rare('ja', 3)].slice(0, 2).join(''));
  return list;
}

interface Row {
  engine: Engine;
  kind: Kind | 'all';
  n: number;
  p50: number;
  p95: number;
  p99: number;
  ilikeP50: number;
  ilikeP95: number;
  /** Queries that found something, ours and ILIKE's. */
  found: number;
  ilikeFound: number;
  queries: number;
}
interface Plan {
  engine: Engine;
  query: string;
  statement: 'words' | 'match';
  ms: number;
  indexes: string[];
  seqScans: string[];
}
export interface SearchBenchResult {
  stories: number;
  texts: Record<string, number>;
  rounds: number;
  rows: Row[];
  plans: Plan[];
  sizes: Array<{ engine: Engine; documents: number; words: number; tableMB: number; ginMB: number; wordsMB: number }>;
  seedSeconds: Record<string, number>;
  saves: Array<{ engine: Engine; n: number; p50: number; p95: number }>;
  examples: Array<{ engine: Engine; kind: Kind; q: string; total: number; more: boolean; ilikeTotal: number }>;
  loads: Array<{ engine: Engine; load: number[] }>;
}

async function open(engine: Engine): Promise<{ database: Database; services: Services; cleanup: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-bench-search-'));
  const database =
    engine === 'embedded'
      ? await openDatabase({ dataDir: path.join(dir, 'data'), command: 'bench/search.ts' })
      : await createTestDatabase('postgres');
  mkdirSync(path.join(dir, 'media'), { recursive: true });
  const services = await createServices(
    database,
    loadConfig({ PAGE_CACHE_SECONDS: '0', MEDIA_DIR: path.join(dir, 'media'), WORKER: 'false' }),
  );
  return { database, services, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The ILIKE scan search would be without its indexes: the whole query as a substring of any text. */
async function ilike(database: Database, q: string) {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await sql<{ story_id: number; total: number }>`
    SELECT d.story_id, count(*) OVER () AS total FROM search_texts d JOIN stories s ON s.id = d.story_id
    WHERE s.status = 'published' AND (d.title ILIKE ${pattern} OR d.summary ILIKE ${pattern} OR d.body ILIKE ${pattern})
    GROUP BY d.story_id, s.published_at ORDER BY s.published_at DESC LIMIT ${PAGE}`.execute(database.db);
  return rows[0] ? Number(rows[0].total) : 0;
}

function planSummary(plan: unknown) {
  const text = JSON.stringify(plan);
  const indexes = [...new Set([...text.matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]!))];
  const seqScans = [
    ...new Set([...text.matchAll(/"Node Type":"Seq Scan"[^{}]*?"Relation Name":"([^"]+)"/g)].map((m) => m[1]!)),
  ];
  const ms = Number(/"Execution Time":([\d.]+)/.exec(text)?.[1] ?? Number.NaN);
  return { indexes, seqScans, ms };
}

export async function runSearch(log: (line: string) => void = console.log): Promise<SearchBenchResult> {
  const engines: Engine[] = option('engine')
    ? [option('engine') as Engine]
    : process.env.DATABASE_URL
      ? ['embedded', 'postgres']
      : ['embedded'];
  const { stories, words } = enrich(generateStories(STORIES, 42), 7);
  const texts: Record<string, number> = {};
  for (const story of stories) for (const text of story.texts) texts[text.language] = (texts[text.language] ?? 0) + 1;
  const list = queries(words, 11);
  const result: SearchBenchResult = {
    stories: STORIES,
    texts,
    rounds: ROUNDS,
    rows: [],
    plans: [],
    sizes: [],
    seedSeconds: {},
    saves: [],
    examples: [],
    loads: [],
  };
  const chains = [['en'], ['ar', 'en'], ['fr', 'en'], ['es', 'en'], ['ja', 'en']];
  for (const engine of engines) {
    result.loads.push({ engine, load: os.loadavg() });
    const { database, services, cleanup } = await open(engine);
    try {
      const seeding = performance.now();
      await insertStories(database.db, services.repositories, stories);
      await sql`VACUUM (ANALYZE) search_documents`.execute(database.db);
      await sql`VACUUM (ANALYZE) search_words`.execute(database.db);
      result.seedSeconds[engine] = (performance.now() - seeding) / 1000;
      log(`${engine}: ${STORIES} stories inserted and indexed in ${fixed(result.seedSeconds[engine], 1)} s`);

      const { rows: size } = await sql<{ documents: number; words: number; table: number; gin: number; list: number }>`
        SELECT (SELECT count(*) FROM search_documents) AS documents, (SELECT count(*) FROM search_words) AS words,
          pg_total_relation_size('search_documents') AS table, pg_relation_size('search_documents_vector') AS gin,
          pg_total_relation_size('search_words') AS list`.execute(database.db);
      const mb = (bytes: number) => Number(bytes) / 2 ** 20;
      result.sizes.push({
        engine,
        documents: Number(size[0]!.documents),
        words: Number(size[0]!.words),
        tableMB: mb(size[0]!.table),
        ginMB: mb(size[0]!.gin),
        wordsMB: mb(size[0]!.list),
      });

      // One untimed round, then the timed ones; ours and the scan alternate query by query.
      const ours = new Map<Kind, number[]>();
      const scans = new Map<Kind, number[]>();
      const found = new Map<string, { total: number; more: boolean; ilikeTotal: number }>();
      for (let round = 0; round <= ROUNDS; round += 1) {
        for (const [index, query] of list.entries()) {
          const chain = chains[(index + round) % chains.length]!;
          const first = (index + round) % 2 === 0;
          const timeOurs = async () => {
            const begin = performance.now();
            const page = await services.search.search(query.q, chain, {}, 1, PAGE);
            const elapsed = performance.now() - begin;
            return { elapsed, total: page.total, more: page.more };
          };
          const timeScan = async () => {
            const begin = performance.now();
            const total = await ilike(database, query.q);
            return { elapsed: performance.now() - begin, total };
          };
          const a = first ? await timeOurs() : await timeScan();
          const b = first ? await timeScan() : await timeOurs();
          const [mine, scan] = first ? [a, b] : [b, a];
          if (round === 0) {
            found.set(query.q, {
              total: mine.total,
              more: 'more' in mine && mine.more === true,
              ilikeTotal: scan.total,
            });
            continue;
          }
          ours.set(query.kind, [...(ours.get(query.kind) ?? []), mine.elapsed]);
          scans.set(query.kind, [...(scans.get(query.kind) ?? []), scan.elapsed]);
        }
        if (round > 0) log(`${engine}: round ${round} of ${ROUNDS} done`);
      }
      const kinds = [...new Set(list.map((query) => query.kind))];
      for (const kind of [...kinds, 'all' as const]) {
        const mine = kind === 'all' ? [...ours.values()].flat() : ours.get(kind)!;
        const scan = kind === 'all' ? [...scans.values()].flat() : scans.get(kind)!;
        const asked = list.filter((query) => kind === 'all' || query.kind === kind);
        result.rows.push({
          engine,
          kind,
          n: mine.length,
          p50: median(mine),
          p95: percentile(mine, 95),
          p99: percentile(mine, 99),
          ilikeP50: median(scan),
          ilikeP95: percentile(scan, 95),
          found: asked.filter((query) => found.get(query.q)!.total > 0).length,
          ilikeFound: asked.filter((query) => found.get(query.q)!.ilikeTotal > 0).length,
          queries: asked.length,
        });
      }
      for (const query of list) result.examples.push({ engine, kind: query.kind, q: query.q, ...found.get(query.q)! });

      // The plans PostgreSQL chooses by itself on this data (sequential scans allowed).
      for (const q of ['library', 'tarnslators', 'volunteers gath', 'المكتبة', '図書館']) {
        const request = { words: parseQuery(q), chain: ['en'], limit: PAGE, offset: 0 };
        const analyzed = await services.repositories.search.explain(request, { analyze: true });
        for (const statement of ['words', 'match'] as const)
          if (analyzed[statement])
            result.plans.push({ engine, query: q, statement, ...planSummary(analyzed[statement]) });
      }

      // What indexing costs a save: a one-word edit of a story's source text, 20 times.
      const saves: number[] = [];
      const random = prng(3);
      for (let i = 0; i < 22; i += 1) {
        const pick = stories[Math.floor(random() * stories.length)]!;
        const story = (await services.repositories.stories.findBySlug(pick.slug))!;
        const text = story.texts[story.sourceLanguage]!;
        const blocks = text.blocks.map((block, at) =>
          at === 0 ? { ...block, text: `${block.text} Edited${i}.` } : block,
        );
        const begin = performance.now();
        await services.repositories.stories.update(
          story.id,
          story.revision,
          {
            slug: story.slug,
            regionId: story.regionId,
            sourceLanguage: story.sourceLanguage,
            featured: story.featured,
            themeIds: story.themeIds,
            storytellerIds: story.storytellerIds,
            text: { ...text, blocks },
            typoFix: true,
          },
          null,
        );
        if (i >= 2) saves.push(performance.now() - begin);
      }
      result.saves.push({ engine, n: saves.length, p50: median(saves), p95: percentile(saves, 95) });
    } finally {
      await database.close();
      cleanup();
    }
  }
  return result;
}

const KIND_NAMES: Record<Kind | 'all', string> = {
  exact: 'exact words',
  typo: 'typos',
  prefix: 'prefixes (last word typed)',
  arabic: 'Arabic',
  japanese: 'Japanese',
  all: '**all queries**',
};

export function searchMarkdown(result: SearchBenchResult): string {
  const table = markdownTable(
    ['engine', 'queries', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'ILIKE p50 ms', 'ILIKE p95 ms', 'found (ours / ILIKE)'],
    result.rows.map((row) => [
      row.engine,
      KIND_NAMES[row.kind],
      row.n,
      fixed(row.p50),
      fixed(row.p95),
      fixed(row.p99),
      fixed(row.ilikeP50),
      fixed(row.ilikeP95),
      `${row.found} / ${row.ilikeFound} of ${row.queries}`,
    ]),
  );
  const engines = [...new Set(result.rows.map((row) => row.engine))];
  const examples = markdownTable(
    ['query', 'kind', ...engines.map((engine) => `${engine}: stories found (ILIKE)`)],
    [...new Set(result.examples.map((example) => example.q))].map((q) => {
      const first = result.examples.find((example) => example.q === q)!;
      return [
        `\`${q}\``,
        first.kind,
        ...engines.map((engine) => {
          const example = result.examples.find((e) => e.q === q && e.engine === engine);
          return example ? `${example.more ? 'more than ' : ''}${example.total} (${example.ilikeTotal})` : '–';
        }),
      ];
    }),
  );
  const plans = markdownTable(
    ['engine', 'query', 'statement', 'EXPLAIN ANALYZE ms', 'indexes used', 'sequential scans'],
    result.plans.map((plan) => [
      plan.engine,
      `\`${plan.query}\``,
      plan.statement,
      fixed(plan.ms),
      plan.indexes.join(', '),
      plan.seqScans.join(', ') || 'none',
    ]),
  );
  const sizes = markdownTable(
    [
      'engine',
      'documents',
      'words listed',
      'search_documents MB (with TOAST, indexes)',
      'its GIN index MB',
      'search_words MB',
    ],
    result.sizes.map((size) => [
      size.engine,
      size.documents,
      size.words,
      fixed(size.tableMB, 1),
      fixed(size.ginMB, 1),
      fixed(size.wordsMB, 1),
    ]),
  );
  const saves = markdownTable(
    ['engine', 'seeding and indexing s', 'one-word source edit p50 ms', 'p95 ms'],
    result.saves.map((save) => [
      save.engine,
      fixed(result.seedSeconds[save.engine] ?? Number.NaN, 1),
      fixed(save.p50),
      fixed(save.p95),
    ]),
  );
  return `${table}\n\nWhat each query found (first round; ILIKE looks for the whole query as a substring; "more than": a broad query, whose matches among the newest stories only were ranked and counted):\n\n${examples}\n\nPlans on this data, sequential scans allowed (EXPLAIN ANALYZE of each statement; its time excludes the round trip):\n\n${plans}\n\nIndex sizes:\n\n${sizes}\n\nWhat indexing costs a write (\`repositories.stories.update\` with one word added to a story's first paragraph, which indexes the source text again):\n\n${saves}`;
}

export function searchReading(result: SearchBenchResult): string {
  const parts = [...new Set(result.rows.map((row) => row.engine))].map((engine) => {
    const all = result.rows.find((row) => row.engine === engine && row.kind === 'all')!;
    const target = TARGETS[engine];
    const worst = result.rows
      .filter((row) => row.engine === engine && row.kind !== 'all')
      .sort((a, b) => b.p95 - a.p95)[0]!;
    const name = engine === 'embedded' ? 'On the embedded engine' : 'On PostgreSQL';
    return `${name}, all queries together: p50 ${fixed(all.p50)} ms, p95 ${fixed(all.p95)} ms, ${all.p95 <= target ? `**meeting** the ≤ ${target} ms target` : `**missing** the ≤ ${target} ms target`} (the slowest kind, ${KIND_NAMES[worst.kind]}, p95 ${fixed(worst.p95)} ms); the ILIKE scan of the same texts took p50 ${fixed(all.ilikeP50)} ms, ${fixed(all.ilikeP50 / all.p50, 1)}× ours, and found something for ${all.ilikeFound} of the ${all.queries} queries against ${all.found}.`;
  });
  return parts.join(' ');
}

export function searchSection(
  outcome: { result?: unknown; failure?: string; loadAfter: number[] },
  date: string,
): string {
  const result = outcome.result as SearchBenchResult | undefined;
  const host = machine();
  const engines = result?.rows.some((row) => row.engine === 'postgres')
    ? 'the embedded engine and PostgreSQL (DATABASE_URL set)'
    : 'the embedded engine only (set DATABASE_URL to include PostgreSQL)';
  const loads = result?.loads
    .map((entry) => `${entry.engine} ${entry.load.map((l) => l.toFixed(1)).join(' / ')}`)
    .join('; ');
  const texts = result
    ? Object.entries(result.texts)
        .map(([language, count]) => `${language} ${count.toLocaleString('en')}`)
        .join(', ')
    : '';
  return `## Search (bench/search.ts)

- Command: \`npm run bench -- --only search\` (alone: \`node_modules/.bin/node bench/search.ts [--engine embedded|postgres] [--stories 10000] [--rounds 3]\`), on ${engines}
- Date: ${date}
- Machine: ${host.cores} cores, ${host.cpu}, ${host.memoryGiB} GiB, ${host.platform}; Node ${host.node}. Shared: other people's tests and benchmarks ran on the same two cores during the run (see the load averages), so absolute times are inflated; the ratios to the ILIKE scan were measured side by side.
- Method: ${result ? `${result.stories.toLocaleString('en')} published stories (bench/data.ts: English with translations into 2–4 of Arabic, French, Spanish and Japanese; texts: ${texts}), each text with a paragraph of ${RARE_WORDS_PER_TEXT} rarer words drawn with a Zipf-like skew from ${VOCABULARY.toLocaleString('en')} made-up words per language (syllables of its letters), so the word list is as long as a real catalog's; inserted in bulk and indexed by the same function the stories repository calls, then VACUUM ANALYZE. The embedded engine runs on a data directory in its worker thread, as \`storyhub serve\` opens it. ${result.rows.find((row) => row.kind === 'all')?.queries ?? ''} queries (in the table below), each asked once untimed, then in ${result.rounds} timed rounds, one after another, each reader in turn English, Arabic, French, Spanish or Japanese: \`services.search.search(q, languages)\`, what the search page calls (the word-list statement when a word may be misspelt or is being typed, the match statement, highlighting of the page of ${PAGE}), and beside it, alternating which goes first, a plain scan: the whole query as an ILIKE substring of the title, summary or body of the same texts, published stories only, newest ${PAGE}.` : 'not run.'}
- Load average (1 / 5 / 15 min) as each engine began: ${loads ?? 'not recorded'}; after: ${outcome.loadAfter.map((l) => l.toFixed(1)).join(' / ')}

${outcome.failure ? `_${outcome.failure}._\n\n` : ''}${result ? searchMarkdown(result) : ''}

**Reading.** ${result ? searchReading(result) : 'No result.'} Targets (shared/QUALITY.md): p95 ≤ ${TARGETS.postgres} ms with 10,000 stories in five languages on PostgreSQL, ≤ ${TARGETS.embedded} ms on the embedded default; a one-edit typo in a word of 5+ letters still finds the story (test/integration/search.test.ts holds the table of queries and stories).
`;
}

if (import.meta.main) {
  const json = option('json');
  const result = await runSearch();
  console.log(`\n${searchMarkdown(result)}\n\n${searchReading(result)}`);
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
}
