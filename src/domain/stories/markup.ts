import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import type { Nesting } from 'markdown-it/lib/token.mjs';
import type { StoryBlock } from './story.ts';

// A story body in a small Markdown subset: paragraphs, `## ` headings and `> ` quotes, holding
// text with *emphasis*, **strong** and [links](https://…). Everything else is refused with its
// place rather than shown as something the editor did not mean, or silently dropped.
//
// A MarkupBlock is a StoryBlock whose `text` is the block's inline content in canonical Markdown
// (no `## `/`> ` marker, no line breaks), so it is stored as today's blocks are, and formatBlocks()
// of canonical blocks is their Markdown. `inline` is the same content as a tree, the form that
// translation (placeholders), rendering and checks work on. Trees are kept normal (see
// normalizeInline) and a block's text is checked to read back as its tree, so parse → toMarkdown
// → parse gives the same blocks; emphasis that no canonical writing keeps is refused
// (unstable_emphasis) rather than changed.
//
// Raw HTML is not markup here: markdown-it runs with `html: false`, so `<script>` is text, shown
// as written. The constructs that are refused (lists, code, tables, rules, images) are left on
// in the parser only so that they can be named with their line; disabled ones read as text.

/** Inline content: text, emphasis, strong emphasis and links (http, https and mailto only). */
export type InlineNode =
  | { type: 'text'; text: string }
  | { type: 'em'; children: InlineNode[] }
  | { type: 'strong'; children: InlineNode[] }
  | { type: 'link'; href: string; children: InlineNode[] };

/** A block of a story body: `text` is its canonical Markdown, `inline` the same as a tree. */
export interface MarkupBlock extends StoryBlock {
  inline: InlineNode[];
}

/** The stable codes of MarkupProblem.code. */
export type MarkupProblemCode =
  | 'reserved_character'
  | 'heading_level'
  | 'heading_in_quote'
  | 'nested_quote'
  | 'list'
  | 'code_block'
  | 'table'
  | 'thematic_break'
  | 'image'
  | 'link_scheme'
  | 'relative_link'
  | 'link_title'
  | 'empty_link'
  | 'unstable_emphasis'
  | 'unsupported_markup';

/** Something in a story's source that cannot be shown, at a 1-based line and column (UTF-16 code units). */
export interface MarkupProblem {
  code: MarkupProblemCode;
  line: number;
  column: number;
  message: string;
}

const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false, breaks: false });
markdown.disable([
  'lheading', // "Title\n===": one heading syntax only; "---" under text is then a refused rule
  'reference', // "[x]: url" definitions would vanish from the text; read as text instead
  'html_block',
  'html_inline',
  'backticks',
  'strikethrough',
  'autolink',
  'entity', // "&amp;" stays as written, so plain text never changes meaning
  'linkify',
  'replacements',
  'smartquotes',
]);
// markdown-it turns a javascript: link into plain text; let it through so it is refused, with its place.
markdown.validateLink = () => true;

// Inline tokens carry no position; record where each link and image starts in the inline content.
class PositionedInlineState extends markdown.inline.State {
  override push(type: string, tag: string, nesting: Nesting): Token {
    const token = super.push(type, tag, nesting);
    // For a link, pos is just after its "["; for an image, still at its "!".
    if (type === 'link_open') token.meta = { offset: this.pos - 1 };
    else if (type === 'image') token.meta = { offset: this.pos };
    return token;
  }
}
markdown.inline.State = PositionedInlineState;

const REFUSED_BLOCKS: Record<string, MarkupProblemCode> = {
  bullet_list_open: 'list',
  ordered_list_open: 'list',
  code_block: 'code_block',
  fence: 'code_block',
  table_open: 'table',
  hr: 'thematic_break',
};

