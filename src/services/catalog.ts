import { localizedName, pickLanguage } from '../domain/languages/localize.ts';
import { regionSerials, type Person, type Region, type Theme } from '../domain/catalog/vocabulary.ts';
import type { Thumbnail } from '../domain/media/media-file.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { StoryFilter } from '../store/repositories/stories.ts';
import type { StoryRecord, StorySummary, StoryText } from '../domain/stories/story.ts';
import { readingOf, type Reading } from '../domain/translation/story-units.ts';
import { percentDone } from '../domain/translation/unit-row.ts';

/** A story as a card in a list: its title and summary in the reader's language or the nearest one. */
export interface StoryCard {
  slug: string;
  title: string;
  summary: string;
  textLanguage: string;
  /** `serial`: the region's place by id among all regions (its tile colour follows it). */
  region: { slug: string; name: string; language: string; serial: number } | null;
  languages: string[];
  publishedAt: Date | null;
  status: 'draft' | 'published';
  /** Its video poster's thumbnails, narrowest first (none: a plain tile). */
  thumbnails: Thumbnail[];
}
export interface StoryPage {
  story: StoryRecord;
  /** The whole text in the nearest language the story has one in (for titles, feeds and the API). */
  text: StoryText;
  /** The story as the page shows it: unit by unit in the reader's language, the source standing in. */
  reading: Reading;
  /** How far each language's translation is, in whole per cent (the source language left out). */
  translated: Record<string, number>;
  region: Region | null;
  themes: Theme[];
  storytellers: Person[];
}

export const PAGE_SIZE = 12;

export function catalogService(repositories: Repositories) {
  const { stories, catalog, translations } = repositories;

  async function cards(list: StorySummary[], chain: readonly string[]): Promise<StoryCard[]> {
    const regions = await catalog.regions();
    const serials = regionSerials(regions);
    const wanted = new Set([...chain, ...list.map((story) => story.sourceLanguage)]);
    const texts = await stories.texts(
      list.map((story) => story.id),
      [...wanted],
    );
    return list.map((story) => {
      const available = texts.filter((t) => t.storyId === story.id);
      const language = pickLanguage(
        chain,
        available.map((t) => t.language),
        story.sourceLanguage,
      )!;
      const text = available.find((t) => t.language === language)!;
      const region = regions.find((r) => r.id === story.regionId);
      return {
        slug: story.slug,
        title: text.title,
        summary: text.summary,
        textLanguage: language,
        region: region
          ? (({ text, language: nameLanguage }) => ({
              slug: region.slug,
              name: text,
              language: nameLanguage,
              serial: serials.get(region.id)!,
            }))(localizedName(region.names, chain))
          : null,
        languages: story.languages,
        publishedAt: story.publishedAt,
        status: story.status,
        thumbnails: story.thumbnails,
      };
    });
  }

  return {
    cards,
    regions: () => catalog.regions(),
    themes: () => catalog.themes(),
    people: () => catalog.people(),

    /** The regions and themes a list can be narrowed to, and those the address names by slug (unknown: none). */
    async filterChoices(slugs: { region?: string | undefined; theme?: string | undefined }) {
      const [regions, themes] = await Promise.all([catalog.regions(), catalog.themes()]);
      const region = regions.find((r) => r.slug === slugs.region);
      const theme = themes.find((th) => th.slug === slugs.theme);
      return { regions, themes, region, theme };
    },

    async home(chain: readonly string[]) {
      const [featured, latest, regions] = await Promise.all([
        stories.list({ publishedOnly: true, featured: true, limit: 3 }),
        stories.list({ publishedOnly: true, limit: 6 }),
        catalog.regions(),
      ]);
      return { featured: await cards(featured.stories, chain), latest: await cards(latest.stories, chain), regions };
    },

    /** Published stories a page at a time: by page number (of PAGE_SIZE), or from an offset (the API's cursors). */
    async browse(
      chain: readonly string[],
      filter: Omit<StoryFilter, 'limit' | 'offset'> & ({ page: number } | { offset: number; limit: number }),
    ) {
      const { offset, limit, ...rest } =
        'page' in filter
          ? { ...filter, page: undefined, offset: (filter.page - 1) * PAGE_SIZE, limit: PAGE_SIZE }
          : filter;
      const result = await stories.list({ ...rest, publishedOnly: true, limit, offset });
      return {
        cards: await cards(result.stories, chain),
        total: result.total,
        pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
      };
    },

    /** A story for reading; drafts only for those who may edit them. */
    async story(slug: string, chain: readonly string[], includeDrafts: boolean): Promise<StoryPage | null> {
      const found = await stories.findWithCatalog(slug);
      if (!found || (found.story.status !== 'published' && !includeDrafts)) return null;
      const { story, region, themes, storytellers } = found;
      const language = pickLanguage(chain, Object.keys(story.texts), story.sourceLanguage)!;
      // The reader's languages that come before the source in their chain.
      const sourceAt = chain.indexOf(story.sourceLanguage);
      const wanted = sourceAt < 0 ? chain : chain.slice(0, sourceAt);
      const [units, published, coverage] = await Promise.all([
        translations.units(story.id),
        translations.publishedInChain(story.id, wanted),
        translations.coverage([story.id]),
      ]);
      const reading = readingOf(units, story.sourceLanguage, chain[0] ?? story.sourceLanguage, published);
      const total = coverage.units.get(story.id) ?? 0;
      const translated = Object.fromEntries(
        coverage.languages.map((row) => [row.language, percentDone(row.approved, total)]),
      );
      return { story, text: story.texts[language]!, reading, translated, region, themes, storytellers };
    },

    /** The id of the published story with this slug (undefined for a draft or none). */
    async publishedStoryId(slug: string): Promise<number | undefined> {
      const story = await stories.findBySlug(slug);
      return story?.status === 'published' ? story.id : undefined;
    },

    regionBySlug: (slug: string) => catalog.regionBySlug(slug),
    themeBySlug: (slug: string) => catalog.themeBySlug(slug),
    personByUsername: (username: string) => catalog.personByUsername(username),
  };
}
export type CatalogService = ReturnType<typeof catalogService>;
