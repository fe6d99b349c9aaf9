import languageData from '@wikimedia/language-data';
import type { SubtitleLimits } from '../subtitles/quality.ts';

/** A language as the site uses it: code, own name (autonym), direction, fallback chain. */
export interface Language {
  code: string;
  autonym: string;
  dir: 'ltr' | 'rtl';
  fallbacks: string[];
  searchConfig: string;
}

interface Preconfigured {
  code: string;
  fallbacks: string[];
  /** PostgreSQL text-search configurations to try, best first; 'simple' always exists. */
  searchConfigs: string[];
}

// English is the source language; the others are the movement's preconfigured languages.
const PRECONFIGURED: Preconfigured[] = [
  { code: 'en', fallbacks: [], searchConfigs: ['english'] },
  { code: 'ar', fallbacks: [], searchConfigs: ['arabic'] },
  { code: 'fr', fallbacks: [], searchConfigs: ['french'] },
  { code: 'hi', fallbacks: [], searchConfigs: ['hindi'] },
  { code: 'id', fallbacks: [], searchConfigs: ['indonesian'] },
  { code: 'ja', fallbacks: [], searchConfigs: [] },
  { code: 'zh-hans', fallbacks: [], searchConfigs: [] },
  { code: 'ne', fallbacks: ['hi'], searchConfigs: ['nepali'] },
  { code: 'pl', fallbacks: [], searchConfigs: [] },
  { code: 'ru', fallbacks: [], searchConfigs: ['russian'] },
  { code: 'es', fallbacks: [], searchConfigs: ['spanish'] },
  { code: 'sw', fallbacks: [], searchConfigs: [] },
  { code: 'sr-cyrl', fallbacks: ['sr-latn'], searchConfigs: ['serbian'] },
  { code: 'sr-latn', fallbacks: ['sr-cyrl'], searchConfigs: ['serbian'] },
  { code: 'uk', fallbacks: ['ru'], searchConfigs: [] },
];

export const SOURCE_LANGUAGE = 'en';
/** The longest language code an admin may add (BCP 47 tags with a script and a region stay well under it). */
export const LANGUAGE_CODE_LIMIT = 35;
export const PRECONFIGURED_CODES = PRECONFIGURED.map((language) => language.code);

/** The preconfigured languages, with the search configuration chosen from those the database has. */
export function preconfiguredLanguages(availableSearchConfigs: ReadonlySet<string>): Language[] {
  return PRECONFIGURED.map(({ code, fallbacks, searchConfigs }) => ({
    ...describeLanguage(code),
    fallbacks,
    searchConfig: searchConfigs.find((name) => availableSearchConfigs.has(name)) ?? 'simple',
  }));
}

/** Autonym and direction of any language known to language-data, or null for an unknown code. */
export function describeLanguage(code: string): { code: string; autonym: string; dir: 'ltr' | 'rtl' } {
  const normalized = normalizeLanguageCode(code);
  const autonym = languageData.getAutonym(normalized);
  return {
    code: normalized,
    autonym: typeof autonym === 'string' && autonym ? autonym : normalized,
    dir: languageData.isRtl(normalized) ? 'rtl' : 'ltr',
  };
}

/** Scripts set in vertical lines (traditional Mongolian and its relatives; Phags-pa). */
const VERTICAL_SCRIPTS = new Set(['Mong', 'Phag']);

/** Whether a language's script is written in vertical lines, left to right (editors set text fields so). */
export function isVerticalScript(code: string): boolean {
  return VERTICAL_SCRIPTS.has(String(languageData.getScript(normalizeLanguageCode(code)) ?? ''));
}

/** Whether language-data knows this code (an admin may add only known languages). */
export function isKnownLanguage(code: string): boolean {
  return (
    /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(normalizeLanguageCode(code)) &&
    languageData.isKnown(normalizeLanguageCode(code))
  );
}

/** Codes are kept lower-case in URLs and storage ('zh-hans'); BCP 47 is case-insensitive. */
export function normalizeLanguageCode(code: string): string {
  return code.trim().toLowerCase().replace(/_/g, '-');
}

/** The conventional BCP 47 casing for `lang` attributes: zh-Hans, sr-Cyrl, pt-BR. */
export function bcp47(code: string): string {
  return code
    .split('-')
    .map((part, index) => {
      if (index === 0) return part;
      if (part.length === 4) return part[0]!.toUpperCase() + part.slice(1);
      if (part.length === 2) return part.toUpperCase();
      return part;
    })
    .join('-');
}

/**
 * The best of `available` for an Accept-Language header (RFC 4647 lookup with q-values);
 * null when nothing matches.
 */
export function negotiateLanguage(header: string | undefined, available: readonly string[]): string | null {
  if (!header) return null;
  const wanted = header
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { range: normalizeLanguageCode(range), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.range && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { range } of wanted) {
    const match = matchRange(range, available);
    if (match) return match;
  }
  return null;
}

// Maps regional and script variants people's browsers send onto the site's codes.
const ALIASES: Record<string, string> = {
  zh: 'zh-hans',
  'zh-cn': 'zh-hans',
  'zh-sg': 'zh-hans',
  'zh-hans-cn': 'zh-hans',
  sr: 'sr-cyrl',
  'sr-rs': 'sr-cyrl',
  'sr-cyrl-rs': 'sr-cyrl',
  'sr-latn-rs': 'sr-latn',
};

function matchRange(range: string, available: readonly string[]): string | null {
  let candidate = ALIASES[range] ?? range;
  while (candidate) {
    if (available.includes(candidate)) return candidate;
    const alias = ALIASES[candidate];
    if (alias && available.includes(alias)) return alias;
    const cut = candidate.lastIndexOf('-');
    if (cut < 0) break;
    candidate = candidate.slice(0, cut);
  }
  return null;
}

export interface LanguageRow extends Language {
  enabled: boolean;
  position: number;
  /** The subtitle limits in force: the stored ones over the language's defaults. */
  subtitleLimits: SubtitleLimits;
  /** Whether an admin changed any subtitle limit from the defaults. */
  customSubtitleLimits: boolean;
}

/**
 * The PostgreSQL text-search configuration for a language: PostgreSQL names them after languages
 * in English ('german', 'portuguese'); a language whose English name matches one gets it, every other 'simple'.
 */
export function searchConfigFor(code: string, available: ReadonlySet<string>): string {
  const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
  const candidates: string[] = [];
  for (const tag of [bcp47(code), code.split('-')[0]!]) {
    try {
      const name = names.of(tag)?.toLowerCase();
      // "Norwegian Bokmål" → norwegian; "Brazilian Portuguese" falls through to the base code, "Portuguese".
      if (name) candidates.push(name, name.split(/[\s(]/)[0]!);
    } catch {
      // Not a structurally valid tag for Intl: no name, so no configuration.
    }
  }
  return candidates.find((name) => available.has(name)) ?? 'simple';
}
