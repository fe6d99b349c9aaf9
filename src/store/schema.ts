import type { ColumnType, Generated } from 'kysely';
import type { Cue } from '../domain/subtitles/cue.ts';
import type { CueSplice } from '../domain/subtitles/changes.ts';
import type { SubtitleLimits } from '../domain/subtitles/quality.ts';
import type { StoryBlock } from '../domain/stories/story.ts';
import type { LocalizedNames } from '../domain/catalog/vocabulary.ts';
import type { MediaRole } from '../domain/media/media-file.ts';
import type { JobState } from '../domain/jobs/job.ts';
import type { SubtitleStatus } from '../domain/subtitles/track.ts';
import type { UnitPart } from '../domain/translation/story-units.ts';
import type { Placeholder } from '../domain/stories/placeholders.ts';
import type { ChoiceMode, CyclePhase, TransitionHow } from '../domain/celebration/cycle.ts';
import type { Category, NominationState, NomineeKind } from '../domain/celebration/nomination.ts';

// Row types of every table, as Kysely sees them.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SettingsTable {
  name: string;
  value: string;
}
export interface LanguagesTable {
  code: string;
  autonym: string;
  dir: 'ltr' | 'rtl';
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  fallbacks: ColumnType<string[], string[] | undefined, string[]>;
  search_config: ColumnType<string, string | undefined, string>;
  position: ColumnType<number, number | undefined, number>;
  /** Only the limits that differ from the language's defaults; NULL for all defaults. */
  subtitle_limits: ColumnType<Partial<SubtitleLimits> | null, string | null | undefined, string | null>;
}
export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  /** NULL for an account made through a sign-in provider that has no password (yet). */
  password_hash: string | null;
  created_at: Timestamp;
  /** The interface language their mail is written in. */
  language: ColumnType<string, string | undefined, string>;
  email: ColumnType<string | null, string | null | undefined, string | null>;
  /** When its owner opened a link mailed to `email` (NULL: not confirmed, so no mail goes there). */
  email_confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** A bot account: its work is labelled as a bot's wherever a name is shown. */
  is_bot: ColumnType<boolean, boolean | undefined, boolean>;
}
/** An account of a sign-in provider (provider, its subject) linked to a local account. */
export interface OauthIdentitiesTable {
  provider: string;
  subject: string;
  user_id: number;
  /** The name the provider gave when the link was made (shown on the account page). */
  username: string;
  created_at: Timestamp;
}
export interface RoleGrantsTable {
  id: Generated<number>;
  user_id: number;
  role: 'translator' | 'reviewer' | 'editor' | 'admin';
  language: string | null;
  granted_by: number | null;
  granted_at: Timestamp;
}
export interface SessionsTable {
  id: string;
  data: unknown;
  expires_at: Timestamp;
}
/** A personal API token: its owner, name, scopes and the SHA-256 of its secret (never the secret). */
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  secret_hash: string;
  scopes: string[];
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}
/** A confirmation link mailed to an address: the SHA-256 of its secret (never the secret), used once. */
export interface EmailConfirmationsTable {
  id: Generated<number>;
  user_id: number;
  email: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When a newer link or a change of address replaced it. */
  superseded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export interface RateLimitsTable {
  key: string;
  window_started: Timestamp;
  hits: number;
}
export interface RegionsTable {
  id: Generated<number>;
  slug: string;
  names: ColumnType<LocalizedNames, string, string>;
  position: ColumnType<number, number | undefined, number>;
}
export interface ThemesTable {
  id: Generated<number>;
  slug: string;
  names: ColumnType<LocalizedNames, string, string>;
}
export interface PeopleTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  home_wiki: string;
  bios: ColumnType<LocalizedNames, string, string>;
  photo_url: string | null;
}
export interface StoriesTable {
  id: Generated<number>;
  slug: string;
  region_id: number;
  source_language: string;
  status: 'draft' | 'published';
  featured: ColumnType<boolean, boolean | undefined, boolean>;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revision: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  next_unit: ColumnType<number, number | undefined, number>;
}
export interface StoryThemesTable {
  story_id: number;
  theme_id: number;
}
export interface StoryStorytellersTable {
  story_id: number;
  person_id: number;
  position: number;
}
export interface StoryTextsTable {
  story_id: number;
  language: string;
  title: string;
  summary: string;
  blocks: ColumnType<StoryBlock[], string, string>;
}
/** Search's index of a story text and what it indexed (written by repositories/search-index.ts only). */
export interface SearchDocumentsTable {
  story_id: number;
  language: string;
  head: ColumnType<string, string, string>;
  vector: ColumnType<string, string, string>;
}
export interface SearchTextsTable {
  story_id: number;
  language: string;
  title: string;
  summary: string;
  body: string;
  catalog: string;
}
export interface SearchWordsTable {
  word: string;
  documents: number;
}
export interface StoryRevisionsTable {
  id: Generated<number>;
  story_id: number;
  revision: number;
  user_id: number | null;
  created_at: Timestamp;
  summary: string;
  snapshot: ColumnType<unknown, string, string>;
}
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  progress: ColumnType<number, number | undefined, number>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  run_after: Timestamp;
  locked_by: ColumnType<string | null, string | null | undefined, string | null>;
  locked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  story_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface MediaFilesTable {
  id: Generated<number>;
  story_id: number;
  role: MediaRole;
  label: ColumnType<string, string | undefined, string>;
  storage_key: string;
  mime: string;
  width: ColumnType<number | null, number | null | undefined, number | null>;
  height: ColumnType<number | null, number | null | undefined, number | null>;
  duration_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  /** bigint: returned as a number (int8 is parsed as a double, see store/database.ts). */
  bytes: number;
  created_at: Timestamp;
}

