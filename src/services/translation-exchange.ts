import { createHash } from 'node:crypto';
import type { Repositories } from '../store/repositories/index.ts';
import type { Placeholder } from '../domain/stories/placeholders.ts';
import type {
  ExchangeDocument,
  ExchangeMarker,
  ExchangeProblem,
  ExchangeState,
} from '../domain/translation/exchange.ts';
import { markersIn } from '../domain/translation/exchange.ts';
import { readPo, writePo } from '../domain/translation/po.ts';
import { readXliff, writeXliff } from '../domain/translation/xliff.ts';
import type { TranslationState, UnitRow } from '../domain/translation/unit-row.ts';
import { unitProblems } from '../domain/translation/unit-checks.ts';

// A story's translation as files for desktop tools (XLIFF 2.0, Gettext PO), and back. What comes
// back is checked unit by unit against the story as it is now — the right story and language, ids
// it has, the source each translation was made from, the checks a save runs — and stored as drafts
// credited to the importer only if every unit passes: a refused file changes nothing.

export type ExchangeFormat = 'xliff' | 'po';

/** Why one unit of an imported file was refused. */
export interface ImportRefusal {
  unit: string | null;
  reason:
    | 'file'
    | 'other-story'
    | 'other-language'
    | 'unknown-unit'
    | 'stale-source'
    | 'invalid-translation'
    | 'changed-since';
  detail: string;
}

export type ImportResult =
  | { ok: true; saved: number; unchanged: number }
  | { ok: false; problems: ExchangeProblem[] }
  | { ok: false; refusals: ImportRefusal[] };

const STATE_OUT: Record<TranslationState, ExchangeState> = {
  untranslated: 'initial',
  draft: 'translated',
  review: 'translated',
  approved: 'final',
  outdated: 'initial',
};

/** A token of a unit's source as exported: its version and a digest of its text. */
const versionToken = (row: UnitRow) =>
  `${row.sourceVersion}:${createHash('sha256').update(row.source).digest('hex').slice(0, 12)}`;

function markersOf(source: string, placeholders: readonly Placeholder[]): Record<number, ExchangeMarker> {
  const markers: Record<number, ExchangeMarker> = {};
  for (const index of markersIn(source)) {
    const placeholder = placeholders[index];
    if (!placeholder) continue;
    const [kind, role] = placeholder.kind.split('-') as [string, 'open' | 'close'];
    markers[index] = { role, label: placeholder.kind === 'link-open' ? `link ${placeholder.href}` : kind! };
  }
  return markers;
}

export function translationExchange(repositories: Repositories) {
  const { translations } = repositories;

  async function document(story: { id: number; slug: string; sourceLanguage: string }, language: string) {
    const rows = await translations.rows(story.id, language);
    const document: ExchangeDocument = {
      story: story.slug,
      sourceLanguage: story.sourceLanguage,
      targetLanguage: language,
      sourceVersion: Object.fromEntries(rows.map((row) => [row.id, versionToken(row)])),
      units: rows.map((row) => {
        const markers = markersOf(row.source, row.placeholders);
        // A target whose markers its source lacks cannot be written (it could not be saved either).
        const fits = markersIn(row.text).every((index) => index in markers);
        return {
          id: row.id,
          source: row.source,
          target: fits ? row.text : '',
          markers,
          state: STATE_OUT[row.state],
          ...(row.state === 'outdated' && row.previousSource !== null
            ? { note: 'Outdated: the source sentence changed since this was translated.' }
            : {}),
        };
      }),
    };
    return { document, rows };
  }

  return {
    /** The translation as a file; the name says what it is. */
    async export(
      story: { id: number; slug: string; sourceLanguage: string },
      language: string,
      format: ExchangeFormat,
    ) {
      const { document: written } = await document(story, language);
      return {
        body: format === 'xliff' ? writeXliff(written) : writePo(written),
        filename: `${story.slug}.${language}.${format === 'xliff' ? 'xlf' : 'po'}`,
        contentType:
          format === 'xliff' ? 'application/xliff+xml; charset=utf-8' : 'text/x-gettext-translation; charset=utf-8',
      };
    },

    /** Reads a file back; stores every changed translation as a draft by `userId`, or nothing. */
    async import(
      story: { id: number; slug: string; sourceLanguage: string },
      language: string,
      text: string,
      userId: number,
    ): Promise<ImportResult> {
      const format: ExchangeFormat = /^\s*(<\?xml|<xliff)/.test(text.replace(/^\uFEFF/, '')) ? 'xliff' : 'po';
      const read = format === 'xliff' ? readXliff(text) : readPo(text);
      if ('problems' in read) return { ok: false, problems: read.problems };
      const file = read.document;
      if (file.story !== story.slug)
        return { ok: false, refusals: [{ unit: null, reason: 'other-story', detail: file.story }] };
      if (file.targetLanguage.toLowerCase() !== language.toLowerCase())
        return { ok: false, refusals: [{ unit: null, reason: 'other-language', detail: file.targetLanguage }] };
      const { rows } = await document(story, language);
      const byId = new Map(rows.map((row) => [row.id, row]));
      const refusals: ImportRefusal[] = [];
      const saves = [];
      let unchanged = 0;
      for (const unit of file.units) {
        const row = byId.get(unit.id);
        if (!row) {
          refusals.push({ unit: unit.id, reason: 'unknown-unit', detail: '' });
          continue;
        }
        if (file.sourceVersion[unit.id] !== versionToken(row)) {
          refusals.push({ unit: unit.id, reason: 'stale-source', detail: row.source });
          continue;
        }
        if (!unit.target.trim() || unit.target === row.text) {
          unchanged++;
          continue;
        }
        const errors = unitProblems(row, unit.target).filter((problem) => problem.severity === 'error');
        if (errors.length) {
          refusals.push({ unit: unit.id, reason: 'invalid-translation', detail: errors.map((e) => e.code).join(', ') });
          continue;
        }
        saves.push({
          storyId: story.id,
          unitId: row.id,
          language,
          baseRevision: row.revision,
          sourceVersion: row.sourceVersion,
          text: unit.target,
          state: 'draft' as const,
          origin: 'import',
          userId,
        });
      }
      if (refusals.length) return { ok: false, refusals };
      const failed = await translations.saveAll(saves);
      if (failed.length)
        return { ok: false, refusals: failed.map((unit) => ({ unit, reason: 'changed-since' as const, detail: '' })) };
      return { ok: true, saved: saves.length, unchanged };
    },
  };
}
export type TranslationExchange = ReturnType<typeof translationExchange>;
