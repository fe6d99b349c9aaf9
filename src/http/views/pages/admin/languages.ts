import { SOURCE_LANGUAGE } from '../../../../domain/languages/languages.ts';
import type { LanguageRow } from '../../../../store/repositories/languages.ts';
import { csrfField, submitButton, textInput } from '../../components/form.ts';
import { href, languageAttributes, type PageContext } from '../../context.ts';
import { html } from '../../html.ts';
import { actionButton, adminLayout, adminTable } from './parts.ts';

export const LANGUAGE_CODE_LIMIT = 35;

export interface LanguagesPageData {
  languages: LanguageRow[];
  /** The add form's code as typed. */
  code: string;
  errors: Record<string, string>;
  error?: string | undefined;
  saved: boolean;
}

function toggle(context: PageContext, language: LanguageRow) {
  const { t } = context;
  if (language.code === SOURCE_LANGUAGE) return html`<span class="admin-muted">${t('admin-languages-always-enabled')}</span>`;
  const enable = !language.enabled;
  return html`<form method="post" action=${href(context, `/admin/languages/${language.code}`)}>
    ${csrfField(context)}
    ${actionButton(t(enable ? 'admin-languages-enable' : 'admin-languages-disable'), {
      name: 'enabled', value: enable ? '1' : '0', destructive: !enable,
      ariaLabel: t(enable ? 'admin-languages-enable-label' : 'admin-languages-disable-label', language.autonym),
    })}
  </form>`;
}

/** The site's languages: which are offered, and a form to add one. */
export function languagesPage(context: PageContext, data: LanguagesPageData) {
  const { t } = context;
  const rows = data.languages.map((language) => html`<tr>
    <td><code dir="ltr">${language.code}</code></td>
    <td><span ...${languageAttributes(language)}>${language.autonym}</span></td>
    <td>${t(language.dir === 'rtl' ? 'admin-languages-rtl' : 'admin-languages-ltr')}</td>
    <td><code dir="ltr">${language.searchConfig}</code></td>
    <td>${t(language.enabled ? 'admin-languages-enabled' : 'admin-languages-disabled')}</td>
    <td>${toggle(context, language)}</td>
  </tr>`);
  const headings = [
    t('admin-languages-code'), t('admin-languages-name'), t('admin-languages-direction'),
    t('admin-languages-search'), t('admin-languages-status'), t('admin-actions'),
  ];
  return adminLayout(context, t('admin-languages-title'), { saved: data.saved, invalid: Object.keys(data.errors).length > 0, error: data.error }, html`
    ${adminTable(t('admin-languages-title'), headings, rows)}
    <section class="narrow-form" aria-labelledby="add-heading">
      <h2 id="add-heading">${t('admin-languages-add')}</h2>
      <form method="post" action=${href(context, '/admin/languages')}>
        ${csrfField(context)}
        ${textInput(context, { id: 'code', name: 'code', label: t('admin-languages-code'), value: data.code, error: data.errors.code, help: t('admin-languages-code-help'), maxLength: LANGUAGE_CODE_LIMIT, required: true, dir: 'ltr', autocomplete: 'off' })}
        ${submitButton(t('admin-add'))}
      </form>
    </section>`);
}
