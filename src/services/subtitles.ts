import {
  decodeSubtitleBytes,
  detectFormat,
  parseSubtitles,
  writeSRT,
  writeWebVTT,
  type Cue,
  type SubtitleProblem,
} from '../domain/subtitles/index.ts';
import { countChangedCues, diffCues, type CueOperation } from '../domain/subtitles/diff.ts';
import { checkCueList, percentFilled, type CueListProblem } from '../domain/subtitles/editing.ts';
import {
  applySplices,
  checkSplices,
  countSplicedCues,
  splicesBetween,
  type CueSplice,
  type SpliceProblem,
} from '../domain/subtitles/changes.ts';
import { pickLanguage } from '../domain/languages/localize.ts';
import type { TokenAttribution } from '../domain/access/scopes.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { SubtitleStatus } from '../domain/subtitles/track.ts';
import type { WorkingCopy } from '../store/repositories/subtitles.ts';
import type {
  SubtitleReview,
  SubtitleRevision,
  SubtitleTrack,
  SubtitleTrackSummary,
} from '../domain/subtitles/track.ts';

/** The largest subtitle file taken: a 100,000-cue track of two-line cues in UTF-16. */
export const MAX_SUBTITLE_BYTES = 20 * 1000 * 1000;

export type SubtitleUploadResult = { ok: true; track: SubtitleTrack } | { ok: false; problems: SubtitleProblem[] };
/** A save from the editor: the whole cue list, or the splices that change the base revision into it. */
export type TrackSaveInput = {
  storyId: number;
  language: string;
  baseRevision: number;
  userId: number;
  /** The personal API token the save comes through, if any: recorded with the revision. */
  viaToken?: TokenAttribution | null;
  summary?: string;
  sourceLanguage?: string | null;
  /** The source revision the translator had beside them (default: the source's current one). */
  sourceRevision?: number | null;
} & ({ cues: Cue[] } | { splices: CueSplice[] });
export type TrackSaveResult =
  | { ok: true; track: SubtitleTrack }
  | { ok: false; conflict: { revision: number; cues: Cue[]; userName: string; bot: boolean; savedAt: Date } }
  | { ok: false; problems: CueListProblem[] }
  | { ok: false; spliceProblems: SpliceProblem[] };

/** How many cues of working copies a server keeps in memory for the next save, in all (a cue is a few hundred bytes). */
const KEPT_CUES = 100_000;
/** A track longer than this is read from the database at each save rather than crowd out the others. */
const KEPT_TRACK_CUES = 20_000;
export interface EditorState {
  track: Pick<
    SubtitleTrack,
    'id' | 'revision' | 'status' | 'cues' | 'sourceLanguage' | 'sourceRevision' | 'publishedRevision'
  > | null;
  source: { language: string; revision: number; cues: Cue[] } | null;
  review: { decision: SubtitleReview['decision']; comment: string; userName: string; bot: boolean; at: Date } | null;
}
export interface TrackProgress extends SubtitleTrackSummary {
  percent: number;
  sourceChanged: boolean;
}
export type ReviewDecision = SubtitleReview['decision'];
/** One story in a translator's list: their language's track (null: not started), the track to translate from, the latest review. */
export interface TranslationQueueItem {
  slug: string;
  title: string;
  track: TrackProgress | null;
  source: { language: string; cueCount: number } | null;
  review: Pick<SubtitleReview, 'decision' | 'comment'> | null;
  /** 0 sent back, 1 draft or outdated, 2 not started, 3 in review, 4 approved. */
  rank: number;
}
/** moved: the track was saved or reviewed by someone else since the page showed it. */
export type ReviewOutcome = 'done' | 'moved' | 'no_track' | 'comment_needed';

/** How complete a track is (cues with text, in per cent) and whether its source changed since it was translated. */
function withProgress(track: SubtitleTrackSummary, tracks: readonly SubtitleTrackSummary[]): TrackProgress {
  const source = track.sourceLanguage ? tracks.find((other) => other.language === track.sourceLanguage) : undefined;
  return {
    ...track,
    percent: percentFilled(track.filledCount, track.cueCount),
    sourceChanged: Boolean(source && track.sourceRevision !== null && source.revision > track.sourceRevision),
  };
}

