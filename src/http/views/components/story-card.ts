import type { Thumbnail } from '../../../domain/media/media-file.ts';
import type { StoryCard } from '../../../services/catalog.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

function textAttributes(context: PageContext, textLanguage: string) {
  const language = context.languages.find((l) => l.code === textLanguage) ?? {
    code: textLanguage,
    dir: 'ltr' as const,
  };
  return languageAttributes(language);
}

/** How many cards of a list load their pictures at once: about the first row; the rest as they near the screen. */
export const EAGER_CARDS = 3;
/** The number of region tile colours in site.css (.story-picture--tone-0 …). */
const TONES = 8;

/**
 * A region's tile colour, the same on every page and every run: its place among the regions by id,
 * round the tones, so the first eight regions all differ and a new one takes the next colour.
 */
export function regionTone(serial: number): number {
  return serial % TONES;
}

/**
 * A story's picture on a card: its poster's thumbnails, or a plain tile in its region's colour when
 * it has no video (or they failed to make). The picture repeats the title beside it, so its alt is
 * empty and screen readers hear the title once, from the link. `sizes` is the picture's width
 * as CSS lays it out: on a card, the screen's less the page margins on a phone, a grid column beyond.
 */
export function storyPicture(
  picture: {
    thumbnails: Thumbnail[];
    region: { slug: string; name: string; language: string; serial: number } | null;
  },
  eager: boolean,
  sizes = '(max-width: 40rem) calc(100vw - 2rem), 21rem',
): VNode {
  const largest = picture.thumbnails.at(-1);
  if (!largest)
    return html`<span class="story-picture story-picture--tile ${`story-picture--tone-${regionTone(picture.region?.serial ?? 0)}`}"
      aria-hidden="true" lang=${picture.region?.language}>${picture.region?.name}</span>`;
  return html`<img class="story-picture" src=${`/media/${picture.thumbnails[0]!.key}`}
    srcset=${picture.thumbnails.map((thumbnail) => `/media/${thumbnail.key} ${thumbnail.width}w`).join(', ')}
    sizes=${sizes} width=${largest.width} height=${largest.height} alt=""
    loading=${eager ? 'eager' : 'lazy'} decoding="async" />`;
}

export function storyCard(context: PageContext, card: StoryCard, eager = false): VNode {
  const { t } = context;
  const foreign = card.textLanguage !== context.language.code;
  return html`<article class="story-card cdx-card">
    ${storyPicture(card, eager)}
    <span class="cdx-card__text">
      <a class="cdx-card__text__title story-card__title" href=${href(context, `/stories/${card.slug}`)}
        ...${foreign ? textAttributes(context, card.textLanguage) : {}}>${card.title}</a>
      <span class="cdx-card__text__description" ...${foreign ? textAttributes(context, card.textLanguage) : {}}>${card.summary}</span>
      <span class="cdx-card__text__supporting-text">
        ${card.region ? html`<span>${card.region.name}</span> · ` : null}
        ${card.publishedAt ? html`<time datetime=${card.publishedAt.toISOString()}>${context.formatDate(card.publishedAt)}</time> · ` : null}
        <span>${t('story-languages-count', context.formatNumber(card.languages.length), card.languages.length)}</span>
        ${card.status === 'draft' ? html` · <span class="story-card__draft">${t('story-status-draft')}</span>` : null}
      </span>
    </span>
  </article>`;
}

/** A list of cards; the first `eager` load their pictures at once (none for a list below the first screen). */
export function storyList(context: PageContext, cards: StoryCard[], emptyMessage: string, eager = EAGER_CARDS): VNode {
  if (cards.length === 0) return html`<p class="story-list__empty">${emptyMessage}</p>`;
  return html`<ul class="story-list">${cards.map((card, index) => html`<li>${storyCard(context, card, index < eager)}</li>`)}</ul>`;
}

export { textAttributes };
