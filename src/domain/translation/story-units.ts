import type { StoryBlock, StoryText } from '../stories/story.ts';
import { formatBlocks } from '../stories/blocks.ts';
import { buildBlock, parseStoryMarkup, type Container, type InlineNode } from '../stories/markup.ts';
import { fromUnitText, toUnitText, type Placeholder } from '../stories/placeholders.ts';
import { PLACEHOLDER_PATTERN } from './markers.ts';
import { joinSentences, splitSentences } from './segment.ts';

// A story's source text as translation units: the title is one unit, the summary and each block of
// the body one unit per sentence. Inline markup travels as placeholder markers numbered within their
// block, so every unit of a block carries the block's placeholder list. And back: a language's text
// put together from whichever units have a published translation, the source standing in for the rest.

/** Where a unit sits in the story. */
export type UnitPart = 'title' | 'summary' | 'body';

/** A unit of the source as segmentation gives it (before it has an id). */
export interface UnitSlot {
  part: UnitPart;
  /** The block's index in the body (0 for the title and the summary). */
  block: number;
  blockType: StoryBlock['type'] | null;
  text: string;
  placeholders: Placeholder[];
}

/** A unit as stored, with its id. */
export interface StoryUnit extends UnitSlot {
  id: string;
}

/** The inline content of stored blocks (their text is canonical Markdown). */
export function blocksInline(blocks: readonly StoryBlock[]): InlineNode[][] {
  if (blocks.length === 0) return [];
  const parsed = parseStoryMarkup(formatBlocks(blocks));
  // Stored blocks were checked when saved; text that no longer reads as markup is shown as it is.
  if ('problems' in parsed || parsed.blocks.length !== blocks.length)
    return blocks.map((block) => [{ type: 'text', text: block.text }]);
  return parsed.blocks.map((block) => block.inline);
}

/** The units of a source text, in reading order. */
export function unitSlots(text: StoryText, language: string): UnitSlot[] {
  const slots: UnitSlot[] = [];
  const title = text.title.trim();
  if (title) slots.push({ part: 'title', block: 0, blockType: null, text: title, placeholders: [] });
  for (const sentence of splitSentences(text.summary, language))
    slots.push({ part: 'summary', block: 0, blockType: null, text: sentence, placeholders: [] });
  blocksInline(text.blocks).forEach((inline, block) => {
    const blockType = text.blocks[block]!.type;
    const unit = toUnitText(inline);
    const opens = (index: number) => unit.placeholders[index]?.kind.endsWith('-open') ?? false;
    const sentences = blockType === 'heading' ? [unit.text.trim()] : splitSentences(unit.text, language, opens);
    for (const sentence of sentences.filter(Boolean))
      slots.push({ part: 'body', block, blockType, text: sentence, placeholders: unit.placeholders });
  });
  return slots;
}

/** A unit's text with its markers taken out: what search, memory and length checks see. */
export function plainText(text: string): string {
  return text.replace(new RegExp(PLACEHOLDER_PATTERN.source, 'gu'), '');
}

/**
 * A unit's text as inline content on its own, for showing one sentence of a block: a tag whose
 * partner lies in another sentence opens at this sentence's start or closes at its end.
 */
export function unitInline(text: string, placeholders: readonly Placeholder[]): InlineNode[] {
  const root: InlineNode[] = [];
  const stack: Container[] = [];
  const children = () => stack.at(-1)?.children ?? root;
  let last = 0;
  for (const match of text.matchAll(new RegExp(PLACEHOLDER_PATTERN.source, 'gu'))) {
    if (match.index > last) children().push({ type: 'text', text: text.slice(last, match.index) });
    last = match.index + match[0].length;
    const placeholder = placeholders[Number(match[1])];
    if (!placeholder) continue;
    if (placeholder.kind.endsWith('-open')) {
      const container: Container =
        placeholder.kind === 'link-open'
          ? { type: 'link', href: placeholder.href, children: [] }
          : { type: placeholder.kind === 'em-open' ? 'em' : 'strong', children: [] };
      children().push(container);
      stack.push(container);
    } else if (stack.length && stack.at(-1)!.type === placeholder.kind.replace('-close', '')) stack.pop();
  }
  if (last < text.length) children().push({ type: 'text', text: text.slice(last) });
  return root;
}

