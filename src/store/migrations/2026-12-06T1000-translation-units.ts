import { sql, type Kysely } from 'kysely';
import type { StoryBlock, StoryText } from '../../domain/stories/story.ts';
import { fromPlainBlocks } from '../../domain/stories/markup.ts';
import { unitSlots, unitsFromWholeText, type StoryUnit } from '../../domain/translation/story-units.ts';

// Stories translated unit by unit. A story's body becomes Markdown (the plain text stored so far is
// escaped so it reads exactly as before); the source text is cut into units, each translation a row
// per unit and language with its own revision and state. Translations made before, as whole copies,
// are given to the units sentence by sentence and stay published.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE stories ADD COLUMN next_unit integer NOT NULL DEFAULT 1;
    CREATE TABLE story_units (
      story_id integer NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
      id text NOT NULL,
      position integer NOT NULL,
      part text NOT NULL CHECK (part IN ('title', 'summary', 'body')),
      block integer NOT NULL DEFAULT 0,
      block_type text CHECK (block_type IN ('paragraph', 'heading', 'quote')),
      text text NOT NULL,
      placeholders jsonb NOT NULL DEFAULT '[]',
      -- Goes up with every edit of the text that outdates its translations (not with a typo fix).
      version integer NOT NULL DEFAULT 1,
      previous_text text,
      active boolean NOT NULL DEFAULT true,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (story_id, id)
    );
    CREATE INDEX story_units_order ON story_units (story_id, active, position);
    CREATE TABLE unit_translations (
      story_id integer NOT NULL,
      unit_id text NOT NULL,
      language text NOT NULL REFERENCES languages(code),
      text text NOT NULL,
      state text NOT NULL CHECK (state IN ('draft', 'review', 'approved')),
      -- The unit version this translates: older than the unit's own means outdated.
      source_version integer NOT NULL,
      revision integer NOT NULL DEFAULT 1,
      origin text NOT NULL DEFAULT 'human',
      translator_id integer REFERENCES users(id) ON DELETE SET NULL,
      reviewer_id integer REFERENCES users(id) ON DELETE SET NULL,
      feedback text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (story_id, unit_id, language),
      FOREIGN KEY (story_id, unit_id) REFERENCES story_units(story_id, id) ON DELETE CASCADE
    );
    CREATE INDEX unit_translations_language ON unit_translations (language, state);
    CREATE TABLE unit_history (
      id serial PRIMARY KEY,
      story_id integer NOT NULL,
      unit_id text NOT NULL,
      language text NOT NULL,
      revision integer NOT NULL,
      text text NOT NULL,
      state text NOT NULL,
      action text NOT NULL,
      origin text NOT NULL DEFAULT 'human',
      user_id integer REFERENCES users(id) ON DELETE SET NULL,
      comment text,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (story_id, unit_id) REFERENCES story_units(story_id, id) ON DELETE CASCADE
    );
    CREATE INDEX unit_history_unit ON unit_history (story_id, unit_id, language, id);
    CREATE INDEX unit_history_user ON unit_history (user_id, created_at);
    CREATE TABLE unit_comments (
      id serial PRIMARY KEY,
      story_id integer NOT NULL,
      unit_id text NOT NULL,
      language text NOT NULL,
      user_id integer REFERENCES users(id) ON DELETE SET NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (story_id, unit_id) REFERENCES story_units(story_id, id) ON DELETE CASCADE
    );
    CREATE INDEX unit_comments_unit ON unit_comments (story_id, language, unit_id);
    CREATE TABLE translation_memory (
      id serial PRIMARY KEY,
      source_language text NOT NULL,
      target_language text NOT NULL,
      source_text text NOT NULL,
      target_text text NOT NULL,
      origin text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX translation_memory_pair ON translation_memory
      (source_language, target_language, md5(source_text), md5(target_text));
    CREATE INDEX translation_memory_trgm ON translation_memory USING gist (source_text gist_trgm_ops);
    CREATE TABLE glossary_terms (
      id serial PRIMARY KEY,
      source_language text NOT NULL,
      target_language text NOT NULL,
      term text NOT NULL,
      translation text NOT NULL,
      note text NOT NULL DEFAULT '',
      part_of_speech text NOT NULL DEFAULT '',
      forbidden text[] NOT NULL DEFAULT '{}',
      updated_by integer REFERENCES users(id) ON DELETE SET NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX glossary_terms_key ON glossary_terms (source_language, target_language, lower(term));
  `.execute(db);

  const stories = await sql<{ id: number; source_language: string }>`SELECT id, source_language FROM stories`.execute(
    db,
  );
  for (const story of stories.rows) {
    const texts = await sql<{
      language: string;
      title: string;
      summary: string;
      blocks: StoryBlock[];
    }>`SELECT language, title, summary, blocks FROM story_texts WHERE story_id = ${story.id}`.execute(db);
    const converted = texts.rows.map((row): StoryText => ({
      language: row.language,
      title: row.title,
      summary: row.summary,
      blocks: fromPlainBlocks(row.blocks).map(({ type, text }) => ({ type, text })),
    }));
    for (const text of converted)
      await sql`UPDATE story_texts SET blocks = ${JSON.stringify(text.blocks)}
        WHERE story_id = ${story.id} AND language = ${text.language}`.execute(db);
    const source = converted.find((text) => text.language === story.source_language);
    if (!source) continue;
    const units: StoryUnit[] = unitSlots(source, source.language).map((slot, index) => ({
      ...slot,
      id: `u${index + 1}`,
    }));
    for (const [position, unit] of units.entries())
      await sql`INSERT INTO story_units (story_id, id, position, part, block, block_type, text, placeholders)
        VALUES (${story.id}, ${unit.id}, ${position}, ${unit.part}, ${unit.block}, ${unit.blockType},
          ${unit.text}, ${JSON.stringify(unit.placeholders)})`.execute(db);
    await sql`UPDATE stories SET next_unit = ${units.length + 1} WHERE id = ${story.id}`.execute(db);
    for (const text of converted) {
      if (text.language === source.language) continue;
      for (const [unitId, translated] of unitsFromWholeText(units, text))
        await sql`INSERT INTO unit_translations (story_id, unit_id, language, text, state, source_version, origin)
          VALUES (${story.id}, ${unitId}, ${text.language}, ${translated}, 'approved', 1, 'whole-text')`.execute(db);
    }
  }
}
