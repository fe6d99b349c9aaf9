import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import type { GrantableRole } from '../../src/domain/access/authorize.ts';
import { defaultCueSettings } from '../../src/domain/subtitles/index.ts';
import type { SubtitleStatus } from '../../src/domain/subtitles/track.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices } from '../../src/services/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { createCatalog, createUser, csrfFrom, form, signIn, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Who may do what, through the real routes: each row is a visitor, each column an action.
type Visitor = 'anonymous' | 'plain' | GrantableRole;
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
  'mark a bot account': ['admin'],
  'manage languages': ['admin'],
  // Subtitles: translators and reviewers hold French; approving needs a reviewer of the language or an editor who may publish.
  'read French subtitles for editing': ['translator', 'reviewer', 'editor', 'admin'],
  'save French subtitles': ['translator', 'reviewer', 'editor', 'admin'],
  'see French subtitle history and review': ['translator', 'reviewer', 'editor', 'admin'],
  'send French subtitles for review': ['translator', 'reviewer', 'editor', 'admin'],
  'approve French subtitles': ['reviewer', 'editor', 'admin'],
  'send French subtitles back with a comment': ['reviewer', 'editor', 'admin'],
  'restore an old French subtitle revision': ['translator', 'reviewer', 'editor', 'admin'],
  'approve Arabic subtitles': ['editor', 'admin'],
  'see the list of work to translate': ['plain', 'translator', 'reviewer', 'editor', 'admin'],
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
          sessions.set(visitor, {
            cookie: String(page.headers['set-cookie']).split(';')[0]!,
            csrf: csrfFrom(page.body),
          });
          continue;
        }
        const grants =
          visitor === 'plain'
            ? []
            : [{ role: visitor, ...(visitor === 'translator' || visitor === 'reviewer' ? { language: 'fr' } : {}) }];
        await createUser(site.services, `user-${visitor}`, grants);
        sessions.set(visitor, await signIn(site.app, `user-${visitor}`));
      }
      // Whom the admin grants a role to: not one of the visitors, whose rights the other rows test.
      await createUser(site.services, 'user-granted', []);
    });
    after(async () => {
      await site.close();
    });

    const attempt: Record<string, (visitor: Visitor) => Promise<number>> = {
      'open the story editor': (v) => get(v, '/en/edit/stories/matrix'),
      'see the history': (v) => get(v, '/en/edit/stories/matrix/history'),
      'save a story': async (v) => {
        const story = (await site.services.repositories.stories.findBySlug('matrix'))!;
        return post(v, '/en/edit/stories/matrix?text=en', {
          slug: 'matrix',
          region: '1',
          sourceLanguage: 'en',
          themes: '1',
          storytellers: '1',
          title: `Saved by ${v}`,
          summary: '',
          body: '',
          revision: String(story.revision),
        });
      },
      'publish a story': async (v) => {
        const story = (await site.services.repositories.stories.findBySlug('matrix'))!;
        return post(v, '/en/edit/stories/matrix/status', { status: 'published', revision: String(story.revision) });
      },
      'create a story': (v) =>
        post(v, '/en/edit/stories/new?text=en', {
          slug: `new-${v}`,
          region: '1',
          sourceLanguage: 'en',
          title: 'New',
          summary: '',
          body: '',
          revision: '0',
        }),
      'manage people': (v) => get(v, '/en/admin/people'),
      'add a theme': (v) => post(v, '/en/admin/themes', { slug: `theme-${v}`, 'name-en': `Theme of ${v}` }),
      'see users and roles': (v) => get(v, '/en/admin/users'),
      'grant a role': async (v) => {
        const target = (await site.services.repositories.users.findByUsername('user-granted'))!;
        return post(v, `/en/admin/users/${target.id}/grant`, { role: 'translator', language: 'ar' });
      },
      'mark a bot account': async (v) => {
        const target = (await site.services.repositories.users.findByUsername('user-granted'))!;
        return post(v, `/en/admin/users/${target.id}/bot`, { bot: '1' });
      },
      'manage languages': (v) => get(v, '/en/admin/languages'),
      'read French subtitles for editing': (v) => get(v, '/api/v1/stories/matrix/subtitles/fr'),
      'save French subtitles': async (v) => {
        const revision = await subtitleTrackIn('fr', 'draft');
        const session = sessions.get(v)!;
        return (
          await site.app.inject({
            method: 'PUT',
            url: '/api/v1/stories/matrix/subtitles/fr',
            payload: { baseRevision: revision, cues: [{ startTime: 0, endTime: 1, text: `Saved by ${v}` }] },
            headers: { cookie: session.cookie, 'csrf-token': session.csrf },
          })
        ).statusCode;
      },
      'see French subtitle history and review': (v) => get(v, '/en/edit/stories/matrix/subtitles/fr'),
      'send French subtitles for review': async (v) =>
        post(v, '/en/edit/stories/matrix/subtitles/fr/review', {
          decision: 'submitted',
          revision: String(await subtitleTrackIn('fr', 'draft')),
        }),
      'approve French subtitles': async (v) =>
        post(v, '/en/edit/stories/matrix/subtitles/fr/review', {
          decision: 'approved',
          revision: String(await subtitleTrackIn('fr', 'in_review')),
        }),
      'send French subtitles back with a comment': async (v) =>
        post(v, '/en/edit/stories/matrix/subtitles/fr/review', {
          decision: 'sent_back',
          comment: 'Too fast',
          revision: String(await subtitleTrackIn('fr', 'in_review')),
        }),
      'restore an old French subtitle revision': async (v) => {
        await subtitleTrackIn('fr', 'draft');
        return post(v, '/en/edit/stories/matrix/subtitles/fr/rollback', { revision: '1' });
      },
      'see the list of work to translate': (v) => get(v, '/en/edit/subtitles'),
      'approve Arabic subtitles': async (v) =>
        post(v, '/en/edit/stories/matrix/subtitles/ar/review', {
          decision: 'approved',
          revision: String(await subtitleTrackIn('ar', 'in_review')),
        }),
    };
    /** Brings a subtitle track into a status (as the admin), so each attempt starts from where its action applies; its revision. */
    async function subtitleTrackIn(language: string, status: SubtitleStatus): Promise<number> {
      const { subtitles, repositories } = site.services;
      const storyId = (await repositories.stories.findBySlug('matrix'))!.id;
      const userId = (await repositories.users.findByUsername('user-admin'))!.id;
      const cues = [{ id: '', startTime: 0, endTime: 1, text: 'Bonjour', settings: defaultCueSettings() }];
      let track = (await subtitles.editorState(storyId, language)).track;
      if (!track || track.status === 'published') {
        await subtitles.save({ storyId, language, baseRevision: track?.revision ?? 0, cues, userId });
        track = (await subtitles.editorState(storyId, language)).track!;
      }
      if (track.status === 'in_review' && status === 'draft')
        await subtitles.sendBack(storyId, language, track.revision, userId, 'Again');
      if (track.status === 'draft' && status === 'in_review')
        await subtitles.submitForReview(storyId, language, track.revision, userId);
      track = (await subtitles.editorState(storyId, language)).track!;
      assert.equal(track.status, status);
      return track.revision;
    }
    async function get(visitor: Visitor, url: string) {
      return (await site.app.inject({ method: 'GET', url, headers: { cookie: sessions.get(visitor)!.cookie } }))
        .statusCode;
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
      const response = await site.app.inject(
        form(
          '/en/edit/stories/matrix/status',
          { status: 'draft', revision: String(story.revision) },
          sessions.get('admin')!.cookie,
        ),
      );
      assert.equal(response.statusCode, 403);
    });
  });
}

