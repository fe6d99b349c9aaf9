import { reactive } from 'vue';
import {
  machineSuggestion,
  memoryMatches,
  type MachineAnswer,
  type MachineAvailability,
  type MemoryMatch,
  type TranslationUnit,
} from './api.ts';
import type { TranslateBoot } from './boot.ts';

// Suggestions for the unit being translated: translation memory matches and a machine translation,
// asked for when the unit becomes active and kept per source version. The engine may be slow or
// gone; every state is shown, none blocks typing, and nothing is saved unless the translator
// accepts a suggestion and then saves.

export type MachineState =
  | { state: 'loading' }
  | { state: 'ready'; text: string; engine: string }
  | { state: 'failed'; reason: 'off' | Extract<MachineAnswer, { ok: false }>['reason'] };

export interface UnitSuggestions {
  memory: { state: 'loading' | 'ready' | 'failed'; matches: MemoryMatch[] };
  machine: MachineState;
}

const keyOf = (unit: TranslationUnit) => `${unit.id}@${unit.sourceVersion}`;

export function useSuggestions(boot: TranslateBoot, availability: () => MachineAvailability) {
  const byUnit = reactive<Record<string, UnitSuggestions>>({});
  const machineWaits = new Map<string, Promise<MachineState>>();

  function machineFor(unit: TranslationUnit): Promise<MachineState> {
    const key = keyOf(unit);
    const entry = byUnit[key]!;
    const available = availability();
    if (available !== 'available') {
      entry.machine = { state: 'failed', reason: available === 'off' ? 'off' : 'no-pair' };
      return Promise.resolve(entry.machine);
    }
    let waiting = machineWaits.get(key);
    if (!waiting) {
      entry.machine = { state: 'loading' };
      waiting = machineSuggestion(boot, unit.id).then((answer): MachineState => {
        const state: MachineState = answer.ok
          ? { state: 'ready', text: answer.text, engine: answer.engine }
          : { state: 'failed', reason: answer.reason };
        byUnit[key]!.machine = state;
        // A failure may pass: asking again (Alt+Shift+M, or the button) tries anew.
        if (!answer.ok) machineWaits.delete(key);
        return state;
      });
      machineWaits.set(key, waiting);
    }
    return waiting;
  }

  return {
    /** What is known of a unit's suggestions so far (for showing; asks for nothing). */
    peek: (unit: TranslationUnit): UnitSuggestions | undefined => byUnit[keyOf(unit)],
    /** The suggestions of a unit, asked for on first use. */
    load(unit: TranslationUnit): UnitSuggestions {
      const key = keyOf(unit);
      if (!byUnit[key]) {
        byUnit[key] = { memory: { state: 'loading', matches: [] }, machine: { state: 'loading' } };
        void memoryMatches(boot, unit.id).then((answer) => {
          byUnit[key]!.memory = answer.ok
            ? { state: 'ready', matches: answer.value.matches }
            : { state: 'failed', matches: [] };
        });
        void machineFor(unit);
      }
      return byUnit[key]!;
    },
    /** The machine suggestion, asked again if it failed before. */
    machine(unit: TranslationUnit): Promise<MachineState> {
      this.load(unit);
      return machineFor(unit);
    },
  };
}
export type Suggestions = ReturnType<typeof useSuggestions>;
