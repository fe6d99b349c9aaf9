import { pickLanguage } from '../domain/languages/localize.ts';
import type { MediaFile } from '../domain/media/media-file.ts';
import type { Person } from '../domain/catalog/vocabulary.ts';
import type { StoryRecord } from '../domain/stories/story.ts';
import type { Repositories } from '../store/repositories/index.ts';

/** How many stories a feed carries. */
export const FEED_SIZE = 30;

/** A story as a feed entry: its title and summary in the reader's language or the nearest one. */
export interface FeedItem {
  id: number;
  slug: string;
  title: string;
  summary: string;
  /** The language the title and summary are in. */
  textLanguage: string;
  publishedAt: Date | null;
  /** The later of the story's own last change and the last translation published into `textLanguage`. */
  updatedAt: Date;
  storytellers: Array<{ username: string; displayName: string }>;
}

/** A published story with what its embed page, oEmbed answer and previews show. */
export interface Embeddable {
  story: StoryRecord;
  storytellers: Person[];
  media: MediaFile[];
  /** Languages with a published subtitle track. */
  subtitleLanguages: string[];
}

const later = (...dates: Array<Date | null>) => new Date(Math.max(...dates.map((date) => (date ? date.getTime() : 0))));

/** What the site gives to feed readers, search engines and other sites: feeds, the sitemap, embeds. */
export function syndicationService(repositories: Repositories) {
  const { syndication, stories, catalog, media, subtitles } = repositories;
  return {
    /** The newest published stories (of a region, theme or storyteller, when given) for a feed read along `chain`. */
    async feed(
      chain: readonly string[],
      filter: { regionId?: number; themeId?: number; personId?: number } = {},
    ): Promise<FeedItem[]> {
      const found = await syndication.newest({ ...filter, limit: FEED_SIZE }, chain);
      return found.map((story) => {
        const language = pickLanguage(
          chain,
          story.texts.map((text) => text.language),
          story.sourceLanguage,
        )!;
        const text = story.texts.find((candidate) => candidate.language === language)!;
        return {
          id: story.id,
          slug: story.slug,
          title: text.title,
          summary: text.summary,
          textLanguage: language,
          publishedAt: story.publishedAt,
          updatedAt: later(story.updatedAt, story.publishedAt, text.translatedAt),
          storytellers: story.storytellers,
        };
      });
    },

    /** Everything the sitemap lists: published stories with the languages they are readable in, and the vocabularies. */
    async sitemap() {
      const [published, regions, themes, people] = await Promise.all([
        syndication.sitemapStories(),
        catalog.regions(),
        catalog.themes(),
        catalog.people(),
      ]);
      return {
        stories: published.map((story) => ({
          slug: story.slug,
          sourceLanguage: story.sourceLanguage,
          versions: story.texts.map((text) => ({
            language: text.language,
            updatedAt: later(story.updatedAt, text.translatedAt),
          })),
        })),
        regions,
        themes,
        people,
      };
    },

    /** A published story to embed or preview, with its media and subtitle languages; null for a draft or none. */
    async embeddable(slug: string): Promise<Embeddable | null> {
      const found = await stories.findWithCatalog(slug);
      if (!found || found.story.status !== 'published') return null;
      const [files, subtitleLanguages] = await Promise.all([
        media.listForStory(found.story.id),
        subtitles.publishedLanguages(found.story.id),
      ]);
      return { story: found.story, storytellers: found.storytellers, media: files, subtitleLanguages };
    },
  };
}
export type SyndicationService = ReturnType<typeof syndicationService>;
