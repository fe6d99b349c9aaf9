import { loadConfig, type Config } from '../config.ts';
import { ffmpegMediaTool } from '../providers/media/ffmpeg.ts';
import { localFileStorage } from '../providers/storage/local.ts';
import type { Database } from '../store/database.ts';
import { createRepositories } from '../store/repositories/index.ts';
import { accountsService } from './accounts.ts';
import { catalogService } from './catalog.ts';
import { createMessages } from './messages.ts';
import { prepareDatabase } from './setup.ts';
import { storiesService } from './stories.ts';
import { videoService } from './video.ts';
import { subtitlesService } from './subtitles.ts';

/** Everything the HTTP layer and the command line call: one object per use-case group. */
export async function createServices(database: Database, config: Config = loadConfig()) {
  const repositories = createRepositories(database.db);
  const storage = localFileStorage(config.mediaDir);
  const { sessionSecret } = await prepareDatabase(database, repositories);
  const languages = await repositories.languages.list();
  const messages = createMessages(Object.fromEntries(languages.map((l) => [l.code, l.fallbacks])));
  return {
    database,
    repositories,
    sessionSecret,
    messages,
    accounts: accountsService(repositories),
    catalog: catalogService(repositories),
    stories: storiesService(repositories),
    video: videoService({ repositories, storage, media: ffmpegMediaTool(), maxUploadBytes: config.maxUploadBytes }),
    subtitles: subtitlesService(repositories),
    storage,
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;
