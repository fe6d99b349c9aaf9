import type { StoryInput } from './story.ts';
import { parseStoryMarkup, type MarkupProblem } from './markup.ts';
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
  /** 'on' when the editor marks the edit as a typo fix (it outdates no translation). */
  typoFix?: string;
}

export const LIMITS = { slug: 80, title: 200, summary: 600, body: 100_000 } as const;

/** A field's problem, as a message key (shown to the user in their language). */
export type FieldErrors = Partial<Record<keyof StoryForm, string>>;

/**
 * Checks a story form; returns the input to save, or the problem of each field (and, for a body
 * that is not the Markdown subset, each place in it that cannot be shown). The text is the source,
 * in the story's source language.
 */
export function validateStoryForm(
  form: StoryForm,
  known: { regionIds: Set<number>; themeIds: Set<number>; personIds: Set<number>; languages: Set<string> },
): { input: StoryInput } | { errors: FieldErrors; markup?: MarkupProblem[] } {
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
  const parsed = errors.body ? null : parseStoryMarkup(form.body);
  if (parsed && 'problems' in parsed) errors.body = 'form-error-markup';
  if (Object.keys(errors).length)
    return { errors, ...(parsed && 'problems' in parsed ? { markup: parsed.problems } : {}) };
  const blocks = parsed && 'blocks' in parsed ? parsed.blocks.map(({ type, text }) => ({ type, text })) : [];
  return {
    input: {
      slug,
      regionId,
      sourceLanguage: form.sourceLanguage,
      featured: form.featured === 'on',
      themeIds: [...new Set(themeIds)],
      storytellerIds: [...new Set(storytellerIds)],
      text: { language: form.sourceLanguage, title, summary: form.summary.trim(), blocks },
      typoFix: form.typoFix === 'on',
    },
  };
}
