/** What a signed-in person may do. Every route asks `can`; the role × action test covers it. */
/** The roles that can be granted. */
export type GrantableRole = 'translator' | 'reviewer' | 'editor' | 'admin';
/** 'member' is every signed-in account's role, never granted. */
export type Role = 'member' | GrantableRole;

export interface RoleGrant {
  role: Role;
  /** null: every language. */
  language: string | null;
}

export type Action =
  | 'story.edit' // create and edit stories, their texts and metadata
  | 'story.publish' // publish and unpublish
  | 'catalog.manage' // people, regions, themes
  | 'translation.suggest' // translate a story's units as drafts for review: every signed-in account (needs a language)
  | 'translation.edit' // translate text into a language (needs a language)
  | 'translation.review' // approve translations in a language (needs a language)
  | 'subtitles.edit' // edit, upload and translate a language's subtitle track (needs a language)
  | 'subtitles.review' // approve a language's subtitle track or send it back (needs a language)
  | 'exports.make' // ask for and download a video with a language's subtitles burned in (needs a language)
  | 'admin.enter' // the management pages' index (any of the three below)
  | 'users.manage' // users and their roles
  | 'languages.manage' // add, enable and disable languages
  | 'celebration.nominate' // nominate for the monthly celebration, second, add anecdotes: every signed-in account
  | 'celebration.vote' // vote in a cycle's choice (the service also asks whether the account is an eligible voter)
  | 'celebration.moderate' // hide nominations (with a reason), approve or refuse anecdotes
  | 'celebration.manage'; // create and schedule cycles, move a phase early, send consent links

// Every signed-in account takes part in the monthly celebration; the communications team (editors)
// runs it and moderates it.
const CELEBRATE = ['celebration.nominate', 'celebration.vote'] as const;
const RUN_CELEBRATION = ['celebration.moderate', 'celebration.manage'] as const;

// Editors review every language's subtitles (they publish the stories they belong to); reviewers
// review theirs. Exports are for those who may publish or review the subtitles they show.
const ACTIONS_BY_ROLE: Record<Role, readonly Action[]> = {
  // Anyone who signs up may translate a story ("Translate this post"); reviewers approve what is published.
  member: ['translation.suggest', ...CELEBRATE],
  translator: ['translation.suggest', 'translation.edit', 'subtitles.edit', ...CELEBRATE],
  reviewer: [
    'translation.suggest',
    'translation.edit',
    'translation.review',
    'subtitles.edit',
    'subtitles.review',
    'exports.make',
    ...CELEBRATE,
  ],
  editor: [
    'translation.suggest',
    'story.edit',
    'story.publish',
    'catalog.manage',
    'translation.edit',
    'subtitles.edit',
    'subtitles.review',
    'exports.make',
    'admin.enter',
    ...CELEBRATE,
    ...RUN_CELEBRATION,
  ],
  admin: [
    'translation.suggest',
    'story.edit',
    'story.publish',
    'catalog.manage',
    'translation.edit',
    'translation.review',
    'subtitles.edit',
    'subtitles.review',
    'exports.make',
    'admin.enter',
    'users.manage',
    'languages.manage',
    ...CELEBRATE,
    ...RUN_CELEBRATION,
  ],
};

/** Every action, for the role matrix. */
export const ACTIONS: readonly Action[] = [...new Set(Object.values(ACTIONS_BY_ROLE).flat())];

const LANGUAGE_SCOPED: ReadonlySet<Action> = new Set([
  'translation.suggest',
  'translation.edit',
  'translation.review',
  'subtitles.edit',
  'subtitles.review',
  'exports.make',
]);

/** Whether `action` is granted per language (it then needs a language to be asked about). */
export const isLanguageScoped = (action: Action) => LANGUAGE_SCOPED.has(action);

/** Whether the holder of `grants` may perform `action` (in `language`, for language-scoped actions). */
export function can(grants: readonly RoleGrant[], action: Action, language?: string): boolean {
  return grants.some((grant) => {
    if (!ACTIONS_BY_ROLE[grant.role].includes(action)) return false;
    if (!LANGUAGE_SCOPED.has(action) || grant.language === null) return true;
    return language !== undefined && grant.language === language;
  });
}

/** The roles that can be granted ('member' is every signed-in account's, never granted). */
export const ROLES: readonly GrantableRole[] = ['translator', 'reviewer', 'editor', 'admin'];

/** What every signed-in account holds besides its grants. */
export const MEMBER: RoleGrant = { role: 'member', language: null };

/** The grants a signed-in account acts with: its own and the member's. */
export const accountGrants = (grants: readonly RoleGrant[]): RoleGrant[] => [MEMBER, ...grants];
/** Roles that are granted for one language (the others are granted site-wide). */
export const LANGUAGE_ROLES: ReadonlySet<Role> = new Set(['translator', 'reviewer']);
