import type { Cue, ParseResult } from './cue.ts';

/** Reads YouTube SubViewer (.sbv) text. */
export function parseSBV(text: string): ParseResult {
  throw new Error(`not written yet (${text.length})`);
}

/** Writes cues as YouTube SubViewer (.sbv). */
export function writeSBV(cues: readonly Cue[]): string {
  throw new Error(`not written yet (${cues.length})`);
}
