import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import type { CycleForm } from '../../src/domain/celebration/cycle.ts';
import { defaultSchedule } from '../../src/domain/celebration/cycle.ts';
import { LIMITS } from '../../src/domain/stories/story-form.ts';
import { NOMINATION_LIMITS } from '../../src/domain/celebration/nomination.ts';
import {
  BODY_LIMIT_BYTES,
  MULTIPART_MAX_FIELDS,
  MULTIPART_MAX_FILES,
  REVIEW_COMMENT_MAX_LENGTH,
  URL_MAX_LENGTH,
} from '../../src/domain/forms/limits.ts';
import { defaultCueSettings } from '../../src/domain/subtitles/index.ts';
import { SEARCH_MAX_LENGTH } from '../../src/services/search.ts';
import type { Actor } from '../../src/services/celebration.ts';
import {
  createCatalog,
  createUser,
  csrfFrom,
  form,
  multipart,
  signIn,
  startTestSite,
  type TestSite,
} from '../helpers/app.ts';
import {
  celebrationAt,
  nominationForm,
  MONTH as ANNOUNCED_MONTH,
  runCycleToAnnouncement,
} from '../helpers/celebration.ts';
import { testEngines } from '../helpers/database.ts';

// Every limit of the site's pages, one row each: what is sent past the limit, the status, the words
// of the page that say what and the limit (and keep what was typed, where a form is shown again),
// and that nothing was stored. The API sets its own limits and is tested with it.

const MAX_UPLOAD_BYTES = 1024 * 1024;
const MONTH = '2031-03';
const CYCLE = `/en/celebration/${MONTH}`;
type Session = { cookie: string; csrf: string };
type Inject = InjectOptions;

interface Row {
  name: string;
  /** The request, built with a signed-in editor's session. */
  request: (session: Session, site: TestSite) => Promise<Inject> | Inject;
  status: number;
  /** What the page must say (in English: the test reads the English pages). */
  says: RegExp[];
  /** The tables whose row counts must not change. */
  stores?: string[];
}

const x = (count: number) => 'x'.repeat(count);
const storyFields = (csrf: string, overrides: Record<string, string> = {}) => ({
  slug: 'limits-story',
  region: '1',
  sourceLanguage: 'en',
  themes: ['1'],
  storytellers: ['1'],
  title: 'Within the limits',
  summary: 'A summary.',
  body: 'A body.',
  revision: '0',
  _csrf: csrf,
  ...overrides,
});
async function newStoryForm(site: TestSite, session: Session, overrides: Record<string, string>) {
  const page = await site.app.inject({
    method: 'GET',
    url: '/en/edit/stories/new',
    headers: { cookie: session.cookie },
  });
  return form('/en/edit/stories/new?text=en', storyFields(csrfFrom(page.body), overrides), session.cookie);
}
async function videoUpload(site: TestSite, session: Session, fields: Record<string, string>, bytes: number) {
  const page = await site.app.inject({
    method: 'GET',
    url: '/en/edit/stories/filmed/video',
    headers: { cookie: session.cookie },
  });
  const { payload, contentType } = multipart(fields, {
    field: 'video',
    name: 'clip.mp4',
    content: Buffer.alloc(bytes),
  });
  return {
    method: 'POST' as const,
    url: `/en/edit/stories/filmed/video?_csrf=${encodeURIComponent(csrfFrom(page.body))}`,
    headers: { cookie: session.cookie, 'content-type': contentType },
    payload,
  };
}
const number = (value: number) => value.toLocaleString('en');

