import type { Cue, ParseResult } from './cue.ts';

/** Reads TTML / DFXP text. */
export function parseTTML(text: string): ParseResult {
  throw new Error(`not written yet (${text.length})`);
}

/** Writes cues as TTML. */
export function writeTTML(cues: readonly Cue[], options: { language?: string } = {}): string {
  throw new Error(`not written yet (${cues.length} ${options.language})`);
}
