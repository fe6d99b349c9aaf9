/** A machine translation offered to a translator as a starting point. */
export interface MachineSuggestion {
  text: string;
  /** Which engine made it ('apertium'), shown beside the suggestion. */
  engine: string;
}

/** Why an engine gave no suggestion. */
export type MachineFailure = 'no-pair' | 'unavailable' | 'timeout' | 'bad-answer';

export type MachineResult =
  { ok: true; suggestion: MachineSuggestion } | { ok: false; reason: MachineFailure; message: string };

/** One direction an engine translates, in the site's language codes ('en' → 'es'). */
export interface LanguagePair {
  source: string;
  target: string;
}

/**
 * A machine translation engine. Codes are the site's (lower-case BCP 47: 'en', 'es', 'sr-latn');
 * placeholder markers ("\uE000N\uE001") come back, each once and in the source's order, or the
 * answer is refused. Nothing here throws: every failure is a MachineResult.
 */
export interface MachineTranslation {
  readonly name: string;
  /** The directions the engine offers now; an empty list when it cannot be reached. */
  pairs(): Promise<LanguagePair[]>;
  translate(text: string, source: string, target: string): Promise<MachineResult>;
}
