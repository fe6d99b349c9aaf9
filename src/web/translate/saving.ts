import type { Ref, ShallowRef } from 'vue';
import { isolate, type Translate } from './messages.ts';
import { saveUnit, type TranslationUnit } from './api.ts';
import type { TranslateBoot } from './boot.ts';
import type { UnitEdit } from './drafts.ts';
import { problemsOf } from './problems.ts';
import type { RowStatus, UnitConflict } from './units.ts';

// Saving one unit: checked here first (errors never leave the browser), then sent with the revision
// and source version the work started from. A conflict keeps both versions for the merge; a refusal
// shows the server's problems; a lost connection keeps the edit (and its kept draft) to try again.

interface SavingContext {
  boot: TranslateBoot;
  t: Translate;
  formatNumber: (value: number) => string;
  units: ShallowRef<TranslationUnit[]>;
  edits: Ref<Record<string, UnitEdit>>;
  statuses: Ref<Record<string, RowStatus>>;
  conflicts: Ref<Record<string, UnitConflict & { state: 'draft' | 'review' }>>;
  numberOf: Readonly<Ref<Map<string, number>>>;
  announce: (message: string) => void;
  replaceUnit: (unit: TranslationUnit) => void;
  focusUnit: (id: string) => void;
}

const KNOWN_ORIGIN = /^(human|memory|machine:[a-z-]+)$/;

export function useSaving(context: SavingContext) {
  const { t, edits, statuses, conflicts, announce } = context;
  const number = (id: string) => context.formatNumber(context.numberOf.value.get(id) ?? 0);
  const statusOf = (id: string) => (statuses.value[id] ??= { saving: false, refused: [], failed: null });

  /**
   * Saves the unit as it stands here (its edit, or its saved text to confirm or send it on):
   * 'blocked' when it cannot go (empty, errors, a merge waiting, a save under way), else 'sent'
   * and the answer arrives later.
   */
  function save(unit: TranslationUnit, state: 'draft' | 'review'): 'blocked' | 'sent' {
    const n = number(unit.id);
    if (conflicts.value[unit.id]) {
      announce(t('translate-resolve-first'));
      return 'blocked';
    }
    const status = statusOf(unit.id);
    if (status.saving) return 'blocked';
    const edit = edits.value[unit.id];
    const text = edit?.text ?? unit.text;
    // Unchanged, a save only confirms an outdated translation or sends a draft on: an approved one is never demoted by a habit of Ctrl+S.
    const confirms = unit.state === 'outdated' || (unit.state === 'draft' && state === 'review');
    if (text === unit.text && !confirms) {
      announce(t('translate-nothing-to-save', n));
      return 'blocked';
    }
    if (!text.trim()) {
      announce(t('translate-empty-not-saved', n));
      return 'blocked';
    }
    const errors = problemsOf(unit, text).filter((problem) => problem.severity === 'error');
    if (errors.length) {
      announce(t('translate-fix-errors', n, context.formatNumber(errors.length), errors.length));
      return 'blocked';
    }
    status.saving = true;
    status.failed = null;
    const origin = edit?.origin ?? (KNOWN_ORIGIN.test(unit.origin ?? '') ? unit.origin! : 'human');
    void saveUnit(context.boot, unit.id, {
      baseRevision: edit?.baseRevision ?? unit.revision,
      sourceVersion: edit?.sourceVersion ?? unit.sourceVersion,
      text,
      state,
      origin,
    }).then((outcome) => {
      const status = statusOf(unit.id);
      status.saving = false;
      if (outcome.kind === 'saved') {
        status.refused = [];
        context.replaceUnit(outcome.unit);
        const now = edits.value[unit.id];
        // Typed on while the save was under way: that is an edit of the revision just saved.
        if (now && now.text === text) delete edits.value[unit.id];
        else if (now)
          edits.value[unit.id] = {
            ...now,
            baseRevision: outcome.unit.revision,
            sourceVersion: outcome.unit.sourceVersion,
          };
        announce(t(state === 'review' ? 'translate-saved-review' : 'translate-saved-draft', n));
      } else if (outcome.kind === 'conflict') {
        conflicts.value[unit.id] = { code: outcome.code, current: outcome.current, state };
        announce(t('translate-conflict-announce', n));
      } else if (outcome.kind === 'refused') {
        status.refused = outcome.problems;
        announce(t('translate-refused', n));
      } else {
        status.failed = outcome.message;
        announce(t('translate-save-failed-announce', n, isolate(outcome.message)));
      }
    });
    return 'sent';
  }

  /** The translator's choice in a unit's merge: their version, this one saved over it, or this one to edit further. */
  function resolve(unit: TranslationUnit, choice: 'theirs' | 'mine' | 'edit') {
    const conflict = conflicts.value[unit.id];
    if (!conflict) return;
    const mine = edits.value[unit.id] ?? { text: unit.text, origin: 'human' };
    delete conflicts.value[unit.id];
    context.replaceUnit(conflict.current);
    if (choice === 'theirs') {
      delete edits.value[unit.id];
      announce(t('translate-merge-took-theirs', number(unit.id)));
    } else {
      // Now based on their revision and the current source: saving it is a choice, not an accident.
      edits.value[unit.id] = {
        text: mine.text,
        origin: mine.origin,
        baseRevision: conflict.current.revision,
        sourceVersion: conflict.current.sourceVersion,
      };
    }
    context.focusUnit(unit.id);
    if (choice === 'mine') save(conflict.current, conflict.state);
  }

  return { save, resolve };
}
