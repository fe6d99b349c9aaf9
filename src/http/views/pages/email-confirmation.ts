import type { ConfirmOutcome } from '../../../services/email-confirmation.ts';
import { csrfField, formMessage, submitButton } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

/** A link that cannot be used, and why. */
export type ConfirmationProblem = Exclude<ConfirmOutcome, 'confirmed'>;

/** A page of the confirmation's shape: its title as the heading, then `body`; never indexed (its address holds a secret). */
function confirmationShell(context: PageContext, body: VNode | VNode[]) {
  const title = context.t('email-confirm-title');
  return layout(
    context,
    { title, alternates: false, head: html`<meta name="robots" content="noindex" />` },
    html`<div class="narrow-form">
      <h1>${title}</h1>
      ${body}
    </div>`,
  );
}

/**
 * The page a mailed link opens: the address it confirms (masked: whoever holds the link sees no
 * more of it than its owner needs to recognise it) and one button. Only the button (a POST with
 * its CSRF token) confirms, so a mail system's link scanner that opens the page confirms nothing.
 */
export function confirmEmailPage(context: PageContext, data: { action: string; maskedEmail: string }) {
  const { t } = context;
  return confirmationShell(
    context,
    html`<p>${t('email-confirm-intro', data.maskedEmail)}</p>
      <form method="post" action=${data.action}>
        ${csrfField(context)} ${submitButton(t('email-confirm-button'))}
      </form>`,
  );
}

/** After the button: the address is confirmed. */
export function emailConfirmedPage(context: PageContext) {
  const { t } = context;
  return confirmationShell(
    context,
    html`${formMessage(context, 'success', 'email-confirm-done')}
      <p><a href=${href(context, '/account')}>${t('email-confirm-account-link')}</a></p>`,
  );
}

/** A link that cannot be used: which of forged, used, expired or superseded it is, and where a new one is sent from. */
export function confirmationProblemPage(context: PageContext, problem: ConfirmationProblem) {
  const { t } = context;
  return confirmationShell(
    context,
    html`${formMessage(context, 'error', `email-confirm-link-${problem}`)}
      <p><a href=${href(context, '/account')}>${t('email-confirm-account-link')}</a></p>`,
  );
}
