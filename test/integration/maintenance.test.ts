import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { defaultCueSettings, type Cue } from '../../src/domain/subtitles/index.ts';
import { createCatalog, createUser, startTestSite, type TestSite } from '../helpers/app.ts';
import { testEngines } from '../helpers/database.ts';

// Every save of a track replaces its cue list, leaving the old one behind as dead rows. PostgreSQL's
// autovacuum reclaims them; the embedded engine has none, so storyhub vacuums it itself (every
// minute; here the round is run at once).

for (const engine of testEngines()) {
  describe(`dead rows are reclaimed (${engine})`, () => {
    let site: TestSite;
    before(async () => {
      site = await startTestSite(engine);
    });
    after(async () => {
      await site.close();
    });

    // Counts of dead rows reach the statistics a moment after each transaction: flushed first, then read.
    async function deadInTracks(): Promise<number> {
      await sql`SELECT pg_stat_force_next_flush()`.execute(site.database.db);
      const { rows } = await sql<{ dead: number }>`
        SELECT coalesce(sum(n_dead_tup), 0)::int AS dead FROM pg_stat_all_tables
        WHERE relid IN (SELECT oid FROM pg_class WHERE relname = 'subtitle_tracks' UNION SELECT reltoastrelid FROM pg_class WHERE relname = 'subtitle_tracks')`.execute(
        site.database.db,
      );
      return rows[0]!.dead;
    }

    test('after many saves of a track, maintenance vacuums it and the space is used again', async () => {
      const { stories } = await createCatalog(site.services, [
        { slug: 'busy', texts: { en: { title: 'A busy story' } } },
      ]);
      const user = await createUser(site.services, 'Editor', [{ role: 'editor' }]);
      const cues: Cue[] = Array.from({ length: 300 }, (_, i) => ({
        id: '',
        startTime: i * 3,
        endTime: i * 3 + 2,
        text: `Cue ${i} with words that ${i * 7919} differ`,
        settings: defaultCueSettings(),
      }));
      let revision = 0;
      const saveMany = async (count: number) => {
        for (let n = 0; n < count; n++) {
          cues[n % 300] = {
            ...cues[n % 300]!,
            text: `Edit ${revision} of cue ${n % 300}, ${(revision * 104729) % 99991}`,
          };
          const saved = await site.services.subtitles.save({
            storyId: stories[0]!.id,
            language: 'en',
            baseRevision: revision,
            cues,
            userId: user.id,
          });
          assert.ok(saved.ok);
          revision = saved.track.revision;
        }
      };
      await saveMany(200);
      if (engine === 'postgres') {
        // A server counts dead rows a moment after the fact (and may have vacuumed them already):
        // here maintenance must only run cleanly and leave the track as it was.
        await site.database.maintain();
        assert.deepEqual((await site.services.subtitles.editorState(stories[0]!.id, 'en')).track!.cues, cues);
        return;
      }
      const deadBefore = await deadInTracks();
      assert.ok(deadBefore > 200, `old cue lists pile up as dead rows (${deadBefore})`);
      const vacuumed = await site.database.maintain();
      assert.ok(vacuumed.includes('subtitle_tracks'), `vacuumed: ${vacuumed.join(', ')}`);
      assert.ok((await deadInTracks()) < deadBefore / 4, 'the dead rows are gone');
      assert.deepEqual(await site.database.maintain(), [], 'nothing left to do');
      const size = async () =>
        Number(
          (
            await sql<{ bytes: string }>`SELECT pg_total_relation_size('subtitle_tracks') AS bytes`.execute(
              site.database.db,
            )
          ).rows[0]!.bytes,
        );
      const sizeBefore = await size();
      await saveMany(100);
      await site.database.maintain();
      await saveMany(100);
      assert.ok((await size()) < sizeBefore * 1.5, 'later saves reuse the reclaimed space');
    });
  });
}
