import type { VNode } from 'preact';
import { SCOPES } from '../../../domain/access/scopes.ts';
import { bcp47 } from '../../../domain/languages/languages.ts';
import type { ApiToken } from '../../../store/repositories/tokens.ts';
import { csrfField, formMessage, submitButton, textInput } from '../components/form.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { adminTable } from './admin/parts.ts';

/** What the account page shows of the person's API tokens, and the secret of one just made (shown once). */
export interface TokensSectionData {
  tokens: ApiToken[];
  created?: { name: string; secret: string } | undefined;
  errors?: Record<string, string> | undefined;
  form?: { name: string; scopes: string[]; expiresInDays: string } | undefined;
}

const scopeLabel = (scope: string) => `api-token-scope-${scope}`;

function status(token: ApiToken, now: Date): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt <= now) return 'expired';
  return 'active';
}

/** The account page's section for personal API tokens: the list, a revoke button each, and the form that makes one. */
export function tokensSection(context: PageContext, data: TokensSectionData): VNode {
  const { t } = context;
  const now = new Date();
  const form = data.form ?? { name: '', scopes: ['read'], expiresInDays: '' };
  const errors = data.errors ?? {};
  const date = (value: Date | null) => (value ? context.formatDate(value) : t('api-token-never'));
  // Scopes listed as the page's language lists things ("、" in Japanese, "و" in Arabic), not with a Latin comma.
  const scopeList = new Intl.ListFormat(bcp47(context.language.code), { type: 'conjunction' });
  return html`<section aria-labelledby="account-api-tokens" class="account-api-tokens">
    <h2 id="account-api-tokens">${t('api-tokens-heading')}</h2>
    <p>${t('api-tokens-intro')}</p>
    ${
      data.created
        ? html`<div class="cdx-message cdx-message--block cdx-message--success" role="status">
            <span class="cdx-message__icon"></span>
            <div class="cdx-message__content">
              <p>${t('api-token-created', data.created.name)}</p>
              <p><code class="api-token-secret" dir="ltr">${data.created.secret}</code></p>
            </div>
          </div>`
        : null
    }
    ${
      data.tokens.length
        ? adminTable(
            t('api-tokens-heading'),
            [t('api-token-name'), t('api-token-scopes'), t('api-token-used'), t('api-token-expires'), ''],
            data.tokens.map((token) => {
              const state = status(token, now);
              return html`<tr>
                <td>${token.name}</td>
                <td>${scopeList.format(token.scopes.map((scope) => t(scopeLabel(scope))))}</td>
                <td>${date(token.lastUsedAt)}</td>
                <td>${state === 'active' ? date(token.expiresAt) : t(`api-token-status-${state}`)}</td>
                <td>
                  ${
                    state === 'active'
                      ? html`<form method="post" action=${href(context, `/account/tokens/${token.id}/revoke`)}>
                          ${csrfField(context)}
                          <button class="cdx-button cdx-button--action-destructive" type="submit" aria-label=${t('api-token-revoke-named', token.name)}>
                            ${t('api-token-revoke')}
                          </button>
                        </form>`
                      : null
                  }
                </td>
              </tr>`;
            }),
          )
        : html`<p>${t('api-tokens-none')}</p>`
    }
    <h3>${t('api-token-new')}</h3>
    ${Object.keys(errors).length ? formMessage(context, 'error', 'form-has-errors') : null}
    <form method="post" action=${href(context, '/account/tokens')}>
      ${csrfField(context)}
      ${textInput(context, { id: 'token-name', name: 'name', label: t('api-token-name'), value: form.name, error: errors.name, required: true, maxLength: 80 })}
      <fieldset class="cdx-field">
        <legend class="cdx-label"><span class="cdx-label__label__text">${t('api-token-scopes')}</span></legend>
        ${errors.scopes ? html`<p class="cdx-message cdx-message--error">${t(errors.scopes)}</p>` : null}
        ${SCOPES.map(
          (scope) => html`<div class="cdx-checkbox">
            <div class="cdx-checkbox__wrapper">
              <input id=${`token-scope-${scope}`} class="cdx-checkbox__input" type="checkbox" name="scopes" value=${scope}
                checked=${scope === 'read' || form.scopes.includes(scope)} disabled=${scope === 'read'} />
              <span class="cdx-checkbox__icon"></span>
              <div class="cdx-checkbox__label cdx-label">
                <label for=${`token-scope-${scope}`} class="cdx-label__label"><span class="cdx-label__label__text">${t(scopeLabel(scope))}</span></label>
              </div>
            </div>
          </div>`,
        )}
      </fieldset>
      ${textInput(context, { id: 'token-expiry', name: 'expiresInDays', label: t('api-token-expiry'), value: form.expiresInDays, error: errors.expiresInDays, help: t('api-token-expiry-help'), type: 'number', maxLength: 3 })}
      ${submitButton(t('api-token-create'))}
    </form>
  </section>`;
}
