/**
 * export: an MP4 made for sharing (subtitles burned in), labelled with the subtitle language.
 * timeline: what the editor's timeline draws (TIMELINE_LABEL: frame rate and shot changes as JSON;
 * PEAKS_LABEL: the sound's peaks).
 * thumbnail: the poster as a small WebP for story cards, labelled with its width ('320'); a poster
 * or thumbnail that failed to make leaves one THUMBNAILS_FAILED_LABEL file (JSON: the reason) instead.
 */
export type MediaRole = 'source' | 'poster' | 'rendition' | 'audio' | 'export' | 'timeline' | 'thumbnail';

export interface MediaFile {
  id: number;
  storyId: number;
  role: MediaRole;
  /** Which rendition: '360p-webm', 'audio-webm'; empty for the source and the poster (HONOREE_PHOTO_LABEL for a poster that is an honoree's photo). */
  label: string;
  storageKey: string;
  mime: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  bytes: number;
  createdAt: Date;
}

/** The label of a poster that is a celebrated contributor's photo: kept (with its credit) when a video is processed later. */
export const HONOREE_PHOTO_LABEL = 'honoree-photo';

/** The labels of a video's two timeline files. */
export const TIMELINE_LABEL = 'timeline';
export const PEAKS_LABEL = 'peaks';

/** A thumbnail of a video's poster: its storage key (served under /media/) and size. */
export interface Thumbnail {
  key: string;
  width: number;
  height: number;
}

/** The label of the note a processing job leaves when it could not make a video's poster or thumbnails. */
export const THUMBNAILS_FAILED_LABEL = 'failed';
