import type { InlineNode } from '../../../domain/stories/markup.ts';
import type { Reading, ReadingBlock, ReadingUnit } from '../../../domain/translation/story-units.ts';
import { languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { sentenceSeparator } from '../../../domain/translation/segment.ts';

// A story's text as readers see it: each piece carries its own language and direction, and a
// sentence shown in the source because it is not translated yet says so to screen readers (a
// visually hidden prefix) and to the eye (a dotted underline, see site.css).

/** Inline content as elements: links, emphasis and text (escaped like every value). */
export function inlineContent(nodes: readonly InlineNode[]): Array<VNode | string> {
  return nodes.map((node) => {
    if (node.type === 'text') return node.text;
    if (node.type === 'em') return html`<em>${inlineContent(node.children)}</em>`;
    if (node.type === 'strong') return html`<strong>${inlineContent(node.children)}</strong>`;
    return html`<a href=${node.href}>${inlineContent(node.children)}</a>`;
  });
}

function attributesOf(context: PageContext, code: string) {
  const language = context.languages.find((l) => l.code === code) ?? { code, dir: 'ltr' as const };
  return languageAttributes(language);
}

/** The attributes of an element in `code`: none when it is the page's language. */
export function languageOf(context: PageContext, code: string) {
  return code === context.language.code ? {} : attributesOf(context, code);
}

/** One unit on its own: in the page's language, or in the source marked as untranslated. */
export function readingUnit(context: PageContext, unit: ReadingUnit): VNode {
  if (unit.translated) return html`<span ...${languageOf(context, unit.language)}>${inlineContent(unit.inline)}</span>`;
  return html`<span class="story__untranslated" ...${attributesOf(context, unit.language)}>${untranslatedPrefix(context)}${inlineContent(unit.inline)}</span>`;
}

/** Units side by side, each in its language, spaced as the earlier one's language spaces sentences. */
function units(context: PageContext, list: readonly ReadingUnit[], show: (unit: ReadingUnit) => Array<VNode | string>) {
  return list.flatMap((unit, index) => {
    const before = list[index - 1];
    return before ? [sentenceSeparator(plainOf(before.inline), before.language), ...show(unit)] : show(unit);
  });
}

const plainOf = (nodes: readonly InlineNode[]): string =>
  nodes.map((node) => (node.type === 'text' ? node.text : plainOf(node.children))).join('');

function blockContent(context: PageContext, block: ReadingBlock): Array<VNode | string> {
  if (block.inline && block.translated !== 'none') return inlineContent(block.inline);
  return units(context, block.units, (unit) => [readingUnit(context, unit)]);
}

/** A block as its element (paragraph, heading or quote). */
function readingBlock(context: PageContext, block: ReadingBlock): VNode {
  // A block all in one language carries it on its element; a mixed block on each sentence.
  const attributes = block.inline ? languageOf(context, block.language) : {};
  const untranslated = block.inline && block.translated === 'none' && block.language !== context.language.code;
  const content = untranslated
    ? [untranslatedPrefix(context), ...inlineContent(block.inline!)]
    : blockContent(context, block);
  const marked = untranslated ? 'story__untranslated-block' : undefined;
  if (block.type === 'heading') return html`<h2 class=${marked} ...${attributes}>${content}</h2>`;
  if (block.type === 'quote') return html`<blockquote class=${marked} ...${attributes}><p>${content}</p></blockquote>`;
  return html`<p class=${marked} ...${attributes}>${content}</p>`;
}

/** The body of a story for reading. */
export function readingBody(context: PageContext, reading: Reading): VNode[] {
  return reading.blocks.map((block) => readingBlock(context, block));
}

/**
 * A title or summary made of units, as the attributes and content of its element: all in one
 * language, the element carries it (and, untranslated, says so); mixed, each sentence does.
 */
export function readingLine(
  context: PageContext,
  list: readonly ReadingUnit[],
): { attributes: Record<string, string>; content: Array<VNode | string> } {
  const languages = new Set(list.map((unit) => unit.language));
  if (languages.size > 1)
    return { attributes: {}, content: units(context, list, (unit) => [readingUnit(context, unit)]) };
  const text = units(context, list, (unit) => inlineContent(unit.inline));
  if (list.every((unit) => unit.translated))
    return { attributes: languageOf(context, list[0]?.language ?? ''), content: text };
  return {
    attributes: { class: 'story__untranslated-block', ...attributesOf(context, list[0]!.language) },
    content: [untranslatedPrefix(context), ...text],
  };
}

function untranslatedPrefix(context: PageContext): VNode {
  return html`<span class="visually-hidden" ...${attributesOf(context, context.language.code)}>${context.t('story-untranslated-prefix')} </span>`;
}
