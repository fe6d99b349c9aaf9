/** export: an MP4 made for sharing (subtitles burned in), labelled with the subtitle language. */
export type MediaRole = 'source' | 'poster' | 'rendition' | 'audio' | 'export';

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
