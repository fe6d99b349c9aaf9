import { loadConfig, type Config } from '../config.ts';
import { changeFeed } from '../domain/changes.ts';
import { ffmpegMediaTool } from '../providers/media/ffmpeg.ts';
import type { MediaTool } from '../providers/media/media.ts';
import { localFileStorage } from '../providers/storage/local.ts';
import type { FileStorage } from '../providers/storage/storage.ts';
import type { Database } from '../store/database.ts';
import { shareChanges } from '../store/change-bus.ts';
import { createRepositories } from '../store/repositories/index.ts';
import { accountsService } from './accounts.ts';
import { burnInService } from './burn-in.ts';
import { catalogService } from './catalog.ts';
import { searchService } from './search.ts';
import { languagesService } from './languages.ts';
import { createMessages } from './messages.ts';
import { peopleService } from './people.ts';
import { prepareDatabase } from './setup.ts';
import { storiesService } from './stories.ts';
import { subtitlesService } from './subtitles.ts';
import { videoService } from './video.ts';
import { translationService } from './translation.ts';
import { contributionsService } from './contributions.ts';
import { translationExchange } from './translation-exchange.ts';
import { translationResources } from './translation-resources.ts';
import { apertiumEngine } from '../providers/translation/apertium.ts';
import type { MachineTranslation } from '../providers/translation/machine.ts';
import { vocabularyService } from './vocabulary.ts';
import { celebrationWithFollowUps } from './celebration-follow-ups.ts';
import type { Mailer } from '../providers/mail/mail.ts';
import { smtpMailer } from '../providers/mail/smtp.ts';
import { syndicationService } from './syndication.ts';
import { identitiesService } from './identities.ts';
import type { IdentityProvider } from '../providers/oauth/identity-provider.ts';
import { oauth2Provider } from '../providers/oauth/oauth2.ts';
import { operationsService } from './operations.ts';
import { tokensService } from './tokens.ts';
import { emailConfirmationService } from './email-confirmation.ts';

/** The outside systems services work with; each can be replaced (a fake media tool in a test). */
export interface Providers {
  media: MediaTool;
  storage: FileStorage;
  /** Machine translation suggestions; null when no engine is configured. */
  machine: MachineTranslation | null;
  /** Mail (the celebration's notices); null when no SMTP server is configured. */
  mailer: Mailer | null;
  /** The OAuth 2.0 provider people sign in through; null when none is configured. */
  identity: IdentityProvider | null;
}

/**
 * Everything the HTTP layer and the command line call: one object per use-case group, and (for
 * the command line, workers and tests) the database, repositories and providers underneath.
 */
export async function createServices(
  database: Database,
  config: Config = loadConfig(),
  providers: Partial<Providers> = {},
) {
  // What public pages show, announced as it changes (the page cache listens).
  const changes = changeFeed();
  if (database.url) {
    // Other processes on the same server hear this one's changes, and it theirs.
    const bus = await shareChanges(database.db, database.url, changes, (message) => console.error(message));
    database.beforeClose(() => bus.close());
  }
  const repositories = createRepositories(database.db, changes);
  const storage = providers.storage ?? localFileStorage(config.mediaDir);
  const media = providers.media ?? ffmpegMediaTool();
  const machine =
    providers.machine !== undefined
      ? providers.machine
      : config.apertiumUrl
        ? apertiumEngine({ url: config.apertiumUrl })
        : null;
  const { sessionSecret } = await prepareDatabase(database, repositories);
  const languages = await repositories.languages.list();
  const messages = createMessages(Object.fromEntries(languages.map((l) => [l.code, l.fallbacks])));
  const video = videoService({ repositories, storage, media, maxUploadBytes: config.maxUploadBytes });
  const burnIn = burnInService({ repositories, storage, media });
  const mailer =
    providers.mailer !== undefined
      ? providers.mailer
      : config.smtpUrl
        ? smtpMailer({ url: config.smtpUrl, from: config.mailFrom })
        : null;
  if (mailer) database.beforeClose(async () => mailer.close());
  // Links in mail lead to the site's public origin (never a request's Host header).
  const origin =
    config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const celebration = celebrationWithFollowUps({ repositories, messages, storage, mailer, origin });
  const emailConfirmation = emailConfirmationService({ repositories, messages, mailer, origin });
  const useCases = {
    messages,
    accounts: accountsService(repositories, changes, emailConfirmation),
    identities: identitiesService(
      repositories,
      providers.identity !== undefined ? providers.identity : config.oauth ? oauth2Provider(config.oauth) : null,
    ),
    catalog: catalogService(repositories),
    search: searchService(repositories),
    syndication: syndicationService(repositories),
    stories: storiesService(repositories),
    languages: languagesService(repositories),
    people: peopleService(repositories),
    vocabulary: vocabularyService(repositories),
    video,
    burnIn,
    subtitles: subtitlesService(repositories),
    translation: translationService(repositories, machine),
    contributions: contributionsService(repositories),
    translationExchange: translationExchange(repositories),
    translationResources: translationResources(repositories),
    celebration,
    operations: operationsService(database, repositories),
    tokens: tokensService(repositories),
    emailConfirmation,
  };
  return {
    ...useCases,
    /** Only the use cases: what the HTTP layer may call. */
    useCases,
    database,
    changes,
    repositories,
    sessionSecret,
    storage,
    /** Every background job kind and its handler, for the workers. */
    jobHandlers: { ...video.handlers, ...burnIn.handlers, ...celebration.handlers },
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;
export type UseCases = Services['useCases'];
