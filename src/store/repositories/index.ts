import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { catalogRepository } from './catalog.ts';
import { jobsRepository } from './jobs.ts';
import { languagesRepository } from './languages.ts';
import { mediaRepository } from './media.ts';
import { sessionsRepository } from './sessions.ts';
import { settingsRepository } from './settings.ts';
import { storiesRepository } from './stories.ts';
import { usersRepository } from './users.ts';
import { subtitlesRepository } from './subtitles.ts';

export function createRepositories(db: Kysely<DB>) {
  return {
    catalog: catalogRepository(db),
    jobs: jobsRepository(db),
    languages: languagesRepository(db),
    media: mediaRepository(db),
    sessions: sessionsRepository(db),
    settings: settingsRepository(db),
    stories: storiesRepository(db),
    users: usersRepository(db),
    subtitles: subtitlesRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
