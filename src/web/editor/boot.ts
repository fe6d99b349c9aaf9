import type { Cue } from '../../domain/subtitles/cue.ts';
import type { SubtitleLimits } from '../../domain/subtitles/quality.ts';
import type { VideoTimeline } from '../../domain/media/shots.ts';

// What the editor page hands the editor island, as JSON in a data attribute (attribute values are
// escaped by the server's renderer, so no cue text can end the element or run as script).

export interface EditorLanguage {
  code: string;
  bcp47: string;
  autonym: string;
  dir: 'ltr' | 'rtl';
  /** Written in vertical lines (traditional Mongolian): text fields are set vertically. */
  vertical: boolean;
}

export interface EditorBoot {
  story: { slug: string; title: string };
  language: EditorLanguage;
  /** The track being translated from, shown beside each cue; null when editing a track on its own. */
  source: { language: EditorLanguage; revision: number; cues: Cue[] } | null;
  /** The saved track: revision 0 and no cues when it does not exist yet. */
  track: { revision: number; status: string; cues: Cue[] };
  limits: SubtitleLimits;
  video: {
    sources: { src: string; type: string }[];
    poster: string | null;
    seconds: number | null;
    /** Frame rate, shot changes and the peaks file's address; null for a video processed before timelines were made. */
    timeline: (VideoTimeline & { peaksUrl: string | null }) | null;
  };
  /** The latest review; `bot` when the reviewer's account is a bot's. */
  review: { decision: string; comment: string; userName: string; bot: boolean; at: string } | null;
  saveUrl: string;
  trackUrl: string;
  csrfToken: string;
  ui: { code: string; bcp47: string; dir: 'ltr' | 'rtl' };
  messages: Record<string, string>;
}

/** The boot data of the page, read from the element the editor mounts on. */
export function readBoot(element: HTMLElement): EditorBoot {
  return JSON.parse(element.dataset.editor ?? '{}') as EditorBoot;
}
