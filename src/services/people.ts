import { validatePerson, type PersonForm } from '../domain/catalog/forms.ts';
import type { Person } from '../domain/catalog/vocabulary.ts';
import type { FieldErrors } from '../domain/forms/fields.ts';
import type { Repositories } from '../store/repositories/index.ts';

/** The people who tell stories (editors): list, find, add and edit with the form's checks. */
export function peopleService(repositories: Repositories) {
  const { catalog } = repositories;
  return {
    list: (): Promise<Person[]> => catalog.people(),
    async find(id: number): Promise<Person | undefined> {
      return (await catalog.peopleByIds([id]))[0];
    },
    /** Adds a person, or edits `existing`, from the form (its bio in `language`); the fields' problems, or null when saved. */
    async save(form: PersonForm, language: string, existing?: Person): Promise<FieldErrors | null> {
      const result = validatePerson(form, language, existing?.bios ?? {});
      if ('errors' in result) return result.errors;
      const saved = await catalog.savePerson({ ...result.input, ...(existing ? { id: existing.id } : {}) });
      return saved ? null : { username: 'form-error-username-taken' };
    },
  };
}
export type PeopleService = ReturnType<typeof peopleService>;
