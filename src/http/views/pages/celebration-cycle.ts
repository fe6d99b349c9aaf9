import { isFinal, nextPhase, type CyclePhase } from '../../../domain/celebration/cycle.ts';
import type { NominationForm } from '../../../domain/celebration/nomination.ts';
import type { Region } from '../../../domain/catalog/vocabulary.ts';
import type { CycleResults, CycleView, NominationView } from '../../../services/celebration.ts';
import { csrfField, formMessage, submitButton } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout, signInHref } from '../layout.ts';
import {
  buttonForm,
  cycleHref,
  monthName,
  name,
  nominationFormView,
  nominationHref,
  phaseChip,
  radioGroup,
  scheduleList,
} from './celebration-parts.ts';

const STYLES = ['/assets/celebration.css'];

/** The celebration's front page: the current cycle, what one can do now, and the past cycles. */
export function celebrationIndexPage(context: PageContext, data: { current: CycleView | null; past: CycleView[] }) {
  const { t } = context;
  const { current } = data;
  return layout(
    context,
    { title: t('celebration-title'), styles: STYLES },
    html`<div class="celebration-page">
      <h1>${t('celebration-title')}</h1>
      <p>${t('celebration-intro')}</p>
      ${
        current
          ? html`<section class="celebration-current" aria-labelledby="current-heading">
            <h2 id="current-heading"><a href=${cycleHref(context, current.month)}>${monthName(context, current.month)}</a></h2>
            <p>${phaseChip(context, current)}</p>
            <p>${t(`celebration-now-${current.effectivePhase}`)}</p>
            ${scheduleList(context, current)}
            <p><a class="cdx-button cdx-button--fake-button cdx-button--fake-button--enabled cdx-button--action-progressive cdx-button--weight-primary"
              href=${cycleHref(context, current.month)}>${t('celebration-open-cycle', monthName(context, current.month))}</a></p>
          </section>`
          : html`<p>${t('celebration-no-cycle')}</p>`
      }
      ${
        data.past.length
          ? html`<section aria-labelledby="past-heading">
            <h2 id="past-heading">${t('celebration-past')}</h2>
            <ul class="celebration-cycles">
              ${data.past.map(
                (cycle) =>
                  html`<li><a href=${cycleHref(context, cycle.month)}>${monthName(context, cycle.month)}</a> ${phaseChip(context, cycle)}</li>`,
              )}
            </ul>
          </section>`
          : null
      }
      ${context.can('celebration.manage') ? html`<p><a href=${href(context, '/admin/celebration')}>${t('celebration-manage')}</a></p>` : null}
    </div>`,
  );
}

export interface CyclePageData {
  cycle: CycleView;
  nominations: NominationView[];
  regions: Region[];
  /** The nomination form when nominations are open and the viewer is signed in. */
  nominate: { form: NominationForm; errors: Record<string, string>; stale?: boolean } | null;
  /** The ballot while the choice is open: whether the viewer may vote and what they chose. */
  ballot: { mayVote: boolean; myVote: number | null; voters: number; error?: string | undefined } | null;
  results: CycleResults | null;
  /** What the last post did (after its redirect): a message key. */
  notice: string | null;
}

function nominationList(context: PageContext, nominations: NominationView[]): VNode {
  const { t } = context;
  if (!nominations.length) return html`<p>${t('celebration-no-nominations')}</p>`;
  return html`<ul class="celebration-nominations">
    ${nominations.map(
      (nomination) => html`<li class="celebration-nomination">
      <a href=${nominationHref(context, nomination.id)}>${name(nomination.nominee)}</a>
      <span class="celebration-meta">${[
        t(`celebration-kind-${nomination.kind}`),
        t(`celebration-category-${nomination.category}`),
        t(`celebration-state-${nomination.state.replace(/_/g, '-')}`),
        t('celebration-seconds-count', nomination.seconds),
      ].join(' · ')}</span>
    </li>`,
    )}
  </ul>`;
}

function ballotView(context: PageContext, data: CyclePageData, ballot: NonNullable<CyclePageData['ballot']>): VNode {
  const { t } = context;
  const candidates = data.nominations.filter((nomination) => nomination.state === 'consented');
  const voted = candidates.find((nomination) => nomination.id === ballot.myVote);
  if (!context.user) return html`<p><a href=${signInHref(context)}>${t('celebration-sign-in-to-vote')}</a></p>`;
  if (ballot.myVote !== null)
    return formMessage(context, 'success', 'celebration-you-voted', voted?.nominee ?? `#${ballot.myVote}`);
  if (!ballot.mayVote) return html`<p>${t('celebration-error-not-a-voter')}</p>`;
  if (!candidates.length) return html`<p>${t('celebration-no-candidates')}</p>`;
  return html`<form method="post" action=${`${cycleHref(context, data.cycle.month)}/vote`} class="celebration-ballot">
    ${csrfField(context)}
    ${ballot.error ? formMessage(context, 'error', ballot.error) : null}
    ${radioGroup(context, {
      name: 'nomination',
      legend: t('celebration-ballot-legend'),
      value: '',
      choices: candidates.map((candidate) => ({
        value: String(candidate.id),
        label: html`<bdi>${candidate.nominee}</bdi> (${t(`celebration-kind-${candidate.kind}`)})`,
      })),
    })}
    <p>${t('celebration-ballot-once')}</p>
    ${submitButton(t('celebration-vote'))}
  </form>`;
}

