import {
  describeLanguage,
  isKnownLanguage,
  LANGUAGE_CODE_LIMIT,
  normalizeLanguageCode,
  searchConfigFor,
  SOURCE_LANGUAGE,
  type LanguageRow,
} from '../domain/languages/languages.ts';
import { checkText, type FieldErrors } from '../domain/forms/fields.ts';
import { readSubtitleLimits, SUBTITLE_LIMIT_FIELDS } from '../domain/subtitles/quality.ts';
import type { Repositories } from '../store/repositories/index.ts';

/** The site's languages (admins): add any BCP 47 language, enable or disable one, set its subtitle limits. */
export function languagesService(repositories: Repositories) {
  const { languages } = repositories;
  return {
    /** Every language, enabled or not, in the site's order. */
    list: (): Promise<LanguageRow[]> => languages.list(),

    /** Adds a language by its code as typed (enabled, last in order, with its text-search configuration); null when added. */
    async add(typed: string): Promise<FieldErrors | null> {
      const code = normalizeLanguageCode(typed);
      const existing = await languages.list();
      const problem =
        checkText(code, LANGUAGE_CODE_LIMIT, true) ??
        (isKnownLanguage(code) ? undefined : 'admin-languages-error-unknown') ??
        (existing.some((l) => l.code === code) ? 'admin-languages-error-exists' : undefined);
      if (problem) return { code: problem };
      const searchConfig = searchConfigFor(code, await languages.searchConfigs());
      const position = Math.max(-1, ...existing.map((l) => l.position)) + 1;
      await languages.upsert({ ...describeLanguage(code), fallbacks: [], searchConfig, enabled: true, position });
      return null;
    },

    /** Turns a language on or off; English stays on (it is the source and every message's last fallback). */
    async setEnabled(code: string, enabled: boolean): Promise<'done' | 'not_found' | 'source_language'> {
      const language = (await languages.list()).find((l) => l.code === code);
      if (!language) return 'not_found';
      if (!enabled && language.code === SOURCE_LANGUAGE) return 'source_language';
      await languages.setEnabled(language.code, enabled);
      return 'done';
    },

    /** Saves a language's subtitle limits from the form's values ('reset': back to its defaults); the fields' problems, or null. */
    async saveSubtitleLimits(code: string, values: Record<string, string> | 'reset') {
      if (!(await languages.list()).some((l) => l.code === code)) return 'not_found' as const;
      if (values === 'reset') {
        await languages.saveSubtitleLimits(code, null);
        return null;
      }
      const read = readSubtitleLimits(
        Object.fromEntries(SUBTITLE_LIMIT_FIELDS.map(({ name }) => [name, values[name] ?? ''])),
      );
      if ('errors' in read) return { errors: read.errors };
      await languages.saveSubtitleLimits(code, read.limits);
      return null;
    },
  };
}
export type LanguagesService = ReturnType<typeof languagesService>;
