import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import type { StoryText } from '../../domain/stories/story.ts';
import { alignUnits } from '../../domain/translation/units.ts';
import { assembleText, plainText, unitSlots, type StoryUnit } from '../../domain/translation/story-units.ts';
import { blocksInline } from '../../domain/translation/story-units.ts';
import { indexStoryTexts, unindexStoryText } from './search-index.ts';

// What the stories and translations repositories share, inside their transactions: a story text
// written with its search columns, the source's units kept in step with its text, and the texts of
// the other languages put together again from their published units.

export type Executor = Kysely<DB> | Transaction<DB>;

/** Writes one language's text of a story; `searchBody` is what search indexes besides title and summary. */
export async function writeStoryText(
  executor: Executor,
  storyId: number,
  text: StoryText,
  search: { title: string; summary: string; body: string },
): Promise<void> {
  const values = { title: text.title, summary: text.summary, blocks: JSON.stringify(text.blocks) };
  await executor
    .insertInto('story_texts')
    .values({ story_id: storyId, language: text.language, ...values })
    .onConflict((oc) => oc.columns(['story_id', 'language']).doUpdateSet(values))
    .execute();
  await indexStoryTexts(executor, [{ storyId, language: text.language, ...search }]);
}

/** The words of a source text, without Markdown, for search. */
export function sourceSearch(text: StoryText) {
  const plain = (nodes: ReturnType<typeof blocksInline>[number]): string =>
    nodes.map((node) => (node.type === 'text' ? node.text : plain(node.children))).join('');
  return { title: text.title, summary: text.summary, body: blocksInline(text.blocks).map(plain).join('\n') };
}

/** The rows of the story's units in reading order (only those its source has now). */
function activeUnitRows(executor: Executor, storyId: number) {
  return executor
    .selectFrom('story_units')
    .select(['id', 'part', 'block', 'block_type', 'text', 'placeholders', 'version', 'position'])
    .where('story_id', '=', storyId)
    .where('active', '=', true)
    .orderBy('position')
    .execute();
}

/** The story's units in reading order (only those its source has now). */
export async function loadUnits(executor: Executor, storyId: number): Promise<Array<StoryUnit & { version: number }>> {
  const rows = await activeUnitRows(executor, storyId);
  return rows.map((row) => ({
    id: row.id,
    part: row.part,
    block: row.block,
    blockType: row.block_type,
    text: row.text,
    placeholders: row.placeholders,
    version: row.version,
  }));
}

/** What an edit of the source did to its units. */
export interface UnitSync {
  edited: string[];
  added: string[];
  removed: string[];
}

/**
 * Cuts the source text into units again and keeps each unit's id where its text stayed or was
 * edited (alignUnits). An edited unit's version goes up, which outdates its translations in every
 * language, unless the edit is a typo fix. Ids are never reused: the story counts them.
 */
