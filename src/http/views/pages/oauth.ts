import { csrfField, formMessage, submitButton, textInput } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

/**
 * Why signing in or linking through the provider stopped, with its stable code and the request's reference
 * (as on every error page), and the way back.
 */
export function oauthProblemPage(
  context: PageContext,
  data: { provider: string; status: number; code: string; messageKey: string; reference: string },
) {
  const { t } = context;
  const title = t('oauth-problem-title', data.provider);
  return layout(
    context,
    { title, alternates: false },
    html`
    <div class="error-page">
      <h1>${title}</h1>
      <p>${t(data.messageKey, data.provider)}</p>
      <p class="error-page__status">${t('error-status', data.status)} · <code>${data.code}</code></p>
      <p class="error-page__status">${t('error-reference', data.reference)}</p>
      <p><a href=${href(context, '/sign-in')}>${t('sign-in-title')}</a></p>
    </div>`,
  );
}

/**
 * The provider's name cannot be this site's account name (a local account has it, or the site does not
 * take it): the person signs in to that account to link it, or chooses another name. Never merged.
 */
export function chooseNamePage(
  context: PageContext,
  data: {
    provider: string;
    username: string;
    reason: 'taken' | 'invalid';
    name: string;
    error?: string | undefined;
  },
) {
  const { t } = context;
  const accountPage = `/${context.language.code}/account`;
  return layout(
    context,
    { title: t('oauth-clash-title'), alternates: false },
    html`
    <div class="narrow-form">
      <h1>${t('oauth-clash-title')}</h1>
      ${formMessage(context, 'warning', `oauth-clash-${data.reason}`, data.username, data.provider)}
      ${
        data.reason === 'taken'
          ? html`<p>
              <a
                class="cdx-button cdx-button--fake-button cdx-button--fake-button--enabled"
                href=${href(context, `/sign-in?returnTo=${encodeURIComponent(accountPage)}`)}
                >${t('oauth-clash-sign-in')}</a
              >
            </p>`
          : null
      }
      <form method="post" action=${href(context, '/oauth/choose-name')}>
        ${csrfField(context)}
        ${textInput(context, { id: 'username', name: 'username', label: t('field-username'), value: data.name, error: data.error, help: t('field-username-help'), autocomplete: 'username', required: true, maxLength: 40 })}
        ${submitButton(t('oauth-clash-choose'))}
      </form>
    </div>`,
  );
}
