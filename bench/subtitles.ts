// Subtitle parsing and writing speed: storyhub's WebVTT and SRT readers and writers side by side
// with the npm packages node-webvtt, subtitle and media-captions, on the same generated files in
// one run (500 and 50,000 cues, ~4.8 MB at 50,000), plus linearity (5k/50k/500k cues) and a broken
// file (every 100th timing line damaged) to show every error is reported with its line.
//
//   node_modules/.bin/node bench/subtitles.ts [--json FILE] [--runs N]
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { NodeList } from 'subtitle';
import { parseSRT, parseWebVTT, writeSRT, writeWebVTT } from '../src/domain/subtitles/index.ts';
import { fixed, markdownTable, median, option, prng } from './lib.ts';

const require = createRequire(import.meta.url);
// Each library's production build, as an application would ship it.
process.env.NODE_ENV = 'production';
const { parseSync, stringifySync } = require('subtitle') as typeof import('subtitle');
// media-captions' types use extension-less paths that strict ESM resolution cannot follow.
const { parseText } = (await import('media-captions')) as unknown as {
  parseText(
    text: string,
    options: { type: 'vtt' | 'srt'; errors?: boolean },
  ): Promise<{ cues: unknown[]; errors: unknown[] }>;
};
const nodeWebvtt = require('node-webvtt') as {
  parse(
    input: string,
    options?: { strict?: boolean; meta?: boolean },
  ): { cues: { identifier: string; start: number; end: number; text: string; styles: string }[]; errors: unknown[] };
  compile(input: { cues: unknown[]; valid: boolean; meta?: unknown }): string;
};

const RUNS = Number(option('runs') ?? 7);
const WARM_MS = 300;
const TIMED_MS = 700;
/** media-captions is quadratic: above this many seconds for one parse it is not repeated. */
const SLOW_SECONDS = 5;
const WORDS = [
  'river',
  'school',
  'opens',
  'at',
  'dawn',
  'volunteers',
  'write',
  'the',
  'story',
  'of',
  'their',
  'village',
  'مدرسة',
  'النهر',
  '川の学校',
  'спасибо',
];

export interface ParseRow {
  format: 'vtt' | 'srt';
  cues: number;
  megabytes: number;
  library: string;
  seconds: number;
  mbPerSecond: number;
  cuesRead: number;
  errors: number | string;
}
export interface WriteRow {
  format: 'vtt' | 'srt';
  cues: number;
  library: string;
  seconds: number;
  mbPerSecond: number;
}
export interface SubtitlesResult {
  runs: number;
  parse: ParseRow[];
  write: WriteRow[];
  linear: { cues: number; megabytes: number; msPerMb: number }[];
  broken: {
    cues: number;
    damaged: number;
    storyhubErrors: number;
    storyhubWithLines: number;
    others: Record<string, string>;
  };
}

