import { bcp47 } from '../../../domain/languages/languages.ts';
import type { MediaFile } from '../../../domain/media/media-file.ts';
import { orderedRenditions, posterUrl } from '../components/player.ts';
import { textAttributes } from '../components/story-card.ts';
import { languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

export interface EmbedData {
  slug: string;
  title: string;
  /** The language the title is written in. */
  titleLanguage: string;
  media: MediaFile[];
  /** Languages with a published subtitle track. */
  subtitleLanguages: string[];
  /** The track shown at first: the reader's language or a fallback of it; null for none. */
  defaultTrack: string | null;
}

/**
 * A story's video alone, for other sites to frame: its subtitle tracks, and its title linking to the
 * whole story in a new tab. No site header, no script; one small style sheet of its own.
 */
export function embedPage(context: PageContext, data: EmbedData): VNode {
  const { t } = context;
  const renditions = orderedRenditions(data.media, context.saveData);
  const poster = posterUrl(data.media);
  const first = data.media.find((file) => file.role === 'rendition');
  const story = `/${context.language.code}/stories/${encodeURIComponent(data.slug)}`;
  const autonym = (code: string) => context.languages.find((l) => l.code === code)?.autonym ?? code;
  const link = (content: VNode | string) =>
    html`<a href=${story} target="_blank" rel="noopener">${content}<span class="visually-hidden"> ${t('embed-opens-in-new-tab')}</span></a>`;
  return html`<html ...${languageAttributes(context.language)}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${t('page-title', data.title)}</title>
      <link rel="stylesheet" href="/assets/embed.css" />
    </head>
    <body class="embed">
      <main class="embed__main">
        <p class="embed__title">${link(html`<span ...${textAttributes(context, data.titleLanguage)}>${data.title}</span>`)}</p>
        ${
          renditions.length
            ? html`<video class="embed__video" controls preload="none" playsinline="" poster=${poster ?? undefined}
                width=${first?.width ?? undefined} height=${first?.height ?? undefined}>
                ${renditions.map((file) => html`<source src=${file.src} type=${file.type} />`)}
                ${data.subtitleLanguages.map(
                  (
                    code,
                  ) => html`<track kind="subtitles" src=${`/subtitles/${encodeURIComponent(data.slug)}/${code}.vtt`}
                    srclang=${bcp47(code)} label=${autonym(code)} default=${code === data.defaultTrack} />`,
                )}
                <p>${link(t('embed-no-player'))}</p>
              </video>`
            : html`<div class="embed__empty">
                ${poster ? html`<img class="embed__poster" src=${poster} alt="" />` : null}
                <p>${link(t('embed-no-video'))}</p>
              </div>`
        }
      </main>
    </body>
  </html>`;
}
