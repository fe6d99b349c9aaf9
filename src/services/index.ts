import { loadConfig, type Config } from '../config.ts';
import { ffmpegMediaTool } from '../providers/media/ffmpeg.ts';
import { localFileStorage } from '../providers/storage/local.ts';
import type { Database } from '../store/database.ts';
import { changeFeed } from '../store/changes.ts';
import { shareChanges } from '../store/change-bus.ts';
import { createRepositories } from '../store/repositories/index.ts';
import { accountsService } from './accounts.ts';
import { catalogService } from './catalog.ts';
import { createMessages } from './messages.ts';
import { prepareDatabase } from './setup.ts';
import { storiesService } from './stories.ts';
import { videoService } from './video.ts';
import { subtitlesService } from './subtitles.ts';
import { burnInService } from './burn-in.ts';

/** Everything the HTTP layer and the command line call: one object per use-case group. */
export async function createServices(database: Database, config: Config = loadConfig()) {
  // What public pages show, announced as it changes (the page cache listens).
  const changes = changeFeed();
  if (database.url) {
    // Other processes on the same server hear this one's changes, and it theirs.
    const bus = await shareChanges(database.db, database.url, changes, (message) => console.error(message));
    database.beforeClose(() => bus.close());
  }
  const repositories = createRepositories(database.db, changes);
  const storage = localFileStorage(config.mediaDir);
  const { sessionSecret } = await prepareDatabase(database, repositories);
  const languages = await repositories.languages.list();
  const messages = createMessages(Object.fromEntries(languages.map((l) => [l.code, l.fallbacks])));
  const media = ffmpegMediaTool();
  const video = videoService({ repositories, storage, media, maxUploadBytes: config.maxUploadBytes });
  const burnIn = burnInService({ repositories, storage, media });
  return {
    database,
    changes,
    repositories,
    sessionSecret,
    messages,
    accounts: accountsService(repositories),
    catalog: catalogService(repositories),
    stories: storiesService(repositories),
    video,
    burnIn,
    subtitles: subtitlesService(repositories),
    storage,
    /** Every background job kind and its handler, for the workers. */
    jobHandlers: { ...video.handlers, ...burnIn.handlers },
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;
