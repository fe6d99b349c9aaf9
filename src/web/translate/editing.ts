import type { Ref } from 'vue';
import type { Translate } from './messages.ts';
import type { TranslationUnit } from './api.ts';
import type { UnitEdit } from './drafts.ts';
import type { Suggestions } from './suggestions.ts';
import { adaptMarkers, insertion, sourceTokens, toEditable, type PlaceholderPair } from './tokens.ts';
import type { RowStatus } from './units.ts';

// Changing a unit's translation: typed, a placeholder inserted, a suggestion or the source put in.
// Whatever is put in goes through the browser's own editing (execCommand), so Ctrl+Z undoes it like
// typing; the edit remembers where its text came from for the save.

interface EditingContext {
  t: Translate;
  formatNumber: (value: number) => string;
  edits: Ref<Record<string, UnitEdit>>;
  statuses: Ref<Record<string, RowStatus>>;
  activeId: Ref<string | null>;
  suggestions: Suggestions;
  announce: (message: string) => void;
}

/** The text area of a unit's translation (absent while its merge is open). */
export const textArea = (id: string) => document.getElementById(`translate-text-${id}`) as HTMLTextAreaElement | null;

export function useEditing(context: EditingContext) {
  const { t, formatNumber, edits, suggestions, announce } = context;

  /** The unit's translation is now `text` (with markers), still based on the revision its edit started from. */
  function setText(unit: TranslationUnit, text: string) {
    const prior = edits.value[unit.id];
    edits.value[unit.id] = {
      text,
      // The origin of an accepted suggestion stays with its post-editing; a cleared field starts afresh.
      origin: text.trim() ? (prior?.origin ?? 'human') : 'human',
      baseRevision: prior?.baseRevision ?? unit.revision,
      sourceVersion: prior?.sourceVersion ?? unit.sourceVersion,
    };
    const status = context.statuses.value[unit.id];
    if (status) status.failed = null;
  }

  /** Replaces the unit's whole translation, and records where the new text came from. */
  function fill(unit: TranslationUnit, text: string, origin: string) {
    const field = textArea(unit.id);
    const editable = toEditable(text, sourceTokens(unit.source, unit.placeholders));
    if (field && editable) {
      field.focus();
      field.select();
      if (!document.execCommand('insertText', false, editable)) setText(unit, text);
    } else setText(unit, text);
    edits.value[unit.id]!.origin = origin;
  }

  /** Inserts a placeholder pair's missing token at the cursor, or wraps the selection in the pair. */
  function insertPlaceholder(unit: TranslationUnit, pair: PlaceholderPair | undefined) {
    const field = textArea(unit.id);
    if (!field || !pair) return;
    const change = insertion(field.value, field.selectionStart, field.selectionEnd, pair);
    field.focus();
    if (!change) return announce(t('translate-insert-complete', formatNumber(pair.pair)));
    field.setSelectionRange(change.from, change.to);
    if (!document.execCommand('insertText', false, change.text)) {
      field.setRangeText(change.text, change.from, change.to, 'end');
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }

  /** Puts memory match `number` (from 1) in the field, its markers renumbered for this unit. */
  function useMemory(unit: TranslationUnit, number: number) {
    const match = number <= 5 ? suggestions.peek(unit)?.memory.matches[number - 1] : undefined;
    if (!match) return announce(t('translate-no-match', formatNumber(number)));
    fill(unit, adaptMarkers(match.source, match.target, unit.source), 'memory');
    announce(t('translate-match-used', formatNumber(number), formatNumber(match.score)));
  }

  /** Puts the machine translation in the field, waiting for the engine if it has not answered yet. */
  async function useMachine(unit: TranslationUnit) {
    if (suggestions.peek(unit)?.machine.state !== 'ready') announce(t('translate-machine-loading'));
    const answer = await suggestions.machine(unit);
    if (context.activeId.value !== unit.id) return;
    if (answer.state !== 'ready')
      return announce(t(`translate-machine-${answer.state === 'failed' ? answer.reason : 'loading'}`));
    fill(unit, answer.text, `machine:${answer.engine}`);
    announce(t('translate-machine-used'));
  }

  return { setText, fill, insertPlaceholder, useMemory, useMachine };
}
