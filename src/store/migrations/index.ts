import type { Migration } from 'kysely';
import * as catalog from './2026-11-24T1000-catalog.ts';
import * as mediaJobs from './2026-11-24T1200-media-jobs.ts';
import * as subtitleTracks from './2026-11-24T1300-subtitle-tracks.ts';
import * as searchHead from './2026-11-24T1400-search-head.ts';
import * as subtitleLimits from './2026-11-24T1500-subtitle-limits.ts';
import * as subtitleReview from './2026-11-24T1510-subtitle-review.ts';
import * as exports from './2026-11-24T1520-media-exports.ts';
import * as revisionSplices from './2026-12-01T1000-subtitle-revision-splices.ts';
import * as translationUnits from './2026-12-06T1000-translation-units.ts';
import * as memoryBands from './2026-12-06T1100-memory-bands.ts';
import * as celebration from './2026-12-06T1200-celebration.ts';
import * as celebrationStory from './2026-12-06T1400-celebration-story.ts';
import * as search from './2026-12-06T1500-search.ts';
import * as rateLimits from './2026-12-06T1650-rate-limits.ts';
import * as oauthIdentities from './2026-12-06T1630-oauth-identities.ts';
import * as mediaPeaks from './2026-12-06T1640-media-peaks.ts';
import * as thumbnails from './2026-12-06T1710-thumbnails.ts';
import * as apiTokens from './2026-12-06T1700-api-tokens.ts';
import * as emailConfirmation from './2026-12-06T1730-email-confirmation.ts';
import * as tokenAttribution from './2026-12-06T1740-token-attribution.ts';
import * as nominationLanguage from './2026-12-06T1750-nomination-language.ts';

// Append-only: a migration that has landed is never edited; add a new file instead.
export const migrations: Record<string, Migration> = {
  '2026-11-24T1000-catalog': catalog,
  '2026-11-24T1200-media-jobs': mediaJobs,
  '2026-11-24T1300-subtitle-tracks': subtitleTracks,
  '2026-11-24T1400-search-head': searchHead,
  '2026-11-24T1500-subtitle-limits': subtitleLimits,
  '2026-11-24T1510-subtitle-review': subtitleReview,
  '2026-11-24T1520-media-exports': exports,
  '2026-12-01T1000-subtitle-revision-splices': revisionSplices,
  '2026-12-06T1000-translation-units': translationUnits,
  '2026-12-06T1100-memory-bands': memoryBands,
  '2026-12-06T1200-celebration': celebration,
  '2026-12-06T1400-celebration-story': celebrationStory,
  '2026-12-06T1500-search': search,
  '2026-12-06T1630-oauth-identities': oauthIdentities,
  '2026-12-06T1640-media-peaks': mediaPeaks,
  '2026-12-06T1650-rate-limits': rateLimits,
  '2026-12-06T1700-api-tokens': apiTokens,
  '2026-12-06T1710-thumbnails': thumbnails,
  '2026-12-06T1730-email-confirmation': emailConfirmation,
  '2026-12-06T1740-token-attribution': tokenAttribution,
  '2026-12-06T1750-nomination-language': nominationLanguage,
};
