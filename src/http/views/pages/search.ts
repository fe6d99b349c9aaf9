import type { StoryCard } from '../../../services/catalog.ts';
import { storyList } from '../components/story-card.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export function searchPage(context: PageContext, data: { query: string; cards: StoryCard[]; error?: string }) {
  const { t } = context;
  return layout(
    context,
    { title: data.query ? t('search-results-title', data.query) : t('search-title') },
    html`
    <h1>${t('search-title')}</h1>
    <form class="search-form" role="search" method="get" action=${href(context, '/search')}>
      <div class="cdx-field">
        <label class="cdx-label" for="search-q"><span class="cdx-label__label__text">${t('search-label')}</span></label>
        <div class=${`cdx-text-input${data.error ? ' cdx-text-input--status-error' : ''}`}>
          <input id="search-q" class="cdx-text-input__input" type="search" name="q" value=${data.query} aria-describedby=${data.error ? 'search-error' : undefined} />
        </div>
        ${data.error ? html`<div id="search-error" class="cdx-message cdx-message--inline cdx-message--error"><span class="cdx-message__icon"></span><div class="cdx-message__content">${t(data.error)}</div></div>` : null}
      </div>
      <button class="cdx-button cdx-button--action-progressive cdx-button--weight-primary" type="submit">${t('search-button')}</button>
    </form>
    ${
      data.query && !data.error
        ? html`<p role="status">${t('search-count', context.formatNumber(data.cards.length), data.cards.length)}</p>
      ${storyList(context, data.cards, t('search-empty', data.query))}`
        : null
    }`,
  );
}
