import { regionSerials } from '../domain/catalog/vocabulary.ts';
import { localizedName } from '../domain/languages/localize.ts';
import { parseQuery } from '../domain/search/query.ts';
import { hasHit, highlight, snippet, type HighlightTerms, type TextPart } from '../domain/search/snippet.ts';
import { isCjk } from '../domain/search/fold.ts';
import type { Thumbnail } from '../domain/media/media-file.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { SearchFilters } from '../store/repositories/search.ts';

/** A story found: its title and a piece of its text with the words that matched marked, in the language that matched. */
export interface SearchResult {
  slug: string;
  title: TextPart[];
  /** The summary when it matched (or nothing else did), else the part of the body around the first match. */
  excerpt: TextPart[];
  /** The summary as it is written (for the API). */
  summary: string;
  textLanguage: string;
  region: { slug: string; name: string; language: string; serial: number } | null;
  languages: string[];
  publishedAt: Date | null;
  /** Its video poster's thumbnails, narrowest first (none: a plain tile). */
  thumbnails: Thumbnail[];
}

export const SEARCH_PAGE_SIZE = 20;
/** Pages past this are not offered: nobody reads the 1,001st result, and the offset would cost every query. */
export const SEARCH_MAX_PAGES = 50;
/** The longest query read (characters); the page says so past it. */
export const SEARCH_MAX_LENGTH = 200;

export function searchService(repositories: Repositories) {
  const { search, catalog } = repositories;
  return {
    /** One page of stories matching `query` (and the filters), for a reader whose languages are `chain`. */
    async search(
      query: string,
      chain: readonly string[],
      filters: SearchFilters = {},
      page = 1,
      pageSize = SEARCH_PAGE_SIZE,
    ): Promise<{ results: SearchResult[]; total: number; more: boolean; pages: number }> {
      const words = parseQuery(query.slice(0, SEARCH_MAX_LENGTH));
      // Typed, but not one word in it (only punctuation): nothing matches, whatever the filters.
      if (words.length === 0 && query.trim() !== '') return { results: [], total: 0, more: false, pages: 1 };
      const at = Math.min(Math.max(1, page), SEARCH_MAX_PAGES);
      const [outcome, regions] = await Promise.all([
        search.search({ ...filters, words, chain, limit: pageSize, offset: (at - 1) * pageSize }),
        catalog.regions(),
      ]);
      const terms: HighlightTerms = {
        words: outcome.words,
        // Stems shorter than three letters would mark half the words of a text.
        beginnings: [
          ...outcome.lexemes,
          ...words.filter((w) => w.prefix && outcome.words.includes(w.text)).map((w) => w.text),
        ].filter((lexeme) => !isCjk(lexeme) && [...lexeme].length >= 3),
        runs: words.filter((w) => w.cjk).map((w) => w.text),
      };
      const serials = regionSerials(regions);
      const results = outcome.hits.map((hit): SearchResult => {
        const summary = highlight(hit.summary, terms);
        const region = regions.find((r) => r.id === hit.regionId);
        return {
          slug: hit.slug,
          title: highlight(hit.title, terms),
          // Chinese and Japanese take about twice the room per character.
          excerpt: hasHit(summary)
            ? summary
            : (snippet(hit.body, terms, isCjk(hit.body.slice(0, 100)) ? 110 : 220) ?? summary),
          summary: hit.summary,
          textLanguage: hit.language,
          region: region
            ? (({ text, language }) => ({ slug: region.slug, name: text, language, serial: serials.get(region.id)! }))(
                localizedName(region.names, chain),
              )
            : null,
          languages: hit.languages,
          publishedAt: hit.publishedAt,
          thumbnails: hit.thumbnails,
        };
      });
      const pages = Math.min(SEARCH_MAX_PAGES, Math.max(1, Math.ceil(outcome.total / pageSize)));
      return { results, total: outcome.total, more: outcome.more, pages };
    },
  };
}
export type SearchService = ReturnType<typeof searchService>;
