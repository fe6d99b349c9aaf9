import { checkText, SLUG, type FieldErrors } from '../forms/fields.ts';
import type { LocalizedNames, PersonInput } from './vocabulary.ts';

/** The person form as typed: every field a string. The bio is in the page's language. */
export interface PersonForm {
  displayName: string;
  username: string;
  homeWiki: string;
  photoUrl: string;
  bio: string;
}

export const PERSON_LIMITS = { displayName: 80, username: 60, homeWiki: 100, photoUrl: 500, bio: 1000 } as const;

const isHttpsUrl = (value: string) => /^https:\/\/[^\s/?#]+/i.test(value) && URL.canParse(value);
const clean = (value: string) => value.trim().normalize('NFC');

/**
 * Checks a person form; what to save, or each field's problem. The bio is for `language`: the
 * person's bios in other languages (`bios`) are kept, and an empty bio removes this language's.
 */
export function validatePerson(
  form: PersonForm,
  language: string,
  bios: LocalizedNames,
): { input: PersonInput } | { errors: FieldErrors } {
  const displayName = clean(form.displayName);
  const username = clean(form.username);
  const homeWiki = clean(form.homeWiki);
  const photoUrl = form.photoUrl.trim();
  const bio = clean(form.bio);
  const errors: FieldErrors = {};
  const check = (name: string, error: string | undefined) => {
    if (error) errors[name] = error;
  };
  check('displayName', checkText(displayName, PERSON_LIMITS.displayName, true));
  check('username', checkText(username, PERSON_LIMITS.username, true));
  check('homeWiki', checkText(homeWiki, PERSON_LIMITS.homeWiki, false));
  check(
    'photoUrl',
    checkText(photoUrl, PERSON_LIMITS.photoUrl, false) ??
      (photoUrl && !isHttpsUrl(photoUrl) ? 'admin-people-error-photo-url' : undefined),
  );
  check('bio', checkText(bio, PERSON_LIMITS.bio, false));
  if (Object.keys(errors).length) return { errors };
  const merged = { ...bios };
  if (bio) merged[language] = bio;
  else delete merged[language];
  return { input: { displayName, username, homeWiki, photoUrl: photoUrl || null, bios: merged } };
}

/** Regions and themes: a slug and a name in every language. */
export type VocabularyKind = 'regions' | 'themes';
/** The form as typed: the slug, and the name in each enabled language by code. */
export interface VocabularyForm {
  slug: string;
  names: Record<string, string>;
}

export const VOCABULARY_LIMITS = { slug: 60, name: 100 } as const;

/**
 * Checks a region or theme form for the languages shown (`languages`; a name in `required` must be
 * given); the slug and the names to save, or each field's problem. Names in languages not shown
 * (disabled ones) are kept from `existing`; an emptied name is removed.
 */
export function validateVocabulary(
  form: VocabularyForm,
  languages: readonly string[],
  required: string,
  existing: LocalizedNames,
): { slug: string; names: LocalizedNames } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const slug = form.slug.trim();
  const slugError = checkText(slug, VOCABULARY_LIMITS.slug, true) ?? (SLUG.test(slug) ? undefined : 'form-error-slug');
  if (slugError) errors.slug = slugError;
  const names = { ...existing };
  for (const language of languages) {
    const name = clean(form.names[language] ?? '');
    const error = checkText(name, VOCABULARY_LIMITS.name, language === required);
    if (error) errors[`name-${language}`] = error;
    if (name) names[language] = name;
    else delete names[language];
  }
  return Object.keys(errors).length ? { errors } : { slug, names };
}
