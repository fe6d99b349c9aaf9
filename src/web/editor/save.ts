import type { Cue } from '../../domain/subtitles/cue.ts';
import { splicesBetween } from '../../domain/subtitles/changes.ts';

// Saving a track: a PATCH naming the revision the work started from and only the cues changed since
// (a one-cue edit is a few hundred bytes, whatever the track's length). The server refuses a save
// based on an old revision (409) and sends the current version, which the editor then offers to merge.

export type SaveOutcome =
  | { kind: 'saved'; revision: number; status: string }
  | { kind: 'conflict'; revision: number; cues: Cue[]; userName: string; bot: boolean; savedAt: string }
  | { kind: 'refused'; message: string; problems: { cue: number; field: string; message: string }[] }
  | { kind: 'failed'; message: string };

/** Sends the cues; never throws (a lost connection is a 'failed' outcome, the draft stays kept). */
export async function saveTrack(
  url: string,
  csrfToken: string,
  body: {
    baseRevision: number;
    base: readonly Cue[];
    cues: readonly Cue[];
    source: { language: string; revision: number } | null;
  },
): Promise<SaveOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'csrf-token': csrfToken, accept: 'application/json' },
      // The source revision shown beside the translation: the server records that the translation now follows it.
      body: JSON.stringify({
        baseRevision: body.baseRevision,
        splices: splicesBetween(body.base, body.cues),
        ...(body.source ? { sourceLanguage: body.source.language, sourceRevision: body.source.revision } : {}),
      }),
      credentials: 'same-origin',
    });
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, any>;
  if (response.ok) return { kind: 'saved', revision: json.revision, status: json.status };
  if (response.status === 409 && json.current) {
    return {
      kind: 'conflict',
      revision: json.current.revision,
      cues: json.current.cues,
      userName: json.current.userName ?? '',
      bot: json.current.bot === true,
      savedAt: json.current.savedAt ?? '',
    };
  }
  if (response.status === 400)
    return { kind: 'refused', message: json.error?.message ?? '', problems: json.error?.problems ?? [] };
  return { kind: 'failed', message: json.error?.message ?? `HTTP ${response.status}` };
}