const time = (seconds: number, comma: boolean) => {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${comma ? ',' : '.'}${pad(ms % 1000, 3)}`;
};

/** A realistic file: two-line cues, some ids and settings in WebVTT, Arabic/Japanese/Russian words among English. */
export function generate(format: 'vtt' | 'srt', count: number, seed = 1): string {
  const random = prng(seed);
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const line = () => Array.from({ length: 3 + Math.floor(random() * 4) }, word).join(' ');
  const out: string[] = format === 'vtt' ? ['WEBVTT', ''] : [];
  for (let i = 0; i < count; i++) {
    const start = i * 3 + random();
    const end = start + 1.5 + random();
    // Numeric ids: the subtitle package refuses others (valid WebVTT ids like "intro").
    if (format === 'srt' || i % 5 === 0) out.push(String(i + 1));
    const settings = format === 'vtt' && i % 7 === 0 ? ' align:start line:85%' : '';
    out.push(`${time(start, format === 'srt')} --> ${time(end, format === 'srt')}${settings}`, line(), line(), '');
  }
  return out.join('\n');
}

/** The same file with every 100th timing line damaged (an arrow lost). */
function damage(text: string): { text: string; damaged: number } {
  let seen = 0;
  let damaged = 0;
  const lines = text.split('\n').map((line) => {
    if (!line.includes('-->')) return line;
    if (++seen % 100 !== 0) return line;
    damaged++;
    return line.replace('-->', '->');
  });
  return { text: lines.join('\n'), damaged };
}

/**
 * The median time of one run in steady state: runs for about WARM_MS untimed (so every parser's hot
 * code is compiled, as in a server that reads many files), then at least `runs` times and TIMED_MS
 * timed. A run slower than SLOW_SECONDS is timed once.
 */
async function measure(run: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  const first = performance.now();
  await run();
  const once = (performance.now() - first) / 1000;
  if (once > SLOW_SECONDS) return once;
  for (const warm = performance.now(); performance.now() - warm < WARM_MS;) await run();
  const times: number[] = [];
  for (const timed = performance.now(); times.length < runs || performance.now() - timed < TIMED_MS;) {
    const start = performance.now();
    await run();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

const PARSERS: Record<
  string,
  (text: string, format: 'vtt' | 'srt') => Promise<{ cues: number; errors: number }> | { cues: number; errors: number }
> = {
  storyhub: (text, format) => {
    const result = format === 'vtt' ? parseWebVTT(text) : parseSRT(text);
    return { cues: result.cues.length, errors: result.problems.length };
  },
  'node-webvtt': (text, format) => {
    if (format !== 'vtt') return { cues: -1, errors: -1 };
    const result = nodeWebvtt.parse(text, { strict: false });
    return { cues: result.cues.length, errors: result.errors.length };
  },
  subtitle: (text) => ({ cues: parseSync(text).length, errors: 0 }),
  'media-captions': async (text, format) => {
    const result = await parseText(text, { type: format, errors: true });
    return { cues: result.cues.length, errors: result.errors.length };
  },
};

export async function runSubtitles(log: (line: string) => void = console.log): Promise<SubtitlesResult> {
  const parse: ParseRow[] = [];
  const write: WriteRow[] = [];
  for (const format of ['vtt', 'srt'] as const) {
    for (const cues of [500, 50_000]) {
      const text = generate(format, cues);
      const megabytes = Buffer.byteLength(text) / 2 ** 20;
      for (const [library, parser] of Object.entries(PARSERS)) {
        if (library === 'node-webvtt' && format === 'srt') continue;
        const result = await parser(text, format);
        const seconds = await measure(() => parser(text, format));
        parse.push({
          format,
          cues,
          megabytes,
          library,
          seconds,
          mbPerSecond: megabytes / seconds,
          cuesRead: result.cues,
          errors: result.errors,
        });
        log(
          `parse ${format} ${cues} ${library}: ${fixed(megabytes / seconds, 1)} MB/s (${fixed(seconds * 1000, 1)} ms, ${result.cues} cues)`,
        );
      }
      const ours = format === 'vtt' ? parseWebVTT(text).cues : parseSRT(text).cues;
      const nodes: NodeList = parseSync(text);
      const webvttInput = { valid: true, cues: nodeWebvtt.parse(generate('vtt', cues)).cues };
      const writers: Record<string, () => string> = {
        storyhub: () => (format === 'vtt' ? writeWebVTT(ours) : writeSRT(ours)),
        subtitle: () => stringifySync(nodes, { format: format === 'vtt' ? 'WebVTT' : 'SRT' }),
        ...(format === 'vtt' ? { 'node-webvtt': () => nodeWebvtt.compile(webvttInput) } : {}),
      };
      for (const [library, writer] of Object.entries(writers)) {
        const bytes = Buffer.byteLength(writer()) / 2 ** 20;
        const seconds = await measure(writer);
        write.push({ format, cues, library, seconds, mbPerSecond: bytes / seconds });
        log(`write ${format} ${cues} ${library}: ${fixed(bytes / seconds, 1)} MB/s`);
      }
    }
  }
  const linear = [];
  for (const cues of [5_000, 50_000, 500_000]) {
    const text = generate('vtt', cues, 3);
    const megabytes = Buffer.byteLength(text) / 2 ** 20;
    const seconds = await measure(() => parseWebVTT(text), 3);
    linear.push({ cues, megabytes, msPerMb: (seconds * 1000) / megabytes });
    log(`linearity ${cues}: ${fixed((seconds * 1000) / megabytes, 2)} ms/MB`);
  }
  const { text: brokenText, damaged } = damage(generate('vtt', 50_000, 5));
  const ourBroken = parseWebVTT(brokenText);
  const errors = ourBroken.problems.filter((p) => p.severity === 'error');
  const others: Record<string, string> = {};
  try {
    const result = nodeWebvtt.parse(brokenText, { strict: false });
    others['node-webvtt'] = `${result.errors.length} errors, ${result.cues.length} cues`;
  } catch (error) {
    others['node-webvtt'] = `throws: ${(error as Error).message.slice(0, 80)}`;
  }
  try {
    others.subtitle = `no errors reported, ${parseSync(brokenText).length} cues`;
  } catch (error) {
    others.subtitle = `throws: ${(error as Error).message.slice(0, 80)}`;
  }
  const media = await parseText(brokenText, { type: 'vtt', errors: true });
  others['media-captions'] = `${media.errors.length} errors, ${media.cues.length} cues`;
  return {
    runs: RUNS,
    parse,
    write,
    linear,
    broken: {
      cues: 50_000,
      damaged,
      storyhubErrors: errors.length,
      storyhubWithLines: errors.filter((p) => p.line > 0).length,
      others,
    },
  };
}

/** The markdown of a result, for docs/BENCHMARKS.md. */
export function subtitlesMarkdown(result: SubtitlesResult): string {
  const parseRows = result.parse.map((row) => {
    const others = result.parse.filter(
      (r) => r.format === row.format && r.cues === row.cues && r.library !== 'storyhub',
    );
    const fastest = Math.max(...others.map((r) => r.mbPerSecond));
    return [
      row.format,
      row.cues,
      fixed(row.megabytes, 2),
      row.library,
      fixed(row.seconds * 1000, 1),
      fixed(row.mbPerSecond, 1),
      row.library === 'storyhub' ? `${fixed(row.mbPerSecond / fastest, 2)}×` : '',
      row.cuesRead,
    ];
  });
  return [
    markdownTable(
      ['format', 'cues', 'MB', 'parser', 'ms (median)', 'MB/s', 'storyhub ÷ fastest other', 'cues read'],
      parseRows,
    ),
    '',
    markdownTable(
      ['format', 'cues', 'writer', 'ms (median)', 'MB/s'],
      result.write.map((row) => [
        row.format,
        row.cues,
        row.library,
        fixed(row.seconds * 1000, 1),
        fixed(row.mbPerSecond, 1),
      ]),
    ),
    '',
    markdownTable(
      ['cues', 'MB', 'storyhub ms per MB'],
      result.linear.map((row) => [row.cues, fixed(row.megabytes, 1), fixed(row.msPerMb, 2)]),
    ),
    '',
    `Broken file (50,000 cues, ${result.broken.damaged} timing lines damaged): storyhub reports ${result.broken.storyhubErrors} errors, ${result.broken.storyhubWithLines} of them with line and column; ` +
      Object.entries(result.broken.others)
        .map(([name, text]) => `${name}: ${text}`)
        .join('; ') +
      '.',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runSubtitles();
  console.log(subtitlesMarkdown(result));
  const json = option('json');
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
}
