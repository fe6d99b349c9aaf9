/** What a signed-in person may do. Every route asks `can`; the role × action test covers it. */
export type Role = 'translator' | 'reviewer' | 'editor' | 'admin';

export interface RoleGrant {
  role: Role;
  /** null: every language. */
  language: string | null;
}

export type Action =
  | 'story.edit'          // create and edit stories, their texts and metadata
  | 'story.publish'       // publish and unpublish
  | 'catalog.manage'      // people, regions, themes
  | 'translation.edit'    // translate text into a language (needs a language)
  | 'translation.review'  // approve translations in a language (needs a language)
  | 'users.manage'        // users and their roles
  | 'languages.manage';   // add, enable and disable languages

const ACTIONS_BY_ROLE: Record<Role, readonly Action[]> = {
  translator: ['translation.edit'],
  reviewer: ['translation.edit', 'translation.review'],
  editor: ['story.edit', 'story.publish', 'catalog.manage', 'translation.edit'],
  admin: [
    'story.edit', 'story.publish', 'catalog.manage', 'translation.edit', 'translation.review',
    'users.manage', 'languages.manage',
  ],
};

const LANGUAGE_SCOPED: ReadonlySet<Action> = new Set(['translation.edit', 'translation.review']);

/** Whether the holder of `grants` may perform `action` (in `language`, for language-scoped actions). */
export function can(grants: readonly RoleGrant[], action: Action, language?: string): boolean {
  return grants.some((grant) => {
    if (!ACTIONS_BY_ROLE[grant.role].includes(action)) return false;
    if (!LANGUAGE_SCOPED.has(action) || grant.language === null) return true;
    return language !== undefined && grant.language === language;
  });
}

export const ROLES: readonly Role[] = ['translator', 'reviewer', 'editor', 'admin'];
/** Roles that are granted for one language (the others are granted site-wide). */
export const LANGUAGE_ROLES: ReadonlySet<Role> = new Set(['translator', 'reviewer']);
