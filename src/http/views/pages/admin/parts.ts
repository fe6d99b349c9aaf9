import { field, formMessage } from '../../components/form.ts';
import { href, languageAttributes, type PageContext } from '../../context.ts';
import { html, type VNode } from '../../html.ts';
import { layout } from '../../layout.ts';

/** What every management page may announce at its top. */
export interface AdminNotices {
  /** The last change was saved (after a redirect). */
  saved?: boolean;
  /** Some field of a form on the page needs attention. */
  invalid?: boolean;
  /** A problem with the whole request, as a message key. */
  error?: string | undefined;
}

/** A management page: a link back to the overview, the heading, and the notices. */
export function adminLayout(
  context: PageContext,
  title: string,
  notices: AdminNotices,
  content: VNode | VNode[],
  back = '/admin',
): VNode {
  const { t } = context;
  return layout(
    context,
    { title, alternates: false },
    html`
    <div class="admin-page">
      <p class="admin-back"><a href=${href(context, back)}>${t(back === '/admin' ? 'admin-back' : 'admin-back-to-list')}</a></p>
      <h1>${title}</h1>
      ${notices.saved ? formMessage(context, 'success', 'admin-saved') : null}
      ${notices.invalid ? formMessage(context, 'error', 'form-has-errors') : null}
      ${notices.error ? formMessage(context, 'error', notices.error) : null}
      ${content}
    </div>`,
  );
}

/** A table that scrolls sideways on narrow screens instead of squeezing its columns. */
export function adminTable(caption: string, headings: string[], rows: VNode[]): VNode {
  return html`<div class="cdx-table__table-wrapper">
    <table class="cdx-table__table admin-table">
      <caption>${caption}</caption>
      <thead><tr>${headings.map((heading) => html`<th scope="col">${heading}</th>`)}</tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </div>`;
}

export interface SelectOption {
  value: string;
  label: string;
  lang?: string;
  dir?: 'ltr' | 'rtl';
}

/** A Codex select with its label, help and error. */
export function selectField(
  context: PageContext,
  options: {
    id: string;
    name: string;
    label: string;
    value: string;
    options: SelectOption[];
    error?: string | undefined;
    help?: string;
  },
): VNode {
  return field(
    context,
    options,
    (describedBy, invalid) => html`
    <select id=${options.id} name=${options.name} class="cdx-select" aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : undefined}>
      ${options.options.map(
        (option) => html`<option value=${option.value} selected=${option.value === options.value}
        lang=${option.lang} dir=${option.dir}>${option.label}</option>`,
      )}
    </select>`,
  );
}

/** One text input per language for a name: labelled with the language's own name, typed in its script and direction. */
export function namesFieldset(
  context: PageContext,
  options: {
    legend: string;
    help: string;
    values: Record<string, string>;
    errors: Record<string, string>;
    maxLength: number;
  },
): VNode {
  const { t } = context;
  return html`<fieldset class="admin-names" aria-describedby="names-help">
    <legend>${options.legend}</legend>
    <p id="names-help" class="admin-help">${options.help}</p>
    ${context.languages.map((language) => {
      const id = `name-${language.code}`;
      const error = options.errors[id];
      const attributes = languageAttributes(language);
      return html`<div class="cdx-field">
        <div class="cdx-label"><label class="cdx-label__label" for=${id}>
          <span class="cdx-label__label__text" ...${attributes}>${language.autonym}</span>
        </label></div>
        <div class="cdx-field__control"><div class=${`cdx-text-input${error ? ' cdx-text-input--status-error' : ''}`}>
          <input id=${id} class="cdx-text-input__input" name=${id} type="text" value=${options.values[language.code] ?? ''}
            maxlength=${options.maxLength} required=${language.code === 'en'} ...${attributes}
            aria-describedby=${error ? `${id}-error` : undefined} aria-invalid=${error ? 'true' : undefined} />
        </div></div>
        ${
          error
            ? html`<div id=${`${id}-error`} class="cdx-message cdx-message--inline cdx-message--error">
          <span class="cdx-message__icon"></span><div class="cdx-message__content">${t(error)}</div>
        </div>`
            : null
        }
      </div>`;
    })}
  </fieldset>`;
}

/** A submit button in a small form of its own (enable, revoke…), with an accessible name naming its target. */
export function actionButton(
  label: string,
  options: { ariaLabel?: string; destructive?: boolean; name?: string; value?: string },
): VNode {
  const classes = `cdx-button${options.destructive ? ' cdx-button--action-destructive' : ''}`;
  return html`<button class=${classes} type="submit" name=${options.name} value=${options.value} aria-label=${options.ariaLabel}>${label}</button>`;
}
