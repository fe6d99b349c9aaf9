import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../src/domain/access/authorize.ts';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Who may do what, through the real routes: each row is a visitor, each column an action.
type Visitor = 'anonymous' | 'plain' | Role;
const VISITORS: Visitor[] = ['anonymous', 'plain', 'translator', 'reviewer', 'editor', 'admin'];
const ALLOWED: Record<string, Visitor[]> = {
  'open the story editor': ['editor', 'admin'],
  'save a story': ['editor', 'admin'],
  'publish a story': ['editor', 'admin'],
  'see the history': ['editor', 'admin'],
  'create a story': ['editor', 'admin'],
  'manage people': ['editor', 'admin'],
  'add a theme': ['editor', 'admin'],
  'see users and roles': ['admin'],
  'grant a role': ['admin'],
  'manage languages': ['admin'],
};

for (const engine of testEngines()) {
  describe(`role × action matrix (${engine})`, () => {
    let site: TestSite;
    const sessions = new Map<Visitor, { cookie: string; csrf: string }>();
    before(async () => {
      site = await startTestSite(engine);
      await site.reset();
      await createCatalog(site.services, [{ slug: 'matrix', texts: { en: { title: 'Matrix story' } } }]);
      for (const visitor of VISITORS) {
        if (visitor === 'anonymous') {
          const page = await site.app.inject({ method: 'GET', url: '/en/sign-in' });
          sessions.set(visitor, { cookie: String(page.headers['set-cookie']).split(';')[0]!, csrf: csrfFrom(page.body) });
          continue;
        }
        const grants = visitor === 'plain' ? [] : [{ role: visitor, ...(visitor === 'translator' || visitor === 'reviewer' ? { language: 'fr' } : {}) }];
        await createUser(site.services, `user-${visitor}`, grants);
        sessions.set(visitor, await signIn(site.app, `user-${visitor}`));
      }
    });
    after(async () => { await site.close(); });

    const attempt: Record<string, (visitor: Visitor) => Promise<number>> = {
      'open the story editor': (v) => get(v, '/en/edit/stories/matrix'),
      'see the history': (v) => get(v, '/en/edit/stories/matrix/history'),
      'save a story': async (v) => {
        const story = (await site.services.repositories.stories.findBySlug('matrix'))!;
        return post(v, '/en/edit/stories/matrix?text=en', { slug: 'matrix', region: '1', sourceLanguage: 'en', themes: '1', storytellers: '1', title: `Saved by ${v}`, summary: '', body: '', revision: String(story.revision) });
      },
      'publish a story': async (v) => {
        const story = (await site.services.repositories.stories.findBySlug('matrix'))!;
        return post(v, '/en/edit/stories/matrix/status', { status: 'published', revision: String(story.revision) });
      },
      'create a story': (v) => post(v, '/en/edit/stories/new?text=en', { slug: `new-${v}`, region: '1', sourceLanguage: 'en', title: 'New', summary: '', body: '', revision: '0' }),
      'manage people': (v) => get(v, '/en/admin/people'),
      'add a theme': (v) => post(v, '/en/admin/themes', { slug: `theme-${v}`, 'name-en': `Theme of ${v}` }),
      'see users and roles': (v) => get(v, '/en/admin/users'),
      'grant a role': async (v) => {
        const target = (await site.services.repositories.users.findByUsername('user-plain'))!;
        return post(v, `/en/admin/users/${target.id}/grant`, { role: 'translator', language: 'ar' });
      },
      'manage languages': (v) => get(v, '/en/admin/languages'),
    };
    async function get(visitor: Visitor, url: string) {
      return (await site.app.inject({ method: 'GET', url, headers: { cookie: sessions.get(visitor)!.cookie } })).statusCode;
    }
    async function post(visitor: Visitor, url: string, fields: Record<string, string>) {
      const session = sessions.get(visitor)!;
      return (await site.app.inject(form(url, { ...fields, _csrf: session.csrf }, session.cookie))).statusCode;
    }

    for (const [action, allowed] of Object.entries(ALLOWED)) {
      for (const visitor of VISITORS) {
        const expected = allowed.includes(visitor);
        test(`${visitor} ${expected ? 'may' : 'may not'} ${action}`, async () => {
          const status = await attempt[action]!(visitor);
          if (expected) assert.ok(status === 200 || status === 303, `expected success, got ${status}`);
          else assert.equal(status, visitor === 'anonymous' ? 401 : 403);
        });
      }
    }

    test('a state-changing request without a CSRF token is refused even for an admin', async () => {
      const story = (await site.services.repositories.stories.findBySlug('matrix'))!;
      const response = await site.app.inject(form('/en/edit/stories/matrix/status', { status: 'draft', revision: String(story.revision) }, sessions.get('admin')!.cookie));
      assert.equal(response.statusCode, 403);
    });
  });
}
