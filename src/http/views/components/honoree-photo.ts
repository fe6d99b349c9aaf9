import type { HonoreePhoto } from '../../../domain/celebration/announcement.ts';
import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

/** The celebrated contributor's photo, with its author, licence and source as its licence asks. */
export function honoreePhoto(context: PageContext, photo: HonoreePhoto, alt: string): VNode {
  const { t } = context;
  const author = html`<bdi>${photo.author}</bdi>`;
  const licence = html`<bdi>${photo.licence}</bdi>`;
  return html`<figure class="story-photo">
    <img class="story-photo__image" src=${`/media/${photo.storageKey}`} alt=${alt}
      width=${photo.width ?? undefined} height=${photo.height ?? undefined} loading="lazy" decoding="async" />
    <figcaption class="story-photo__credit">
      ${t('celebration-photo-credit-author')} ${author} · ${t('celebration-photo-credit-licence')} ${licence}
      ${photo.sourceUrl ? html` · <a href=${photo.sourceUrl} rel="nofollow noopener">${t('celebration-photo-credit-source')}</a>` : null}
    </figcaption>
  </figure>`;
}
