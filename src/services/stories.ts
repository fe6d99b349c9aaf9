import { validateStoryForm, type FieldErrors, type StoryForm } from '../domain/stories/story-form.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { StoryRecord } from '../domain/stories/story.ts';
import type { MarkupProblem } from '../domain/stories/markup.ts';

export type SaveStoryResult =
  | { ok: true; story: StoryRecord }
  | { ok: false; errors: FieldErrors; markup?: MarkupProblem[] }
  | { ok: false; conflict: StoryRecord };

/** Creating, editing and publishing stories; every save is a revision, stale saves are refused. */
export function storiesService(repositories: Repositories) {
  const { stories, catalog, languages } = repositories;

  async function known() {
    const [regions, themes, people, langs] = await Promise.all([
      catalog.regions(),
      catalog.themes(),
      catalog.people(),
      languages.list(),
    ]);
    return {
      regionIds: new Set(regions.map((r) => r.id)),
      themeIds: new Set(themes.map((t) => t.id)),
      personIds: new Set(people.map((p) => p.id)),
      languages: new Set(langs.filter((l) => l.enabled).map((l) => l.code)),
    };
  }

  return {
    async create(form: StoryForm, userId: number): Promise<SaveStoryResult> {
      const checked = validateStoryForm(form, await known());
      if ('errors' in checked) return { ok: false, ...checked };
      const story = await stories.create(checked.input, userId);
      return story ? { ok: true, story } : { ok: false, errors: { slug: 'form-error-slug-taken' } };
    },

    async update(id: number, form: StoryForm, userId: number): Promise<SaveStoryResult | null> {
      const checked = validateStoryForm(form, await known());
      if ('errors' in checked) return { ok: false, ...checked };
      const baseRevision = Number(form.revision);
      if (!Number.isInteger(baseRevision)) return { ok: false, errors: { revision: 'form-error-stale' } };
      try {
        const result = await stories.update(id, baseRevision, checked.input, userId);
        if (!result) return null;
        return result.ok ? result : { ok: false, conflict: result.current };
      } catch (error) {
        if ((error as { code?: string }).code === '23505')
          return { ok: false, errors: { slug: 'form-error-slug-taken' } };
        throw error;
      }
    },

    async setStatus(id: number, baseRevision: number, status: 'draft' | 'published', userId: number) {
      return stories.setStatus(id, baseRevision, status, userId);
    },

    revisions: (id: number) => stories.revisions(id),
    /** The story with this slug, drafts included. */
    find: (slug: string) => stories.findBySlug(slug),
    headBySlug: (slug: string) => stories.headBySlug(slug),
  };
}
export type StoriesService = ReturnType<typeof storiesService>;
