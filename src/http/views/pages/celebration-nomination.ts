import { NOMINATION_LIMITS, type NominationForm } from '../../../domain/celebration/nomination.ts';
import type { Region } from '../../../domain/catalog/vocabulary.ts';
import { localizedName } from '../../../domain/languages/localize.ts';
import type { CycleView, NominationDetail } from '../../../services/celebration.ts';
import { personName } from '../components/actor.ts';
import { csrfField, formMessage, submitButton, textArea } from '../components/form.ts';
import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout, signInHref } from '../layout.ts';
import {
  buttonForm,
  cycleHref,
  dateTime,
  evidenceLinks,
  monthName,
  name,
  nominationFormView,
  nominationHref,
  writtenIn,
  writtenInSelect,
} from './celebration-parts.ts';

const STYLES = ['/assets/celebration.css'];

export interface NominationPageData {
  detail: NominationDetail;
  cycle: CycleView;
  regions: Region[];
  /** Which steps the cycle takes now (forms are offered only for those). */
  open: { second: boolean; anecdote: boolean; edit: boolean; withdraw: boolean; moderate: boolean };
  /** A form sent back with its problem: its name, what was typed (and in which language) and each field's error. */
  sent?: {
    form: 'second' | 'anecdote' | 'hide';
    text: string;
    language?: string | undefined;
    errors: Record<string, string>;
    stale?: boolean;
  };
  /** What the last post did (after its redirect), or a refusal: a message key. */
  notice: { type: 'success' | 'error'; key: string } | null;
  /** A consent link an editor just made (shown once). */
  consentLink?: string;
}

function textForm(
  context: PageContext,
  data: NominationPageData,
  options: { form: 'second' | 'anecdote' | 'hide'; field: string; label: string; help: string; submit: string },
): VNode {
  const sent = data.sent?.form === options.form ? data.sent : undefined;
  const id = `${options.form}-${options.field}`;
  return html`<form method="post" action=${`${nominationHref(context, data.detail.nomination.id)}/${options.form}`} class="celebration-form">
    ${csrfField(context)}
    ${sent?.stale ? formMessage(context, 'error', 'celebration-form-stale') : null}
    ${options.form === 'hide' ? null : writtenInSelect(context, { id: `${options.form}-language`, value: sent?.language, error: sent?.errors.language })}
    ${textArea(context, { id, name: options.field, label: options.label, value: sent?.text ?? '', error: sent?.errors[options.field], help: options.help, rows: 3 })}
    ${submitButton(options.submit)}
  </form>`;
}

