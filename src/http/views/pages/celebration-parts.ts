import type { CycleSchedule } from '../../../domain/celebration/cycle.ts';
import {
  CATEGORIES,
  NOMINATION_LIMITS,
  type NominationForm,
  type NomineeKind,
} from '../../../domain/celebration/nomination.ts';
import type { Region } from '../../../domain/catalog/vocabulary.ts';
import { bcp47, describeLanguage } from '../../../domain/languages/languages.ts';
import { localizedName } from '../../../domain/languages/localize.ts';
import type { CycleView } from '../../../services/celebration.ts';
import { csrfField, field, submitButton, textArea, textInput } from '../components/form.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

// Pieces the celebration's pages share: a cycle's month and dates in the reader's language, its
// phase, and the nomination form (filing and editing).

const monthFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const formatter = (cache: Map<string, Intl.DateTimeFormat>, tag: string, options: Intl.DateTimeFormatOptions) => {
  let found = cache.get(tag);
  if (!found) cache.set(tag, (found = new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' })));
  return found;
};

/** "December 2026" in the reader's language (a cycle's month is a calendar month, in UTC). */
export function monthName(context: PageContext, month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return formatter(monthFormats, bcp47(context.language.code), { year: 'numeric', month: 'long' }).format(date);
}

/** A cycle's date (they are set in UTC), as a <time> element. */
export function dateTime(context: PageContext, date: Date): VNode {
  const text = formatter(dateFormats, bcp47(context.language.code), { dateStyle: 'long' }).format(date);
  return html`<time datetime=${date.toISOString()}>${text}</time>`;
}

export const cycleHref = (context: PageContext, month: string) => href(context, `/celebration/${month}`);
export const nominationHref = (context: PageContext, id: number) => href(context, `/celebration/nominations/${id}`);

/** The phase as a Codex info chip. */
export function phaseChip(context: PageContext, cycle: Pick<CycleView, 'effectivePhase'>): VNode {
  return html`<span class=${`cdx-info-chip celebration-phase celebration-phase--${cycle.effectivePhase}`}>
    <span class="cdx-info-chip__text">${context.t(`celebration-phase-${cycle.effectivePhase}`)}</span>
  </span>`;
}

const SCHEDULE: ReadonlyArray<[keyof CycleSchedule, string]> = [
  ['opensAt', 'celebration-date-opens'],
  ['secondingAt', 'celebration-date-seconding'],
  ['consentAt', 'celebration-date-consent'],
  ['choiceAt', 'celebration-date-choice'],
  ['closesAt', 'celebration-date-closes'],
];

/** The five dates of a cycle as a description list. */
export function scheduleList(context: PageContext, cycle: CycleSchedule): VNode {
  // Message keys: celebration-date-opens, celebration-date-seconding, celebration-date-consent,
  // celebration-date-choice, celebration-date-closes
  return html`<dl class="celebration-dates">
    ${SCHEDULE.map(([field, key]) => html`<div><dt>${context.t(key)}</dt><dd>${dateTime(context, cycle[field])}</dd></div>`)}
  </dl>`;
}

/** A username or a wiki written in any script: isolated so it never reorders the sentence around it. */
export const name = (text: string | null) => html`<bdi>${text ?? ''}</bdi>`;

/**
 * The `lang` and `dir` of a text someone typed, from the language they said it is written in; a
 * text from before they were asked takes its direction from its own first letters (`dir="auto"`).
 */
export const writtenIn = (language: string | null): { lang?: string; dir: 'ltr' | 'rtl' | 'auto' } =>
  language === null ? { dir: 'auto' } : languageAttributes(describeLanguage(language));

/** The "Written in" select: the site's languages by their own names, the page's language unless another was sent. */
export function writtenInSelect(
  context: PageContext,
  options: { id: string; value: string | undefined; error?: string | undefined },
): VNode {
  const chosen = context.languages.some((language) => language.code === options.value)
    ? options.value
    : context.language.code;
  return field(
    context,
    {
      id: options.id,
      label: context.t('celebration-field-written-in'),
      error: options.error,
      help: context.t('celebration-field-written-in-help'),
    },
    (describedBy, invalid) => html`<select id=${options.id} name="language" class="cdx-select"
      aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : undefined}>
      ${context.languages.map(
        (language) =>
          html`<option value=${language.code} lang=${bcp47(language.code)} dir=${language.dir} selected=${language.code === chosen}>${language.autonym}</option>`,
      )}
    </select>`,
  );
}

export const emptyNominationForm = (): NominationForm => ({
  nominee: '',
  homeWiki: '',
  kind: 'human',
  operators: '',
  botTasks: '',
  region: '',
  category: '',
  reasons: '',
  evidence: '',
});

/** A group of radio buttons (Codex) with a legend and the group's error. */
export function radioGroup(
  context: PageContext,
  options: {
    name: string;
    legend: string;
    value: string;
    choices: Array<{ value: string; label: VNode | string }>;
    error?: string | undefined;
  },
): VNode {
  const errorId = `${options.name}-error`;
  return html`<fieldset class="cdx-field celebration-choices" aria-describedby=${options.error ? errorId : undefined}>
    <legend class="cdx-label"><span class="cdx-label__label__text">${options.legend}</span></legend>
    ${options.choices.map((choice) => {
      const id = `${options.name}-${choice.value}`;
      return html`<div class="cdx-radio"><div class="cdx-radio__wrapper">
        <input id=${id} class="cdx-radio__input" type="radio" name=${options.name} value=${choice.value}
          checked=${choice.value === options.value} aria-invalid=${options.error ? 'true' : undefined} />
        <span class="cdx-radio__icon"></span>
        <div class="cdx-radio__label cdx-label"><label for=${id} class="cdx-label__label"><span class="cdx-label__label__text">${choice.label}</span></label></div>
      </div></div>`;
    })}
    ${
      options.error
        ? html`<div id=${errorId} class="cdx-message cdx-message--inline cdx-message--error">
      <span class="cdx-message__icon"></span><div class="cdx-message__content">${context.t(options.error)}</div>
    </div>`
        : null
    }
  </fieldset>`;
}

function selectControl(
  context: PageContext,
  options: { id: string; label: string; value: string; error?: string | undefined; choices: Array<[string, string]> },
): VNode {
  return field(
    context,
    options,
    (describedBy, invalid) => html`<select id=${options.id} name=${options.id} class="cdx-select"
      aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : undefined}>
      <option value="">${context.t('celebration-choose')}</option>
      ${options.choices.map(([value, label]) => html`<option value=${value} selected=${value === options.value}>${label}</option>`)}
    </select>`,
  );
}

/** The nomination form (to file one, or for its nominator to edit it), with each field's problem. */
export function nominationFormView(
  context: PageContext,
  data: {
    action: string;
    form: NominationForm;
    errors: Record<string, string>;
    regions: Region[];
    submit: string;
    revision?: number;
  },
): VNode {
  const { t } = context;
  const { form, errors } = data;
  const kinds: NomineeKind[] = ['human', 'bot'];
  return html`<form method="post" action=${data.action} class="celebration-form">
    ${csrfField(context)}
    ${data.revision !== undefined ? html`<input type="hidden" name="revision" value=${String(data.revision)} />` : null}
    ${textInput(context, { id: 'nominee', name: 'nominee', label: t('celebration-field-nominee'), value: form.nominee, error: errors.nominee, help: t('celebration-field-nominee-help'), maxLength: NOMINATION_LIMITS.nominee, required: true, autocomplete: 'off' })}
    ${textInput(context, { id: 'homeWiki', name: 'homeWiki', label: t('celebration-field-home-wiki'), value: form.homeWiki, error: errors.homeWiki, help: t('celebration-field-home-wiki-help'), maxLength: NOMINATION_LIMITS.homeWiki, required: true, dir: 'ltr', autocomplete: 'off' })}
    ${radioGroup(context, {
      name: 'kind',
      legend: t('celebration-field-kind'),
      value: form.kind,
      error: errors.kind,
      // Message keys: celebration-kind-human, celebration-kind-bot
      choices: kinds.map((kind) => ({ value: kind, label: t(`celebration-kind-${kind}`) })),
    })}
    <fieldset class="celebration-bot">
      <legend>${t('celebration-field-bot-legend')}</legend>
      ${textInput(context, { id: 'operators', name: 'operators', label: t('celebration-field-operators'), value: form.operators, error: errors.operators, help: t('celebration-field-operators-help'), maxLength: 600, autocomplete: 'off' })}
      ${textArea(context, { id: 'botTasks', name: 'botTasks', label: t('celebration-field-bot-tasks'), value: form.botTasks, error: errors.botTasks, help: t('celebration-field-bot-tasks-help', context.formatNumber(NOMINATION_LIMITS.botTasksMax)), rows: 3 })}
    </fieldset>
    ${selectControl(context, {
      id: 'region',
      label: t('celebration-field-region'),
      value: form.region,
      error: errors.region,
      choices: data.regions.map((region) => [String(region.id), localizedName(region.names, context.chain).text]),
    })}
    ${selectControl(context, {
      id: 'category',
      label: t('celebration-field-category'),
      value: form.category,
      error: errors.category,
      // Message keys: celebration-category-newcomer, -technical, -media, -organiser, -lifetime
      choices: CATEGORIES.map((category) => [category, t(`celebration-category-${category}`)]),
    })}
    ${writtenInSelect(context, { id: 'language', value: form.language, error: errors.language })}
    ${textArea(context, {
      id: 'reasons',
      name: 'reasons',
      label: t('celebration-field-reasons'),
      value: form.reasons,
      error: errors.reasons,
      maxLength: NOMINATION_LIMITS.reasonsMax,
      help: t(
        'celebration-field-reasons-help',
        context.formatNumber(NOMINATION_LIMITS.reasonsMin),
        context.formatNumber(NOMINATION_LIMITS.reasonsMax),
      ),
      rows: 6,
    })}
    ${textArea(context, { id: 'evidence', name: 'evidence', label: t('celebration-field-evidence'), value: form.evidence, error: errors.evidence, help: t('celebration-field-evidence-help', context.formatNumber(NOMINATION_LIMITS.evidence)), rows: 3, dir: 'ltr' })}
    ${submitButton(data.submit)}
  </form>`;
}

/** Evidence links: web addresses only, marked as links a visitor gave (never followed with our credit). */
export function evidenceLinks(links: readonly string[]): VNode {
  return html`<ul class="celebration-links">
    ${links
      .filter((link) => /^https?:\/\//i.test(link))
      .map((link) => html`<li><a href=${link} rel="nofollow ugc noopener" dir="ltr">${link}</a></li>`)}
  </ul>`;
}

/** A one-button form posting to `action`. */
export function buttonForm(
  context: PageContext,
  action: string,
  label: string,
  options: { fields?: Record<string, string>; destructive?: boolean; primary?: boolean } = {},
): VNode {
  const classes = [
    'cdx-button',
    options.destructive ? 'cdx-button--action-destructive' : options.primary ? 'cdx-button--action-progressive' : '',
    options.primary ? 'cdx-button--weight-primary' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return html`<form method="post" action=${action} class="celebration-button-form">
    ${csrfField(context)}
    ${Object.entries(options.fields ?? {}).map(([key, value]) => html`<input type="hidden" name=${key} value=${value} />`)}
    <button class=${classes} type="submit">${label}</button>
  </form>`;
}
