import { LANGUAGE_CODE_LIMIT, SOURCE_LANGUAGE } from '../../../../domain/languages/languages.ts';
import {
  defaultSubtitleLimits,
  SUBTITLE_LIMIT_FIELDS,
  type LimitFieldError,
  type SubtitleLimits,
} from '../../../../domain/subtitles/quality.ts';
import type { LanguageRow } from '../../../../domain/languages/languages.ts';
import { csrfField, submitButton, textInput } from '../../components/form.ts';
import { href, languageAttributes, type PageContext } from '../../context.ts';
import { html, type VNode } from '../../html.ts';
import { actionButton, adminLayout, adminTable } from './parts.ts';

export interface LanguagesPageData {
  languages: LanguageRow[];
  /** The add form's code as typed. */
  code: string;
  errors: Record<string, string>;
  error?: string | undefined;
  saved: boolean;
  /** A subtitle-limits form sent back with problems: the language, the values as typed, each field's problem. */
  limitsForm?:
    | { code: string; values: Record<string, string>; errors: Partial<Record<keyof SubtitleLimits, LimitFieldError>> }
    | undefined;
}

const LIMIT_LABELS: Record<keyof SubtitleLimits, string> = {
  maxCharsPerLine: 'subtitle-limits-max-chars-per-line',
  maxCharsPerSecond: 'subtitle-limits-max-chars-per-second',
  maxLines: 'subtitle-limits-max-lines',
  minDuration: 'subtitle-limits-min-duration',
  maxDuration: 'subtitle-limits-max-duration',
  minGapFrames: 'subtitle-limits-min-gap-frames',
  frameRate: 'subtitle-limits-frame-rate',
};

/** A Codex number field whose error message takes parameters (the range it must be in). */
function limitInput(
  context: PageContext,
  field: (typeof SUBTITLE_LIMIT_FIELDS)[number],
  options: { id: string; value: string; fallback: number; error: LimitFieldError | undefined },
): VNode {
  const { t } = context;
  const { id, error } = options;
  return html`<div class="cdx-field">
    <div class="cdx-label"><label class="cdx-label__label" for=${id}><span class="cdx-label__label__text">${t(LIMIT_LABELS[field.name])}</span></label>
      <span id=${`${id}-help`} class="cdx-label__description">${t('subtitle-limits-default', context.formatNumber(options.fallback))}</span>
    </div>
    <div class="cdx-field__control"><div class=${`cdx-text-input${error ? ' cdx-text-input--status-error' : ''}`}>
      <input id=${id} class="cdx-text-input__input" name=${field.name} type="number" inputmode="decimal" dir="ltr"
        min=${field.min} max=${field.max} step=${field.whole ? 1 : 'any'} value=${options.value} required
        aria-describedby=${error ? `${id}-help ${id}-error` : `${id}-help`} aria-invalid=${error ? 'true' : undefined} />
    </div></div>
    ${
      error
        ? html`<div id=${`${id}-error`} class="cdx-message cdx-message--inline cdx-message--error">
      <span class="cdx-message__icon"></span><div class="cdx-message__content">${t(error.key, ...error.params.map((value) => context.formatNumber(value)))}</div>
    </div>`
        : null
    }
  </div>`;
}

/** One language's subtitle limits, folded away unless its form came back with problems. */
function limitsForm(context: PageContext, language: LanguageRow, sent: LanguagesPageData['limitsForm']): VNode {
  const { t } = context;
  const typed = sent?.code === language.code ? sent : undefined;
  const defaults = defaultSubtitleLimits(language.code);
  return html`<details id=${`limits-${language.code}`} open=${Boolean(typed)}>
    <summary>
      <span ...${languageAttributes(language)}>${language.autonym}</span> <code dir="ltr">${language.code}</code>: ${t(language.customSubtitleLimits ? 'subtitle-limits-custom' : 'subtitle-limits-defaults')}
    </summary>
    <form method="post" action=${href(context, `/admin/languages/${language.code}/subtitle-limits`)}>
      ${csrfField(context)}
      ${SUBTITLE_LIMIT_FIELDS.map((field) =>
        limitInput(context, field, {
          id: `limits-${language.code}-${field.name}`,
          fallback: defaults[field.name],
          error: typed?.errors[field.name],
          value: typed ? (typed.values[field.name] ?? '') : String(language.subtitleLimits[field.name]),
        }),
      )}
      <button class="cdx-button cdx-button--action-progressive cdx-button--weight-primary" type="submit"
        aria-label=${t('subtitle-limits-save-label', language.autonym)}>${t('subtitle-limits-save')}</button>
      ${actionButton(t('subtitle-limits-reset'), { name: 'reset', value: '1', ariaLabel: t('subtitle-limits-reset-label', language.autonym) })}
    </form>
  </details>`;
}

function toggle(context: PageContext, language: LanguageRow) {
  const { t } = context;
  if (language.code === SOURCE_LANGUAGE)
    return html`<span class="admin-muted">${t('admin-languages-always-enabled')}</span>`;
  const enable = !language.enabled;
  return html`<form method="post" action=${href(context, `/admin/languages/${language.code}`)}>
    ${csrfField(context)}
    ${actionButton(t(enable ? 'admin-languages-enable' : 'admin-languages-disable'), {
      name: 'enabled',
      value: enable ? '1' : '0',
      destructive: !enable,
      ariaLabel: t(enable ? 'admin-languages-enable-label' : 'admin-languages-disable-label', language.autonym),
    })}
  </form>`;
}

/** The site's languages: which are offered, and a form to add one. */
export function languagesPage(context: PageContext, data: LanguagesPageData) {
  const { t } = context;
  const rows = data.languages.map(
    (language) => html`<tr>
    <td><code dir="ltr">${language.code}</code></td>
    <td><span ...${languageAttributes(language)}>${language.autonym}</span></td>
    <td>${t(language.dir === 'rtl' ? 'admin-languages-rtl' : 'admin-languages-ltr')}</td>
    <td><code dir="ltr">${language.searchConfig}</code></td>
    <td>${t(language.enabled ? 'admin-languages-enabled' : 'admin-languages-disabled')}</td>
    <td>${toggle(context, language)}</td>
  </tr>`,
  );
  const headings = [
    t('admin-languages-code'),
    t('admin-languages-name'),
    t('admin-languages-direction'),
    t('admin-languages-search'),
    t('admin-languages-status'),
    t('admin-actions'),
  ];
  const invalid = Object.keys(data.errors).length > 0 || Boolean(data.limitsForm);
  return adminLayout(
    context,
    t('admin-languages-title'),
    { saved: data.saved, invalid, error: data.error },
    html`
    ${adminTable(t('admin-languages-title'), headings, rows)}
    <section class="narrow-form" aria-labelledby="add-heading">
      <h2 id="add-heading">${t('admin-languages-add')}</h2>
      <form method="post" action=${href(context, '/admin/languages')}>
        ${csrfField(context)}
        ${textInput(context, { id: 'code', name: 'code', label: t('admin-languages-code'), value: data.code, error: data.errors.code, help: t('admin-languages-code-help'), maxLength: LANGUAGE_CODE_LIMIT, required: true, dir: 'ltr', autocomplete: 'off' })}
        ${submitButton(t('admin-add'))}
      </form>
    </section>
    <section class="narrow-form" aria-labelledby="limits-heading">
      <h2 id="limits-heading">${t('subtitle-limits-title')}</h2>
      <p class="admin-help">${t('subtitle-limits-help')}</p>
      ${data.languages.map((language) => limitsForm(context, language, data.limitsForm))}
    </section>`,
  );
}
