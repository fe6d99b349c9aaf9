import type { Nomination } from '../../../domain/celebration/nomination.ts';
import type { Notice } from '../../../domain/celebration/notice.ts';
import { formMessage } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';
import { buttonForm, cycleHref, dateTime, monthName, name, nominationHref, writtenIn } from './celebration-parts.ts';

const STYLES = ['/assets/celebration.css'];

/** A page of the consent pages' shape: the title as its heading, then `body`. */
function consentShell(context: PageContext, title: string, body: VNode | VNode[]) {
  return layout(
    context,
    { title, alternates: false, styles: STYLES },
    html`<div class="celebration-page">
      <h1>${title}</h1>
      ${body}
    </div>`,
  );
}

/** What a nominee is asked: their name as a heading, the request for the month, and the reasons given. */
function nomineeRequest(context: PageContext, nomination: Nomination, month: string, headingId?: string): VNode {
  const { t } = context;
  return html`<h2 id=${headingId}>${name(nomination.nominee)}</h2>
    <p>${t(
      nomination.kind === 'bot' ? 'celebration-consent-request-bot' : 'celebration-consent-request',
      nomination.nominee,
      monthName(context, month),
    )}</p>
    <p class="celebration-text" ...${writtenIn(nomination.language)}>${nomination.reasons}</p>`;
}

/** Agree or refuse, each explained; both buttons post to `action` with the nomination when one is named. */
function answerButtons(context: PageContext, action: string, fields: Record<string, string> = {}): VNode {
  const { t } = context;
  return html`<div class="celebration-consent-choices">
    <div>
      <p>${t('celebration-consent-agree-explained')}</p>
      ${buttonForm(context, action, t('celebration-consent-agree'), { fields: { ...fields, decision: 'consent' }, primary: true })}
    </div>
    <div>
      <p>${t('celebration-consent-refuse-explained')}</p>
      ${buttonForm(context, action, t('celebration-consent-refuse'), { fields: { ...fields, decision: 'refuse' }, destructive: true })}
    </div>
  </div>`;
}

/**
 * The nominee's page behind their private link: what they were nominated for and why, and their
 * answer (the link is used only by answering).
 */
export function consentLinkPage(
  context: PageContext,
  data: { action: string; nomination: Nomination | null; month: string; answered: string | null },
) {
  const { t } = context;
  return consentShell(
    context,
    t('celebration-consent-title'),
    html`${
      data.answered
        ? formMessage(context, 'success', data.answered)
        : html`${data.nomination ? nomineeRequest(context, data.nomination, data.month) : null}
            <p>${t('celebration-consent-intro')}</p>${answerButtons(context, data.action)}`
    }
      <p><a href=${href(context, '/celebration')}>${t('celebration-title')}</a></p>`,
  );
}

/** A refusal of a consent link (used, expired, forged, too late): its message and where to go. */
export function consentProblemPage(context: PageContext, messageKey: string) {
  const { t } = context;
  return consentShell(
    context,
    t('celebration-consent-title'),
    html`${formMessage(context, 'error', messageKey)}
      <p><a href=${href(context, '/celebration/consent')}>${t('celebration-consent-as-account')}</a></p>`,
  );
}

/** What a signed-in nominee (or a bot's operator) is asked to answer, each with both buttons. */
export function consentRequestsPage(
  context: PageContext,
  data: { requests: Nomination[]; months: Map<number, string>; notice: string | null },
) {
  const { t } = context;
  return consentShell(
    context,
    t('celebration-consent-requests-title'),
    html`${data.notice ? formMessage(context, 'success', data.notice) : null}
      ${
        data.requests.length
          ? data.requests.map(
              (nomination) => html`<section class="celebration-request" aria-labelledby=${`request-${nomination.id}`}>
              ${nomineeRequest(context, nomination, data.months.get(nomination.cycleId) ?? '', `request-${nomination.id}`)}
              <p><a href=${nominationHref(context, nomination.id)}>${t('celebration-see-nomination')}</a></p>
              ${answerButtons(context, href(context, '/celebration/consent'), { nomination: String(nomination.id) })}
            </section>`,
            )
          : html`<p>${t('celebration-consent-none')}</p>`
      }`,
  );
}

/** A person's notices, newest first, each read from its message key in the reader's language. */
export function noticesPage(context: PageContext, data: { notices: Notice[]; months: Map<number, string> }) {
  const { t } = context;
  const unread = data.notices.filter((notice) => notice.readAt === null).map((notice) => String(notice.id));
  return consentShell(
    context,
    t('celebration-notices-title'),
    html`${
      data.notices.length
        ? html`<ul class="celebration-notices">${data.notices.map((notice) => {
            const month = notice.cycleId !== null ? data.months.get(notice.cycleId) : undefined;
            return html`<li class=${notice.readAt ? 'celebration-notice' : 'celebration-notice celebration-notice--unread'}>
              <p>${t(notice.key, ...notice.params.map((param) => (/^\d{4}-\d{2}$/.test(param) ? monthName(context, param) : param)))}</p>
              <p class="celebration-meta">${dateTime(context, notice.createdAt)}
                ${notice.readAt ? null : html` · <strong>${t('celebration-notice-unread')}</strong>`}
                ${notice.nominationId !== null && notice.key.startsWith('celebration-notice-consent') ? html` · <a href=${href(context, '/celebration/consent')}>${t('celebration-consent-answer')}</a>` : null}
                ${month ? html` · <a href=${cycleHref(context, month)}>${monthName(context, month)}</a>` : null}</p>
            </li>`;
          })}</ul>
            ${unread.length ? buttonForm(context, href(context, '/notices/read'), t('celebration-notices-mark-read'), { fields: { ids: unread.join(',') } }) : null}`
        : html`<p>${t('celebration-notices-none')}</p>`
    }`,
  );
}
