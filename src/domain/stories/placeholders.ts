import { buildBlock, type Container, type InlineNode } from './markup.ts';
import { PLACEHOLDER_PATTERN, placeholder } from '../translation/markers.ts';
// Placeholders: a block's inline content as plain text for segmentation, translation memory and
// machine translation, each tag a private-use marker "\uE000" + index + "\uE001" (the format that
// src/domain/translation/segment.ts splits into sentences). Opening and closing tags are separate
// markers, so the text between them stays translatable; the index is the tag's place in
// `placeholders`, in document order. checkPlaceholders works on a block or on one of its
// sentences; fromUnitText rebuilds a whole block. Emphasis a translator leaves empty is dropped
// (some languages do without it); a link left empty is an error.

/** What a placeholder stands for. */
export type Placeholder =
  | { kind: 'em-open' }
  | { kind: 'em-close' }
  | { kind: 'strong-open' }
  | { kind: 'strong-close' }
  | { kind: 'link-open'; href: string }
  | { kind: 'link-close' };

/** Inline content as translatable text with placeholder markers. */
export interface UnitText {
  text: string;
  placeholders: Placeholder[];
}

/** The stable codes of PlaceholderProblem.code. */
export type PlaceholderProblemCode =
  | 'placeholder_missing'
  | 'placeholder_invented'
  | 'placeholder_duplicated'
  | 'placeholder_closed_before_opened'
  | 'placeholder_crossing'
  | 'placeholder_nested_link'
  | 'placeholder_empty_link'
  | 'placeholder_malformed'
  | 'placeholder_unrepresentable';

/** A translation's placeholder problem at a 1-based line and column of the translated text (0 and 0 for a missing one). */
export interface PlaceholderProblem {
  code: PlaceholderProblemCode;
  /** The placeholder's index; absent for a malformed marker. */
  index?: number;
  line: number;
  column: number;
  message: string;
}

const PLACEHOLDER_MESSAGES: Record<PlaceholderProblemCode, string> = {
  placeholder_missing: 'A placeholder of the source is missing from the translation.',
  placeholder_invented: 'The translation has a placeholder that the source does not.',
  placeholder_duplicated: 'A placeholder appears more than once.',
  placeholder_closed_before_opened: 'A placeholder closes before the one that opens it.',
  placeholder_crossing: 'Placeholders cross: one closes while another opened inside it is still open.',
  placeholder_nested_link: 'A link placeholder is placed inside another link.',
  placeholder_empty_link: 'A link has no text left between its placeholders.',
  placeholder_malformed: 'A placeholder marker is broken.',
  placeholder_unrepresentable:
    'A formatting placeholder stands where Markdown cannot mark it (between a letter and punctuation): move it past the punctuation.',
};

/** Inline content as plain text with a marker for each opening and closing tag. */
export function toUnitText(inline: readonly InlineNode[]): UnitText {
  const placeholders: Placeholder[] = [];
  const write = (nodes: readonly InlineNode[]): string =>
    nodes
      .map((node) => {
        if (node.type === 'text') return node.text;
        const opening =
          node.type === 'link'
            ? placeholders.push({ kind: 'link-open', href: node.href })
            : placeholders.push({ kind: `${node.type}-open` });
        const inner = write(node.children);
        const closing = placeholders.push({ kind: `${node.type}-close` });
        return placeholder(opening - 1) + inner + placeholder(closing - 1);
      })
      .join('');
  return { text: write(inline), placeholders };
}

/** Rebuilds normal inline content from a translated unit text, or says what is wrong with its placeholders. */
export function fromUnitText(
  text: string,
  placeholders: readonly Placeholder[],
): { inline: InlineNode[] } | { problems: PlaceholderProblem[] } {
  const problems = placeholderProblems(new Set(placeholders.keys()), text, placeholders);
  if (problems.length) return { problems };
  const root: InlineNode[] = [];
  const parents: InlineNode[][] = [];
  let children = root;
  let last = 0;
  for (const marker of findMarkers(text).markers) {
    children.push({ type: 'text', text: text.slice(last, marker.offset) });
    last = marker.offset + marker.length;
    const placeholder = placeholders[marker.index]!;
    if (placeholder.kind.endsWith('-open')) {
      const container: Container =
        placeholder.kind === 'link-open'
          ? { type: 'link', href: placeholder.href, children: [] }
          : { type: placeholder.kind === 'em-open' ? 'em' : 'strong', children: [] };
      children.push(container);
      parents.push(children);
      children = container.children;
    } else children = parents.pop() ?? root;
  }
  children.push({ type: 'text', text: text.slice(last) });
  const { block, exact } = buildBlock('paragraph', root, true);
  if (!exact)
    return {
      problems: [
        {
          code: 'placeholder_unrepresentable',
          line: 0,
          column: 0,
          message: PLACEHOLDER_MESSAGES.placeholder_unrepresentable,
        },
      ],
    };
  return { inline: block.inline };
}

