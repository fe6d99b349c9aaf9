import { localizedName } from '../../../domain/languages/localize.ts';
import type { Region, Theme } from '../../../domain/catalog/vocabulary.ts';
import type { TextPart } from '../../../domain/search/snippet.ts';
import type { SearchResult } from '../../../services/search.ts';
import { EAGER_CARDS, storyPicture, textAttributes } from '../components/story-card.ts';
import { pagination } from '../components/pagination.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

/** What the search form holds: the words and the filters, as their URL parameters. */
export interface SearchForm {
  query: string;
  region: string;
  theme: string;
  language: string;
  video: boolean;
  subtitles: boolean;
  page: number;
}

export interface SearchPageData {
  form: SearchForm;
  regions: Region[];
  themes: Theme[];
  /** Null when nothing was asked yet (no words, no filter). */
  found: { results: SearchResult[]; total: number; more: boolean; pages: number } | null;
  error?: string;
}

/** The form's values as the query string of its own address (for pagination). */
export function searchParams(form: SearchForm): URLSearchParams {
  const params = new URLSearchParams();
  if (form.query) params.set('q', form.query);
  if (form.region) params.set('region', form.region);
  if (form.theme) params.set('theme', form.theme);
  if (form.language) params.set('language', form.language);
  if (form.video) params.set('video', '1');
  if (form.subtitles) params.set('subtitles', '1');
  return params;
}

// The words that matched, marked by the template: every piece of text is escaped like any other.
const marked = (parts: TextPart[]) => parts.map((part) => (part.hit ? html`<mark>${part.text}</mark>` : part.text));

function checkbox(id: string, name: string, checked: boolean, label: string): VNode {
  return html`<div class="cdx-checkbox">
    <div class="cdx-checkbox__wrapper">
      <input id=${id} class="cdx-checkbox__input" type="checkbox" name=${name} value="1" checked=${checked} />
      <span class="cdx-checkbox__icon"></span>
      <div class="cdx-checkbox__label cdx-label">
        <label for=${id} class="cdx-label__label"><span class="cdx-label__label__text">${label}</span></label>
      </div>
    </div>
  </div>`;
}

function select(
  id: string,
  name: string,
  label: string,
  any: string,
  options: Array<{ value: string; text: string; lang?: string }>,
  value: string,
): VNode {
  return html`<div class="cdx-field">
    <label class="cdx-label" for=${id}><span class="cdx-label__label__text">${label}</span></label>
    <select id=${id} class="cdx-select" name=${name}>
      <option value="">${any}</option>
      ${options.map((option) => html`<option value=${option.value} selected=${option.value === value} lang=${option.lang}>${option.text}</option>`)}
    </select>
  </div>`;
}

function result(context: PageContext, found: SearchResult, eager: boolean): VNode {
  const { t } = context;
  const foreign = found.textLanguage !== context.language.code ? textAttributes(context, found.textLanguage) : {};
  return html`<article class="search-result">
    ${storyPicture(found, eager, '6rem')}
    <div class="search-result__text">
    <h2 class="search-result__title">
      <a href=${href(context, `/stories/${found.slug}`)} ...${foreign}>${marked(found.title)}</a>
    </h2>
    ${found.excerpt.length ? html`<p class="search-result__excerpt" ...${foreign}>${marked(found.excerpt)}</p>` : null}
    <p class="search-result__meta">
      ${found.region ? html`<span>${found.region.name}</span> · ` : null}
      ${found.publishedAt ? html`<time datetime=${found.publishedAt.toISOString()}>${context.formatDate(found.publishedAt)}</time> · ` : null}
      <span>${t('story-languages-count', context.formatNumber(found.languages.length), found.languages.length)}</span>
    </p>
    </div>
  </article>`;
}

export function searchPage(context: PageContext, data: SearchPageData) {
  const { t } = context;
  const { form, found } = data;
  return layout(
    context,
    {
      title: form.query ? t('search-results-title', form.query) : t('search-title'),
      styles: ['/assets/search.css'],
      scripts: ['/assets/search.js'],
    },
    html`
    <h1>${t('search-title')}</h1>
    <form class="search-form" role="search" method="get" action=${href(context, '/search')} data-live-search="search-results">
      <div class="cdx-field search-form__words">
        <label class="cdx-label" for="search-q"><span class="cdx-label__label__text">${t('search-label')}</span></label>
        <div class="search-form__row">
          <div class=${`cdx-text-input${data.error ? ' cdx-text-input--status-error' : ''}`}>
            <input id="search-q" class="cdx-text-input__input" type="search" name="q" value=${form.query} autocomplete="off"
              aria-describedby=${data.error ? 'search-error' : undefined} />
          </div>
          <button class="cdx-button cdx-button--action-progressive cdx-button--weight-primary" type="submit">${t('search-button')}</button>
        </div>
        ${data.error ? html`<div id="search-error" class="cdx-message cdx-message--inline cdx-message--error"><span class="cdx-message__icon"></span><div class="cdx-message__content">${t(data.error)}</div></div>` : null}
      </div>
      <fieldset class="search-filters">
        <legend>${t('search-filters')}</legend>
        ${select(
          'search-region',
          'region',
          t('filter-region'),
          t('filter-any-region'),
          data.regions.map((region) => ({ value: region.slug, text: localizedName(region.names, context.chain).text })),
          form.region,
        )}
        ${select(
          'search-theme',
          'theme',
          t('filter-theme'),
          t('filter-any-theme'),
          data.themes.map((theme) => ({ value: theme.slug, text: localizedName(theme.names, context.chain).text })),
          form.theme,
        )}
        ${select(
          'search-language',
          'language',
          t('search-filter-language'),
          t('search-filter-any-language'),
          context.languages.map((language) => ({
            value: language.code,
            text: language.autonym,
            lang: textAttributes(context, language.code).lang,
          })),
          form.language,
        )}
        ${checkbox('search-video', 'video', form.video, t('search-filter-video'))}
        ${checkbox('search-subtitles', 'subtitles', form.subtitles, t('search-filter-subtitles', context.language.autonym))}
      </fieldset>
    </form>
    <div id="search-results" class="search-results">
      ${
        found
          ? html`<p role="status" class="search-results__count">${t(found.more ? 'search-count-more' : 'search-count', context.formatNumber(found.total), found.total)}</p>
      ${
        found.results.length
          ? html`<ol class="search-results__list">${found.results.map((item, index) => html`<li>${result(context, item, index < EAGER_CARDS)}</li>`)}</ol>`
          : html`<p class="search-results__empty">${form.query ? t('search-empty', form.query) : t('search-empty-filters')}</p>`
      }
      ${pagination(context, '/search', searchParams(form), form.page, found.pages)}`
          : null
      }
    </div>`,
  );
}
