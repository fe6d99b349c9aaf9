import { CHOICE_MODES, isFinal, type CycleForm, type CycleTransition } from '../../../../domain/celebration/cycle.ts';
import type { Anecdote } from '../../../../domain/celebration/nomination.ts';
import type { CycleView } from '../../../../services/celebration.ts';
import { messageWithName, NAME, personName } from '../../components/actor.ts';
import { csrfField, submitButton, textArea, textInput } from '../../components/form.ts';
import { href, type PageContext } from '../../context.ts';
import { html, type VNode } from '../../html.ts';
import {
  buttonForm,
  cycleHref,
  dateTime,
  monthName,
  nominationHref,
  phaseChip,
  radioGroup,
  writtenIn,
} from '../celebration-parts.ts';
import { adminLayout, adminTable } from './parts.ts';

// Message keys of the dates: celebration-date-opens, -seconding, -consent, -choice, -closes
const DATE_FIELDS: ReadonlyArray<[keyof CycleForm, string]> = [
  ['opensAt', 'celebration-date-opens'],
  ['secondingAt', 'celebration-date-seconding'],
  ['consentAt', 'celebration-date-consent'],
  ['choiceAt', 'celebration-date-choice'],
  ['closesAt', 'celebration-date-closes'],
];

/** A cycle's dates as the form shows them: YYYY-MM-DDTHH:MM in UTC. */
export function cycleToForm(cycle: CycleView, committee: ReadonlyArray<{ username: string }>): CycleForm {
  const at = (date: Date) => date.toISOString().slice(0, 16);
  return {
    month: cycle.month,
    opensAt: at(cycle.opensAt),
    secondingAt: at(cycle.secondingAt),
    consentAt: at(cycle.consentAt),
    choiceAt: at(cycle.choiceAt),
    closesAt: at(cycle.closesAt),
    choiceMode: cycle.choiceMode,
    committee: committee.map((member) => member.username).join('\n'),
  };
}

function cycleForm(
  context: PageContext,
  data: { action: string; form: CycleForm; errors: Record<string, string>; revision?: number; submit: string },
): VNode {
  const { t } = context;
  const { form, errors } = data;
  return html`<form method="post" action=${href(context, data.action)} class="celebration-form">
    ${csrfField(context)}
    ${data.revision !== undefined ? html`<input type="hidden" name="revision" value=${String(data.revision)} />` : null}
    ${
      data.revision === undefined
        ? textInput(context, {
            id: 'month',
            name: 'month',
            label: t('celebration-field-month'),
            value: form.month,
            error: errors.month,
            help: t('celebration-field-month-help'),
            maxLength: 7,
            required: true,
            dir: 'ltr',
            autocomplete: 'off',
          })
        : null
    }
    ${DATE_FIELDS.map(([field, key]) =>
      textInput(context, {
        id: field,
        name: field,
        label: t(key),
        value: form[field],
        error: errors[field],
        help: t('celebration-field-date-help'),
        maxLength: 40,
        required: true,
        dir: 'ltr',
        autocomplete: 'off',
      }),
    )}
    ${radioGroup(context, {
      name: 'choiceMode',
      legend: t('celebration-field-choice-mode'),
      value: form.choiceMode,
      error: errors.choiceMode,
      // Message keys: celebration-mode-committee, celebration-mode-community
      choices: CHOICE_MODES.map((mode) => ({ value: mode, label: t(`celebration-mode-${mode}`) })),
    })}
    ${textArea(context, { id: 'committee', name: 'committee', label: t('celebration-field-committee'), value: form.committee, error: errors.committee, help: t('celebration-field-committee-help'), rows: 3 })}
    ${submitButton(data.submit)}
  </form>`;
}