export interface DB {
  settings: SettingsTable;
  languages: LanguagesTable;
  users: UsersTable;
  role_grants: RoleGrantsTable;
  oauth_identities: OauthIdentitiesTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  api_tokens: ApiTokensTable;
  email_confirmations: EmailConfirmationsTable;
  regions: RegionsTable;
  themes: ThemesTable;
  people: PeopleTable;
  stories: StoriesTable;
  story_themes: StoryThemesTable;
  story_storytellers: StoryStorytellersTable;
  story_texts: StoryTextsTable;
  search_documents: SearchDocumentsTable;
  search_texts: SearchTextsTable;
  search_words: SearchWordsTable;
  story_revisions: StoryRevisionsTable;
  jobs: JobsTable;
  media_files: MediaFilesTable;
  subtitle_tracks: SubtitleTracksTable;
  subtitle_revisions: SubtitleRevisionsTable;
  subtitle_reviews: SubtitleReviewsTable;
  story_units: StoryUnitsTable;
  unit_translations: UnitTranslationsTable;
  unit_history: UnitHistoryTable;
  unit_comments: UnitCommentsTable;
  translation_memory: TranslationMemoryTable;
  glossary_terms: GlossaryTermsTable;
  celebration_cycles: CelebrationCyclesTable;
  celebration_committee: CelebrationCommitteeTable;
  celebration_transitions: CelebrationTransitionsTable;
  nominations: NominationsTable;
  nomination_operators: NominationOperatorsTable;
  nomination_seconds: NominationSecondsTable;
  nomination_anecdotes: NominationAnecdotesTable;
  consent_tokens: ConsentTokensTable;
  celebration_votes: CelebrationVotesTable;
  notices: NoticesTable;
  celebration_photos: CelebrationPhotosTable;
}

export interface StoryUnitsTable {
  story_id: number;
  id: string;
  position: number;
  part: UnitPart;
  block: ColumnType<number, number | undefined, number>;
  block_type: StoryBlock['type'] | null;
  text: string;
  placeholders: ColumnType<Placeholder[], string | undefined, string>;
  version: ColumnType<number, number | undefined, number>;
  previous_text: ColumnType<string | null, string | null | undefined, string | null>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}
