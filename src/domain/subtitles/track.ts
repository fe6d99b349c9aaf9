import type { Cue } from './cue.ts';

/** draft → in_review → published (approved); an edit of a published track goes back to in_review. */
export type SubtitleStatus = 'draft' | 'in_review' | 'published';

export interface SubtitleTrack {
  id: number;
  storyId: number;
  language: string;
  status: SubtitleStatus;
  revision: number;
  cues: Cue[];
  updatedAt: Date;
  /** The approved revision viewers see (null: none approved yet), and its cues. */
  publishedRevision: number | null;
  publishedCues: Cue[] | null;
  /** What the track was translated from: the source language and the revision of its track then. */
  sourceLanguage: string | null;
  sourceRevision: number | null;
}

export interface SubtitleTrackSummary extends Omit<SubtitleTrack, 'cues' | 'publishedCues'> {
  cueCount: number;
  filledCount: number;
}

export interface SubtitleRevision {
  revision: number;
  userName: string | null;
  /** Whether the author's account is a bot. */
  bot: boolean;
  /** The name of the personal API token the revision was saved through, if any. */
  viaToken: string | null;
  createdAt: Date;
  summary: string;
  changedCues: number;
}

export interface SubtitleReview {
  decision: 'submitted' | 'approved' | 'sent_back';
  comment: string;
  revision: number;
  userName: string | null;
  /** Whether the reviewer's account is a bot. */
  bot: boolean;
  at: Date;
}
