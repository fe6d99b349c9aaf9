import { localizedName } from '../../../../domain/languages/localize.ts';
import { VOCABULARY_LIMITS, type VocabularyForm, type VocabularyKind } from '../../../../domain/catalog/forms.ts';
import type { LocalizedNames } from '../../../../domain/catalog/vocabulary.ts';
import { csrfField, submitButton, textInput } from '../../components/form.ts';
import { href, languageAttributes, type PageContext } from '../../context.ts';
import { html } from '../../html.ts';
import { adminLayout, adminTable, namesFieldset } from './parts.ts';

export interface VocabularyEntry {
  id: number;
  slug: string;
  names: LocalizedNames;
}

function vocabularyForm(
  context: PageContext,
  action: string,
  form: VocabularyForm,
  errors: Record<string, string>,
  submit: string,
) {
  const { t } = context;
  return html`<form method="post" action=${href(context, action)}>
    ${csrfField(context)}
    ${textInput(context, { id: 'slug', name: 'slug', label: t('admin-field-slug'), value: form.slug, error: errors.slug, help: t('admin-field-slug-help'), maxLength: VOCABULARY_LIMITS.slug, required: true, dir: 'ltr', autocomplete: 'off' })}
    ${namesFieldset(context, { legend: t('admin-field-names'), help: t('admin-field-names-help'), values: form.names, errors, maxLength: VOCABULARY_LIMITS.name })}
    ${submitButton(submit)}
  </form>`;
}

/** The regions or themes, each with its slug and its name in the reader's language, and a form to add one. */
export function vocabularyListPage(
  context: PageContext,
  kind: VocabularyKind,
  data: { entries: VocabularyEntry[]; form: VocabularyForm; errors: Record<string, string>; saved: boolean },
) {
  const { t } = context;
  // Message keys: admin-regions-title, admin-themes-title, admin-regions-empty, admin-themes-empty,
  // admin-regions-add, admin-themes-add.
  const rows = data.entries.map((entry) => {
    const name = localizedName(entry.names, context.chain);
    const nameLanguage = context.languages.find((l) => l.code === name.language);
    return html`<tr>
      <td><bdi dir="ltr">${entry.slug}</bdi></td>
      <td><span ...${name.language !== context.language.code && nameLanguage ? languageAttributes(nameLanguage) : {}}>${name.text}</span></td>
      <td class="admin-actions">
        <a href=${href(context, `/admin/${kind}/${entry.id}`)} aria-label=${t('admin-edit-label', name.text || entry.slug)}>${t('admin-edit')}</a>
        <a href=${href(context, `/${kind}/${entry.slug}`)} aria-label=${t('admin-public-page-label', name.text || entry.slug)}>${t('admin-public-page')}</a>
      </td>
    </tr>`;
  });
  return adminLayout(
    context,
    t(`admin-${kind}-title`),
    { saved: data.saved, invalid: Object.keys(data.errors).length > 0 },
    html`
    ${
      data.entries.length
        ? adminTable(t(`admin-${kind}-title`), [t('admin-field-slug'), t('admin-field-name'), t('admin-actions')], rows)
        : html`<p>${t(`admin-${kind}-empty`)}</p>`
    }
    <section class="narrow-form" aria-labelledby="add-heading">
      <h2 id="add-heading">${t(`admin-${kind}-add`)}</h2>
      ${vocabularyForm(context, `/admin/${kind}`, data.form, data.errors, t('admin-add'))}
    </section>`,
  );
}

/** One region or theme: its slug and names. */
export function vocabularyEditPage(
  context: PageContext,
  kind: VocabularyKind,
  data: { entry: VocabularyEntry; form: VocabularyForm; errors: Record<string, string> },
) {
  const { t } = context;
  const name = localizedName(data.entry.names, context.chain).text || data.entry.slug;
  // Message keys: admin-regions-edit-title, admin-themes-edit-title.
  return adminLayout(
    context,
    t(`admin-${kind}-edit-title`, name),
    { invalid: Object.keys(data.errors).length > 0 },
    html`
    <div class="narrow-form">
      ${vocabularyForm(context, `/admin/${kind}/${data.entry.id}`, data.form, data.errors, t('admin-save'))}
    </div>`,
    `/admin/${kind}`,
  );
}