export async function syncUnits(trx: Transaction<DB>, storyId: number, text: StoryText, typoFix: boolean) {
  const story = await trx
    .selectFrom('stories')
    .select('next_unit')
    .where('id', '=', storyId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let next = story.next_unit;
  const previous = await activeUnitRows(trx, storyId);
  const slots = unitSlots(text, text.language);
  // Units align within their part, so a title never becomes a sentence of the body.
  const keyed = (part: string, unitText: string) => `${part}\u0000${unitText}`;
  const { units, removed } = alignUnits(
    previous.map((unit) => ({ id: unit.id, text: keyed(unit.part, unit.text) })),
    slots.map((slot) => keyed(slot.part, slot.text)),
    () => `u${next++}`,
  );
  const sync: UnitSync = { edited: [], added: [], removed };
  const known = new Map(previous.map((unit) => [unit.id, unit]));
  const valuesOf = (position: number) => {
    const slot = slots[position]!;
    return {
      position,
      part: slot.part,
      block: slot.block,
      block_type: slot.blockType,
      text: slot.text,
      placeholders: slot.placeholders,
    };
  };
  const added: Array<ReturnType<typeof valuesOf> & { story_id: number; id: string }> = [];
  const shifted: Array<ReturnType<typeof valuesOf> & { id: string }> = [];
  for (const [position, unit] of units.entries()) {
    const values = valuesOf(position);
    const before = known.get(unit.id);
    if (!before) {
      sync.added.push(unit.id);
      // An id that was removed once may not come back, but a unit of the same text may: it is new.
      added.push({ story_id: storyId, id: unit.id, ...values });
      continue;
    }
    // Most units of a long story stay as they were: only those that moved or changed are written.
    const changed = before.text !== values.text;
    const moved =
      before.position !== position ||
      before.part !== values.part ||
      before.block !== values.block ||
      before.block_type !== values.block_type ||
      !isDeepStrictEqual(before.placeholders, values.placeholders);
    if (!changed && !moved) continue;
    if (!changed) {
      shifted.push({ id: unit.id, ...values });
      continue;
    }
    if (!typoFix) sync.edited.push(unit.id);
    await trx
      .updateTable('story_units')
      .set({
        ...values,
        placeholders: JSON.stringify(values.placeholders),
        updated_at: new Date(),
        ...(typoFix ? {} : { version: sql<number>`version + 1`, previous_text: before.text }),
      })
      .where('story_id', '=', storyId)
      .where('id', '=', unit.id)
      .execute();
  }
  // A sentence added or removed early in a long story moves all those after it: one statement per
  // thousand rows (a statement takes at most 65,535 parameters), as for the units added.
  for (let from = 0; from < shifted.length; from += 1000) {
    const rows = shifted
      .slice(from, from + 1000)
      .map(
        (row) =>
          sql`(${row.id}, ${row.position}::integer, ${row.part}, ${row.block}::integer, ${row.block_type}::text, ${JSON.stringify(row.placeholders)}::jsonb)`,
      );
    await sql`
      UPDATE story_units AS u
      SET position = v.position, part = v.part, block = v.block, block_type = v.block_type, placeholders = v.placeholders
      FROM (VALUES ${sql.join(rows)}) AS v (id, position, part, block, block_type, placeholders)
      WHERE u.story_id = ${storyId} AND u.id = v.id`.execute(trx);
  }
  for (let from = 0; from < added.length; from += 1000)
    await trx
      .insertInto('story_units')
      .values(
        added
          .slice(from, from + 1000)
          .map((row) => ({ ...row, placeholders: JSON.stringify(row.placeholders), active: true })),
      )
      .execute();
  if (removed.length)
    await trx
      .updateTable('story_units')
      .set({ active: false })
      .where('story_id', '=', storyId)
      .where('id', 'in', removed)
      .execute();
  await trx.updateTable('stories').set({ next_unit: next }).where('id', '=', storyId).execute();
  return sync;
}

/** Published translations of a story in `language`: approved and still following their unit's source. */
export async function publishedUnits(executor: Executor, storyId: number, language: string) {
  const rows = await executor
    .selectFrom('unit_translations as t')
    .innerJoin('story_units as u', (join) =>
      join.onRef('u.story_id', '=', 't.story_id').onRef('u.id', '=', 't.unit_id'),
    )
    .select(['t.unit_id', 't.text'])
    .where('t.story_id', '=', storyId)
    .where('t.language', '=', language)
    .where('t.state', '=', 'approved')
    .where('u.active', '=', true)
    .whereRef('t.source_version', '=', 'u.version')
    .execute();
  return new Map(rows.map((row) => [row.unit_id, row.text]));
}

/** Published translations in the first of `languages` that has one, per unit. */
export async function publishedInChain(executor: Executor, storyId: number, languages: readonly string[]) {
  const found = new Map<string, { language: string; text: string }>();
  if (!languages.length) return found;
  const rows = await executor
    .selectFrom('unit_translations as t')
    .innerJoin('story_units as u', (join) =>
      join.onRef('u.story_id', '=', 't.story_id').onRef('u.id', '=', 't.unit_id'),
    )
    .select(['t.unit_id', 't.text', 't.language'])
    .where('t.story_id', '=', storyId)
    .where('t.language', 'in', [...languages])
    .where('t.state', '=', 'approved')
    .where('u.active', '=', true)
    .whereRef('t.source_version', '=', 'u.version')
    .execute();
  const rank = (language: string) => languages.indexOf(language);
  for (const row of rows) {
    const before = found.get(row.unit_id);
    if (!before || rank(row.language) < rank(before.language))
      found.set(row.unit_id, { language: row.language, text: row.text });
  }
  return found;
}

/**
 * Puts together again the texts of the story's other languages (all, or those given) from their
 * published units, for cards, search and the API: a language with no published unit has no text.
 */
export async function publishTranslations(trx: Executor, storyId: number, languages?: string[]): Promise<void> {
  const story = await trx
    .selectFrom('stories')
    .select('source_language')
    .where('id', '=', storyId)
    .executeTakeFirstOrThrow();
  const units = await loadUnits(trx, storyId);
  let wanted = languages;
  if (!wanted) {
    const rows = await trx
      .selectFrom('unit_translations')
      .select('language')
      .distinct()
      .where('story_id', '=', storyId)
      .union(trx.selectFrom('story_texts').select('language').where('story_id', '=', storyId))
      .execute();
    wanted = rows.map((row) => row.language);
  }
  for (const language of wanted) {
    if (language === story.source_language) continue;
    const published = await publishedUnits(trx, storyId, language);
    if (published.size === 0) {
      await unindexStoryText(trx, storyId, language);
      await trx.deleteFrom('story_texts').where('story_id', '=', storyId).where('language', '=', language).execute();
      continue;
    }
    const { text } = assembleText(units, story.source_language, language, published);
    const only = (part: StoryUnit['part']) =>
      units
        .filter((unit) => unit.part === part && published.has(unit.id))
        .map((unit) => plainText(published.get(unit.id)!))
        .join(' ');
    await writeStoryText(trx, storyId, text, { title: only('title'), summary: only('summary'), body: only('body') });
  }
}
