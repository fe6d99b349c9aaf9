import type { Repositories } from '../store/repositories/index.ts';
import type { GlossaryTerm } from '../domain/translation/glossary.ts';
import { readTbx, writeTbx } from '../domain/translation/tbx.ts';
import { createTmxReader, tmxEnd, tmxStart, tmxUnit, type TermFileProblem } from '../domain/translation/tmx.ts';

// What translators share across stories, per language pair: the glossary (terms with their approved
// translation, notes, part of speech and forbidden variants; TBX files) and the translation memory
// (TMX files). A file is taken whole or not at all.

export const TERM_LIMITS = { term: 200, note: 1000, partOfSpeech: 40, forbidden: 20 } as const;

export type TermForm = Record<'term' | 'translation' | 'note' | 'partOfSpeech' | 'forbidden', string>;

/** A term form's problems (message keys by field), or the entry to save. */
export function checkTermForm(
  form: TermForm,
): { entry: GlossaryTerm } | { errors: Partial<Record<keyof TermForm, string>> } {
  const errors: Partial<Record<keyof TermForm, string>> = {};
  const term = form.term.trim();
  const translation = form.translation.trim();
  const forbidden = form.forbidden
    .split(/[,\n]/)
    .map((variant) => variant.trim())
    .filter(Boolean);
  if (!term) errors.term = 'form-error-required';
  else if (term.length > TERM_LIMITS.term) errors.term = 'form-error-too-long';
  if (!translation) errors.translation = 'form-error-required';
  else if (translation.length > TERM_LIMITS.term) errors.translation = 'form-error-too-long';
  if (form.note.length > TERM_LIMITS.note) errors.note = 'form-error-too-long';
  if (form.partOfSpeech.length > TERM_LIMITS.partOfSpeech) errors.partOfSpeech = 'form-error-too-long';
  if (forbidden.length > TERM_LIMITS.forbidden || forbidden.some((variant) => variant.length > TERM_LIMITS.term))
    errors.forbidden = 'form-error-too-long';
  if (Object.keys(errors).length) return { errors };
  return { entry: { term, translation, note: form.note.trim(), partOfSpeech: form.partOfSpeech.trim(), forbidden } };
}

export type FileImportResult =
  { ok: true; count: number; warnings: TermFileProblem[] } | { ok: false; problems: TermFileProblem[] };

/** Memory pairs read per page when a TMX file is written. */
const EXPORT_PAGE = 2000;

export function translationResources(repositories: Repositories) {
  const { translations } = repositories;
  return {
    glossary: (from: string, to: string) => translations.glossary(from, to),
    memoryCount: (from: string, to: string) => translations.memoryCount(from, to),

    async saveTerm(from: string, to: string, form: TermForm, userId: number) {
      const checked = checkTermForm(form);
      if ('errors' in checked) return checked;
      await translations.saveTerm(from, to, checked.entry, userId);
      return { saved: checked.entry };
    },

    deleteTerm: (from: string, to: string, term: string) => translations.deleteTerm(from, to, term),

    async exportTbx(from: string, to: string): Promise<string> {
      const terms = await translations.glossary(from, to);
      return writeTbx(
        terms.map((term) => ({ ...term, sourceLanguage: from, targetLanguage: to })),
        from,
        to,
      );
    },

    async importTbx(from: string, to: string, text: string, userId: number): Promise<FileImportResult> {
      const read = readTbx(text, from, to);
      const errors = read.problems.filter((problem) => problem.severity === 'error');
      if (errors.length) return { ok: false, problems: errors };
      const entries = [];
      for (const entry of read.entries) {
        const checked = checkTermForm({
          term: entry.term,
          translation: entry.translation,
          note: entry.note ?? '',
          partOfSpeech: entry.partOfSpeech ?? '',
          forbidden: entry.forbidden.join(', '),
        });
        if ('errors' in checked)
          return {
            ok: false,
            problems: [
              {
                code: 'term_too_long',
                line: 0,
                column: 0,
                severity: 'error',
                message: `A term, translation, note or variant is too long: "${entry.term.slice(0, 80)}".`,
              },
            ],
          };
        entries.push(checked.entry);
      }
      await translations.saveTerms(from, to, entries, userId);
      return {
        ok: true,
        count: entries.length,
        warnings: read.problems.filter((problem) => problem.severity !== 'error'),
      };
    },

    /** The memory of a pair as a TMX document, written a page of pairs at a time. */
    async *exportTmx(from: string, to: string): AsyncGenerator<string> {
      yield tmxStart(from);
      let after = 0;
      for (;;) {
        const page = await translations.memoryPage(from, to, after, EXPORT_PAGE);
        if (!page.length) break;
        yield page
          .map((row) =>
            tmxUnit({
              sourceLanguage: from,
              targetLanguage: to,
              source: row.source_text,
              target: row.target_text,
              origin: row.origin,
              createdAt: row.created_at,
            }),
          )
          .join('');
        after = page.at(-1)!.id;
      }
      yield tmxEnd();
    },

    /** Reads a TMX file as it arrives (chunks of text); adds its pairs for the language pair, all or none. */
    async importTmx(
      from: string,
      to: string,
      chunks: AsyncIterable<string>,
      /** Asked once the file is read, before anything is stored: false for an upload cut at its size limit. */
      whole: () => boolean = () => true,
    ): Promise<FileImportResult> {
      const pairs: Array<{
        source: string;
        target: string;
        sourceLanguage: string;
        targetLanguage: string;
        origin: string;
      }> = [];
      const reader = createTmxReader({
        sourceLanguage: from,
        targetLanguage: to,
        onPair: (pair) =>
          pairs.push({
            source: pair.source,
            target: pair.target,
            sourceLanguage: from,
            targetLanguage: to,
            origin: pair.origin ?? 'tmx',
          }),
      });
      for await (const chunk of chunks) reader.write(chunk);
      const result = reader.close();
      if (result.failed)
        return { ok: false, problems: result.problems.filter((problem) => problem.severity === 'error') };
      await translations.rememberAll(pairs);
      return { ok: true, count: pairs.length, warnings: result.problems };
    },
  };
}
export type TranslationResources = ReturnType<typeof translationResources>;