/** One piece of a language's text: a unit, in the translation when it has a published one. */
export interface ReadingUnit {
  id: string;
  language: string;
  translated: boolean;
  inline: InlineNode[];
}

/** A block as a reader sees it: whole in one language, or sentence by sentence where translations are partial. */
export interface ReadingBlock {
  /** The block's index in the source body. */
  block: number;
  type: StoryBlock['type'];
  /** The block's language when all its units are in one language. */
  language: string;
  translated: 'all' | 'none' | 'some';
  /** The whole block's content when it is all in one language. */
  inline: InlineNode[] | null;
  units: ReadingUnit[];
}

export interface Reading {
  title: ReadingUnit | null;
  summary: ReadingUnit[];
  blocks: ReadingBlock[];
  /** Units in the reader's language, and all units. */
  translated: number;
  total: number;
}

/** A published translation of a unit, in the language it is in. */
export interface PublishedUnit {
  language: string;
  text: string;
}

/**
 * A story for reading in `language`: each unit in its published translation (in `language`, or
 * failing that the nearest language of the reader's that has one), else in the source. A block
 * whose units are all in one language is rebuilt whole, so markup spanning its sentences survives.
 */
export function readingOf(
  units: readonly StoryUnit[],
  sourceLanguage: string,
  language: string,
  published: ReadonlyMap<string, PublishedUnit>,
): Reading {
  const piece = (unit: StoryUnit): ReadingUnit => {
    const found = language === sourceLanguage ? undefined : published.get(unit.id);
    const shown = found?.language ?? sourceLanguage;
    return {
      id: unit.id,
      language: shown,
      translated: shown === language,
      inline: unitInline(found?.text ?? unit.text, unit.placeholders),
    };
  };
  const reading: Reading = { title: null, summary: [], blocks: [], translated: 0, total: units.length };
  for (const unit of units) {
    const read = piece(unit);
    if (read.translated) reading.translated++;
    if (unit.part === 'title') reading.title = read;
    else if (unit.part === 'summary') reading.summary.push(read);
    else {
      const last = reading.blocks.at(-1);
      if (last && last.block === unit.block) last.units.push(read);
      else
        reading.blocks.push({
          block: unit.block,
          type: unit.blockType ?? 'paragraph',
          language: '',
          translated: 'none',
          inline: null,
          units: [read],
        });
    }
  }
  for (const block of reading.blocks) {
    const done = block.units.filter((unit) => unit.translated).length;
    block.translated = done === block.units.length ? 'all' : done === 0 ? 'none' : 'some';
    const languages = new Set(block.units.map((unit) => unit.language));
    if (languages.size !== 1) continue;
    block.language = [...languages][0]!;
    const source = units.filter((unit) => unit.part === 'body' && unit.block === block.block);
    const texts = source.map((unit) => (block.language === sourceLanguage ? unit.text : published.get(unit.id)!.text));
    const whole = fromUnitText(joinSentences(texts, block.language), source[0]!.placeholders);
    if ('inline' in whole) block.inline = whole.inline;
  }
  return reading;
}

/**
 * A language's text put together for cards, search and the API: published translations where there
 * are, the source elsewhere; `translatedText` is only the translated words (what search indexes).
 */
export function assembleText(
  units: readonly StoryUnit[],
  sourceLanguage: string,
  language: string,
  published: ReadonlyMap<string, string>,
): { text: StoryText; translatedText: string } {
  const inLanguage = new Map([...published].map(([id, text]) => [id, { language, text }]));
  const reading = readingOf(units, sourceLanguage, language, inLanguage);
  const plain = (unit: ReadingUnit | null | undefined) => (unit ? inlinePlain(unit.inline) : '');
  const translated = [reading.title, ...reading.summary, ...reading.blocks.flatMap((block) => block.units)]
    .filter((unit): unit is ReadingUnit => unit !== null && unit.translated && unit.language === language)
    .map(plain);
  const blocks = reading.blocks.map((block) => {
    const inline =
      block.inline ??
      block.units.flatMap((unit, index) =>
        index ? [{ type: 'text' as const, text: ' ' }, ...unit.inline] : unit.inline,
      );
    const { block: built } = buildBlock(block.type, inline, true);
    return { type: block.type, text: built.text };
  });
  return {
    text: {
      language,
      title: plain(reading.title),
      summary: joinSentences(reading.summary.map(plain), language),
      blocks,
    },
    translatedText: translated.join(' '),
  };
}