function resultsView(context: PageContext, results: CycleResults): VNode {
  const { t } = context;
  const winner = results.rows.find((row) => row.nominationId === results.winner);
  return html`<section aria-labelledby="results-heading" class="celebration-results">
    <h2 id="results-heading">${t('celebration-results')}</h2>
    ${
      winner
        ? html`<p class="celebration-winner">${t('celebration-honoree', winner.nominee)}</p>
          ${results.decidedBy ? html`<p>${t(`celebration-tally-decided-${results.decidedBy}`)}</p>` : null}`
        : html`<p>${t('celebration-tally-none')}</p>`
    }
    ${
      results.rows.length
        ? html`<div class="cdx-table__table-wrapper"><table class="cdx-table__table">
      <caption>${t('celebration-results-caption', monthName(context, results.month))}</caption>
      <thead><tr><th scope="col">${t('celebration-results-place')}</th><th scope="col">${t('celebration-results-nominee')}</th>
        <th scope="col">${t('celebration-results-votes')}</th><th scope="col">${t('celebration-results-seconds')}</th></tr></thead>
      <tbody>${results.rows.map(
        (row) => html`<tr><td>${context.formatNumber(row.place)}</td>
          <td><a href=${nominationHref(context, row.nominationId)}>${name(row.nominee)}</a></td>
          <td>${context.formatNumber(row.votes)}</td><td>${context.formatNumber(row.seconds)}</td></tr>`,
      )}</tbody>
    </table></div>`
        : null
    }
    ${results.votesSetAside ? html`<p>${t('celebration-tally-set-aside', results.votesSetAside)}</p>` : null}
    <p class="celebration-rule">${t(results.ruleKey)}</p>
  </section>`;
}

/** The phases an editor may move a cycle to from its stored phase (the next one, or cancel it). */
function editorMoves(phase: CyclePhase): CyclePhase[] {
  if (isFinal(phase)) return [];
  return [nextPhase(phase)!, 'cancelled'];
}

/** One month's cycle: its phase and dates, nominations, and what the viewer can do now. */
export function celebrationCyclePage(context: PageContext, data: CyclePageData) {
  const { t } = context;
  const { cycle } = data;
  const title = t('celebration-cycle-title', monthName(context, cycle.month));
  const phase = cycle.effectivePhase;
  const action = cycleHref(context, cycle.month);
  return layout(
    context,
    { title, styles: STYLES },
    html`<div class="celebration-page">
      <p><a href=${href(context, '/celebration')}>${t('celebration-back')}</a></p>
      <h1>${title}</h1>
      ${data.notice ? formMessage(context, 'success', data.notice) : null}
      <p>${phaseChip(context, cycle)} ${t(`celebration-mode-${cycle.choiceMode}`)}</p>
      <p>${t(`celebration-now-${phase}`)}</p>
      ${scheduleList(context, cycle)}
      ${
        context.can('celebration.manage')
          ? html`<section class="celebration-editor" aria-labelledby="editor-heading">
          <h2 id="editor-heading">${t('celebration-editor-heading')}</h2>
          <div class="celebration-actions">
            ${editorMoves(cycle.phase).map((to) =>
              buttonForm(context, `${action}/advance`, t(`celebration-move-to-${to}`), {
                fields: { from: cycle.phase, to },
                destructive: to === 'cancelled',
                primary: to !== 'cancelled',
              }),
            )}
          </div>
          <p><a href=${href(context, `/admin/celebration/${cycle.month}`)}>${t('celebration-manage-cycle')}</a></p>
        </section>`
          : null
      }
      ${data.results ? resultsView(context, data.results) : null}
      ${
        data.ballot
          ? html`<section aria-labelledby="ballot-heading"><h2 id="ballot-heading">${t('celebration-ballot')}</h2>
          ${ballotView(context, data, data.ballot)}
          <p>${t('celebration-voters', data.ballot.voters)}</p>
          <p class="celebration-rule">${t('celebration-tally-rule')}</p></section>`
          : null
      }
      <section aria-labelledby="nominations-heading">
        <h2 id="nominations-heading">${t('celebration-nominations')}</h2>
        ${nominationList(context, data.nominations)}
      </section>
      ${
        phase === 'nominations'
          ? html`<section aria-labelledby="nominate-heading" class="celebration-nominate">
          <h2 id="nominate-heading">${t('celebration-nominate')}</h2>
          ${
            data.nominate
              ? html`${data.nominate.stale ? formMessage(context, 'error', 'celebration-form-stale') : null}
              ${Object.keys(data.nominate.errors).length ? formMessage(context, 'error', 'form-has-errors') : null}
              ${nominationFormView(context, { action: `${action}/nominate`, form: data.nominate.form, errors: data.nominate.errors, regions: data.regions, submit: t('celebration-nominate-submit') })}`
              : html`<p><a href=${signInHref(context)}>${t('celebration-sign-in-to-nominate')}</a></p>`
          }
        </section>`
          : null
      }
    </div>`,
  );
}
