import { localizedName } from '../../../domain/languages/localize.ts';
import type { StoryCard } from '../../../services/catalog.ts';
import type { Region, Theme } from '../../../domain/catalog/vocabulary.ts';
import { pagination } from '../components/pagination.ts';
import { storyList } from '../components/story-card.ts';
import { languageFeed, type FeedLink } from '../components/feeds.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export interface CatalogFilters {
  region: string;
  theme: string;
  inLanguage: boolean;
  page: number;
}

export function catalogPage(
  context: PageContext,
  data: {
    cards: StoryCard[];
    total: number;
    pages: number;
    regions: Region[];
    themes: Theme[];
    filters: CatalogFilters;
  },
) {
  const { t } = context;
  const { filters } = data;
  const params = new URLSearchParams();
  if (filters.region) params.set('region', filters.region);
  if (filters.theme) params.set('theme', filters.theme);
  if (filters.inLanguage) params.set('inlang', '1');
  return layout(
    context,
    { title: t('catalog-title'), feeds: [languageFeed(context)] },
    html`
    <h1>${t('catalog-title')}</h1>
    <form class="catalog-filters" method="get" action=${href(context, '/stories')}>
      <div class="cdx-field">
        <label class="cdx-label" for="filter-region"><span class="cdx-label__label__text">${t('filter-region')}</span></label>
        <select id="filter-region" class="cdx-select" name="region">
          <option value="">${t('filter-any-region')}</option>
          ${data.regions.map((region) => html`<option value=${region.slug} selected=${region.slug === filters.region}>${localizedName(region.names, context.chain).text}</option>`)}
        </select>
      </div>
      <div class="cdx-field">
        <label class="cdx-label" for="filter-theme"><span class="cdx-label__label__text">${t('filter-theme')}</span></label>
        <select id="filter-theme" class="cdx-select" name="theme">
          <option value="">${t('filter-any-theme')}</option>
          ${data.themes.map((theme) => html`<option value=${theme.slug} selected=${theme.slug === filters.theme}>${localizedName(theme.names, context.chain).text}</option>`)}
        </select>
      </div>
      <div class="cdx-checkbox">
        <div class="cdx-checkbox__wrapper">
          <input id="filter-inlang" class="cdx-checkbox__input" type="checkbox" name="inlang" value="1" checked=${filters.inLanguage} />
          <span class="cdx-checkbox__icon"></span>
          <div class="cdx-checkbox__label cdx-label">
            <label for="filter-inlang" class="cdx-label__label"><span class="cdx-label__label__text">${t('filter-in-my-language', context.language.autonym)}</span></label>
          </div>
        </div>
      </div>
      <button class="cdx-button cdx-button--action-progressive cdx-button--weight-primary" type="submit">${t('filter-apply')}</button>
    </form>
    <p class="catalog-count" role="status">${t('catalog-count', context.formatNumber(data.total), data.total)}</p>
    ${storyList(context, data.cards, t('catalog-empty'))}
    ${pagination(context, '/stories', params, filters.page, data.pages)}`,
  );
}

/** A region, theme or person: a heading, an optional description, and its stories. */
export function collectionPage(
  context: PageContext,
  data: {
    title: string;
    titleLanguage?: string;
    intro?: VNodeLike;
    cards: StoryCard[];
    total: number;
    pages: number;
    page: number;
    base: string;
    /** The Atom feed of the same stories. */
    feed?: FeedLink;
  },
) {
  const { t } = context;
  return layout(
    context,
    { title: data.title, ...(data.feed ? { feeds: [data.feed] } : {}) },
    html`
    <h1>${data.title}</h1>
    ${data.intro ?? null}
    <p class="catalog-count" role="status">${t('catalog-count', context.formatNumber(data.total), data.total)}</p>
    ${storyList(context, data.cards, t('catalog-empty'))}
    ${pagination(context, data.base, new URLSearchParams(), data.page, data.pages)}`,
  );
}
type VNodeLike = ReturnType<typeof html>;