const MESSAGES: Record<MarkupProblemCode, string> = {
  reserved_character: 'The text holds a private-use character (U+E000 or U+E001) reserved for translation.',
  heading_level: 'A heading is written "## ": a story has one level of heading.',
  heading_in_quote: 'A quote cannot hold a heading.',
  nested_quote: 'A quote cannot hold another quote.',
  list: 'A list cannot be shown in a story: write its items as sentences or paragraphs.',
  code_block: 'A code block cannot be shown in a story.',
  table: 'A table cannot be shown in a story.',
  thematic_break: 'A horizontal rule cannot be shown in a story.',
  image: 'An image cannot be placed in the text: add it to the story as media.',
  link_scheme: 'A link must go to an http:, https: or mailto: address.',
  relative_link: 'A link must be a full address beginning with https://, http:// or mailto:.',
  link_title: 'A link cannot have a title.',
  empty_link: 'A link must have text to click.',
  unstable_emphasis:
    'This emphasis cannot be kept as written: its "*" or "_" stand between punctuation and a letter. Put it around whole words.',
  unsupported_markup: 'This markup cannot be shown in a story.',
};

/** Reads a story body written in the Markdown subset: its blocks, or every problem that stops it. */
export function parseStoryMarkup(source: string): { blocks: MarkupBlock[] } | { problems: MarkupProblem[] } {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const problems: MarkupProblem[] = [];
  lines.forEach((line, index) => {
    const at = line.search(/[\uE000\uE001]/);
    if (at >= 0) problems.push(markupProblem('reserved_character', index + 1, at + 1));
  });
  const tokens = markdown.parse(source, {});
  const blocks = readBlocks(tokens, 0, tokens.length, false, { lines, problems });
  if (problems.length) return { problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  return { blocks };
}

interface Reading {
  lines: string[];
  problems: MarkupProblem[];
}

function markupProblem(code: MarkupProblemCode, line: number, column: number, detail = ''): MarkupProblem {
  return { code, line, column, message: detail ? `${MESSAGES[code]} (${detail})` : MESSAGES[code] };
}

/** The index of the token that closes the one at `index` (itself when it opens nothing). */
function closingIndex(tokens: Token[], index: number): number {
  if (tokens[index]?.nesting !== 1) return index;
  let depth = 0;
  for (let at = index; at < tokens.length; at++) {
    depth += tokens[at]!.nesting;
    if (depth === 0) return at;
  }
  return tokens.length - 1;
}

function readBlocks(tokens: Token[], start: number, end: number, inQuote: boolean, reading: Reading): MarkupBlock[] {
  const blocks: MarkupBlock[] = [];
  const refuse = (token: Token, code: MarkupProblemCode, detail = '') => {
    const lineIndex = token.map?.[0] ?? 0;
    // Past the indentation, and inside a quote past its one ">" marker.
    const indent = (inQuote ? /^[ \t]*>?[ \t]*/ : /^[ \t]*/).exec(reading.lines[lineIndex] ?? '')![0].length;
    reading.problems.push(markupProblem(code, lineIndex + 1, indent + 1, detail));
  };
  const add = (token: Token, type: StoryBlock['type'], inlineToken: Token | undefined) => {
    const before = reading.problems.length;
    const { block, exact } = buildBlock(type, inlineToken ? readInline(inlineToken, reading) : [], false);
    // A block with a refused image or link is not whole; its emphasis is judged once it is fixed.
    if (!exact && reading.problems.length === before) refuse(token, 'unstable_emphasis');
    else if (block.inline.length) blocks.push(block);
  };
  for (let index = start; index < end; index = closingIndex(tokens, index) + 1) {
    const token = tokens[index]!;
    if (token.type === 'paragraph_open') add(token, inQuote ? 'quote' : 'paragraph', tokens[index + 1]);
    else if (token.type === 'heading_open') {
      if (inQuote) refuse(token, 'heading_in_quote');
      else if (token.tag !== 'h2') refuse(token, 'heading_level', `level ${token.tag.slice(1)}`);
      else add(token, 'heading', tokens[index + 1]);
    } else if (token.type === 'blockquote_open') {
      if (inQuote) refuse(token, 'nested_quote');
      // Each paragraph of a quote is a quote block of its own (and a translation unit).
      else blocks.push(...readBlocks(tokens, index + 1, closingIndex(tokens, index), true, reading));
    } else {
      const code = REFUSED_BLOCKS[token.type];
      refuse(token, code ?? 'unsupported_markup', code ? '' : token.type);
    }
  }
  return blocks;
}

/** An inline node that holds others: emphasis, strong emphasis or a link. */
export type Container = Extract<InlineNode, { children: InlineNode[] }>;

function readInline(inlineToken: Token, reading: Reading): InlineNode[] {
  const root: InlineNode[] = [];
  const open: { container: Container; parent: InlineNode[]; offset: number }[] = [];
  let children = root;
  const refuse = (code: MarkupProblemCode, offset: number, detail = '') => {
    const { line, column } = inlinePosition(inlineToken, offset, reading.lines);
    reading.problems.push(markupProblem(code, line, column, detail));
  };
  for (const token of inlineToken.children ?? []) {
    const offset: number = token.meta?.offset ?? 0;
    switch (token.type) {
      case 'text':
        children.push({ type: 'text', text: token.content });
        break;
      case 'softbreak':
      case 'hardbreak':
        children.push({ type: 'text', text: ' ' });
        break;
      case 'em_open':
      case 'strong_open':
      case 'link_open': {
        let container: Container;
        if (token.type === 'link_open') {
          const href = token.attrGet('href') ?? '';
          const problem = linkProblem(href);
          if (problem) refuse(problem, offset, href);
          if (token.attrGet('title')) refuse('link_title', offset);
          container = { type: 'link', href, children: [] };
        } else container = { type: token.type === 'em_open' ? 'em' : 'strong', children: [] };
        children.push(container);
        open.push({ container, parent: children, offset });
        children = container.children;
        break;
      }
      case 'em_close':
      case 'strong_close':
      case 'link_close': {
        const closed = open.pop();
        if (closed?.container.type === 'link' && !plainText(closed.container.children).trim())
          refuse('empty_link', closed.offset);
        children = closed?.parent ?? root;
        break;
      }
      case 'image':
        refuse('image', offset);
        break;
      default:
        refuse('unsupported_markup', 0, token.type);
    }
  }
  return root;
}

const ALLOWED_LINK = /^(?:https?:\/\/[^/?#\s]|mailto:\S)/i;

/** Why a link's (normalized) address is refused, or null: only absolute http, https and mailto addresses go. */
function linkProblem(href: string): MarkupProblemCode | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme === undefined) return 'relative_link';
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') return 'link_scheme';
  return ALLOWED_LINK.test(href) ? null : 'relative_link';
}

/** The source line and column of an offset in an inline token's content: each content line ends a source line. */
function inlinePosition(inlineToken: Token, offset: number, lines: string[]): { line: number; column: number } {
  const content = inlineToken.content;
  const pieceStart = content.lastIndexOf('\n', offset - 1) + 1;
  const pieceEnd = content.indexOf('\n', pieceStart);
  const piece = content.slice(pieceStart, pieceEnd < 0 ? content.length : pieceEnd);
  let lineIndex = inlineToken.map?.[0] ?? 0;
  for (let at = content.indexOf('\n'); at >= 0 && at < pieceStart; at = content.indexOf('\n', at + 1)) lineIndex++;
  const source = lines[lineIndex] ?? '';
  // The piece is the tail of its source line, less a marker ("> ", "## "), indentation or trailing blanks.
  const core = piece.trimStart();
  const coreEnd = source.trimEnd();
  const coreAt = coreEnd.endsWith(core) ? coreEnd.length - core.length : Math.max(0, source.indexOf(core));
  return { line: lineIndex + 1, column: coreAt - (piece.length - core.length) + (offset - pieceStart) + 1 };
}

function plainText(nodes: readonly InlineNode[]): string {
  return nodes.map((node) => (node.type === 'text' ? node.text : plainText(node.children))).join('');
}

// Normal trees, so that one look has one tree and one Markdown: adjacent text merged, line breaks
// as spaces, no reserved characters, no empty emphasis, no emphasis inside the same emphasis,
// strong around nothing but em written em around strong, and blanks and links at the edges of
// emphasis moved outside it (a delimiter beside a blank or a bracket often cannot open or close).
// Each of these changes the tree, never what a reader sees.

type Emphasis = 'em' | 'strong';

/** The normal form of inline content: the tree that parsing its Markdown gives back. */
export function normalizeInline(nodes: readonly InlineNode[]): InlineNode[] {
  return normalizedIn(nodes, new Set());
}

function appendNormal(out: InlineNode[], node: InlineNode, within: ReadonlySet<Emphasis>): void {
  if (node.type === 'text') appendText(out, node.text);
  else if (node.type === 'link')
    out.push({ type: 'link', href: node.href, children: normalizedIn(node.children, within) });
  else if (within.has(node.type))
    for (const child of normalizedIn(node.children, within)) appendNormal(out, child, within);
  else appendEmphasis(out, node.type, node.children, within);
}

function normalizedIn(nodes: readonly InlineNode[], within: ReadonlySet<Emphasis>): InlineNode[] {
  const out: InlineNode[] = [];
  for (const node of nodes) appendNormal(out, node, within);
  return out;
}

function appendText(out: InlineNode[], text: string): void {
  const clean = text.replace(/\r\n?|\n/g, ' ').replace(/[\uE000\uE001]/g, '');
  if (!clean) return;
  const last = out.at(-1);
  if (last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + clean };
  else out.push({ type: 'text', text: clean });
}

function appendEmphasis(
  out: InlineNode[],
  type: Emphasis,
  children: readonly InlineNode[],
  within: ReadonlySet<Emphasis>,
): void {
  const { lead, body, trail } = splitEdgeBlanks(normalizedIn(children, new Set(within).add(type)));
  appendText(out, lead);
  const head = body[0]?.type === 'link' ? body.shift() : undefined;
  const tail = body.at(-1)?.type === 'link' ? body.pop() : undefined;
  const wrap = (link: InlineNode | undefined) => {
    if (link?.type === 'link')
      out.push({ type: 'link', href: link.href, children: normalizedIn([{ type, children: link.children }], within) });
  };
  wrap(head);
  const last = out.at(-1);
  const only = body.length === 1 ? body[0] : undefined;
  if (head || tail) appendEmphasis(out, type, body, within);
  else if (type === 'strong' && only?.type === 'em')
    appendEmphasis(out, 'em', [{ type: 'strong', children: only.children }], within);
  else if (body.length && last?.type === type) {
    out.pop();
    appendEmphasis(out, type, [...last.children, ...body], within);
  } else if (body.length) out.push({ type, children: body });
  wrap(tail);
  appendText(out, trail);
}

function splitEdgeBlanks(nodes: readonly InlineNode[]): { lead: string; body: InlineNode[]; trail: string } {
  const body = [...nodes];
  let lead = '';
  let trail = '';
  const first = body[0];
  if (first?.type === 'text') {
    const rest = first.text.trimStart();
    lead = first.text.slice(0, first.text.length - rest.length);
    if (rest) body[0] = { type: 'text', text: rest };
    else body.shift();
  }
  const last = body.at(-1);
  if (last?.type === 'text') {
    const rest = last.text.trimEnd();
    trail = last.text.slice(rest.length);
    if (rest) body[body.length - 1] = { type: 'text', text: rest };
    else body.pop();
  }
  return { lead, body, trail };
}

/** A block from its type and inline content: normalized, trimmed, with its canonical Markdown text. */
export function markupBlock(type: StoryBlock['type'], inline: readonly InlineNode[]): MarkupBlock {
  return buildBlock(type, inline, true).block;
}

/** Whether a block's inline content can be written in Markdown that reads back as its normal tree. */
export function isRepresentable(type: StoryBlock['type'], inline: readonly InlineNode[]): boolean {
  return buildBlock(type, inline, true).exact;
}

/**
 * The block, and whether its text reads back as its tree (if not, the text is the nearest writing).
 * With `shift`, emphasis that cannot open or close where it stands gets the punctuation at its edge
 * moved out first (`これは*「重要」*です` cannot be Markdown; `これは「*重要*」です` can). A parsed
 * source never needs that: its emphasis was already Markdown.
 */
export function buildBlock(
  type: StoryBlock['type'],
  inline: readonly InlineNode[],
  shift: boolean,
): { block: MarkupBlock; exact: boolean } {
  const { body } = splitEdgeBlanks(normalizeInline(inline));
  const text = canonicalText(type, body);
  if (text === null && shift) {
    const shifted = splitEdgeBlanks(normalizeInline(shiftEdgePunctuation(body))).body;
    const shiftedText = canonicalText(type, shifted);
    if (shiftedText !== null) return { block: { type, text: shiftedText, inline: shifted }, exact: true };
  }
  return { block: { type, text: text ?? blockText(type, body, DELIMITERS[0]!), inline: body }, exact: text !== null };
}

const PUNCTUATION = /[\p{P}\p{S}]/u;
const isWordEdge = (char: string | undefined) => char !== undefined && !/\s/.test(char) && !PUNCTUATION.test(char);

/** Moves punctuation at an edge of emphasis out of it where the text beside that edge is a letter. */
function shiftEdgePunctuation(nodes: readonly InlineNode[]): InlineNode[] {
  const out = nodes.map((node) =>
    node.type === 'text' ? node : { ...node, children: shiftEdgePunctuation(node.children) },
  );
  for (let index = 0; index < out.length; index++) {
    const before = out[index - 1];
    const after = out[index + 1];
    if (out[index]!.type !== 'em' && out[index]!.type !== 'strong') continue;
    if (before?.type === 'text' && isWordEdge(before.text.at(-1))) {
      const lead = edgePunctuation(edgeText(out[index]!, 0), 0);
      out[index - 1] = { type: 'text', text: before.text + lead };
      out[index] = trimEdgeText(out[index]!, 0, lead.length);
    }
    if (after?.type === 'text' && isWordEdge(after.text[0])) {
      const trail = edgePunctuation(edgeText(out[index]!, -1), -1);
      out[index + 1] = { type: 'text', text: trail + after.text };
      out[index] = trimEdgeText(out[index]!, -1, trail.length);
    }
  }
  return out;
}

/** The run of punctuation at the start (0) or end (-1) of a text. */
function edgePunctuation(text: string, edge: 0 | -1): string {
  const chars = Array.from(text);
  if (edge === -1) chars.reverse();
  const length = chars.findIndex((char) => !PUNCTUATION.test(char));
  const run = chars.slice(0, length < 0 ? chars.length : length);
  return (edge === -1 ? run.reverse() : run).join('');
}

/** The text at the first (0) or last (-1) edge of a node, inside any emphasis; '' behind a link. */
function edgeText(node: InlineNode, edge: 0 | -1): string {
  if (node.type === 'text') return node.text;
  const child = node.type === 'link' ? undefined : node.children.at(edge);
  return child ? edgeText(child, edge) : '';
}

function trimEdgeText(node: InlineNode, edge: 0 | -1, length: number): InlineNode {
  if (!length) return node;
  if (node.type === 'text')
    return { type: 'text', text: edge === 0 ? node.text.slice(length) : node.text.slice(0, node.text.length - length) };
  if (node.type === 'link') return node;
  const children = [...node.children];
  const at = edge === 0 ? 0 : children.length - 1;
  children[at] = trimEdgeText(children[at]!, edge, length);
  return { ...node, children };
}

/** The canonical Markdown of a story body: blocks separated by blank lines, empty blocks left out. */
export function toMarkdown(blocks: readonly Pick<MarkupBlock, 'type' | 'inline'>[]): string {
  return blocks
    .map((block) => markupBlock(block.type, block.inline))
    .filter((block) => block.inline.length)
    .map((block) => BLOCK_MARKER[block.type] + block.text)
    .join('\n\n');
}

/** Today's plain-text blocks as markup blocks, escaped so that they read exactly as before. */
export function fromPlainBlocks(blocks: readonly StoryBlock[]): MarkupBlock[] {
  return blocks
    .map((block) => markupBlock(block.type, [{ type: 'text', text: block.text }]))
    .filter((block) => block.inline.length);
}

const BLOCK_MARKER: Record<StoryBlock['type'], string> = { paragraph: '', heading: '## ', quote: '> ' };

// "*" and "**" first; "_" where punctuation beside "*" delimiters lets CommonMark pair them otherwise.
const DELIMITERS = [
  { em: '*', strong: '**' },
  { em: '_', strong: '**' },
  { em: '*', strong: '__' },
  { em: '_', strong: '__' },
] as const;

type Delimiters = (typeof DELIMITERS)[number];

/** The first writing of a normal block that reads back as the same tree, or null when none does. */
function canonicalText(type: StoryBlock['type'], inline: readonly InlineNode[]): string | null {
  if (!inline.length) return '';
  const expected = JSON.stringify(inline);
  for (const delimiters of DELIMITERS) {
    const text = blockText(type, inline, delimiters);
    if (JSON.stringify(readBack(type, BLOCK_MARKER[type] + text)) === expected) return text;
    if (!hasEmphasis(inline)) break;
  }
  return null;
}

function hasEmphasis(nodes: readonly InlineNode[]): boolean {
  return nodes.some((node) => node.type !== 'text' && (node.type !== 'link' || hasEmphasis(node.children)));
}

const BLOCK_SHAPE: Record<StoryBlock['type'], string> = {
  paragraph: 'paragraph_open inline paragraph_close',
  heading: 'heading_open inline heading_close',
  quote: 'blockquote_open paragraph_open inline paragraph_close blockquote_close',
};

/** The normal inline content of `blockMarkdown` if it is one block of that type, else null. */
function readBack(type: StoryBlock['type'], blockMarkdown: string): InlineNode[] | null {
  const tokens = markdown.parse(blockMarkdown, {});
  const inlineToken = tokens.find((token) => token.type === 'inline');
  if (tokens.map((token) => token.type).join(' ') !== BLOCK_SHAPE[type] || !inlineToken) return null;
  if (type === 'heading' && tokens[0]!.tag !== 'h2') return null;
  return splitEdgeBlanks(normalizeInline(readInline(inlineToken, { lines: [], problems: [] }))).body;
}

function blockText(type: StoryBlock['type'], inline: readonly InlineNode[], delimiters: Delimiters): string {
  const text = inlineMarkdown(inline, delimiters);
  // A heading's trailing "#"s would be read as its closing sequence.
  if (type === 'heading') return text.replace(/(^|[ \t])(#+)$/, '$1\\$2');
  // What would open another kind of block at the start of a line: a heading, a quote, a list
  // item, a rule or a code fence. ("*", "_" and "<" are always escaped.)
  if (/^(?:#{1,6}(?:[ \t]|$)|>|[-+](?:[ \t]|$)|(?:-[ \t]*){3,}$|`{3}|~{3})/.test(text)) return `\\${text}`;
  return text.replace(/^(\d{1,9})([.)])(?=[ \t]|$)/, '$1\\$2');
}

function inlineMarkdown(nodes: readonly InlineNode[], delimiters: Delimiters): string {
  return nodes
    .map((node, index) => {
      if (node.type === 'text') {
        const text = node.text.replace(/[\\*_[\]<]/g, '\\$&');
        // "!" just before a link would make it an image.
        return nodes[index + 1]?.type === 'link' && text.endsWith('!') ? `${text.slice(0, -1)}\\!` : text;
      }
      const inner = inlineMarkdown(node.children, delimiters);
      if (node.type === 'link') return `[${inner}](${linkDestination(node.href)})`;
      return delimiters[node.type] + inner + delimiters[node.type];
    })
    .join('');
}

function linkDestination(href: string): string {
  // A normalized href is percent-encoded (no blanks, "<" or ">"); only unbalanced parentheses need escaping.
  let depth = 0;
  for (const char of href) {
    depth += char === '(' ? 1 : char === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  return depth === 0 ? href : href.replace(/[()]/g, '\\$&');
}
