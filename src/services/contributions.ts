import { pickLanguage } from '../domain/languages/localize.ts';
import { percentFilled } from '../domain/subtitles/editing.ts';
import type { SubtitleStatus } from '../domain/subtitles/track.ts';
import { percentDone } from '../domain/translation/unit-row.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { ContributorCounts, StoryCredits } from '../store/repositories/contributions.ts';

export type { StoryCredits, Credit, ContributorCounts } from '../store/repositories/contributions.ts';

/** Stories per page of the coverage matrix: a phone on a slow connection gets a page it can load. */
export const COVERAGE_PAGE_SIZE = 50;

/**
 * One story in one language, in whole per cent (rounded down). `text` is null in the story's own
 * language (its text is the source). `subtitles` is 100 when a published track exists in the
 * language and 0 otherwise: it measures what viewers can watch with, as `text` measures what they
 * can read, so a track still in draft or review counts for nothing yet.
 */
export interface CoverageCell {
  text: number | null;
  subtitles: number;
}
export interface CoverageRow {
  slug: string;
  title: string;
  titleLanguage: string;
  sourceLanguage: string;
  cells: Record<string, CoverageCell>;
}
export interface LanguageProgress {
  language: string;
  published: number;
  units: number;
  percent: number;
}
export interface Coverage {
  rows: CoverageRow[];
  /** Across every story the filter keeps (not only this page's). */
  progress: LanguageProgress[];
  total: number;
  pages: number;
}

/**
 * How far one story is in each language, counted as the coverage matrix counts: a text by its units
 * published (approved, of the current source), subtitles by the track's state, whether viewers have
 * a published revision, and its cues with text (as the subtitle list counts them).
 */
export interface StoryCoverage {
  /** Every language asked for but the story's own. */
  translations: Record<string, { approved: number; units: number; percent: number }>;
  /** Every language asked for, the story's own included; `state` null when there is no track. */
  subtitles: Record<
    string,
    { state: SubtitleStatus | null; published: boolean; cues: number; filled: number; percent: number }
  >;
}

/** A calendar month (UTC), as the contributors' board counts work. */
export interface Month {
  year: number;
  /** 1 to 12. */
  month: number;
}
export const monthKey = (month: Month) =>
  `${String(month.year).padStart(4, '0')}-${String(month.month).padStart(2, '0')}`;
