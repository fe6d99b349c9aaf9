import { PERSON_LIMITS, type PersonForm } from '../../../../domain/catalog/forms.ts';
import type { Person } from '../../../../domain/catalog/vocabulary.ts';
import { csrfField, submitButton, textArea, textInput } from '../../components/form.ts';
import { href, languageAttributes, type PageContext } from '../../context.ts';
import { html } from '../../html.ts';
import { adminLayout, adminTable } from './parts.ts';

export const emptyPersonForm = (): PersonForm => ({
  displayName: '',
  username: '',
  homeWiki: '',
  photoUrl: '',
  bio: '',
});

export function personToForm(person: Person, language: string): PersonForm {
  return {
    displayName: person.displayName,
    username: person.username,
    homeWiki: person.homeWiki,
    photoUrl: person.photoUrl ?? '',
    bio: person.bios[language] ?? '',
  };
}

function personForm(
  context: PageContext,
  action: string,
  form: PersonForm,
  errors: Record<string, string>,
  submit: string,
) {
  const { t } = context;
  return html`<form method="post" action=${href(context, action)}>
    ${csrfField(context)}
    ${textInput(context, { id: 'displayName', name: 'displayName', label: t('admin-people-field-display-name'), value: form.displayName, error: errors.displayName, maxLength: PERSON_LIMITS.displayName, required: true, autocomplete: 'off' })}
    ${textInput(context, { id: 'username', name: 'username', label: t('admin-people-field-username'), value: form.username, error: errors.username, help: t('admin-people-field-username-help'), maxLength: PERSON_LIMITS.username, required: true, autocomplete: 'off' })}
    ${textInput(context, { id: 'homeWiki', name: 'homeWiki', label: t('admin-people-field-home-wiki'), value: form.homeWiki, error: errors.homeWiki, help: t('admin-people-field-home-wiki-help'), maxLength: PERSON_LIMITS.homeWiki, dir: 'ltr', autocomplete: 'off' })}
    ${textInput(context, { id: 'photoUrl', name: 'photoUrl', label: t('admin-people-field-photo-url'), value: form.photoUrl, error: errors.photoUrl, help: t('admin-people-field-photo-url-help'), type: 'url', maxLength: PERSON_LIMITS.photoUrl, dir: 'ltr', autocomplete: 'off' })}
    ${textArea(context, { id: 'bio', name: 'bio', label: t('admin-people-field-bio', context.language.autonym), value: form.bio, error: errors.bio, help: t('admin-people-field-bio-help', context.formatNumber(PERSON_LIMITS.bio)), rows: 5, ...languageAttributes(context.language) })}
    ${submitButton(submit)}
  </form>`;
}

/** Everyone who tells stories: the list, and a form to add a person. */
export function peopleListPage(
  context: PageContext,
  data: { people: Person[]; form: PersonForm; errors: Record<string, string>; saved: boolean },
) {
  const { t } = context;
  const rows = data.people.map(
    (person) => html`<tr>
    <td><bdi>${person.displayName}</bdi></td>
    <td><bdi>${person.username}</bdi></td>
    <td><bdi dir="ltr">${person.homeWiki}</bdi></td>
    <td class="admin-actions">
      <a href=${href(context, `/admin/people/${person.id}`)} aria-label=${t('admin-edit-label', person.displayName)}>${t('admin-edit')}</a>
      <a href=${href(context, `/people/${encodeURIComponent(person.username)}`)} aria-label=${t('admin-people-profile-label', person.displayName)}>${t('admin-people-profile')}</a>
    </td>
  </tr>`,
  );
  return adminLayout(
    context,
    t('admin-people-title'),
    { saved: data.saved, invalid: Object.keys(data.errors).length > 0 },
    html`
    ${
      data.people.length
        ? adminTable(
            t('admin-people-title'),
            [
              t('admin-people-field-display-name'),
              t('admin-people-field-username'),
              t('admin-people-field-home-wiki'),
              t('admin-actions'),
            ],
            rows,
          )
        : html`<p>${t('admin-people-empty')}</p>`
    }
    <section class="narrow-form" aria-labelledby="add-heading">
      <h2 id="add-heading">${t('admin-people-add')}</h2>
      ${personForm(context, '/admin/people', data.form, data.errors, t('admin-add'))}
    </section>`,
  );
}

/** One person's details; the bio is edited in the page's language and the others are kept. */
export function personEditPage(
  context: PageContext,
  data: { person: Person; form: PersonForm; errors: Record<string, string> },
) {
  const { t } = context;
  return adminLayout(
    context,
    t('admin-people-edit-title', data.person.displayName),
    { invalid: Object.keys(data.errors).length > 0 },
    html`
    <div class="narrow-form">
      ${personForm(context, `/admin/people/${data.person.id}`, data.form, data.errors, t('admin-save'))}
    </div>`,
    '/admin/people',
  );
}
