/** A story and its text, as every layer sees them. */
import type { Thumbnail } from '../media/media-file.ts';

export interface StoryBlock {
  type: 'paragraph' | 'heading' | 'quote';
  /** The block's inline content in canonical Markdown (see markup.ts). */
  text: string;
}

export interface StoryText {
  language: string;
  title: string;
  summary: string;
  blocks: StoryBlock[];
}

export interface StorySummary {
  id: number;
  slug: string;
  regionId: number;
  sourceLanguage: string;
  status: 'draft' | 'published';
  featured: boolean;
  publishedAt: Date | null;
  updatedAt: Date;
  revision: number;
  /** Languages the story's text exists in. */
  languages: string[];
  /** Its video poster's thumbnails, narrowest first; none without a video (or when they failed to make). */
  thumbnails: Thumbnail[];
}

/** What a request that acts on a story without showing it needs to know of it. */
export type StoryHead = Pick<StoryRecord, 'id' | 'slug' | 'status' | 'sourceLanguage'>;

export interface StoryRecord extends StorySummary {
  themeIds: number[];
  storytellerIds: number[];
  texts: Record<string, StoryText>;
}

export interface StoryInput {
  slug: string;
  regionId: number;
  sourceLanguage: string;
  featured: boolean;
  themeIds: number[];
  storytellerIds: number[];
  /** The source text (in sourceLanguage); other languages are translated unit by unit. */
  text: StoryText;
  /** An edit that only mends typing: it outdates no translation. */
  typoFix?: boolean;
}

export interface StoryRevision {
  revision: number;
  createdAt: Date;
  summary: string;
  userId: number | null;
  username: string | null;
  /** Whether the author's account is a bot. */
  bot: boolean;
}
