import type { Action } from '../../../../domain/access/authorize.ts';
import { href, type PageContext } from '../../context.ts';
import { html } from '../../html.ts';
import { layout } from '../../layout.ts';

const SECTIONS: Array<{ path: string; action: Action; key: string; title?: string; description?: string }> = [
  { path: '/admin/people', action: 'catalog.manage', key: 'people' },
  { path: '/admin/regions', action: 'catalog.manage', key: 'regions' },
  { path: '/admin/themes', action: 'catalog.manage', key: 'themes' },
  { path: '/admin/users', action: 'users.manage', key: 'users' },
  { path: '/admin/languages', action: 'languages.manage', key: 'languages' },
  {
    path: '/admin/celebration',
    action: 'celebration.manage',
    key: 'celebration',
    title: 'celebration-admin-title',
    description: 'celebration-admin-description',
  },
];

/** The overview: one link per section the signed-in user may use. */
export function adminIndexPage(context: PageContext) {
  const { t } = context;
  const sections = SECTIONS.filter((section) => context.can(section.action));
  // Message keys: admin-people-title, admin-regions-title, admin-themes-title, admin-users-title, admin-languages-title
  // and the same with -description.
  return layout(
    context,
    { title: t('admin-title'), alternates: false },
    html`
    <div class="admin-page">
      <h1>${t('admin-title')}</h1>
      <p>${t('admin-intro')}</p>
      <ul class="admin-sections">
        ${sections.map(
          (section) => html`<li>
          <a href=${href(context, section.path)}>${t(section.title ?? `admin-${section.key}-title`)}</a>
          <p>${t(section.description ?? `admin-${section.key}-description`)}</p>
        </li>`,
        )}
      </ul>
    </div>`,
  );
}
