import { csrfField, formMessage, submitButton, textInput } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export function signInPage(context: PageContext, data: { username: string; returnTo: string; failed?: boolean }) {
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
      <p>${t('sign-in-no-account')} <a href=${href(context, `/sign-up?returnTo=${encodeURIComponent(data.returnTo)}`)}>${t('sign-up')}</a></p>
    </div>`,
  );
}

export function signUpPage(
  context: PageContext,
  data: { username: string; displayName: string; errors: Record<string, string>; returnTo: string },
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
        ${submitButton(t('sign-up'))}
      </form>
    </div>`,
  );
}