// Each process remembers who its signed-in visitors are; a role granted or taken away must count
// from the very next request, in the process that changed it and in every other one.
for (const engine of testEngines()) {
  describe(`a change of roles counts at the next request (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine);
      await site.reset();
    });
    after(() => site.close());

    test('a revoked editor is refused and a new admin let in, at once', async () => {
      const person = await createUser(site.services, 'changing-roles', [{ role: 'editor' }]);
      const session = await signIn(site.app, 'changing-roles');
      const status = async (url: string) =>
        (await site.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })).statusCode;
      assert.equal(await status('/en/admin/people'), 200);
      assert.equal(await status('/en/admin/users'), 403);
      await site.services.accounts.revoke(person.id, 'editor', null);
      await site.services.accounts.grant(person.id, 'admin', null, null);
      assert.equal(await status('/en/admin/users'), 200);
      await site.services.accounts.revoke(person.id, 'admin', null);
      assert.equal(await status('/en/admin/people'), 403);
      assert.equal(await status('/en/admin/users'), 403);
    });
  });
}

if (testEngines().includes('postgres')) {
  describe('a change of roles made by another process on the same PostgreSQL server', () => {
    test('is heard by this one before the person’s next request is refused or let in', async () => {
      const first = await startTestSite('postgres');
      const database = await openDatabase({ url: first.database.url });
      const config = loadConfig({ PAGE_CACHE_SECONDS: '0' });
      const services = await createServices(database, config);
      const second = await buildApp(config, services);
      try {
        const person = await createUser(first.services, 'elsewhere-editor', [{ role: 'editor' }]);
        const session = await signIn(second, 'elsewhere-editor');
        const status = async () =>
          (await second.inject({ method: 'GET', url: '/en/admin/people', headers: { cookie: session.cookie } }))
            .statusCode;
        assert.equal(await status(), 200, 'the second process now remembers the editor');
        await first.services.accounts.revoke(person.id, 'editor', null);
        // The change travels through the server's LISTEN/NOTIFY: a moment, never the minute the memory lasts.
        let refused = await status();
        for (let attempt = 0; attempt < 50 && refused === 200; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          refused = await status();
        }
        assert.equal(refused, 403);
      } finally {
        await second.close();
        await database.close();
        await first.close();
      }
    });
  });
}
