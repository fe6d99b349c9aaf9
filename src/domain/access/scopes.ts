import type { Action } from './authorize.ts';

/**
 * What a personal API token may do. A token acts as its owner with at most its scopes AND at most
 * the owner's roles: the scope decides which kinds of change it may make, `can` still decides
 * whether the owner may make them. Reading is implied by every token (a token reads what its owner
 * may read); the actions below are the changes.
 */
export type Scope = 'read' | 'translate' | 'subtitle' | 'edit';

export const SCOPES: readonly Scope[] = ['read', 'translate', 'subtitle', 'edit'];

// Actions outside every scope (managing users and languages, the celebration's votes and
// nominations) are never done with a token: they are a person's own acts in the site.
const ACTIONS_BY_SCOPE: Record<Scope, readonly Action[]> = {
  read: [],
  translate: ['translation.suggest', 'translation.edit', 'translation.review'],
  subtitle: ['subtitles.edit', 'subtitles.review', 'exports.make'],
  edit: ['story.edit', 'story.publish', 'catalog.manage'],
};

/** The scope a token needs to perform `action`, or null when no token may perform it. */
export function scopeFor(action: Action): Scope | null {
  return SCOPES.find((scope) => ACTIONS_BY_SCOPE[scope].includes(action)) ?? null;
}

/** Whether a token holding `scopes` may perform `action` when reading (`reading`) or changing. */
export function scopeAllows(scopes: readonly string[], action: Action, reading: boolean): boolean {
  if (reading) return true;
  const needed = scopeFor(action);
  return needed !== null && scopes.includes(needed);
}

/** The scopes of a request, deduplicated and validated; `read` is always among them. */
export function normalizeScopes(requested: readonly string[]): Scope[] {
  return SCOPES.filter((scope) => scope === 'read' || requested.includes(scope));
}

/** The token a change was made through, recorded beside its owner: its id, and its name at the time. */
export interface TokenAttribution {
  id: number;
  name: string;
}