/** "2026-05" as a month; undefined for anything else (and for years before 1970: nobody contributed then). */
export function parseMonth(value: string): Month | undefined {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
  if (!match || Number(match[1]) < 1970) return undefined;
  return { year: Number(match[1]), month: Number(match[2]) };
}
export function shiftMonth(month: Month, by: number): Month {
  const index = month.year * 12 + (month.month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}
const monthStart = (month: Month) => new Date(Date.UTC(month.year, month.month - 1, 1));
const monthOf = (date: Date): Month => ({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 });

export interface Board {
  month: Month;
  previous: Month;
  /** Null from the current month on: the future has no work to show. */
  next: Month | null;
  people: ContributorCounts[];
}

/** Coverage of stories by language, credit on each story, and the monthly contributors' board. */
export function contributionsService(repositories: Repositories) {
  const { contributions, stories, translations, subtitles } = repositories;

  return {
    /** The matrix of published stories (one page, newest first) by `languages`, and each language's progress. */
    async coverage(input: {
      chain: readonly string[];
      languages: readonly string[];
      regionId?: number;
      themeId?: number;
      page: number;
    }): Promise<Coverage> {
      const filter = {
        ...(input.regionId === undefined ? {} : { regionId: input.regionId }),
        ...(input.themeId === undefined ? {} : { themeId: input.themeId }),
      };
      const [listed, progress] = await Promise.all([
        stories.list({
          ...filter,
          publishedOnly: true,
          limit: COVERAGE_PAGE_SIZE,
          offset: (input.page - 1) * COVERAGE_PAGE_SIZE,
        }),
        contributions.languageProgress(filter),
      ]);
      const ids = listed.stories.map((story) => story.id);
      const wanted = new Set([...input.chain, ...listed.stories.map((story) => story.sourceLanguage)]);
      const [texts, coverage, subtitles] = await Promise.all([
        stories.texts(ids, [...wanted]),
        translations.coverage(ids),
        contributions.publishedSubtitles(ids),
      ]);
      const approved = new Map(coverage.languages.map((row) => [`${row.storyId} ${row.language}`, row.approved]));
      const watchable = new Set(subtitles.map((track) => `${track.storyId} ${track.language}`));
      const rows = listed.stories.map((story): CoverageRow => {
        const own = texts.filter((text) => text.storyId === story.id);
        const titleLanguage = pickLanguage(
          input.chain,
          own.map((text) => text.language),
          story.sourceLanguage,
        );
        const units = coverage.units.get(story.id) ?? 0;
        const cells = Object.fromEntries(
          input.languages.map((language): [string, CoverageCell] => [
            language,
            {
              text:
                language === story.sourceLanguage
                  ? null
                  : percentDone(approved.get(`${story.id} ${language}`) ?? 0, units),
              subtitles: watchable.has(`${story.id} ${language}`) ? 100 : 0,
            },
          ]),
        );
        return {
          slug: story.slug,
          title: own.find((text) => text.language === titleLanguage)?.title ?? story.slug,
          titleLanguage: titleLanguage ?? story.sourceLanguage,
          sourceLanguage: story.sourceLanguage,
          cells,
        };
      });
      return {
        rows,
        progress: input.languages.map((language) => {
          const published = progress.published.get(language) ?? 0;
          return { language, published, units: progress.units, percent: percentDone(published, progress.units) };
        }),
        total: listed.total,
        pages: Math.max(1, Math.ceil(listed.total / COVERAGE_PAGE_SIZE)),
      };
    },

    /** One story's coverage in each of `languages` (its text's units and its subtitle tracks). */
    async storyCoverage(
      story: { id: number; sourceLanguage: string },
      languages: readonly string[],
    ): Promise<StoryCoverage> {
      const [coverage, tracks] = await Promise.all([
        translations.coverage([story.id]),
        subtitles.listForStory(story.id),
      ]);
      const units = coverage.units.get(story.id) ?? 0;
      const approved = new Map(coverage.languages.map((row) => [row.language, row.approved]));
      const byLanguage = new Map(tracks.map((track) => [track.language, track]));
      return {
        translations: Object.fromEntries(
          languages
            .filter((language) => language !== story.sourceLanguage)
            .map((language) => {
              const done = approved.get(language) ?? 0;
              return [language, { approved: done, units, percent: percentDone(done, units) }];
            }),
        ),
        subtitles: Object.fromEntries(
          languages.map((language) => {
            const track = byLanguage.get(language);
            return [
              language,
              {
                state: track?.status ?? null,
                published: track !== undefined && track.publishedRevision !== null,
                cues: track?.cueCount ?? 0,
                filled: track?.filledCount ?? 0,
                percent: track ? percentFilled(track.filledCount, track.cueCount) : 0,
              },
            ];
          }),
        ),
      };
    },

    /** The people to credit on a story page. */
    credits: (storyId: number): Promise<StoryCredits> => contributions.storyCredits(storyId),

    /** Who did how much in `month` (the current one by `now` when none is asked for), the most active first. */
    async board(month: Month | undefined, now: Date): Promise<Board> {
      const shown = month ?? monthOf(now);
      const following = shiftMonth(shown, 1);
      const people = await contributions.contributors(monthStart(shown), monthStart(following));
      return {
        month: shown,
        previous: shiftMonth(shown, -1),
        next: monthStart(following) <= now ? following : null,
        people,
      };
    },
  };
}
export type ContributionsService = ReturnType<typeof contributionsService>;
