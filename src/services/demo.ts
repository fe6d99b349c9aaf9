import { readFileSync } from 'node:fs';
import type { Repositories } from '../store/repositories/index.ts';
import type { StoryBlock } from '../domain/stories/story.ts';
import { fromPlainBlocks } from '../domain/stories/markup.ts';

interface DemoCatalog {
  regions: Array<{ slug: string; names: Record<string, string> }>;
  themes: Array<{ slug: string; names: Record<string, string> }>;
  people: Array<{ username: string; displayName: string; homeWiki: string; bios: Record<string, string> }>;
  stories: Array<{
    slug: string;
    region: string;
    themes: string[];
    storytellers: string[];
    featured: boolean;
    publishedAt: string;
    texts: Record<string, { title: string; summary: string; blocks: StoryBlock[] }>;
  }>;
}

export const DEMO_CATALOG = new URL('../../demo/catalog.json', import.meta.url);

/** Regions, themes, people and published stories from demo/catalog.json; skipped when stories exist. */
export async function seedDemo(
  repositories: Repositories,
  file: URL = DEMO_CATALOG,
): Promise<{ stories: number } | null> {
  const { catalog, stories, translations } = repositories;
  if ((await stories.list({ limit: 1 })).total > 0) return null;
  const demo = JSON.parse(readFileSync(file, 'utf8')) as DemoCatalog;
  for (const [position, region] of demo.regions.entries()) await catalog.saveRegion({ ...region, position });
  for (const theme of demo.themes) await catalog.saveTheme(theme);
  for (const person of demo.people) await catalog.savePerson({ ...person, photoUrl: null });
  const [regions, themes, people] = await Promise.all([catalog.regions(), catalog.themes(), catalog.people()]);
  const id = <T extends { id: number }>(list: T[], match: (item: T) => boolean, what: string) => {
    const found = list.find(match);
    if (!found) throw new Error(`demo/catalog.json names an unknown ${what}`);
    return found.id;
  };
  for (const story of demo.stories) {
    const [source, ...others] = Object.entries(story.texts).sort(([a], [b]) => (a === 'en' ? -1 : b === 'en' ? 1 : 0));
    const input = {
      slug: story.slug,
      sourceLanguage: 'en',
      featured: story.featured,
      regionId: id(regions, (r) => r.slug === story.region, 'region'),
      themeIds: story.themes.map((slug) => id(themes, (t) => t.slug === slug, 'theme')),
      storytellerIds: story.storytellers.map((u) => id(people, (p) => p.username === u, 'person')),
    };
    // The demo's texts are plain; as Markdown they are escaped to read the same.
    const text = (language: string, value: DemoCatalog['stories'][number]['texts'][string]) => ({
      language,
      ...value,
      blocks: fromPlainBlocks(value.blocks).map(({ type, text }) => ({ type, text })),
    });
    const record = (await stories.create({ ...input, text: text(source![0], source![1]) }, null))!;
    for (const [language, value] of others) await translations.importWholeText(record.id, text(language, value));
    await stories.setPublished(record.id, new Date(story.publishedAt));
  }
  return { stories: demo.stories.length };
}
