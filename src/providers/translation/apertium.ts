import { PLACEHOLDER_PATTERN } from '../../domain/translation/markers.ts';
import type { LanguagePair, MachineFailure, MachineResult, MachineTranslation } from './machine.ts';

// Apertium APy (https://wiki.apertium.org/wiki/Apertium-apy) over HTTP: GET /listPairs and
// POST /translate. Texts go as HTML so that placeholder markers, which the engine would drop,
// travel as empty inline elements; APy keeps them where they stand between the words.

export interface ApertiumOptions {
  /** APy's address: 'http://127.0.0.1:2737', or one with a path ('https://example.org/apy/'). */
  url: string;
  /** For a whole call: a first look at the pairs if needed, the request and reading its answer. */
  timeoutMs?: number;
  /** How long a list of pairs is trusted; a failure forgets it sooner. */
  pairsTtlMs?: number;
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 4000;
const DEFAULT_PAIRS_TTL_MS = 10 * 60 * 1000;
const MAX_PAIRS_BYTES = 1024 * 1024;
// A translation is rarely more than a few times longer than its source, even in another script;
// an answer far beyond that is not a translation, and reading it whole would cost memory.
const ANSWER_GROWTH = 20;
const ANSWER_SLACK_BYTES = 4096;

// Serbo-Croatian is one Apertium language written in Latin script; its variants are the standards
// the site keeps as languages of their own. The plain code reads all three but, as a target,
// names none of them, so it is offered only through its variants.
const HBS = 'hbs';
const HBS_STANDARDS: Record<string, string> = { SR: 'sr-latn', HR: 'hr', BS: 'bs' };

const MARKERS = new RegExp(PLACEHOLDER_PATTERN.source, 'gu');
const MARKER_ELEMENT = /<span\s+id\s*=\s*"?(\d+)"?\s*>\s*<\/span\s*>/giu;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

type Failure = { ok: false; reason: MachineFailure; message: string };
type Answer = { ok: true; body: unknown } | Failure;

/** For each direction in site codes, APy's langpair: a default and those for a region ('pt-br'). */
interface Route {
  langpair?: string;
  byRegion: Map<string, string>;
}

/** Machine translation by an Apertium APy server. */
export function apertiumEngine(options: ApertiumOptions): MachineTranslation {
  const base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pairsTtlMs = options.pairsTtlMs ?? DEFAULT_PAIRS_TTL_MS;
  const fetchFrom = options.fetch ?? fetch;
  let cached: { routes: Map<string, Route>; until: number } | undefined;
  let loading: Promise<{ ok: true; routes: Map<string, Route> } | Failure> | undefined;

  async function request(
    path: string,
    form: Record<string, string> | null,
    maxBytes: number,
    withinMs = timeoutMs,
  ): Promise<Answer> {
    const signal = AbortSignal.timeout(Math.max(0, withinMs));
    try {
      const response = await fetchFrom(new URL(path, base), {
        method: form ? 'POST' : 'GET',
        ...(form && { body: new URLSearchParams(form) }),
        headers: { accept: 'application/json' },
        signal,
      });
      const text = await readAtMost(response, maxBytes);
      if (text === null) return failure('bad-answer', `APy's answer to ${path} is larger than ${maxBytes} bytes`);
      const body = parseJson(text);
      if (response.status === 400 && /not installed/i.test(String(field(body, 'explanation'))))
        return failure('no-pair', `APy has no such pair: ${String(field(body, 'explanation'))}`);
      if (response.status === 429 || response.status >= 500)
        return failure('unavailable', `APy answered ${path} with HTTP ${response.status}`);
      if (response.status !== 200 || body === undefined)
        return failure('bad-answer', `APy answered ${path} with HTTP ${response.status} and no JSON`);
      return { ok: true, body };
    } catch (error) {
      if (signal.aborted) return failure('timeout', `APy did not answer ${path} in time (${timeoutMs} ms in all)`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return failure('unavailable', `APy cannot be reached: ${cause?.code ?? cause?.message ?? String(error)}`);
    }
  }

  async function loadRoutes() {
    const answer = await request('listPairs', null, MAX_PAIRS_BYTES);
    if (!answer.ok) return answer;
    const listed = field(answer.body, 'responseData');
    if (field(answer.body, 'responseStatus') !== 200 || !Array.isArray(listed))
      return failure('bad-answer', 'APy listed its pairs in an unknown form');
    return { ok: true as const, routes: routesOf(listed) };
  }

  // One request at a time for everyone waiting; only a success is kept.
  async function routes(): Promise<{ ok: true; routes: Map<string, Route> } | Failure> {
    if (cached && cached.until > Date.now()) return { ok: true, routes: cached.routes };
    loading ??= loadRoutes().finally(() => (loading = undefined));
    const loaded = await loading;
    if (loaded.ok) cached = { routes: loaded.routes, until: Date.now() + pairsTtlMs };
    return loaded;
  }

  async function translate(text: string, source: string, target: string): Promise<MachineResult> {
    // One budget for the whole call, a first look at the pairs included.
    const deadline = Date.now() + timeoutMs;
    const known = await routes();
    if (!known.ok) return known;
    const langpair = findLangpair(known.routes, source, target);
    if (!langpair) return failure('no-pair', `Apertium offers no translation from ${source} to ${target}`);
    if (!/[\p{L}\p{N}]/u.test(text.replace(MARKERS, ''))) return suggestion(text);
    const { html, markers } = toHtml(text);
    const maxBytes = ANSWER_SLACK_BYTES + ANSWER_GROWTH * Buffer.byteLength(html);
    const form = { langpair, q: html, markUnknown: 'no', format: 'html' };
    const answer = await request('translate', form, maxBytes, deadline - Date.now());
    if (!answer.ok) {
      // The server may have restarted with other pairs, or gone: ask again next time.
      cached = undefined;
      return answer;
    }
    const translated = field(field(answer.body, 'responseData'), 'translatedText');
    if (field(answer.body, 'responseStatus') !== 200 || typeof translated !== 'string')
      return failure('bad-answer', 'APy answered without a translated text');
    const restored = fromHtml(translated, markers);
    if (!restored.ok) return restored;
    if (!/[\p{L}\p{N}]/u.test(restored.text.replace(MARKERS, '')))
      return failure('bad-answer', 'APy answered with an empty translation');
    // APy adds or drops spaces at the ends; the editor's checks compare them with the source's.
    const [leading] = /^\s*/u.exec(text)!;
    const [trailing] = /\s*$/u.exec(text)!;
    return suggestion(leading + restored.text.trim() + trailing);
  }

  return {
    name: 'apertium',
    async pairs() {
      const known = await routes();
      if (!known.ok) return [];
      return [...known.routes.keys()].sort().map((key): LanguagePair => {
        const [source = '', target = ''] = key.split('>');
        return { source, target };
      });
    },
    translate,
  };
}

function suggestion(text: string): MachineResult {
  return { ok: true, suggestion: { text, engine: 'apertium' } };
}

function failure(reason: MachineFailure, message: string): Failure {
  return { ok: false, reason, message };
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The body as UTF-8 text, or null past `maxBytes` (then it is not read further). */
async function readAtMost(response: Response, maxBytes: number): Promise<string | null> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes += chunk.value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The site's codes for an Apertium language ('spa', 'es', 'por_BR', 'hbs_HR'), with a region if it names one. */
function siteLanguages(apertiumCode: string, as: 'source' | 'target'): Array<{ code: string; region?: string }> {
  const [language = '', variant] = apertiumCode.split('_');
  if (language === HBS) {
    if (as === 'source') return Object.values(HBS_STANDARDS).map((code) => ({ code }));
    const standard = variant && HBS_STANDARDS[variant.toUpperCase()];
    return standard ? [{ code: standard }] : [];
  }
  let code: string;
  try {
    // CLDR's aliases give ISO 639-1 where one exists ('spa' → 'es', 'nob' → 'nb') and keep the rest ('ast').
    code = new Intl.Locale(Intl.getCanonicalLocales(language)[0]!).language;
  } catch {
    return [];
  }
  const region = variant && /^([a-z]{2}|\d{3})$/i.test(variant) ? variant.toLowerCase() : undefined;
  return [{ code, ...(region && as === 'target' && { region }) }];
}

function routesOf(listed: unknown[]): Map<string, Route> {
  const routes = new Map<string, Route>();
  // Pairs without a variant first, so the plain one is each direction's default.
  const entries = listed
    .map((entry) => ({ from: field(entry, 'sourceLanguage'), to: field(entry, 'targetLanguage') }))
    .filter((entry): entry is { from: string; to: string } => isApertiumCode(entry.from) && isApertiumCode(entry.to))
    .sort((a, b) => variants(a) - variants(b));
  for (const { from, to } of entries) {
    const langpair = `${from}|${to}`;
    for (const source of siteLanguages(from, 'source'))
      for (const target of siteLanguages(to, 'target')) {
        if (source.code === target.code) continue;
        const key = `${source.code}>${target.code}`;
        const route = routes.get(key) ?? { byRegion: new Map<string, string>() };
        if (target.region) route.byRegion.set(target.region, langpair);
        route.langpair ??= langpair;
        routes.set(key, route);
      }
  }
  return routes;
}

function variants(pair: { from: string; to: string }): number {
  return Number(pair.from.includes('_')) + Number(pair.to.includes('_'));
}

function isApertiumCode(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z]{2,3}(_[A-Za-z0-9]+)*$/.test(value);
}

/** APy's langpair for two site codes, trying 'sr-latn-rs', then 'sr-latn', then 'sr' (RFC 4647 lookup). */
function findLangpair(routes: Map<string, Route>, source: string, target: string): string | undefined {
  const wantedRegion = regionOf(target);
  for (const from of truncations(source))
    for (const to of truncations(target)) {
      const route = routes.get(`${from}>${to}`);
      if (route) return (wantedRegion && route.byRegion.get(wantedRegion)) || route.langpair;
    }
  return undefined;
}

function truncations(code: string): string[] {
  const subtags = code.trim().toLowerCase().replace(/_/g, '-').split('-');
  return subtags.map((_, index) => subtags.slice(0, subtags.length - index).join('-')).filter(Boolean);
}

function regionOf(code: string): string | undefined {
  try {
    return new Intl.Locale(code.replace(/_/g, '-')).region?.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The text as HTML, each marker an empty element numbered in order: APy keeps elements, not private-use characters. */
function toHtml(text: string): { html: string; markers: string[] } {
  const markers: string[] = [];
  const escape = (plain: string) => plain.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let html = '';
  let last = 0;
  for (const match of text.matchAll(MARKERS)) {
    html += `${escape(text.slice(last, match.index))}<span id="${markers.length}"></span>`;
    markers.push(match[0]);
    last = match.index + match[0].length;
  }
  return { html: html + escape(text.slice(last)), markers };
}

/**
 * Plain text again, with the source's markers in the source's order at the places the engine put
 * its elements: an engine that swapped two would otherwise close a tag before opening it.
 */
function fromHtml(html: string, markers: readonly string[]): { ok: true; text: string } | Failure {
  const pieces = html.split(MARKER_ELEMENT);
  const seen = pieces.filter((_, index) => index % 2 === 1).map(Number);
  const expected = markers.map((_, index) => index);
  if (seen.length !== markers.length || [...seen].sort((a, b) => a - b).some((id, index) => id !== expected[index]))
    return failure('bad-answer', `APy returned ${seen.length} of the ${markers.length} placeholder markers`);
  const texts = pieces.filter((_, index) => index % 2 === 0);
  // The source's text was escaped, so any tag left is markup the engine broke.
  if (texts.some((piece) => /[<>]/.test(piece))) return failure('bad-answer', 'APy returned broken markup');
  return { ok: true, text: texts.map((piece, index) => decodeEntities(piece) + (markers[index] ?? '')).join('') };
}

function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/giu, (entity, name: string) => {
    if (!name.startsWith('#')) return ENTITIES[name.toLowerCase()] ?? entity;
    const codePoint = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
  });
}
