import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

/** A Codex field: label, control, optional help and the field's error in the reader's language. */
export function field(
  context: PageContext,
  options: {
    id: string;
    label: string;
    error?: string | undefined;
    help?: string | undefined;
    /** With the field's limit and what was typed, a text that is too long says by how much. */
    maxLength?: number | undefined;
    value?: string;
  },
  control: (describedBy: string | undefined, invalid: boolean) => VNode,
): VNode {
  const { maxLength, value } = options;
  const message =
    options.error === 'form-error-too-long' && maxLength !== undefined && value !== undefined
      ? context.t(
          'form-error-too-long-limit',
          context.formatNumber(maxLength),
          context.formatNumber([...value.trim()].length),
        )
      : options.error && context.t(options.error);
  const ids = [options.help ? `${options.id}-help` : '', options.error ? `${options.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="cdx-field">
    <div class="cdx-label"><label class="cdx-label__label" for=${options.id}><span class="cdx-label__label__text">${options.label}</span></label>
      ${options.help ? html`<span id=${`${options.id}-help`} class="cdx-label__description">${options.help}</span>` : null}
    </div>
    <div class="cdx-field__control">${control(ids || undefined, Boolean(options.error))}</div>
    ${
      options.error
        ? html`<div id=${`${options.id}-error`} class="cdx-message cdx-message--inline cdx-message--error">
      <span class="cdx-message__icon"></span><div class="cdx-message__content">${message}</div>
    </div>`
        : null
    }
  </div>`;
}

export function textInput(
  context: PageContext,
  options: {
    id: string;
    name: string;
    label: string;
    value: string;
    error?: string | undefined;
    type?: string;
    help?: string;
    autocomplete?: string;
    maxLength?: number;
    required?: boolean;
    lang?: string;
    dir?: string;
  },
): VNode {
  return field(
    context,
    options,
    (describedBy, invalid) => html`<div class=${`cdx-text-input${invalid ? ' cdx-text-input--status-error' : ''}`}>
    <input id=${options.id} class="cdx-text-input__input" name=${options.name} type=${options.type ?? 'text'} value=${options.value}
      aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : undefined} autocomplete=${options.autocomplete}
      maxlength=${options.maxLength} required=${options.required} lang=${options.lang} dir=${options.dir} />
  </div>`,
  );
}

export function textArea(
  context: PageContext,
  options: {
    id: string;
    name: string;
    label: string;
    value: string;
    error?: string | undefined;
    help?: string;
    rows?: number;
    lang?: string;
    dir?: string;
    /** Named in the message when the text is too long (not enforced by the browser, so a paste is kept whole). */
    maxLength?: number;
  },
): VNode {
  return field(
    context,
    options,
    (describedBy, invalid) => html`<div class=${`cdx-text-area${invalid ? ' cdx-text-area--status-error' : ''}`}>
    <textarea id=${options.id} class="cdx-text-area__textarea" name=${options.name} rows=${options.rows ?? 4}
      aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : undefined} lang=${options.lang} dir=${options.dir}>${options.value}</textarea>
  </div>`,
  );
}

export function csrfField(context: PageContext): VNode {
  return html`<input type="hidden" name="_csrf" value=${context.csrfToken} />`;
}

export function formMessage(
  context: PageContext,
  type: 'error' | 'success' | 'warning' | 'notice',
  key: string,
  ...params: Array<string | number>
): VNode {
  return html`<div class=${`cdx-message cdx-message--block cdx-message--${type}`} role=${type === 'error' ? 'alert' : 'status'}>
    <span class="cdx-message__icon"></span><div class="cdx-message__content">${context.t(key, ...params)}</div>
  </div>`;
}

export function submitButton(label: string, name?: string, value?: string): VNode {
  return html`<button class="cdx-button cdx-button--action-progressive cdx-button--weight-primary" type="submit" name=${name} value=${value}>${label}</button>`;
}