/** Every cycle, and the form to create one. */
export function celebrationAdminPage(
  context: PageContext,
  data: { cycles: CycleView[]; form: CycleForm; errors: Record<string, string>; error?: string; saved: boolean },
) {
  const { t } = context;
  const rows = data.cycles.map(
    (cycle) => html`<tr>
    <td><a href=${cycleHref(context, cycle.month)}>${monthName(context, cycle.month)}</a></td>
    <td>${phaseChip(context, cycle)}</td>
    <td>${t(`celebration-mode-${cycle.choiceMode}`)}</td>
    <td class="admin-actions"><a href=${href(context, `/admin/celebration/${cycle.month}`)}
      aria-label=${t('admin-edit-label', monthName(context, cycle.month))}>${t('admin-edit')}</a></td>
  </tr>`,
  );
  return adminLayout(
    context,
    t('celebration-admin-title'),
    { saved: data.saved, invalid: Object.keys(data.errors).length > 0, error: data.error },
    html`${
      data.cycles.length
        ? adminTable(
            t('celebration-admin-title'),
            [
              t('celebration-field-month'),
              t('celebration-phase'),
              t('celebration-field-choice-mode'),
              t('admin-actions'),
            ],
            rows,
          )
        : html`<p>${t('celebration-no-cycle')}</p>`
    }
    <section class="narrow-form" aria-labelledby="create-heading">
      <h2 id="create-heading">${t('celebration-admin-create')}</h2>
      ${cycleForm(context, { action: '/admin/celebration', form: data.form, errors: data.errors, submit: t('admin-add') })}
    </section>`,
  );
}

/** One cycle: its form, the anecdotes waiting for a moderator, and every phase move. */
export function celebrationCycleAdminPage(
  context: PageContext,
  data: {
    cycle: CycleView;
    form: CycleForm;
    errors: Record<string, string>;
    error?: string | undefined;
    saved: boolean;
    pending: Anecdote[] | null;
    transitions: CycleTransition[];
  },
) {
  const { t } = context;
  const { cycle } = data;
  const manage = context.can('celebration.manage');
  return adminLayout(
    context,
    t('celebration-cycle-title', monthName(context, cycle.month)),
    { saved: data.saved, invalid: Object.keys(data.errors).length > 0, error: data.error },
    html`<p>${phaseChip(context, cycle)} <a href=${cycleHref(context, cycle.month)}>${t('celebration-see-cycle')}</a></p>
    ${
      manage && !isFinal(cycle.phase)
        ? html`<section class="narrow-form" aria-labelledby="edit-heading">
        <h2 id="edit-heading">${t('celebration-admin-edit')}</h2>
        ${cycleForm(context, { action: `/admin/celebration/${cycle.month}`, form: data.form, errors: data.errors, revision: cycle.revision, submit: t('admin-save') })}
      </section>`
        : null
    }
    ${
      data.pending
        ? html`<section aria-labelledby="queue-heading">
        <h2 id="queue-heading">${t('celebration-admin-queue')}</h2>
        ${
          data.pending.length
            ? html`<ul class="celebration-list">${data.pending.map(
                (anecdote) => html`<li class="celebration-queue-item">
                <p><strong>${personName(context, anecdote.author ?? '', anecdote.authorBot)}</strong> · <a href=${nominationHref(context, anecdote.nominationId)}>${t('celebration-see-nomination')}</a></p>
                <p class="celebration-text" ...${writtenIn(anecdote.language)}>${anecdote.body}</p>
                <div class="celebration-actions">
                  ${buttonForm(context, href(context, `/admin/celebration/anecdotes/${anecdote.id}`), t('celebration-approve'), { fields: { decision: 'approved', month: cycle.month }, primary: true })}
                  ${buttonForm(context, href(context, `/admin/celebration/anecdotes/${anecdote.id}`), t('celebration-refuse'), { fields: { decision: 'refused', month: cycle.month }, destructive: true })}
                </div>
              </li>`,
              )}</ul>`
            : html`<p>${t('celebration-admin-queue-empty')}</p>`
        }
      </section>`
        : null
    }
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">${t('celebration-admin-history')}</h2>
      ${
        data.transitions.length
          ? html`<ul class="celebration-list">${data.transitions.map(
              (move) =>
                html`<li>${t(`celebration-phase-${move.from}`)} → ${t(`celebration-phase-${move.to}`)}${' · '}${
                  move.how === 'editor'
                    ? messageWithName(
                        context,
                        'celebration-transition-editor',
                        { name: move.username ?? '', bot: move.bot },
                        NAME,
                      )
                    : t('celebration-transition-schedule')
                }${' · '}${dateTime(context, move.at)}</li>`,
            )}</ul>`
          : html`<p>${t('celebration-admin-history-empty')}</p>`
      }
    </section>`,
    '/admin/celebration',
  );
}
