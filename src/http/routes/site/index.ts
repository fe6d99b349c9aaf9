import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { siteLanguagePlugin } from '../../plugins/site-language.ts';
import { adminRoutes } from '../admin/index.ts';
import { accountRoutes } from './account.ts';
import { browseRoutes } from './browse.ts';
import { celebrationRoutes } from './celebration.ts';
import { celebrationNominationRoutes } from './celebration-nominations.ts';
import { searchRoutes } from './search.ts';
import { burnInRoutes } from './burn-in.ts';
import { translateRoutes } from './translate.ts';
import { translationResourceRoutes } from './translation-resources.ts';
import { contributionsRoutes } from './contributions.ts';
import { celebrationArchiveRoutes } from './celebration-archive.ts';
import { editRoutes } from './edit.ts';
import { feedRoutes } from './feeds.ts';
import { subtitleEditorRoutes } from './subtitle-editor.ts';
import { subtitleTrackRoutes } from './subtitle-tracks.ts';
import { videoRoutes } from './video.ts';

/** Every page, under its language (/en/…, /ar/…). */
export const siteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(siteLanguagePlugin);
  await app.register(browseRoutes);
  await app.register(searchRoutes);
  await app.register(feedRoutes);
  await app.register(accountRoutes);
  await app.register(editRoutes);
  await app.register(videoRoutes);
  await app.register(subtitleEditorRoutes);
  await app.register(subtitleTrackRoutes);
  await app.register(burnInRoutes);
  await app.register(translateRoutes);
  await app.register(translationResourceRoutes);
  await app.register(contributionsRoutes);
  await app.register(celebrationArchiveRoutes);
  await app.register(celebrationRoutes);
  await app.register(celebrationNominationRoutes);
  await app.register(adminRoutes, { prefix: '/admin' });
};
