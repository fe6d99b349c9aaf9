import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { notFound } from '../../errors.ts';
import type { LanguageRow } from '../../domain/languages/languages.ts';
import type { StoryHead, StoryRecord } from '../../domain/stories/story.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The story with this slug (drafts included), or a 404. */
    findStory(slug: string): Promise<StoryRecord>;
    /** Only the id of the story with this slug, or a 404: for routes that need no more. */
    findStoryId(slug: string): Promise<number>;
    /** The id, status and source language of the story with this slug, or a 404: one small read. */
    findStoryHead(slug: string): Promise<StoryHead>;
    /** The enabled language with this code, or a 404. */
    findLanguage(code: string): Promise<LanguageRow>;
  }
}

/** What `:slug` and `:language` in an address name, found once for every route. */
export const lookupsPlugin = fp(
  async (app: FastifyInstance) => {
    const { stories } = app.services;
    app.decorate('findStory', async (slug: string) => {
      const story = await stories.find(slug);
      if (!story) throw notFound('story');
      return story;
    });
    const findStoryHead = async (slug: string) => {
      const head = await stories.headBySlug(slug);
      if (!head) throw notFound('story');
      return head;
    };
    app.decorate('findStoryHead', findStoryHead);
    app.decorate('findStoryId', async (slug: string) => (await findStoryHead(slug)).id);
    app.decorate('findLanguage', async (code: string) => {
      const language = (await app.enabledLanguages()).find((l) => l.code === code);
      if (!language) throw notFound('language');
      return language;
    });
  },
  { name: 'lookups', dependencies: ['context'] },
);
