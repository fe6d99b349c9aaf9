import type { TokenAttribution } from '../domain/access/scopes.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { UnitSave } from '../store/repositories/translations.ts';
import type { MachineResult, MachineTranslation } from '../providers/translation/machine.ts';
import { UNIT_TEXT_LIMIT, unitProblems, type UnitProblem } from '../domain/translation/unit-checks.ts';
import { plainText } from '../domain/translation/story-units.ts';
import { scoreMatches, type MemoryMatch } from '../domain/translation/memory.ts';
import { percentDone, type UnitRow } from '../domain/translation/unit-row.ts';
import { wordDiff, type WordChange } from '../domain/translation/word-diff.ts';

export type SaveUnitResult =
  | { ok: true; unit: UnitRow; warnings: UnitProblem[] }
  | { ok: false; reason: 'invalid'; problems: UnitProblem[] }
  | { ok: false; reason: 'conflict' | 'source-changed'; current: UnitRow }
  | { ok: false; reason: 'missing' };

/**
 * Translating stories unit by unit: what the editor shows, saves with checks and compare-and-set,
 * review, comments, and suggestions from the translation memory and a machine engine.
 */
export function translationService(repositories: Repositories, machine: MachineTranslation | null) {
  const { translations, stories } = repositories;

  async function sourceLanguageOf(storyId: number): Promise<string> {
    const story = await stories.findById(storyId);
    return story!.sourceLanguage;
  }

  return {
    rows: (storyId: number, language: string) => translations.rows(storyId, language),

    /** Per unit: its row, and for an outdated one what changed in its source, word by word. */
    async editor(storyId: number, language: string, sourceLanguage: string) {
      const rows = await translations.rows(storyId, language);
      const done = rows.filter((row) => row.state === 'approved').length;
      const diffs: Record<string, WordChange[]> = {};
      for (const row of rows)
        if (row.previousSource !== null)
          diffs[row.id] = wordDiff(plainText(row.previousSource), plainText(row.source), sourceLanguage);
      const pairs = machine ? await machine.pairs() : [];
      return {
        rows,
        diffs,
        percent: percentDone(done, rows.length),
        machine: machine
          ? pairs.some((pair) => pair.source === sourceLanguage && pair.target === language)
            ? ('available' as const)
            : ('no-pair' as const)
          : ('off' as const),
        engine: machine?.name ?? null,
      };
    },

    /** A unit checked and saved with compare-and-set; `sourceLanguage` is the story's. */
    async save(input: UnitSave, sourceLanguage: string): Promise<SaveUnitResult> {
      const [[unit], glossary] = await Promise.all([
        translations.rows(input.storyId, input.language, [input.unitId]),
        translations.glossary(sourceLanguage, input.language),
      ]);
      if (!unit) return { ok: false, reason: 'missing' };
      const problems = unitProblems(unit, input.text, glossary);
      if (problems.some((problem) => problem.severity === 'error'))
        return { ok: false, reason: 'invalid', problems: problems.filter((problem) => problem.severity === 'error') };
      const origin = /^(human|memory|machine:[a-z-]+)$/.test(input.origin) ? input.origin : 'human';
      const result = await translations.save({ ...input, origin }, unit);
      if (!result.ok) return result;
      return { ok: true, unit: result.unit, warnings: problems };
    },

    /**
     * The stories to translate into `language` for one person, what waits on them first: units sent
     * back to them, their translations a source edit outdated, units awaiting their review; then
     * stories under way, then those not started. Fully translated stories are left out.
     */
    async workList(language: string, userId: number, canReview: boolean, chain: readonly string[]) {
      const found = (await translations.workList(language, userId)).filter((row) => row.approved < row.total);
      const titles = await stories.texts(
        found.map((row) => row.storyId),
        [...new Set([...chain, ...found.map((row) => row.sourceLanguage)])],
      );
      return found.map((row) => {
        const text = [...chain, row.sourceLanguage]
          .map((code) => titles.find((t) => t.storyId === row.storyId && t.language === code))
          .find(Boolean);
        const waiting = row.sentBackToMe > 0 || row.mineOutdated > 0 || (canReview && row.review > 0);
        const started = row.approved + row.review + row.drafts + row.outdated > 0;
        return {
          ...row,
          title: text?.title ?? row.slug,
          titleLanguage: text?.language ?? null,
          percent: percentDone(row.approved, row.total),
          priority: waiting ? 0 : started ? 1 : 2,
        };
      });
    },

    /** The glossary of a language pair, for the editor. */
    glossary: (sourceLanguage: string, targetLanguage: string) => translations.glossary(sourceLanguage, targetLanguage),

    review: translations.review,
    history: translations.history,
    comments: translations.comments,

    /** A comment on a unit; `viaToken` names the personal API token it comes through, if any. */
    async addComment(
      storyId: number,
      language: string,
      unitId: string,
      userId: number,
      body: string,
      viaToken: TokenAttribution | null = null,
    ) {
      const text = body.trim();
      if (!text) return { ok: false as const, error: 'empty' as const };
      if (text.length > UNIT_TEXT_LIMIT) return { ok: false as const, error: 'too-long' as const };
      const [unit] = await translations.rows(storyId, language, [unitId]);
      if (!unit) return { ok: false as const, error: 'missing' as const };
      await translations.addComment(storyId, language, unitId, userId, text, viaToken);
      return { ok: true as const, comments: await translations.comments(storyId, language, unitId) };
    },

    /** Memory matches for any text (a subtitle cue), best first: 100 for the same text, shown from 75. */
    async lookup(sourceLanguage: string, targetLanguage: string, text: string): Promise<MemoryMatch[]> {
      if (!text.trim()) return [];
      const candidates = await translations.memoryCandidates(sourceLanguage, targetLanguage, text, 30);
      return scoreMatches(text, candidates, 75).slice(0, 5);
    },

    /** Memory matches for a unit, best first: 100 for the same text, shown from 75. */
    async memory(storyId: number, unitId: string, language: string): Promise<MemoryMatch[] | null> {
      const [unit] = await translations.rows(storyId, language, [unitId]);
      if (!unit) return null;
      const sourceLanguage = await sourceLanguageOf(storyId);
      const candidates = await translations.memoryCandidates(sourceLanguage, language, unit.source, 30);
      return scoreMatches(unit.source, candidates, 75).slice(0, 5);
    },

    /** A machine suggestion for a unit; never saved by itself (the translator accepts it, and the save says where it came from). */
    async machine(storyId: number, unitId: string, language: string): Promise<MachineResult | null> {
      const [unit] = await translations.rows(storyId, language, [unitId]);
      if (!unit) return null;
      if (!machine)
        return { ok: false, reason: 'unavailable', message: 'No machine translation engine is configured.' };
      return machine.translate(unit.source, await sourceLanguageOf(storyId), language);
    },
  };
}
export type TranslationService = ReturnType<typeof translationService>;