type Part = { name: string; value: string } | { name: string; file: string; content: Buffer | string };
/** A multipart upload form of `parts` in their order (several files, or many fields, as no page's form sends). */
function uploadForm(url: string, session: Session, parts: Part[]): Inject {
  const boundary = '----storyhub-limits-boundary';
  const payload = Buffer.concat([
    ...parts.flatMap((part) => [
      Buffer.from(
        'file' in part
          ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.file}"\r\nContent-Type: application/octet-stream\r\n\r\n`
          : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`,
      ),
      Buffer.from('file' in part ? part.content : part.value),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return {
    method: 'POST',
    url: `${url}${url.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(session.csrf)}`,
    headers: { cookie: session.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  };
}
const WEBVTT = 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n';
const secondFile: Part = { name: 'another', file: 'another.txt', content: 'A file the form does not have.' };
const extraFields = (count: number): Part[] =>
  Array.from({ length: count }, (_, i) => ({ name: `extra${i}`, value: 'x' }));
/** What the page says of a form with too many parts: the limits, in numbers. */
const TOO_MANY_PARTS = [
  /Too many files or fields/,
  new RegExp(`files ${MULTIPART_MAX_FILES}, other fields ${MULTIPART_MAX_FIELDS}\\. Nothing was stored`),
];

const ROWS: Row[] = [
  {
    name: 'a story title past its length',
    request: (session, site) => newStoryForm(site, session, { title: `Long ${x(LIMITS.title)}` }),
    status: 400,
    says: [
      new RegExp(`at most ${LIMITS.title} characters, and this has ${LIMITS.title + 5}`),
      new RegExp(`value="Long ${x(LIMITS.title)}"`),
    ],
    stores: ['stories'],
  },
  {
    name: 'a story summary past its length',
    request: (session, site) => newStoryForm(site, session, { summary: x(LIMITS.summary + 1) }),
    status: 400,
    says: [
      new RegExp(`at most ${LIMITS.summary} characters, and this has ${LIMITS.summary + 1}`),
      new RegExp(`>${x(LIMITS.summary + 1)}</textarea>`),
    ],
    stores: ['stories'],
  },
  {
    name: 'a story body past its length',
    request: (session, site) => newStoryForm(site, session, { body: x(LIMITS.body + 1) }),
    status: 400,
    says: [new RegExp(`at most ${number(LIMITS.body)} characters, and this has ${number(LIMITS.body + 1)}`)],
    stores: ['stories'],
  },
  {
    name: 'nomination reasons past their length',
    request: async (session, site) => {
      const page = await site.app.inject({
        method: 'GET',
        url: `${CYCLE}/nominate`,
        headers: { cookie: session.cookie },
      });
      const region = (await site.services.repositories.catalog.regions())[0]!.id;
      const fields = { ...nominationForm(region), reasons: `Kept ${x(NOMINATION_LIMITS.reasonsMax)}` };
      return form(`${CYCLE}/nominate`, { ...fields, _csrf: csrfFrom(page.body) }, session.cookie);
    },
    status: 400,
    says: [
      new RegExp(
        `at most ${number(NOMINATION_LIMITS.reasonsMax)} characters, and this has ${number(NOMINATION_LIMITS.reasonsMax + 5)}`,
      ),
      new RegExp(`>Kept ${x(NOMINATION_LIMITS.reasonsMax)}</textarea>`),
    ],
    stores: ['nominations'],
  },
  {
    name: 'a review comment past its length',
    request: async (session, site) => {
      const story = (await site.services.repositories.stories.headBySlug('filmed'))!;
      const editor = (await site.services.repositories.users.findByUsername('Editor'))!;
      const cue = { id: '', startTime: 0, endTime: 2, text: 'Hello', settings: defaultCueSettings() };
      const saved = await site.services.subtitles.save({
        storyId: story.id,
        language: 'en',
        baseRevision: 0,
        cues: [cue],
        userId: editor.id,
      });
      assert.ok(saved.ok);
      const track = (await site.services.repositories.subtitles.find(story.id, 'en'))!;
      const fields = {
        revision: String(track.revision),
        decision: 'sent_back',
        comment: `Kept ${x(REVIEW_COMMENT_MAX_LENGTH)}`,
      };
      return form('/en/edit/stories/filmed/subtitles/en/review', { ...fields, _csrf: session.csrf }, session.cookie);
    },
    status: 400,
    says: [
      new RegExp(
        `at most ${number(REVIEW_COMMENT_MAX_LENGTH)} characters, and this has ${number(REVIEW_COMMENT_MAX_LENGTH + 5)}`,
      ),
      new RegExp(`>Kept ${x(REVIEW_COMMENT_MAX_LENGTH)}</textarea>`),
    ],
    stores: ['subtitle_reviews'],
  },
  {
    name: 'a form body past the body limit',
    request: (session, site) => newStoryForm(site, session, { body: x(BODY_LIMIT_BYTES + 1) }),
    status: 413,
    says: [/Too large/, new RegExp(`at most ${BODY_LIMIT_BYTES / 1024 ** 2} MB`)],
    stores: ['stories'],
  },
  {
    name: 'an address past its length',
    request: () => ({ method: 'GET', url: `/en/search?q=${x(URL_MAX_LENGTH)}` }),
    status: 414,
    says: [/Address too long/, new RegExp(`longer than the ${number(URL_MAX_LENGTH)} characters`)],
  },
  {
    name: 'a search term past its length',
    request: () => ({ method: 'GET', url: `/en/search?q=${x(SEARCH_MAX_LENGTH + 1)}` }),
    status: 400,
    says: [new RegExp(`at most ${SEARCH_MAX_LENGTH} characters`), new RegExp(`value="${x(SEARCH_MAX_LENGTH + 1)}"`)],
  },
  {
    name: 'a listing page far past the last: the last page',
    request: () => ({ method: 'GET', url: '/en/stories?page=1000000000' }),
    status: 200,
    says: [/A filmed story/],
  },
  {
    name: 'a negative listing page: the first page',
    request: () => ({ method: 'GET', url: '/en/stories?page=-3' }),
    status: 200,
    says: [/A filmed story/],
  },
  {
    name: 'a listing page in words: the first page',
    request: () => ({ method: 'GET', url: '/en/regions/africa?page=last' }),
    status: 200,
    says: [/A filmed story/],
  },
  {
    name: 'a listing page too long to be a number',
    request: () => ({ method: 'GET', url: `/en/stories?page=${'9'.repeat(40)}` }),
    status: 400,
    says: [/Something in the request is wrong/],
  },
  {
    name: 'a search page far past the last',
    request: () => ({ method: 'GET', url: '/en/search?q=filmed&page=1000000000' }),
    status: 200,
    says: [/name="q"/],
  },
  {
    name: 'a path part past its length',
    request: () => ({ method: 'GET', url: `/en/stories/${x(300)}` }),
    status: 400,
    says: [/<html lang="en"/, /Something in the request is wrong/],
  },
  {
    name: 'an uploaded file past MAX_UPLOAD_BYTES',
    request: (session, site) => videoUpload(site, session, {}, MAX_UPLOAD_BYTES + 10),
    status: 413,
    says: [/larger than the limit of 1 MB/],
    stores: ['media_files', 'jobs'],
  },
  {
    name: 'a video upload form with a second file',
    request: (session) =>
      uploadForm('/en/edit/stories/filmed/video', session, [
        { name: 'video', file: 'clip.mp4', content: Buffer.alloc(4096) },
        secondFile,
      ]),
    status: 413,
    says: TOO_MANY_PARTS,
    stores: ['media_files', 'jobs'],
  },
  {
    name: 'a video upload form with more fields than the limit before its file',
    request: (session) =>
      uploadForm('/en/edit/stories/filmed/video', session, [
        ...extraFields(MULTIPART_MAX_FIELDS + 1),
        { name: 'video', file: 'clip.mp4', content: Buffer.alloc(4096) },
      ]),
    status: 413,
    says: TOO_MANY_PARTS,
    stores: ['media_files', 'jobs'],
  },
  {
    name: 'a video upload form with more fields than the limit after its file',
    request: (session) =>
      uploadForm('/en/edit/stories/filmed/video', session, [
        { name: 'video', file: 'clip.mp4', content: Buffer.alloc(4096) },
        ...extraFields(MULTIPART_MAX_FIELDS + 1),
      ]),
    status: 413,
    says: TOO_MANY_PARTS,
    stores: ['media_files', 'jobs'],
  },
  {
    name: 'a subtitle file upload with a second file',
    request: (session) =>
      uploadForm('/en/edit/stories/filmed/subtitles', session, [
        { name: 'language', value: 'en' },
        { name: 'subtitles', file: 'hello.vtt', content: WEBVTT },
        secondFile,
      ]),
    status: 413,
    says: TOO_MANY_PARTS,
    stores: ['subtitle_tracks', 'subtitle_revisions'],
  },
  {
    name: 'a translation file import with a second file',
    request: (session) =>
      uploadForm('/en/translate/filmed/fr/import', session, [
        { name: 'file', file: 'filmed.fr.po', content: 'msgid ""\nmsgstr ""\n' },
        secondFile,
      ]),
    status: 413,
    says: TOO_MANY_PARTS,
    stores: ['unit_translations'],
  },
  {
    name: 'a glossary import with a second file',
    request: async (session, site) => {
      // The glossary of a language is its reviewers' to import.
      const editor = (await site.services.repositories.users.findByUsername('Editor'))!;
      await site.services.accounts.grant(editor.id, 'reviewer', 'fr', null);
      return uploadForm('/en/translation-resources/glossary/import?from=en&to=fr', session, [
        { name: 'file', file: 'glossary.tbx', content: '<?xml version="1.0"?><tbx></tbx>' },
        secondFile,
      ]);
    },
    status: 413,
    says: TOO_MANY_PARTS,
    stores: ['glossary_terms'],
  },
  {
    name: "an honoree's photo upload with a second file",
    request: async (session, site) => {
      await runCycleToAnnouncement(site.services, celebrationAt(site.services));
      // The smallest PNG: a 1×1 picture, so that only the second file is wrong.
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      );
      return uploadForm(`/en/admin/celebration/${ANNOUNCED_MONTH}/photo`, session, [
        { name: 'licence', value: 'CC BY-SA 4.0' },
        { name: 'author', value: 'Ana' },
        { name: 'source', value: 'https://commons.wikimedia.org/wiki/File:Ana.png' },
        { name: 'photo', file: 'ana.png', content: png },
        secondFile,
      ]);
    },
    status: 413,
    says: TOO_MANY_PARTS,
    stores: ['celebration_photos'],
  },
  {
    name: 'a JSON body on a page',
    request: (session, site) => ({
      ...form('/en/edit/stories/new?text=en', {}, session.cookie),
      headers: { cookie: session.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify(storyFields(session.csrf)),
    }),
    status: 415,
    says: [/A form was expected/, /not JSON/],
    stores: ['stories'],
  },
];

for (const engine of testEngines()) {
  describe(`limits of the site's pages (${engine})`, () => {
    let site: TestSite;
    let session: Session;
    before(async () => {
      site = await startTestSite(engine, { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      await createCatalog(site.services, [{ slug: 'filmed', texts: { en: { title: 'A filmed story' } } }]);
      const editor = await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      await createUser(site.services, 'Amani');
      // An open celebration, for the nomination form.
      const dates = defaultSchedule(MONTH);
      const at = (date: Date) => date.toISOString().slice(0, 16);
      const actor = (await site.services.accounts.find(editor.id)) as Actor;
      const created = await site.services.celebration.createCycle(actor, {
        month: MONTH,
        opensAt: at(dates.opensAt),
        secondingAt: at(dates.secondingAt),
        consentAt: at(dates.consentAt),
        choiceAt: at(dates.choiceAt),
        closesAt: at(dates.closesAt),
        choiceMode: 'community',
        committee: '',
      } as unknown as CycleForm);
      assert.ok(created.ok);
      await site.services.celebration.advancePhase(actor, created.cycle.id, 'upcoming', 'nominations');
      session = await signIn(site.app, 'Editor');
    });

    const count = async (table: string) =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(site.database.db)).rows[0]!.n,
      );

    for (const row of ROWS) {
      test(row.name, async () => {
        const before = await Promise.all((row.stores ?? []).map(count));
        const response = await site.app.inject(await row.request(session, site));
        assert.equal(response.statusCode, row.status, response.body.slice(0, 300));
        assert.match(String(response.headers['content-type']), /text\/html/, 'a page, not bare JSON');
        for (const words of row.says) assert.match(response.body, words);
        assert.doesNotMatch(response.body, /FST_|Error:|at .*\.ts:\d+/);
        assert.deepEqual(await Promise.all((row.stores ?? []).map(count)), before, 'nothing stored');
      });
    }
  });
}
