import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

/** Previous/next links that keep every other query parameter. */
export function pagination(
  context: PageContext,
  base: string,
  params: URLSearchParams,
  page: number,
  pages: number,
): VNode | null {
  if (pages <= 1) return null;
  const link = (target: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(target));
    return `/${context.language.code}${base}?${next.toString()}`;
  };
  return html`<nav class="pagination" aria-label=${context.t('pagination-label')}>
    ${page > 1 ? html`<a rel="prev" href=${link(page - 1)}>${context.t('pagination-previous')}</a>` : null}
    <span>${context.t('pagination-status', context.formatNumber(page), context.formatNumber(pages))}</span>
    ${page < pages ? html`<a rel="next" href=${link(page + 1)}>${context.t('pagination-next')}</a>` : null}
  </nav>`;
}
