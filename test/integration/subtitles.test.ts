import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
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
import { testEngines } from '../helpers/database.ts';

const ARABIC =
  'WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.000\nالمشهد الأول\n\n2\n00:00:03.000 --> 00:00:06.000 align:start\nالمشهد الثاني <script>alert(1)</script>\n';
const JAPANESE =
  '1\r\n00:00:00,000 --> 00:00:03,000\r\n第一場面\r\n\r\n2\r\n00:00:03,000 --> 00:00:06,000\r\n第二場面\r\n';
const BROKEN = 'WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nNo arrow\n\n00:00:61.000 --> 00:01:02.000\nBad seconds\n';

for (const engine of testEngines()) {
  describe(`subtitle tracks (${engine})`, () => {
    let site: TestSite;
    let session: { cookie: string; csrf: string };
    before(async () => {
      site = await startTestSite(engine);
    });
    after(async () => {
      await site.close();
    });
    beforeEach(async () => {
      await site.reset();
      await createCatalog(site.services, [{ slug: 'told', texts: { en: { title: 'A told story' } } }]);
      await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      session = await signIn(site.app, 'Editor');
    });

    async function upload(language: string, fileName: string, content: Buffer | string) {
      const page = await site.app.inject({
        method: 'GET',
        url: '/en/edit/stories/told/video',
        headers: { cookie: session.cookie },
      });
      const { payload, contentType } = multipart({ language }, { field: 'subtitles', name: fileName, content });
      return site.app.inject({
        method: 'POST',
        url: `/en/edit/stories/told/subtitles?_csrf=${encodeURIComponent(csrfFrom(page.body))}`,
        headers: { cookie: session.cookie, 'content-type': contentType },
        payload,
      });
    }
    /** Approves the track's current revision from its page, as an editor (who may publish) does. */
    async function publish(language: string) {
      const page = await site.app.inject({
        method: 'GET',
        url: `/en/edit/stories/told/subtitles/${language}`,
        headers: { cookie: session.cookie },
      });
      const revision = /name="revision" value="(\d+)"/.exec(page.body)![1]!;
      return site.app.inject(
        form(
          `/en/edit/stories/told/subtitles/${language}/review`,
          { decision: 'approved', revision, _csrf: csrfFrom(page.body) },
          session.cookie,
        ),
      );
    }

    test('WebVTT and SRT uploads become tracks; published ones are offered to viewers in their language', async () => {
      assert.equal((await upload('ar', 'arabic.vtt', ARABIC)).statusCode, 303);
      assert.equal((await upload('ja', 'japanese.srt', JAPANESE)).statusCode, 303);
      let story = await site.app.inject({ method: 'GET', url: '/ar/stories/told' });
      assert.doesNotMatch(story.body, /<track/, 'drafts are not offered');
      assert.equal((await site.app.inject({ method: 'GET', url: '/subtitles/told/ar.vtt' })).statusCode, 404);
      assert.equal((await publish('ar')).statusCode, 303);
      assert.equal((await publish('ja')).statusCode, 303);

      const vtt = await site.app.inject({ method: 'GET', url: '/subtitles/told/ar.vtt' });
      assert.equal(vtt.statusCode, 200);
      assert.equal(vtt.headers['content-type'], 'text/vtt; charset=utf-8');
      assert.match(vtt.body, /^WEBVTT\n\n1\n00:00:00\.000 --> 00:00:03\.000\nالمشهد الأول\n/);
      assert.match(vtt.body, /00:00:03\.000 --> 00:00:06\.000 align:start\n/);
      const etag = String(vtt.headers.etag);
      assert.equal(
        (await site.app.inject({ method: 'GET', url: '/subtitles/told/ar.vtt', headers: { 'if-none-match': etag } }))
          .statusCode,
        304,
      );
      const srt = await site.app.inject({ method: 'GET', url: '/subtitles/told/ja.srt' });
      assert.match(srt.body, /^1\r?\n00:00:00,000 --> 00:00:03,000\r?\n第一場面/);
      assert.match(String(srt.headers['content-disposition']), /attachment/);

      story = await site.app.inject({ method: 'GET', url: '/ja/stories/told' });
      // No video yet: the transcript is there to read.
      assert.match(story.body, /<ol class="transcript"[^>]*lang="ja"/);
      assert.match(story.body, /第二場面/);
      const transcript = await site.app.inject({ method: 'GET', url: '/ar/stories/told/transcript' });
      assert.equal(transcript.statusCode, 200);
      assert.match(
        transcript.body,
        /المشهد الثاني alert\(1\)<\/span>/,
        'cue markup is dropped as the browser does, never run',
      );
      assert.doesNotMatch(transcript.body, /<script>alert/);
      assert.match(transcript.body, /0:03/);
      const french = await site.app.inject({ method: 'GET', url: '/fr/stories/told/transcript' });
      assert.match(french.body, /This story has no transcript yet|transcript/i);
    });

    test('a broken file is refused with every problem located, and nothing is stored', async () => {
      const response = await upload('fr', 'broken.vtt', BROKEN);
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /Line 3, column \d+:/);
      assert.match(response.body, /Line 6, column \d+:/);
      assert.deepEqual(await site.services.subtitles.progress(1), []);
      const latin1 = await upload(
        'fr',
        'latin1.srt',
        Buffer.from([0x31, 0x0a, 0x30, 0x30, 0x3a, 0x30, 0x30, 0x0a, 0xe9, 0xe8, 0x0a]),
      );
      assert.equal(latin1.statusCode, 400);
      assert.match(latin1.body, /not in UTF-8 or UTF-16/);
      for (const [name, content, line] of [
        ['header-only.vtt', 'WEBVTT\n\nNOTE nothing yet\n', 3],
        ['empty.vtt', '', 1],
        ['empty.srt', '', 1],
        ['blank.srt', '\n  \n\n', 3],
      ] as const) {
        const empty = await upload('fr', name, content);
        assert.equal(empty.statusCode, 400, name);
        assert.match(empty.body, new RegExp(`Line ${line}, column 1:</span>\\s*the file has no cues`), name);
      }
      assert.deepEqual(await site.services.subtitles.progress(1), []);
    });

    test('a new upload is a new revision of the same track', async () => {
      await upload('ar', 'one.vtt', ARABIC);
      await upload('ar', 'two.vtt', ARABIC.replace('الأول', 'الأول المعدل'));
      const [track] = await site.services.subtitles.progress(1);
      assert.equal(track!.revision, 2);
      assert.equal(track!.cueCount, 2);
    });

    test('a 100,000-cue file is taken whole; one cue more, an overlong cue or a file past the size limit is refused saying why, and nothing is stored', async () => {
      // Cues of 0.8 s, so 100,000 of them fit in a day.
      const srt = (count: number, text = (i: number) => `Line ${i}`) =>
        Array.from({ length: count }, (_, i) => {
          const at = (ms: number) =>
            `${String(Math.floor(ms / 3_600_000)).padStart(2, '0')}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')},${String(ms % 1000).padStart(3, '0')}`;
          return `${i + 1}\n${at(i * 800)} --> ${at(i * 800 + 700)}\n${text(i)}\n`;
        }).join('\n');
      const taken = await upload('fr', 'long.srt', srt(100_000));
      assert.equal(taken.statusCode, 303, taken.body.match(/subtitle-problems__list.{0,400}/s)?.[0]);
      assert.equal((await site.services.subtitles.progress(1))[0]!.cueCount, 100_000);
      const tooMany = await upload('ar', 'longer.srt', srt(100_001));
      assert.equal(tooMany.statusCode, 400);
      assert.match(tooMany.body, /the file has more than 100,000 cues/);
      const overlong = await upload(
        'ar',
        'overlong.srt',
        srt(3, (i) => (i === 1 ? 'x'.repeat(2001) : 'ok')),
      );
      assert.equal(overlong.statusCode, 400);
      assert.match(
        overlong.body.replace(/[\u2068\u2069]/g, ''),
        /Cue 2:<\/span>\s*its text is longer than 2,000 characters/,
      );
      const huge = await upload('ar', 'huge.srt', Buffer.alloc(20_000_001, 'a'));
      assert.equal(huge.statusCode, 400);
      assert.match(huge.body, /the file is larger than 20 MB/);
      assert.deepEqual(
        (await site.services.subtitles.progress(1)).map((track) => track.language),
        ['fr'],
        'nothing else is stored',
      );
    });
  });
}
