import { csrfField, formMessage, submitButton, textInput } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { tokensSection, type TokensSectionData } from './account-tokens.ts';
import { emailSection, type EmailSectionData } from './account-email.ts';

export function signInPage(
  context: PageContext,
  data: { username: string; returnTo: string; failed?: boolean; oauthName?: string | undefined },
) {
  const { t } = context;
  return layout(
    context,
    { title: t('sign-in-title'), alternates: false },
    html`
    <div class="narrow-form">
      <h1>${t('sign-in-title')}</h1>
      ${data.failed ? formMessage(context, 'error', 'sign-in-failed') : null}
      <form method="post" action=${href(context, '/sign-in')}>
        ${csrfField(context)}
        <input type="hidden" name="returnTo" value=${data.returnTo} />
        ${textInput(context, { id: 'username', name: 'username', label: t('field-username'), value: data.username, autocomplete: 'username', required: true, maxLength: 40 })}
        ${textInput(context, { id: 'password', name: 'password', label: t('field-password'), value: '', type: 'password', autocomplete: 'current-password', required: true })}
        ${submitButton(t('sign-in'))}
      </form>
      ${
        data.oauthName
          ? html`<p class="oauth-sign-in">
              <a
                class="cdx-button cdx-button--fake-button cdx-button--fake-button--enabled"
                rel="nofollow"
                href=${href(context, `/oauth/start?returnTo=${encodeURIComponent(data.returnTo)}`)}
                >${t('oauth-sign-in-with', data.oauthName)}</a
              >
            </p>`
          : null
      }
      <p>${t('sign-in-no-account')} <a href=${href(context, `/sign-up?returnTo=${encodeURIComponent(data.returnTo)}`)}>${t('sign-up')}</a></p>
    </div>`,
  );
}

/** The signed-in person's account: its name and, when a provider is configured, the link to it. */
export function accountPage(
  context: PageContext,
  data: {
    user: { username: string };
    oauth?: { provider: string; linked: { username: string; since: Date } | undefined };
    /** A done or refused change to show at the top: a message key. */
    notice?: { type: 'success' | 'error'; key: string } | undefined;
    email: EmailSectionData;
    /** The person's API tokens (account-tokens.ts). */
    tokens?: TokensSectionData | undefined;
  },
) {
  const { t } = context;
  const { oauth } = data;
  return layout(
    context,
    { title: t('account-title'), alternates: false },
    html`
    <div class="narrow-form">
      <h1>${t('account-title')}</h1>
      ${data.notice ? formMessage(context, data.notice.type, data.notice.key, oauth?.provider ?? '') : null}
      <p>${t('account-signed-in-as', data.user.username)}</p>
      ${emailSection(context, data.email)}
      ${
        oauth
          ? html`<section aria-labelledby="account-oauth">
              <h2 id="account-oauth">${t('oauth-account-heading', oauth.provider)}</h2>
              ${
                oauth.linked
                  ? html`<p>${t('oauth-account-linked', oauth.linked.username, context.formatDate(oauth.linked.since))}</p>
                      <form method="post" action=${href(context, '/account/oauth/unlink')}>
                        ${csrfField(context)}
                        <button class="cdx-button cdx-button--action-destructive" type="submit">${t('oauth-account-unlink')}</button>
                      </form>`
                  : html`<p>${t('oauth-account-not-linked', oauth.provider)}</p>
                      <form method="post" action=${href(context, '/oauth/link')}>
                        ${csrfField(context)} ${submitButton(t('oauth-account-link', oauth.provider))}
                      </form>`
              }
            </section>`
          : null
      }
      ${data.tokens ? tokensSection(context, data.tokens) : null}
    </div>`,
  );
}

export function signUpPage(
  context: PageContext,
  data: { username: string; displayName: string; email: string; errors: Record<string, string>; returnTo: string },
) {
  const { t } = context;
  return layout(
    context,
    { title: t('sign-up-title'), alternates: false },
    html`
    <div class="narrow-form">
      <h1>${t('sign-up-title')}</h1>
      ${Object.keys(data.errors).length ? formMessage(context, 'error', 'form-has-errors') : null}
      <form method="post" action=${href(context, '/sign-up')}>
        ${csrfField(context)}
        <input type="hidden" name="returnTo" value=${data.returnTo} />
        ${textInput(context, { id: 'username', name: 'username', label: t('field-username'), value: data.username, error: data.errors.username, help: t('field-username-help'), autocomplete: 'username', required: true, maxLength: 40 })}
        ${textInput(context, { id: 'displayName', name: 'displayName', label: t('field-display-name'), value: data.displayName, autocomplete: 'name', maxLength: 80 })}
        ${textInput(context, { id: 'password', name: 'password', label: t('field-password'), value: '', type: 'password', error: data.errors.password, help: t('field-password-help'), autocomplete: 'new-password', required: true })}
        ${textInput(context, { id: 'email', name: 'email', label: t('sign-up-email'), value: data.email, error: data.errors.email, help: t('account-email-help'), type: 'email', autocomplete: 'email', maxLength: 254 })}
        ${submitButton(t('sign-up'))}
      </form>
    </div>`,
  );
}
