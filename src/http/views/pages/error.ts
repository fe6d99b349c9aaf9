import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout, signInHref } from '../layout.ts';

/**
 * The page a visitor sees for any error: what happened in their language, never a stack trace, and
 * the request's reference (its id in the log), for a report to quote.
 */
export function errorPage(
  context: PageContext,
  status: number,
  code: string,
  reference: string,
  messageKey?: string,
  /** A refused limit (the body's size, the address's length…): the message names it. */
  limit?: string[],
) {
  const { t } = context;
  const key = [
    'not_found',
    'unknown_language',
    'forbidden',
    'not_signed_in',
    'rate_limited',
    'csrf_invalid',
    'too_large',
    'uri_too_long',
    'too_many_parts',
    'unsupported_media_type',
    'bad_request',
  ].includes(code)
    ? `error-${code.replace(/_/g, '-')}`
    : 'error-internal';
  // A refusal with a message of its own (the celebration's): a title that fits any refusal, and that message.
  const title = messageKey ? t('celebration-error-title') : t(`${key}-title`);
  return layout(
    context,
    { title, alternates: false },
    html`
    <div class="error-page">
      <h1>${title}</h1>
      <p>${messageKey ? t(messageKey) : limit ? t(`${key}-limit`, ...limit) : t(key)}</p>
      ${code === 'not_signed_in' ? html`<p><a class="cdx-button cdx-button--fake-button cdx-button--fake-button--enabled cdx-button--action-progressive cdx-button--weight-primary" href=${signInHref(context)}>${t('sign-in')}</a></p>` : null}
      <p class="error-page__status">${t('error-status', status)}</p>
      <p class="error-page__status">${t('error-reference', reference)}</p>
      <p><a href=${href(context, '/')}>${t('error-home')}</a></p>
    </div>`,
  );
}
