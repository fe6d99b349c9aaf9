import { bcp47 } from '../../../domain/languages/languages.ts';
import { monthKey, type Board, type Month } from '../../../services/contributions.ts';
import { personName } from '../components/actor.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

/** "May 2026" in the page's language (months are counted in UTC). */
function monthName(context: PageContext, month: Month): string {
  return new Intl.DateTimeFormat(bcp47(context.language.code), {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(month.year, month.month - 1, 1)));
}

/** The month's contributors, the most active first, with links to the months before and after. */
export function contributorsPage(context: PageContext, board: Board): VNode {
  const { t } = context;
  const name = monthName(context, board.month);
  const monthHref = (month: Month) => href(context, `/contributors?month=${monthKey(month)}`);
  const count = (value: number) => context.formatNumber(value);
  return layout(
    context,
    { title: t('contributors-title', name) },
    html`
    <h1>${t('contributors-title', name)}</h1>
    <p>${t('contributors-intro')}</p>
    <nav class="pagination" aria-label=${t('contributors-months')}>
      <a rel="prev" href=${monthHref(board.previous)}>${t('contributors-previous', monthName(context, board.previous))}</a>
      ${board.next ? html`<a rel="next" href=${monthHref(board.next)}>${t('contributors-next', monthName(context, board.next))}</a>` : null}
    </nav>
    ${
      board.people.length
        ? html`<div class="cdx-table">
      <div class="cdx-table__header"><div class="cdx-table__header__caption" aria-hidden="true">${t('contributors-caption', name)}</div></div>
      <div class="cdx-table__table-wrapper" role="region" aria-labelledby="contributors-caption" tabindex="0">
        <table class="cdx-table__table contributors-table">
          <caption id="contributors-caption">${t('contributors-caption', name)}</caption>
          <thead><tr>
            <th scope="col">${t('contributors-person')}</th>
            <th scope="col">${t('contributors-translated')}</th>
            <th scope="col">${t('contributors-reviewed')}</th>
            <th scope="col">${t('contributors-subtitles')}</th>
            <th scope="col">${t('contributors-total')}</th>
          </tr></thead>
          <tbody>${board.people.map(
            (person) => html`<tr>
            <th scope="row">${personName(context, person.username, person.bot)}</th>
            <td>${count(person.translated)}</td>
            <td>${count(person.reviewed)}</td>
            <td>${count(person.subtitleRevisions)}</td>
            <td>${count(person.translated + person.reviewed + person.subtitleRevisions)}</td>
          </tr>`,
          )}</tbody>
        </table>
      </div>
    </div>`
        : html`<p>${t('contributors-empty', name)}</p>`
    }
    <p><a href=${href(context, '/translations')}>${t('coverage-title')}</a></p>`,
  );
}