/** Subtitle tracks: checked uploads, compare-and-set saves from the editor, review, history and the files viewers get. */
export function subtitlesService(repositories: Repositories) {
  const { subtitles } = repositories;
  // The working copy each recent save left, by story and language: the next save from the same
  // editor applies to it without reading the cues back. It is used only while the stored row is still
  // that version (the save is conditional on it), so another server's save or a review makes it a miss.
  const workingCopies = new Map<string, WorkingCopy>();
  let keptCues = 0;
  function forgetWorkingCopy(key: string) {
    keptCues -= workingCopies.get(key)?.cues.length ?? 0;
    workingCopies.delete(key);
  }
  function keepWorkingCopy(key: string, copy: WorkingCopy) {
    forgetWorkingCopy(key);
    if (copy.cues.length > KEPT_TRACK_CUES) return;
    workingCopies.set(key, copy);
    keptCues += copy.cues.length;
    // The least recently saved go first.
    for (const oldest of workingCopies.keys()) {
      if (keptCues <= KEPT_CUES) break;
      forgetWorkingCopy(oldest);
    }
  }

  async function published(
    storyId: number,
    language: string,
  ): Promise<{ revision: number; cues: Cue[]; id: number } | null> {
    const track = await subtitles.find(storyId, language);
    return track?.publishedRevision && track.publishedCues
      ? { revision: track.publishedRevision, cues: track.publishedCues, id: track.id }
      : null;
  }

  async function findTrack(storyId: number, language: string): Promise<SubtitleTrack | null> {
    return (await subtitles.find(storyId, language)) ?? null;
  }

  async function review(
    storyId: number,
    language: string,
    revision: number,
    decision: ReviewDecision,
    from: SubtitleStatus[],
    userId: number,
    comment: string,
  ): Promise<ReviewOutcome> {
    const track = await subtitles.head(storyId, language);
    if (!track) return 'no_track';
    const outcome = await subtitles.review(track.id, revision, decision, from, userId, comment.trim().slice(0, 2000));
    if (outcome === 'done' && decision === 'approved') await rememberCues(storyId, language);
    return outcome;
  }

  /**
   * An approved translated track goes into the translation memory, cue by cue: each cue paired with
   * the source cue at the same times (a translation keeps its source's timing; re-timed cues pair
   * with nothing and are left out).
   */
  async function rememberCues(storyId: number, language: string) {
    const track = await findTrack(storyId, language);
    if (!track?.sourceLanguage || !track.publishedCues) return;
    const source = await findTrack(storyId, track.sourceLanguage);
    const sourceCues = source?.publishedCues ?? source?.cues ?? [];
    const at = new Map(sourceCues.map((cue) => [`${cue.startTime}-${cue.endTime}`, cue.text]));
    await repositories.translations.remember(
      track.publishedCues.flatMap((cue) => {
        const original = at.get(`${cue.startTime}-${cue.endTime}`);
        return original && cue.text.trim()
          ? [
              {
                source: original,
                target: cue.text,
                sourceLanguage: track.sourceLanguage!,
                targetLanguage: language,
                origin: `subtitles:${storyId}:${language}`,
              },
            ]
          : [];
      }),
    );
  }

  return {
    /** A language's subtitle limits in force (its defaults, changed by an admin). */
    limits: (language: string) => repositories.languages.subtitleLimits(language),

    /** Reads a subtitle file of any supported format; stores it as a new revision only when the file has no errors. */
    async upload(
      storyId: number,
      language: string,
      bytes: Uint8Array,
      fileName: string,
      userId: number,
    ): Promise<SubtitleUploadResult> {
      const decoded = decodeSubtitleBytes(bytes);
      if ('problem' in decoded) return { ok: false, problems: [decoded.problem] };
      const result = parseSubtitles(decoded.text, detectFormat(decoded.text, fileName));
      const errors = result.problems.filter((problem) => problem.severity === 'error');
      // A file without a single cue is refused too: every reader reports it as the error no_cues.
      if (errors.length) return { ok: false, problems: result.problems };
      // What the editor could not save is not taken from a file either (a cue is named by its number: the readers keep no lines per cue).
      const limits = checkCueList(result.cues);
      if (limits.length) {
        return {
          ok: false,
          problems: limits.map((problem) => ({
            line: 0,
            column: 0,
            cue: problem.cue + 1,
            code: problem.code,
            severity: 'error',
            message: problem.message,
          })),
        };
      }
      const current = await subtitles.workingCopy(storyId, language);
      const track = await subtitles.save({
        storyId,
        language,
        cues: result.cues,
        userId,
        summary: `uploaded ${fileName.slice(0, 100)}`,
        changedCues: countChangedCues(current?.cues ?? [], result.cues),
      });
      return { ok: true, track };
    },

    /**
     * Saves the editor's cues (whole, or as splices of the base revision) if the track is still at
     * `baseRevision`; otherwise returns the current version to merge with. Nothing is stored unless
     * every cue of the result is valid.
     */
    async save(input: TrackSaveInput): Promise<TrackSaveResult> {
      if ('cues' in input) {
        const problems = checkCueList(input.cues);
        if (problems.length) return { ok: false, problems };
      }
      // A save made beside a source records which revision of it the translation now follows, so
      // "source changed since" clears once a translator has worked against the newer source.
      let source: { language: string; revision: number } | null = null;
      if (input.sourceLanguage && input.sourceLanguage !== input.language) {
        const sourceTrack = await subtitles.head(input.storyId, input.sourceLanguage);
        const seen =
          input.sourceRevision && input.sourceRevision > 0
            ? Math.min(input.sourceRevision, sourceTrack?.revision ?? 0)
            : sourceTrack?.revision;
        if (sourceTrack && seen) source = { language: input.sourceLanguage, revision: seen };
      }
      const key = `${input.storyId}|${input.language}`;
      // First from the copy kept in memory (if any), then, should the row have changed under it, from the database.
      for (const kept of [workingCopies.get(key), undefined]) {
        const fromMemory = kept !== undefined && kept.revision === input.baseRevision;
        const base = fromMemory ? kept : await subtitles.workingCopy(input.storyId, input.language);
        if (base && base.revision !== input.baseRevision) break;
        const before = base?.cues ?? [];
        let cues: Cue[];
        let splices: CueSplice[];
        if ('splices' in input) {
          const spliceProblems = checkSplices(before.length, input.splices);
          if (spliceProblems.length) return { ok: false, spliceProblems };
          cues = applySplices(before, input.splices);
          const problems = checkCueList(cues);
          if (problems.length) return { ok: false, problems };
          splices = input.splices;
        } else {
          cues = input.cues;
          splices = splicesBetween(before, cues);
        }
        const saved = await subtitles.saveIfCurrent(
          {
            storyId: input.storyId,
            language: input.language,
            cues,
            splices,
            userId: input.userId,
            viaToken: input.viaToken ?? null,
            summary: (input.summary ?? '').slice(0, 200),
            changedCues: countSplicedCues(before, splices),
            source,
          },
          input.baseRevision,
          base?.version,
        );
        if (saved) {
          keepWorkingCopy(key, { id: saved.id, revision: saved.revision, cues, version: saved.version });
          return { ok: true, track: saved };
        }
        forgetWorkingCopy(key);
        if (!fromMemory) break;
      }
      const now = await subtitles.find(input.storyId, input.language);
      if (!now)
        return { ok: false, conflict: { revision: 0, cues: [], userName: '', bot: false, savedAt: new Date() } };
      const author = await subtitles.revisionAuthor(now.id, now.revision);
      return {
        ok: false,
        conflict: {
          revision: now.revision,
          cues: now.cues,
          userName: author?.userName ?? '',
          bot: author?.bot ?? false,
          savedAt: author?.savedAt ?? now.updatedAt,
        },
      };
    },

    /** What the editor opens with: the track, the source it is translated from (named, or recorded), the latest review. */
    async editorState(storyId: number, language: string, sourceLanguage?: string): Promise<EditorState> {
      const track = await findTrack(storyId, language);
      const sourceCode = sourceLanguage ?? track?.sourceLanguage ?? null;
      const sourceTrack = sourceCode ? await findTrack(storyId, sourceCode) : null;
      const review = track ? await subtitles.latestReview(track.id) : undefined;
      return {
        track: track && {
          id: track.id,
          revision: track.revision,
          status: track.status,
          cues: track.cues,
          sourceLanguage: track.sourceLanguage,
          sourceRevision: track.sourceRevision,
          publishedRevision: track.publishedRevision,
        },
        source: sourceTrack && {
          language: sourceTrack.language,
          revision: sourceTrack.revision,
          cues: sourceTrack.cues,
        },
        review: review
          ? {
              decision: review.decision,
              comment: review.comment,
              userName: review.userName ?? '',
              bot: review.bot,
              at: review.at,
            }
          : null,
      };
    },

    /** A translator or editor sends a draft for review. */
    submitForReview: (storyId: number, language: string, revision: number, userId: number) =>
      review(storyId, language, revision, 'submitted', ['draft'], userId, ''),
    /** A reviewer approves a draft or a track in review: viewers get this revision from now on. */
    approve: (storyId: number, language: string, revision: number, userId: number, comment = '') =>
      review(storyId, language, revision, 'approved', ['draft', 'in_review'], userId, comment),
    /** A reviewer sends a track in review back to its translators, saying what needs changing. */
    sendBack: (storyId: number, language: string, revision: number, userId: number, comment: string) =>
      comment.trim()
        ? review(storyId, language, revision, 'sent_back', ['in_review'], userId, comment)
        : Promise.resolve<ReviewOutcome>('comment_needed'),

    async history(
      storyId: number,
      language: string,
    ): Promise<{ track: SubtitleTrack; revisions: SubtitleRevision[]; review: SubtitleReview | null } | null> {
      const track = await subtitles.find(storyId, language);
      if (!track) return null;
      const [revisions, review] = await Promise.all([subtitles.revisions(track.id), subtitles.latestReview(track.id)]);
      return { track, revisions, review: review ?? null };
    },

    /** The cue-by-cue difference between two revisions; null when either does not exist. */
    async diff(storyId: number, language: string, from: number, to: number): Promise<CueOperation[] | null> {
      const track = await subtitles.find(storyId, language);
      if (!track) return null;
      const [before, after] = await Promise.all([
        subtitles.revisionCues(track.id, from),
        subtitles.revisionCues(track.id, to),
      ]);
      return before && after ? diffCues(before, after) : null;
    },

    /** Makes an old revision current again, as a new revision (history is never rewritten). */
    async rollback(storyId: number, language: string, revision: number, userId: number): Promise<SubtitleTrack | null> {
      const track = await subtitles.find(storyId, language);
      const cues = track && (await subtitles.revisionCues(track.id, revision));
      if (!track || !cues) return null;
      const saved = await subtitles.saveIfCurrent(
        {
          storyId,
          language,
          cues,
          userId,
          summary: `rollback to revision ${revision}`,
          changedCues: countChangedCues(track.cues, cues),
        },
        track.revision,
      );
      return saved ?? null;
    },

    /** Every track of a story with how complete it is: a translation's cues with text, in per cent, and whether its source changed since. */
    async progress(storyId: number): Promise<TrackProgress[]> {
      const tracks = await subtitles.listForStory(storyId);
      return tracks.map((track) => withProgress(track, tracks));
    },

    /**
     * What a translator into `language` can work on: every story with a complete track in another
     * language to translate from, or a track in `language` already, with where that track stands.
     * Work waiting on the translator comes first (sent back, drafts, outdated), then what is not
     * started, then what waits for review, then what is approved. Titles in `interfaceLanguage`.
     */
    async translationQueue(language: string, interfaceLanguage: string): Promise<TranslationQueueItem[]> {
      const byStory = new Map<number, Awaited<ReturnType<typeof subtitles.listAll>>>();
      for (const track of await subtitles.listAll(interfaceLanguage)) {
        const tracks = byStory.get(track.storyId);
        if (tracks) tracks.push(track);
        else byStory.set(track.storyId, [track]);
      }
      const items: TranslationQueueItem[] = [];
      for (const tracks of byStory.values()) {
        const mine = tracks.find((track) => track.language === language);
        const complete = tracks.filter(
          (track) => track.language !== language && track.cueCount > 0 && track.filledCount === track.cueCount,
        );
        const source =
          complete.find((track) => track.language === mine?.sourceLanguage) ??
          [...complete].sort(
            (a, b) =>
              Number(b.publishedRevision !== null) - Number(a.publishedRevision !== null) || b.cueCount - a.cueCount,
          )[0];
        if (!mine && !source) continue;
        const track = mine ? withProgress(mine, tracks) : null;
        const review = mine?.review ?? null;
        const rank = !track
          ? 2
          : track.status === 'draft' || track.sourceChanged
            ? review?.decision === 'sent_back'
              ? 0
              : 1
            : track.status === 'in_review'
              ? 3
              : 4;
        items.push({
          slug: tracks[0]!.slug,
          title: tracks[0]!.title,
          track,
          source: source ? { language: source.language, cueCount: source.cueCount } : null,
          review,
          rank,
        });
      }
      return items.sort((a, b) => a.rank - b.rank);
    },

    /** Publishes the current revision at once (demo content). */
    publishCurrent: (storyId: number, language: string) => subtitles.publishCurrent(storyId, language),
    publishedLanguages: (storyId: number) => subtitles.publishedLanguages(storyId),
    published,
    /** The file a viewer or a tool downloads (the approved revision), or null when none is approved. */
    async file(
      storyId: number,
      language: string,
      format: 'vtt' | 'srt',
    ): Promise<{ body: string; revision: number; id: number } | null> {
      const track = await published(storyId, language);
      if (!track) return null;
      return {
        body: format === 'srt' ? writeSRT(track.cues) : writeWebVTT(track.cues),
        revision: track.revision,
        id: track.id,
      };
    },
    /** The cues to read as a transcript: the reader's language, its fallbacks, then the story's source language. */
    async transcript(
      storyId: number,
      chain: readonly string[],
      sourceLanguage: string,
      publishedLanguages?: string[],
    ): Promise<{ language: string; cues: Cue[] } | null> {
      const languages = publishedLanguages ?? (await subtitles.publishedLanguages(storyId));
      const language = pickLanguage(chain, languages, sourceLanguage);
      if (!language || !languages.includes(language)) return null;
      const track = await published(storyId, language);
      return track ? { language, cues: track.cues } : null;
    },
  };
}
export type SubtitlesService = ReturnType<typeof subtitlesService>;