/** What a translation did wrong with the placeholders of its source text (moving them is fine). */
export function checkPlaceholders(
  sourceText: string,
  translatedText: string,
  placeholders: readonly Placeholder[],
): PlaceholderProblem[] {
  const inSource = findMarkers(sourceText).markers.map((marker) => marker.index);
  return placeholderProblems(
    new Set(inSource.filter((index) => index < placeholders.length)),
    translatedText,
    placeholders,
  );
}

interface Marker {
  index: number;
  offset: number;
  length: number;
}

function findMarkers(text: string): { markers: Marker[]; broken: number[] } {
  const all = new RegExp(PLACEHOLDER_PATTERN.source, 'gu');
  const markers = [...text.matchAll(all)].map((match) => ({
    index: Number(match[1]),
    offset: match.index,
    length: match[0].length,
  }));
  const rest = text.replace(all, (marker) => ' '.repeat(marker.length));
  const broken = [...rest.matchAll(/[\uE000\uE001]/g)].map((match) => match.index);
  return { markers, broken };
}

/** For each placeholder index, the index of the one that closes or opens it. */
function partners(placeholders: readonly Placeholder[]): Map<number, number> {
  const partner = new Map<number, number>();
  const opened: number[] = [];
  placeholders.forEach((placeholder, index) => {
    if (placeholder.kind.endsWith('-open')) opened.push(index);
    else {
      const opening = opened.pop();
      if (opening !== undefined) partner.set(opening, index).set(index, opening);
    }
  });
  return partner;
}

function placeholderProblems(
  expected: ReadonlySet<number>,
  text: string,
  placeholders: readonly Placeholder[],
): PlaceholderProblem[] {
  const problems: PlaceholderProblem[] = [];
  const report = (code: PlaceholderProblemCode, offset: number | null, index?: number) => {
    const before = offset === null ? '' : text.slice(0, offset);
    const line = offset === null ? 0 : before.split('\n').length;
    const column = offset === null ? 0 : offset - before.lastIndexOf('\n');
    problems.push({
      code,
      ...(index === undefined ? {} : { index }),
      line,
      column,
      message: PLACEHOLDER_MESSAGES[code],
    });
  };
  const { markers, broken } = findMarkers(text);
  for (const offset of broken) report('placeholder_malformed', offset);
  const firstAt = new Map<number, number>();
  for (const marker of markers) {
    if (!expected.has(marker.index)) report('placeholder_invented', marker.offset, marker.index);
    else if (firstAt.has(marker.index)) report('placeholder_duplicated', marker.offset, marker.index);
    else firstAt.set(marker.index, marker.offset);
  }
  for (const index of expected) if (!firstAt.has(index)) report('placeholder_missing', null, index);

  const partner = partners(placeholders);
  const stack: number[] = [];
  const closedEarly = new Set<number>();
  for (const marker of markers) {
    const { index, offset } = marker;
    if (firstAt.get(index) !== offset) continue;
    const other = partner.get(index);
    const otherAt = other === undefined ? undefined : firstAt.get(other);
    if (placeholders[index]!.kind.endsWith('-open')) {
      // An opening whose closing is lost (reported as missing) or came first (reported there) opens nothing.
      if (closedEarly.has(index) || (other !== undefined && expected.has(other) && otherAt === undefined)) continue;
      const inLink = stack.some((opened) => placeholders[opened]!.kind === 'link-open');
      if (placeholders[index]!.kind === 'link-open' && inLink) report('placeholder_nested_link', offset, index);
      if (placeholders[index]!.kind === 'link-open' && otherAt !== undefined && otherAt > offset) {
        const between = text
          .slice(offset + marker.length, otherAt)
          .replace(new RegExp(PLACEHOLDER_PATTERN.source, 'gu'), '');
        if (!between.trim()) report('placeholder_empty_link', offset, index);
      }
      stack.push(index);
    } else if (other !== undefined && otherAt !== undefined) {
      if (otherAt > offset) {
        report('placeholder_closed_before_opened', offset, index);
        closedEarly.add(other);
      } else if (stack.at(-1) === other) stack.pop();
      else {
        report('placeholder_crossing', offset, index);
        const at = stack.indexOf(other);
        if (at >= 0) stack.splice(at, 1);
      }
    } else if (other === undefined || !expected.has(other)) {
      // It closes a tag opened before this text (a sentence of a longer block): nothing opened here may still be open.
      if (stack.length) report('placeholder_crossing', offset, index);
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