export interface UnitTranslationsTable {
  story_id: number;
  unit_id: string;
  language: string;
  text: string;
  state: 'draft' | 'review' | 'approved';
  source_version: number;
  revision: ColumnType<number, number | undefined, number>;
  origin: ColumnType<string, string | undefined, string>;
  translator_id: ColumnType<number | null, number | null | undefined, number | null>;
  reviewer_id: ColumnType<number | null, number | null | undefined, number | null>;
  feedback: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Timestamp;
}
export interface UnitHistoryTable {
  id: Generated<number>;
  story_id: number;
  unit_id: string;
  language: string;
  revision: number;
  text: string;
  state: string;
  action: string;
  origin: ColumnType<string, string | undefined, string>;
  user_id: number | null;
  comment: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  /** The personal API token a change was made through (null when made in the site, or once the token is gone). */
  api_token_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** That token's name when the change was made. */
  api_token_name: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface UnitCommentsTable {
  id: Generated<number>;
  story_id: number;
  unit_id: string;
  language: string;
  user_id: number | null;
  body: string;
  created_at: Timestamp;
  /** The personal API token a change was made through (null when made in the site, or once the token is gone). */
  api_token_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** That token's name when the change was made. */
  api_token_name: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface TranslationMemoryTable {
  id: Generated<number>;
  source_language: string;
  target_language: string;
  source_text: string;
  target_text: string;
  /** MinHash band values of the source (domain/translation/memory-bands.ts), written as an int[] literal. */
  source_bands: ColumnType<number[], string, string>;
  origin: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}
export interface GlossaryTermsTable {
  id: Generated<number>;
  source_language: string;
  target_language: string;
  term: string;
  translation: string;
  note: ColumnType<string, string | undefined, string>;
  part_of_speech: ColumnType<string, string | undefined, string>;
  forbidden: ColumnType<string[], string[] | undefined, string[]>;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface SubtitleTracksTable {
  id: Generated<number>;
  story_id: number;
  language: string;
  status: ColumnType<SubtitleStatus, SubtitleStatus | undefined, SubtitleStatus>;
  revision: ColumnType<number, number | undefined, number>;
  cues: ColumnType<Cue[], string, string>;
  updated_at: Timestamp;
  published_revision: ColumnType<number | null, number | null | undefined, number | null>;
  published_cues: ColumnType<Cue[] | null, string | null | undefined, string | null>;
  source_language: ColumnType<string | null, string | null | undefined, string | null>;
  source_revision: ColumnType<number | null, number | null | undefined, number | null>;
}
export interface SubtitleReviewsTable {
  id: Generated<number>;
  track_id: number;
  revision: number;
  user_id: number | null;
  decision: 'submitted' | 'approved' | 'sent_back';
  comment: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}
export interface SubtitleRevisionsTable {
  id: Generated<number>;
  track_id: number;
  revision: number;
  user_id: number | null;
  created_at: Timestamp;
  summary: string;
  /** The whole cue list (a full copy), or null when the revision is stored as splices of the one before. */
  cues: ColumnType<Cue[] | null, string | null | undefined, string | null>;
  /** What changed since the revision before (when `cues` is null). */
  splices: ColumnType<CueSplice[] | null, string | null | undefined, string | null>;
  changed_cues: ColumnType<number, number | undefined, number>;
  /** The personal API token a change was made through (null when made in the site, or once the token is gone). */
  api_token_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** That token's name when the change was made. */
  api_token_name: ColumnType<string | null, string | null | undefined, string | null>;
}

// The monthly celebration (migration 2026-12-06T1200-celebration).
type NullableDate = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export interface CelebrationCyclesTable {
  id: Generated<number>;
  month: string;
  opens_at: ColumnType<Date, Date | string, Date | string>;
  seconding_at: ColumnType<Date, Date | string, Date | string>;
  consent_at: ColumnType<Date, Date | string, Date | string>;
  choice_at: ColumnType<Date, Date | string, Date | string>;
  closes_at: ColumnType<Date, Date | string, Date | string>;
  phase: ColumnType<CyclePhase, CyclePhase | undefined, CyclePhase>;
  choice_mode: ChoiceMode;
  honoree_nomination_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The story that announces the honoree. */
  story_id: ColumnType<number | null, number | null | undefined, number | null>;
  revision: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface CelebrationCommitteeTable {
  cycle_id: number;
  user_id: number;
}
export interface CelebrationTransitionsTable {
  id: Generated<number>;
  cycle_id: number;
  from_phase: CyclePhase;
  to_phase: CyclePhase;
  how: TransitionHow;
  user_id: number | null;
  created_at: Timestamp;
}
export interface NominationsTable {
  id: Generated<number>;
  cycle_id: number;
  nominee: string;
  home_wiki: string;
  kind: NomineeKind;
  bot_tasks: string | null;
  region_id: number;
  category: Category;
  reasons: string;
  evidence: ColumnType<string[], string | undefined, string>;
  /** The language the reasons (and a bot's tasks) are written in, as the nominator chose it; NULL before it was asked. */
  language: ColumnType<string | null, string | null | undefined, string | null>;
  nominator_id: number | null;
  state: ColumnType<NominationState, NominationState | undefined, NominationState>;
  revision: ColumnType<number, number | undefined, number>;
  hidden_reason: ColumnType<string | null, string | null | undefined, string | null>;
  hidden_by: ColumnType<number | null, number | null | undefined, number | null>;
  hidden_at: NullableDate;
  answered_at: NullableDate;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface NominationOperatorsTable {
  nomination_id: number;
  position: number;
  username: string;
}
export interface NominationSecondsTable {
  id: Generated<number>;
  nomination_id: number;
  user_id: number;
  reason: string;
  /** The language the reason is written in, as its writer chose it; NULL before it was asked. */
  language: ColumnType<string | null, string | null | undefined, string | null>;
  evidence: ColumnType<string[], string | undefined, string>;
  from_nomination: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}
export interface NominationAnecdotesTable {
  id: Generated<number>;
  nomination_id: number;
  author_id: number | null;
  body: string;
  /** The language the anecdote is written in, as its writer chose it; NULL before it was asked. */
  language: ColumnType<string | null, string | null | undefined, string | null>;
  state: ColumnType<'pending' | 'approved' | 'refused', 'pending' | undefined, 'pending' | 'approved' | 'refused'>;
  moderated_by: ColumnType<number | null, number | null | undefined, number | null>;
  moderated_at: NullableDate;
  created_at: Timestamp;
}
export interface ConsentTokensTable {
  id: Generated<number>;
  nomination_id: number;
  token_hash: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: NullableDate;
  created_by: number | null;
  created_at: Timestamp;
}
export interface CelebrationVotesTable {
  id: Generated<number>;
  cycle_id: number;
  nomination_id: number;
  user_id: number;
  created_at: Timestamp;
}
export interface NoticesTable {
  id: Generated<number>;
  user_id: number;
  key: string;
  params: ColumnType<string[], string | undefined, string>;
  cycle_id: number | null;
  nomination_id: number | null;
  created_at: Timestamp;
  read_at: NullableDate;
  /** When it was queued as mail (null: not yet, or never when no mail server is configured). */
  mailed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}
export interface CelebrationPhotosTable {
  cycle_id: number;
  storage_key: string;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
  licence: string;
  author: string;
  source_url: string | null;
  uploaded_by: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}