/** One nomination: who, why, the evidence, its seconds and anecdotes, and the forms the viewer may use. */
export function celebrationNominationPage(context: PageContext, data: NominationPageData) {
  const { t } = context;
  const { nomination, seconds, anecdotes } = data.detail;
  const user = context.user;
  const region = data.regions.find((each) => each.id === nomination.regionId);
  const isNominator = user !== null && nomination.nominatorId === user.id;
  const moderator = context.can('celebration.moderate');
  const self = `${nominationHref(context, nomination.id)}`;
  const title = t('celebration-nomination-title', nomination.nominee);
  return layout(
    context,
    { title, alternates: false, styles: STYLES },
    html`<div class="celebration-page">
      <p><a href=${cycleHref(context, data.cycle.month)}>${t('celebration-cycle-title', monthName(context, data.cycle.month))}</a></p>
      <h1>${title}</h1>
      ${data.notice ? formMessage(context, data.notice.type, data.notice.key) : null}
      <dl class="celebration-facts">
        <div><dt>${t('celebration-field-home-wiki')}</dt><dd dir="ltr">${nomination.homeWiki}</dd></div>
        <div><dt>${t('celebration-field-kind')}</dt><dd>${t(`celebration-kind-${nomination.kind}`)}</dd></div>
        ${
          nomination.kind === 'bot'
            ? html`<div><dt>${t('celebration-field-operators')}</dt><dd>${nomination.operators.map((operator, index) => html`${index ? ', ' : ''}${name(operator)}`)}</dd></div>
              <div><dt>${t('celebration-field-bot-tasks')}</dt><dd class="celebration-text" ...${writtenIn(nomination.language)}>${nomination.botTasks}</dd></div>`
            : null
        }
        <div><dt>${t('celebration-field-region')}</dt><dd>${region ? localizedName(region.names, context.chain).text : ''}</dd></div>
        <div><dt>${t('celebration-field-category')}</dt><dd>${t(`celebration-category-${nomination.category}`)}</dd></div>
        <div><dt>${t('celebration-state')}</dt><dd>${t(`celebration-state-${nomination.state.replace(/_/g, '-')}`)}</dd></div>
        <div><dt>${t('celebration-nominated-by')}</dt><dd>${personName(context, nomination.nominator ?? '', nomination.nominatorBot)}</dd></div>
      </dl>
      ${moderator && nomination.hiddenReason ? html`<p>${t('celebration-hidden-because')} <span class="celebration-text">${nomination.hiddenReason}</span></p>` : null}
      <h2>${t('celebration-field-reasons')}</h2>
      <p class="celebration-text" ...${writtenIn(nomination.language)}>${nomination.reasons}</p>
      ${
        nomination.evidence.length
          ? html`<h2>${t('celebration-field-evidence')}</h2>${evidenceLinks(nomination.evidence)}`
          : null
      }
      <section aria-labelledby="seconds-heading">
        <h2 id="seconds-heading">${t('celebration-seconds-heading', seconds.length)}</h2>
        ${
          seconds.length
            ? html`<ul class="celebration-list">${seconds.map(
                (second) =>
                  html`<li><strong>${personName(context, second.username, second.bot)}</strong>: <span class="celebration-text" ...${writtenIn(second.language)}>${second.reason}</span></li>`,
              )}</ul>`
            : html`<p>${t('celebration-no-seconds')}</p>`
        }
        ${
          data.open.second && user && !isNominator
            ? textForm(context, data, {
                form: 'second',
                field: 'reason',
                label: t('celebration-field-second-reason'),
                help: t('celebration-field-limit', context.formatNumber(NOMINATION_LIMITS.secondReason)),
                submit: t('celebration-second'),
              })
            : null
        }
      </section>
      <section aria-labelledby="anecdotes-heading">
        <h2 id="anecdotes-heading">${t('celebration-anecdotes')}</h2>
        ${
          anecdotes.length
            ? html`<ul class="celebration-list">${anecdotes.map(
                (
                  anecdote,
                ) => html`<li><strong>${personName(context, anecdote.author ?? '', anecdote.authorBot)}</strong>: <span class="celebration-text" ...${writtenIn(anecdote.language)}>${anecdote.body}</span>
                ${moderator ? html` <span class="celebration-meta">(${t(`celebration-anecdote-${anecdote.state}`)})</span>` : null}</li>`,
              )}</ul>`
            : html`<p>${t('celebration-no-anecdotes')}</p>`
        }
        ${
          data.open.anecdote && user
            ? textForm(context, data, {
                form: 'anecdote',
                field: 'body',
                label: t('celebration-field-anecdote'),
                help: t('celebration-field-anecdote-help', context.formatNumber(NOMINATION_LIMITS.anecdote)),
                submit: t('celebration-add-anecdote'),
              })
            : null
        }
      </section>
      ${
        !user && (data.open.second || data.open.anecdote)
          ? html`<p><a href=${signInHref(context)}>${t('celebration-sign-in-to-second')}</a></p>`
          : null
      }
      ${
        isNominator || moderator
          ? html`<section aria-labelledby="manage-heading" class="celebration-editor">
          <h2 id="manage-heading">${t('celebration-manage-nomination')}</h2>
          <div class="celebration-actions">
            ${isNominator && data.open.edit ? html`<a class="cdx-button cdx-button--fake-button cdx-button--fake-button--enabled" href=${`${self}/edit`}>${t('celebration-edit')}</a>` : null}
            ${
              data.open.withdraw && ['open', 'awaiting_consent', 'consented'].includes(nomination.state)
                ? buttonForm(context, `${self}/withdraw`, t('celebration-withdraw'), { destructive: true })
                : null
            }
            ${
              context.can('celebration.manage') && nomination.state === 'awaiting_consent'
                ? buttonForm(context, `${self}/consent-link`, t('celebration-make-consent-link'))
                : null
            }
          </div>
          ${data.consentLink ? html`<p>${t('celebration-consent-link-made')} <code dir="ltr" class="celebration-link">${data.consentLink}</code></p>` : null}
          ${
            moderator && data.open.moderate && nomination.state !== 'hidden'
              ? textForm(context, data, {
                  form: 'hide',
                  field: 'reason',
                  label: t('celebration-field-hide-reason'),
                  help: t('celebration-field-hide-reason-help'),
                  submit: t('celebration-hide'),
                })
              : null
          }
        </section>`
          : null
      }
      <p class="celebration-meta">${t('celebration-nominated-on')} ${dateTime(context, nomination.createdAt)}</p>
    </div>`,
  );
}

/** The nominator's edit of their nomination (until nominations close). */
export function celebrationNominationEditPage(
  context: PageContext,
  data: {
    nominationId: number;
    revision: number;
    form: NominationForm;
    errors: Record<string, string>;
    regions: Region[];
    problem?: string | undefined;
  },
) {
  const { t } = context;
  const title = t('celebration-edit-title');
  return layout(
    context,
    { title, alternates: false, styles: STYLES },
    html`<div class="celebration-page">
      <p><a href=${nominationHref(context, data.nominationId)}>${t('celebration-back-to-nomination')}</a></p>
      <h1>${title}</h1>
      ${data.problem ? formMessage(context, 'error', data.problem) : null}
      ${Object.keys(data.errors).length ? formMessage(context, 'error', 'form-has-errors') : null}
      ${nominationFormView(context, { action: `${nominationHref(context, data.nominationId)}/edit`, form: data.form, errors: data.errors, regions: data.regions, submit: t('celebration-save'), revision: data.revision })}
    </div>`,
  );
}