function inlinePlain(nodes: readonly InlineNode[]): string {
  return nodes.map((node) => (node.type === 'text' ? node.text : inlinePlain(node.children))).join('');
}

/**
 * Splits a whole translation made before units existed over the source's units of one part or
 * block: each unit gets a run of the translation's sentences (maybe none), in order, chosen so
 * the lengths match best (sentences of a translation are about as long as their source's, in
 * proportion). Nothing of the translation is dropped.
 */
export function spreadTranslation(sources: readonly string[], sentences: readonly string[]): string[][] {
  const n = sources.length;
  const m = sentences.length;
  if (n === 0) return [];
  const sourceTotal = sources.reduce((sum, text) => sum + plainText(text).length, 0) || 1;
  const targetTotal = sentences.reduce((sum, text) => sum + plainText(text).length, 0) || 1;
  const share = (from: number, to: number) =>
    sentences.slice(from, to).reduce((sum, text) => sum + plainText(text).length, 0) / targetTotal;
  // cost[i][j]: best cost of giving the first j sentences to the first i units.
  const cost = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  const choice = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  cost[0]![0] = 0;
  for (let i = 1; i <= n; i++) {
    const want = plainText(sources[i - 1]!).length / sourceTotal;
    // The last unit takes whatever is left: only cost[n][m] is wanted.
    for (let j = i === n ? m : 0; j <= m; j++) {
      for (let k = 0; k <= j; k++) {
        const before = cost[i - 1]![k]!;
        if (before === Infinity) continue;
        // An empty run costs a little more than its length alone says: a unit should get something.
        const value = before + Math.abs(share(k, j) - want) + (k === j ? 0.25 : 0);
        if (value < cost[i]![j]!) {
          cost[i]![j] = value;
          choice[i]![j] = k;
        }
      }
    }
  }
  const runs: string[][] = [];
  let j = m;
  for (let i = n; i >= 1; i--) {
    const k = choice[i]![j]!;
    runs.unshift(sentences.slice(k, j));
    j = k;
  }
  return runs;
}

/**
 * A whole translation of a story (as stories were translated before units) given to its units:
 * the title to the title, the summary's sentences over the summary's units, and each block's
 * sentences over that block's units (the whole body's over all body units when the blocks differ).
 */
export function unitsFromWholeText(units: readonly StoryUnit[], text: StoryText): Map<string, string> {
  const result = new Map<string, string>();
  const language = text.language;
  const give = (group: readonly StoryUnit[], sentences: string[]) => {
    spreadTranslation(
      group.map((unit) => unit.text),
      sentences,
    ).forEach((run, index) => {
      const joined = joinSentences(run, language);
      if (joined) result.set(group[index]!.id, joined);
    });
  };
  const title = units.find((unit) => unit.part === 'title');
  if (title && text.title.trim()) result.set(title.id, text.title.trim());
  give(
    units.filter((unit) => unit.part === 'summary'),
    splitSentences(text.summary, language),
  );
  const body = units.filter((unit) => unit.part === 'body');
  const blockCount = new Set(body.map((unit) => unit.block)).size;
  const sentencesOf = (inline: InlineNode[]) => splitSentences(inlinePlain(inline), language);
  const targetBlocks = blocksInline(text.blocks);
  if (targetBlocks.length === blockCount) {
    [...new Set(body.map((unit) => unit.block))].forEach((block, index) =>
      give(
        body.filter((unit) => unit.block === block),
        sentencesOf(targetBlocks[index]!),
      ),
    );
  } else give(body, targetBlocks.flatMap(sentencesOf));
  return result;
}
