import { bcp47 } from '../../../domain/languages/languages.ts';
import { csrfField, field, submitButton, textInput } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';

/** The account page's e-mail part: what is saved, or the form as typed with its problems. */
export interface EmailSectionData {
  /** The saved address (shown to its owner only: this page is theirs). */
  saved: string | null;
  form: { email: string; language: string };
  errors: Record<string, string>;
}

/** "E-mail and notifications": set or remove the address, and choose the language mail is written in. */
export function emailSection(context: PageContext, data: EmailSectionData) {
  const { t } = context;
  return html`<section aria-labelledby="account-email">
    <h2 id="account-email">${t('account-email-heading')}</h2>
    <p>${data.saved ? t('account-email-current', data.saved) : t('account-email-none')}</p>
    <form method="post" action=${href(context, '/account/email')}>
      ${csrfField(context)}
      ${textInput(context, { id: 'email', name: 'email', label: t('account-email-field'), value: data.form.email, error: data.errors.email, help: t('account-email-help'), type: 'email', autocomplete: 'email', maxLength: 254 })}
      ${field(
        context,
        { id: 'email-language', label: t('account-email-language'), error: data.errors.language },
        (describedBy, invalid) => html`<select id="email-language" name="language" class="cdx-select"
          aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : undefined}>
          ${context.languages.map(
            (language) =>
              html`<option value=${language.code} lang=${bcp47(language.code)} dir=${language.dir} selected=${language.code === data.form.language}>${language.autonym}</option>`,
          )}
        </select>`,
      )}
      ${submitButton(t('account-email-save'))}
    </form>
    ${
      data.saved
        ? html`<form class="account-email__remove" method="post" action=${href(context, '/account/email/remove')}>
            ${csrfField(context)}
            <button class="cdx-button cdx-button--action-destructive" type="submit">${t('account-email-remove')}</button>
          </form>`
        : null
    }
  </section>`;
}
