import { validateVocabulary, type VocabularyForm, type VocabularyKind } from '../domain/catalog/forms.ts';
import type { Region, Theme } from '../domain/catalog/vocabulary.ts';
import type { FieldErrors } from '../domain/forms/fields.ts';
import { SOURCE_LANGUAGE } from '../domain/languages/languages.ts';
import type { Repositories } from '../store/repositories/index.ts';

export type VocabularyEntry = Region | Theme;

/** Regions and themes (editors): list, find, add and edit, with a name in each enabled language. */
export function vocabularyService(repositories: Repositories) {
  const { catalog } = repositories;
  const list = (kind: VocabularyKind): Promise<VocabularyEntry[]> =>
    kind === 'regions' ? catalog.regions() : catalog.themes();

  /** Creates or updates; false when another entry has the slug. A new region goes last. */
  async function store(
    kind: VocabularyKind,
    values: { slug: string; names: Record<string, string> },
    existing?: VocabularyEntry,
  ) {
    if (kind === 'themes') return catalog.saveTheme({ ...values, ...(existing ? { id: existing.id } : {}) });
    if (existing)
      return catalog.saveRegion({
        ...values,
        id: existing.id,
        position: 'position' in existing ? existing.position : 0,
      });
    const last = Math.max(-1, ...(await catalog.regions()).map((r) => r.position));
    return catalog.saveRegion({ ...values, position: last + 1 });
  }

  return {
    list,
    async find(kind: VocabularyKind, id: number): Promise<VocabularyEntry | undefined> {
      return (await list(kind)).find((entry) => entry.id === id);
    },
    /** Adds an entry, or edits `existing`, from the form of the languages shown; the fields' problems, or null when saved. */
    async save(
      kind: VocabularyKind,
      form: VocabularyForm,
      languages: readonly string[],
      existing?: VocabularyEntry,
    ): Promise<FieldErrors | null> {
      const result = validateVocabulary(form, languages, SOURCE_LANGUAGE, existing?.names ?? {});
      if ('errors' in result) return result.errors;
      return (await store(kind, result, existing)) ? null : { slug: 'admin-error-slug-taken' };
    },
  };
}
export type VocabularyService = ReturnType<typeof vocabularyService>;
