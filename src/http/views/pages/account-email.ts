import { linkTime } from '../../../domain/access/email-confirmation.ts';
import { bcp47 } from '../../../domain/languages/languages.ts';
import { csrfField, field, submitButton, textInput } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

/** The account page's e-mail part: what is saved, or the form as typed with its problems. */
export interface EmailSectionData {
  /** The saved address (shown to its owner only: this page is theirs). */
  saved: string | null;
  /** Whether its owner opened a link mailed to it (only then does mail go there). */
  confirmed: boolean;
  /** The last link sent to it, while it can still be used. */
  pending: { sentAt: Date; expiresAt: Date } | null;
  /** Whether the site sends mail at all (SMTP_URL): without it no address can be confirmed. */
  mailEnabled: boolean;
  form: { email: string; language: string };
  errors: Record<string, string>;
}

/** A state of the address as a Codex message (not a live region: it is what the page is, not news). */
const stateMessage = (type: 'success' | 'warning', text: string) =>
  html`<div class=${`cdx-message cdx-message--block cdx-message--${type} account-email__state`}>
    <span class="cdx-message__icon"></span><div class="cdx-message__content">${text}</div>
  </div>`;

/** The saved address and its state: none, confirmed, waiting for its link, or not confirmable without mail; and the button that mails a link. */
function addressState(context: PageContext, data: EmailSectionData): VNode {
  const { t } = context;
  if (!data.saved) return html`<p>${t('account-email-none')}</p>`;
  if (data.confirmed) return stateMessage('success', t('account-email-confirmed', data.saved));
  if (!data.mailEnabled) return stateMessage('warning', t('account-email-unconfirmed-no-mail', data.saved));
  const tag = bcp47(context.language.code);
  return html`${
    data.pending
      ? stateMessage(
          'warning',
          t(
            'account-email-pending',
            data.saved,
            linkTime(data.pending.sentAt, tag),
            linkTime(data.pending.expiresAt, tag),
          ),
        )
      : stateMessage('warning', t('account-email-unconfirmed', data.saved))
  }
    <form class="account-email__send" method="post" action=${href(context, '/account/email/confirmation')}>
      ${csrfField(context)}
      <button class="cdx-button" type="submit">${t(data.pending ? 'account-email-send-again' : 'account-email-send-link')}</button>
    </form>`;
}

/** "E-mail and notifications": set or remove the address, and choose the language mail is written in. */
export function emailSection(context: PageContext, data: EmailSectionData) {
  const { t } = context;
  return html`<section aria-labelledby="account-email">
    <h2 id="account-email">${t('account-email-heading')}</h2>
    ${addressState(context, data)}
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
