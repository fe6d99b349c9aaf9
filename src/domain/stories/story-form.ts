import type { StoryInput } from './story.ts';
import { parseBlocks } from './blocks.ts';
import { SLUG } from '../forms/fields.ts';

/** What the story editor's form sends: every field a string, as browsers send them. */
export interface StoryForm {
  slug: string;
  region: string;
  sourceLanguage: string;
  featured: string;
  themes: string[];
  storytellers: string[];
  title: string;
  summary: string;
  body: string;
  revision: string;
}

export const LIMITS = { slug: 80, title: 200, summary: 600, body: 100_000 } as const;

/** A field's problem, as a message key (shown to the user in their language). */
export type FieldErrors = Partial<Record<keyof StoryForm, string>>;

/** Checks a story form; returns the input to save, or the problem of each field. */
export function validateStoryForm(
  form: StoryForm,
  textLanguage: string,
  known: { regionIds: Set<number>; themeIds: Set<number>; personIds: Set<number>; languages: Set<string> },
): { input: StoryInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const slug = form.slug.trim();
  if (!slug) errors.slug = 'form-error-required';
  else if (slug.length > LIMITS.slug) errors.slug = 'form-error-too-long';
  else if (!SLUG.test(slug)) errors.slug = 'form-error-slug';
  const regionId = Number(form.region);
  if (!known.regionIds.has(regionId)) errors.region = 'form-error-choose';
  if (!known.languages.has(form.sourceLanguage)) errors.sourceLanguage = 'form-error-choose';
  const themeIds = form.themes.map(Number);
  if (themeIds.some((id) => !known.themeIds.has(id))) errors.themes = 'form-error-choose';
  const storytellerIds = form.storytellers.map(Number);
  if (storytellerIds.some((id) => !known.personIds.has(id))) errors.storytellers = 'form-error-choose';
  const title = form.title.trim();
  if (!title) errors.title = 'form-error-required';
  else if (title.length > LIMITS.title) errors.title = 'form-error-too-long';
  if (form.summary.length > LIMITS.summary) errors.summary = 'form-error-too-long';
  if (form.body.length > LIMITS.body) errors.body = 'form-error-too-long';
  if (Object.keys(errors).length) return { errors };
  return {
    input: {
      slug,
      regionId,
      sourceLanguage: form.sourceLanguage,
      featured: form.featured === 'on',
      themeIds: [...new Set(themeIds)],
      storytellerIds: [...new Set(storytellerIds)],
      text: { language: textLanguage, title, summary: form.summary.trim(), blocks: parseBlocks(form.body) },
    },
  };
}
