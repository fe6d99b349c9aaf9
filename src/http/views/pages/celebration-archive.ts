import { monthLabel } from '../../../domain/celebration/announcement.ts';
import { CATEGORIES, NOMINEE_KINDS } from '../../../domain/celebration/nomination.ts';
import type { Region } from '../../../domain/catalog/vocabulary.ts';
import { localizedName } from '../../../domain/languages/localize.ts';
import type { ArchiveEntry } from '../../../services/celebration-announce.ts';
import { textAttributes } from '../components/story-card.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

export interface ArchiveFilters {
  /** The region's slug, the category and the kind chosen ('' for any). */
  region: string;
  category: string;
  kind: string;
}

/** A filter's select: "any" first, then each choice; the chosen one selected. */
function filterSelect(
  context: PageContext,
  name: keyof ArchiveFilters,
  chosen: string,
  choices: ReadonlyArray<{ value: string; label: string }>,
): VNode {
  const { t } = context;
  const id = `archive-${name}`;
  return html`<div class="cdx-field">
    <label class="cdx-label" for=${id}><span class="cdx-label__label__text">${t(`celebration-archive-filter-${name}`)}</span></label>
    <select id=${id} class="cdx-select" name=${name}>
      <option value="">${t(`celebration-archive-any-${name}`)}</option>
      ${choices.map((choice) => html`<option value=${choice.value} selected=${choice.value === chosen}>${choice.label}</option>`)}
    </select>
  </div>`;
}

/** Every celebrated contributor by month, the latest first, filtered by a plain GET form (no script needed). */
export function celebrationArchivePage(
  context: PageContext,
  data: { entries: ArchiveEntry[]; regions: Region[]; filters: ArchiveFilters },
): VNode {
  const { t } = context;
  const regionName = (id: number) => {
    const region = data.regions.find((each) => each.id === id);
    return region ? localizedName(region.names, context.chain).text : '';
  };
  const entries = data.entries.map((entry) => {
    const month = monthLabel(entry.month, context.language.code);
    const story = entry.story;
    return html`<li class="celebration-archive__entry">
      <h2 class="celebration-archive__month"><time datetime=${entry.month}>${month}</time></h2>
      <p class="celebration-archive__honoree">
        ${
          story
            ? html`<a href=${href(context, `/stories/${story.slug}`)}><span ...${textAttributes(context, story.language)}>${story.title}</span></a>`
            : html`<bdi>${entry.nominee}</bdi>`
        }
      </p>
      <p class="celebration-archive__details">
        <bdi>${entry.nominee} (${entry.homeWiki})</bdi> ·
        ${t(`celebration-kind-${entry.kind}`)} · ${t(`celebration-category-${entry.category}`)} · ${regionName(entry.regionId)}
        ${entry.kind === 'bot' && entry.operators.length ? html` · ${t('celebration-archive-operators', entry.operators.join(', '), entry.operators.length)}` : null}
      </p>
    </li>`;
  });
  return layout(
    context,
    { title: t('celebration-archive-title') },
    html`
    <h1>${t('celebration-archive-title')}</h1>
    <p>${t('celebration-archive-intro')}</p>
    <form class="catalog-filters" method="get" action=${href(context, '/celebration/archive')}>
      ${filterSelect(
        context,
        'region',
        data.filters.region,
        data.regions.map((region) => ({ value: region.slug, label: localizedName(region.names, context.chain).text })),
      )}
      ${filterSelect(
        context,
        'category',
        data.filters.category,
        CATEGORIES.map((category) => ({ value: category, label: t(`celebration-category-${category}`) })),
      )}
      ${filterSelect(
        context,
        'kind',
        data.filters.kind,
        NOMINEE_KINDS.map((kind) => ({ value: kind, label: t(`celebration-kind-${kind}`) })),
      )}
      <button class="cdx-button cdx-button--action-progressive cdx-button--weight-primary" type="submit">${t('celebration-archive-filter-apply')}</button>
    </form>
    ${
      entries.length
        ? html`<ol class="celebration-archive" reversed="">${entries}</ol>`
        : html`<p class="celebration-archive__empty" role="status">${t('celebration-archive-empty')}</p>`
    }`,
  );
}
