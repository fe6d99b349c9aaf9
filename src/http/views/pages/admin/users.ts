import { ROLES, type RoleGrant } from '../../../../domain/access/authorize.ts';
import type { LanguageRow } from '../../../../domain/languages/languages.ts';
import type { UserWithGrants } from '../../../../domain/access/users.ts';
import { botLabel } from '../../components/actor.ts';
import { csrfField, submitButton } from '../../components/form.ts';
import { href, languageAttributes, type PageContext } from '../../context.ts';
import { html } from '../../html.ts';
import { actionButton, adminLayout, adminTable, selectField } from './parts.ts';

/** The grant form of one user as typed, with its fields' problems. */
export interface GrantForm {
  userId: number;
  role: string;
  language: string;
  errors: Record<string, string>;
}

export interface UsersPageData {
  users: UserWithGrants[];
  /** Every language a role can be granted for (disabled ones too, so translators can start early). */
  languages: LanguageRow[];
  grant: GrantForm | null;
  error?: string | undefined;
  saved: boolean;
}

// Message keys: admin-role-translator, admin-role-reviewer, admin-role-editor, admin-role-admin.
const roleLabel = (context: PageContext, role: string) => context.t(`admin-role-${role}`);

function grantItem(context: PageContext, user: UserWithGrants, grant: RoleGrant, languages: LanguageRow[]) {
  const { t } = context;
  const language = grant.language ? languages.find((l) => l.code === grant.language) : undefined;
  const languageName = language?.autonym ?? grant.language ?? '';
  const ariaLabel = grant.language
    ? t('admin-users-revoke-language-label', roleLabel(context, grant.role), languageName, user.username)
    : t('admin-users-revoke-label', roleLabel(context, grant.role), user.username);
  return html`<li class="admin-grant">
    <span class="admin-grant__role">${roleLabel(context, grant.role)}</span>
    ${grant.language ? html`<span class="admin-grant__language" ...${language ? languageAttributes(language) : {}}>${languageName}</span>` : null}
    <form method="post" action=${href(context, `/admin/users/${user.id}/revoke`)}>
      ${csrfField(context)}
      <input type="hidden" name="role" value=${grant.role} />
      <input type="hidden" name="language" value=${grant.language ?? ''} />
      ${actionButton(t('admin-users-revoke'), { ariaLabel, destructive: true })}
    </form>
  </li>`;
}

function grantForm(context: PageContext, user: UserWithGrants, languages: LanguageRow[], typed: GrantForm | null) {
  const { t } = context;
  const form = typed?.userId === user.id ? typed : { role: '', language: '', errors: {} as Record<string, string> };
  return html`<form class="admin-grant-form" method="post" action=${href(context, `/admin/users/${user.id}/grant`)}>
    ${csrfField(context)}
    ${selectField(context, {
      id: `role-${user.id}`,
      name: 'role',
      label: t('admin-users-field-role'),
      value: form.role,
      error: form.errors.role,
      options: [
        { value: '', label: t('admin-users-choose-role') },
        ...ROLES.map((role) => ({ value: role, label: roleLabel(context, role) })),
      ],
    })}
    ${selectField(context, {
      id: `language-${user.id}`,
      name: 'language',
      label: t('admin-users-field-language'),
      value: form.language,
      error: form.errors.language,
      options: [
        { value: '', label: t('admin-users-no-language') },
        ...languages.map((l) => ({ value: l.code, label: l.autonym, ...languageAttributes(l) })),
      ],
    })}
    ${submitButton(t('admin-users-grant'))}
  </form>`;
}

/** The form that marks an account as a bot's, or back as a person's. */
function botForm(context: PageContext, user: UserWithGrants) {
  const { t } = context;
  return html`<form class="admin-bot-form" method="post" action=${href(context, `/admin/users/${user.id}/bot`)}>
    ${csrfField(context)}
    ${actionButton(user.isBot ? t('admin-users-mark-person') : t('admin-users-mark-bot'), {
      name: 'bot',
      value: user.isBot ? '0' : '1',
      ariaLabel: t(user.isBot ? 'admin-users-mark-person-label' : 'admin-users-mark-bot-label', user.username),
    })}
  </form>`;
}

/** Everyone with an account, their roles, and forms to grant and revoke them and to mark bot accounts. */
export function usersPage(context: PageContext, data: UsersPageData) {
  const { t } = context;
  const rows = data.users.map(
    (user) => html`<tr id=${`user-${user.id}`}>
    <th scope="row">
      <bdi class="admin-user__name">${user.username}</bdi>${user.isBot ? html` ${botLabel(context)}` : null}
      ${user.displayName !== user.username ? html`<br /><bdi class="admin-user__display">${user.displayName}</bdi>` : null}
      ${botForm(context, user)}
    </th>
    <td>${
      user.grants.length
        ? html`<ul class="admin-grants">${user.grants.map((grant) => grantItem(context, user, grant, data.languages))}</ul>`
        : t('admin-users-no-roles')
    }</td>
    <td>${grantForm(context, user, data.languages, data.grant)}</td>
  </tr>`,
  );
  return adminLayout(
    context,
    t('admin-users-title'),
    { saved: data.saved, invalid: Boolean(data.grant), error: data.error },
    html`
    <p class="admin-help">${t('admin-users-help')}</p>
    ${adminTable(t('admin-users-title'), [t('admin-users-user'), t('admin-users-roles'), t('admin-users-grant-heading')], rows)}`,
  );
}
