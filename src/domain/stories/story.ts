/** A story and its text, as every layer sees them. */
export interface StoryBlock {
  type: 'paragraph' | 'heading' | 'quote';
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
}

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
  /** The text of one language: the one the editor worked on. */
  text: StoryText;
}

export interface StoryRevision {
  revision: number;
  createdAt: Date;
  summary: string;
  userId: number | null;
  username: string | null;
}
