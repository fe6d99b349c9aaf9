import { isoDuration, jsonForScript, openGraphLocale } from '../../../domain/syndication/embed.ts';
import { bcp47 } from '../../../domain/languages/languages.ts';
import type { MediaFile } from '../../../domain/media/media-file.ts';
import type { Cue } from '../../../domain/subtitles/index.ts';
import { plainCueText } from './transcript.ts';
import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

/** What a story's previews describe; every address absolute on `origin`. */
export interface StoryPreview {
  origin: string;
  slug: string;
  published: boolean;
  publishedAt: Date | null;
  sourceLanguage: string;
  /** The languages the story is readable in. */
  languages: string[];
  title: string;
  description: string;
  storytellers: Array<{ username: string; displayName: string }>;
  media: MediaFile[];
  subtitleLanguages: string[];
  transcript: { language: string; cues: Cue[] } | null;
}

const mediaAddress = (origin: string, file: MediaFile) => `${origin}/media/${file.storageKey}`;

/** The rendition other sites should play: MP4 (H.264) where there is one, as every player takes it; else the largest. */
export function sharedRendition(media: MediaFile[]): MediaFile | undefined {
  const renditions = media.filter((file) => file.role === 'rendition');
  return (
    renditions.find((file) => file.mime === 'video/mp4') ??
    [...renditions].sort((a, b) => (b.height ?? 0) - (a.height ?? 0))[0]
  );
}

/** The story's page in a language, and its embed page, as absolute addresses. */
export const storyAddress = (origin: string, language: string, slug: string) =>
  `${origin}/${language}/stories/${encodeURIComponent(slug)}`;
export const embedAddress = (origin: string, language: string, slug: string) =>
  `${origin}/embed/${encodeURIComponent(slug)}?lang=${encodeURIComponent(language)}`;

/**
 * What other sites read from a story page's head: oEmbed discovery, Open Graph (link previews in chats
 * and social sites) and a schema.org VideoObject as JSON-LD (search engines). The JSON-LD is data,
 * which browsers never run, so the CSP (no inline script) is untouched; it is written by
 * `jsonForScript`, so nothing in a story's text can end its element.
 */
export function storyPreviews(context: PageContext, story: StoryPreview): VNode[] {
  const { origin } = story;
  const language = context.language.code;
  const page = storyAddress(origin, language, story.slug);
  const poster = story.media.find((file) => file.role === 'poster');
  const video = sharedRendition(story.media);
  const enabled = new Set(context.languages.map((l) => l.code));
  const meta = (property: string, content: string | number | null | undefined) =>
    content === null || content === undefined || content === ''
      ? null
      : html`<meta property=${property} content=${String(content)} />`;
  const elements: Array<VNode | null> = [
    story.published
      ? html`<link rel="alternate" type="application/json+oembed" title=${story.title}
          href=${`${origin}/oembed?url=${encodeURIComponent(page)}&format=json`} />`
      : null,
    meta('og:site_name', context.t('site-name')),
    meta('og:type', 'video.other'),
    meta('og:title', story.title),
    meta('og:description', story.description),
    meta('og:url', page),
    meta('og:locale', openGraphLocale(bcp47(language))),
    ...story.languages
      .filter((code) => code !== language && enabled.has(code))
      .map((code) => meta('og:locale:alternate', openGraphLocale(bcp47(code)))),
    ...(poster
      ? [
          meta('og:image', mediaAddress(origin, poster)),
          meta('og:image:type', poster.mime),
          meta('og:image:width', poster.width),
          meta('og:image:height', poster.height),
        ]
      : []),
    ...(video
      ? [
          meta('og:video', mediaAddress(origin, video)),
          meta('og:video:type', video.mime),
          meta('og:video:width', video.width),
          meta('og:video:height', video.height),
        ]
      : []),
  ];
  if (video) {
    const data = videoObject(story, language, poster, video);
    elements.push(
      html`<script type="application/ld+json" dangerouslySetInnerHTML=${{ __html: jsonForScript(data) }}></script>`,
    );
  }
  return elements.filter((element): element is VNode => element !== null);
}

/** The schema.org VideoObject of a story with a video. */
function videoObject(story: StoryPreview, language: string, poster: MediaFile | undefined, video: MediaFile) {
  const { origin } = story;
  const duration = Math.max(0, ...story.media.map((file) => file.durationSeconds ?? 0));
  return {
    '@context': 'https://schema.org',
    '@type': 'VideoObject',
    name: story.title,
    description: story.description || story.title,
    url: storyAddress(origin, language, story.slug),
    ...(poster ? { thumbnailUrl: [mediaAddress(origin, poster)] } : {}),
    uploadDate: (story.publishedAt ?? video.createdAt).toISOString(),
    ...(duration > 0 ? { duration: isoDuration(duration) } : {}),
    contentUrl: mediaAddress(origin, video),
    embedUrl: embedAddress(origin, language, story.slug),
    encodingFormat: video.mime,
    inLanguage: bcp47(story.sourceLanguage),
    subtitleLanguage: story.subtitleLanguages.map(bcp47),
    ...(story.transcript
      ? { transcript: story.transcript.cues.map((cue) => plainCueText(cue.text).replace(/\s*\n\s*/g, ' ')).join('\n') }
      : {}),
    ...(story.storytellers.length
      ? {
          author: story.storytellers.map((person) => ({
            '@type': 'Person',
            name: person.displayName,
            url: `${origin}/${language}/people/${encodeURIComponent(person.username)}`,
          })),
        }
      : {}),
  };
}
