import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import type { GrantableRole } from '../../src/domain/access/authorize.ts';
import { buildApp } from '../../src/http/app.ts';
import { parseStoryMarkup } from '../../src/domain/stories/markup.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import type { Database, Engine } from '../../src/store/database.ts';
import { createTestDatabase, resetDatabase } from './database.ts';

export interface TestSite {
  app: FastifyInstance;
  services: Services;
  database: Database;
  /** Empties the database and the page cache: call it before each test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSite(engine: Engine, env: Record<string, string> = {}): Promise<TestSite> {
  const database = await createTestDatabase(engine);
  const mediaDir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-media-'));
  const config = loadConfig({ PAGE_CACHE_SECONDS: '0', MEDIA_DIR: mediaDir, ...env });
  const services = await createServices(database, config);
  const app = await buildApp(config, services);
  await app.ready();
  return {
    app,
    services,
    database,
    async reset() {
      await resetDatabase(database);
      rmSync(mediaDir, { recursive: true, force: true });
      mkdirSync(mediaDir, { recursive: true });
      // Everything changed: every cache of the site (pages, languages, signed-in accounts) starts empty.
      services.changes.announce({ everything: true });
      app.forgetPages();
    },
    async close() {
      await app.close();
      await database.close();
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

export const PASSWORD = 'correct horse battery staple';

/** A user with the given roles; `language` scopes translator and reviewer grants. */
export async function createUser(
  services: Services,
  username: string,
  grants: Array<{ role: GrantableRole; language?: string }> = [],
) {
  const result = await services.accounts.signUp({ username, password: PASSWORD });
  if (!('user' in result)) throw new Error(`could not create ${username}: ${JSON.stringify(result.errors)}`);
  for (const grant of grants) await services.accounts.grant(result.user.id, grant.role, grant.language ?? null, null);
  return result.user;
}

/** A small published catalog: one region, one theme, one person, and stories with the given texts. */
export async function createCatalog(
  services: Services,
  stories: Array<{
    slug: string;
    texts: Record<string, { title: string; summary?: string; body?: string }>;
    status?: 'draft' | 'published';
  }>,
) {
  const { catalog, stories: repository } = services.repositories;
  await catalog.saveRegion({ slug: 'africa', names: { en: 'Africa', ar: 'أفريقيا', fr: 'Afrique' } });
  await catalog.saveTheme({ slug: 'education', names: { en: 'Education', fr: 'Éducation' } });
  const person = await catalog.savePerson({
    username: 'Amani',
    displayName: 'Amani K.',
    homeWiki: 'sw.wikipedia.org',
    bios: { en: 'Teacher and editor.' },
    photoUrl: null,
  });
  const [region] = await catalog.regions();
  const [theme] = await catalog.themes();
  const created = [];
  for (const story of stories) {
    const [first, ...rest] = Object.entries(story.texts);
    const input = {
      slug: story.slug,
      regionId: region!.id,
      sourceLanguage: first![0],
      featured: false,
      themeIds: [theme!.id],
      storytellerIds: [person!.id],
    };
    const text = (language: string, value: { title: string; summary?: string; body?: string }) => ({
      language,
      title: value.title,
      summary: value.summary ?? '',
      blocks: storyBlocks(value.body ?? ''),
    });
    const record = (await repository.create({ ...input, text: text(first![0], first![1]) }, null))!;
    // Other languages as published translations of every unit.
    for (const [language, value] of rest)
      await services.repositories.translations.importWholeText(record.id, text(language, value));
    if (story.status !== 'draft') await repository.setPublished(record.id, new Date('2026-05-01T00:00:00Z'));
    created.push((await repository.findById(record.id))!);
  }
  return { region: region!, theme: theme!, person: person!, stories: created };
}

/** A body written in the story Markdown subset, as stored blocks. */
function storyBlocks(body: string) {
  const parsed = parseStoryMarkup(body);
  if ('problems' in parsed) throw new Error(`test story body: ${parsed.problems[0]!.message}`);
  return parsed.blocks.map(({ type, text }) => ({ type, text }));
}

/** Cookie jar and CSRF token of a signed-in browser, for app.inject(). */
export async function signIn(app: FastifyInstance, username: string, password = PASSWORD) {
  const page = await app.inject({ method: 'GET', url: '/en/sign-in' });
  let cookie = cookieHeader(page.headers['set-cookie']);
  const csrf = csrfFrom(page.body);
  const response = await app.inject(form('/en/sign-in', { username, password, _csrf: csrf }, cookie));
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`);
  cookie = cookieHeader(response.headers['set-cookie']) || cookie;
  const home = await app.inject({ method: 'GET', url: '/en/stories', headers: { cookie } });
  return { cookie, csrf: csrfFrom(home.body) };
}

export function cookieHeader(setCookie: string | string[] | undefined): string {
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return list.map((c) => c.split(';')[0]).join('; ');
}

export function csrfFrom(body: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
}

/** A form POST as a browser sends it (application/x-www-form-urlencoded). */
export function form(url: string, fields: Record<string, string | string[]>, cookie = '') {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return {
    method: 'POST' as const,
    url,
    payload: body.toString(),
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** A multipart/form-data body with some fields and one file, as a browser's upload form sends it. */
export function multipart(
  fields: Record<string, string>,
  file: { field: string; name: string; content: Buffer | string },
) {
  const boundary = '----storyhub-test-boundary';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const payload = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}
