import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import { catalogRepository } from './catalog.ts';
import { jobsRepository } from './jobs.ts';
import { languagesRepository } from './languages.ts';
import { mediaRepository } from './media.ts';
import { sessionsRepository } from './sessions.ts';
import { rateLimitsRepository } from './rate-limits.ts';
import { tokensRepository } from './tokens.ts';
import { settingsRepository } from './settings.ts';
import { storiesRepository } from './stories.ts';
import { searchRepository } from './search.ts';
import { usersRepository } from './users.ts';
import { identitiesRepository } from './identities.ts';
import { subtitlesRepository } from './subtitles.ts';
import { translationsRepository } from './translations.ts';
import { contributionsRepository } from './contributions.ts';
import { celebrationsRepository } from './celebrations.ts';
import { nominationsRepository } from './nominations.ts';
import { consentRepository } from './consent.ts';
import { noticesRepository } from './notices.ts';
import { syndicationRepository } from './syndication.ts';
import { celebrationAnnouncementsRepository } from './celebration-announcements.ts';
import { mailRepository } from './mail.ts';
import { emailConfirmationsRepository } from './email-confirmations.ts';

/** Every repository over one database; those that write what public pages show announce it on `changes`. */
export function createRepositories(db: Kysely<DB>, changes: ChangeFeed) {
  return {
    catalog: catalogRepository(db, changes),
    jobs: jobsRepository(db),
    languages: languagesRepository(db, changes),
    media: mediaRepository(db, changes),
    sessions: sessionsRepository(db),
    rateLimits: rateLimitsRepository(db),
    tokens: tokensRepository(db),
    settings: settingsRepository(db),
    stories: storiesRepository(db, changes),
    search: searchRepository(db),
    users: usersRepository(db, changes),
    identities: identitiesRepository(db),
    subtitles: subtitlesRepository(db, changes),
    translations: translationsRepository(db, changes),
    contributions: contributionsRepository(db),
    celebrations: celebrationsRepository(db),
    nominations: nominationsRepository(db),
    consent: consentRepository(db),
    notices: noticesRepository(db),
    celebrationAnnouncements: celebrationAnnouncementsRepository(db, changes),
    mail: mailRepository(db),
    emailConfirmations: emailConfirmationsRepository(db),
    syndication: syndicationRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
