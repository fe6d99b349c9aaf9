import { localizedName } from '../../../domain/languages/localize.ts';
import type { LanguageRow } from '../../../domain/languages/languages.ts';
import type { Region, Theme } from '../../../domain/catalog/vocabulary.ts';
import type { Coverage, CoverageRow } from '../../../services/contributions.ts';
import { pagination } from '../components/pagination.ts';
import { textAttributes } from '../components/story-card.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

export interface CoverageFilters {
  region: string;
  theme: string;
  page: number;
}

/**
 * Which stories can be read and watched in which languages: each language's progress, then a
 * matrix of stories by languages (a table that scrolls sideways on its own on a narrow screen).
 */
export function coveragePage(
  context: PageContext,
  data: Coverage & { regions: Region[]; themes: Theme[]; filters: CoverageFilters },
): VNode {
  const { t } = context;
  const { filters } = data;
  const params = new URLSearchParams();
  if (filters.region) params.set('region', filters.region);
  if (filters.theme) params.set('theme', filters.theme);
  return layout(
    context,
    { title: t('coverage-title'), description: t('coverage-intro') },
    html`
    <h1>${t('coverage-title')}</h1>
    <p>${t('coverage-intro')}</p>
    <p><a href=${href(context, '/contributors')}>${t('coverage-contributors-link')}</a></p>
    ${filterForm(context, data)}
    <p class="catalog-count" role="status">${t('catalog-count', context.formatNumber(data.total), data.total)}</p>
    ${data.total ? progressTable(context, data) : null}
    ${data.rows.length ? matrix(context, data.rows) : html`<p>${t('catalog-empty')}</p>`}
    ${pagination(context, '/translations', params, filters.page, data.pages)}`,
  );
}

function filterForm(context: PageContext, data: { regions: Region[]; themes: Theme[]; filters: CoverageFilters }) {
  const { t } = context;
  const { filters } = data;
  return html`<form class="catalog-filters" method="get" action=${href(context, '/translations')}>
    <div class="cdx-field">
      <label class="cdx-label" for="coverage-region"><span class="cdx-label__label__text">${t('filter-region')}</span></label>
      <select id="coverage-region" class="cdx-select" name="region">
        <option value="">${t('filter-any-region')}</option>
        ${data.regions.map((region) => html`<option value=${region.slug} selected=${region.slug === filters.region}>${localizedName(region.names, context.chain).text}</option>`)}
      </select>
    </div>
    <div class="cdx-field">
      <label class="cdx-label" for="coverage-theme"><span class="cdx-label__label__text">${t('filter-theme')}</span></label>
      <select id="coverage-theme" class="cdx-select" name="theme">
        <option value="">${t('filter-any-theme')}</option>
        ${data.themes.map((theme) => html`<option value=${theme.slug} selected=${theme.slug === filters.theme}>${localizedName(theme.names, context.chain).text}</option>`)}
      </select>
    </div>
    <button class="cdx-button cdx-button--action-progressive cdx-button--weight-primary" type="submit">${t('filter-apply')}</button>
  </form>`;
}

const autonymOf = (language: LanguageRow) => html`<span ...${languageAttributes(language)}>${language.autonym}</span>`;

/**
 * A Codex table: its caption shown above it (the table's own caption is read by screen readers), in a
 * wrapper that scrolls sideways on its own, takes keyboard focus and is named, so it scrolls without a mouse.
 */
function codexTable(id: string, className: string, caption: string, head: VNode, body: VNode[]): VNode {
  return html`<div class=${`cdx-table ${className}`}>
    <div class="cdx-table__header"><div class="cdx-table__header__caption" aria-hidden="true">${caption}</div></div>
    <div class="cdx-table__table-wrapper" role="region" aria-labelledby=${id} tabindex="0">
      <table class="cdx-table__table">
        <caption id=${id}>${caption}</caption>
        <thead>${head}</thead>
        <tbody>${body}</tbody>
      </table>
    </div>
  </div>`;
}

function progressTable(context: PageContext, data: Coverage): VNode {
  const { t } = context;
  const byCode = new Map(context.languages.map((language) => [language.code, language]));
  const head = html`<tr>
    <th scope="col">${t('coverage-language')}</th>
    <th scope="col">${t('coverage-published')}</th>
    <th scope="col">${t('coverage-sentences')}</th>
  </tr>`;
  const body = data.progress.map((progress) => {
    const language = byCode.get(progress.language);
    const percent = t('coverage-percent', context.formatNumber(progress.percent));
    return html`<tr>
      <th scope="row">${language ? autonymOf(language) : progress.language}</th>
      <td><meter min="0" max="100" value=${progress.percent} aria-hidden="true"></meter> ${percent}</td>
      <td>${t('coverage-sentences-value', context.formatNumber(progress.published), context.formatNumber(progress.units))}</td>
    </tr>`;
  });
  return codexTable('coverage-progress-caption', 'coverage-progress', t('coverage-progress-caption'), head, body);
}

function matrix(context: PageContext, rows: CoverageRow[]): VNode {
  const { t } = context;
  const head = html`<tr>
    <th scope="col">${t('coverage-story')}</th>
    ${context.languages.map((language) => html`<th scope="col">${autonymOf(language)}</th>`)}
  </tr>`;
  return codexTable(
    'coverage-matrix-caption',
    'coverage-matrix',
    t('coverage-matrix-caption'),
    head,
    rows.map((row) => matrixRow(context, row)),
  );
}

// Each line of a cell stays whole (no-break spaces), so a row is two lines high however narrow the screen.
const unbroken = (text: string) => text.replace(/ /g, '\u00a0');

function matrixRow(context: PageContext, row: CoverageRow): VNode {
  const { t } = context;
  const foreign = row.titleLanguage !== context.language.code;
  return html`<tr>
    <th scope="row"><a href=${href(context, `/stories/${row.slug}`)} ...${foreign ? textAttributes(context, row.titleLanguage) : {}}>${row.title}</a></th>
    ${context.languages.map((language) => {
      const cell = row.cells[language.code];
      if (!cell) return html`<td></td>`;
      const subtitles = unbroken(t('coverage-cell-subtitles', context.formatNumber(cell.subtitles)));
      const text =
        cell.text === null
          ? unbroken(t('coverage-cell-source'))
          : html`<a href=${href(context, `/translate/${row.slug}/${language.code}`)}>${unbroken(t('coverage-cell-text', context.formatNumber(cell.text)))}</a>`;
      return html`<td>${text}<br />${subtitles}</td>`;
    })}
  </tr>`;
}
