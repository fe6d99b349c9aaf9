import type { StoryBlock } from './story.ts';

// The editor's plain-text form of a story body: blocks separated by blank lines,
// "## " starts a heading and "> " a quote. Each block later becomes a translation unit.

/** Splits the editor's text into blocks. */
export function parseBlocks(text: string): StoryBlock[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk): StoryBlock => {
      if (chunk.startsWith('## ')) return { type: 'heading', text: chunk.slice(3).trim() };
      if (chunk.startsWith('>')) {
        const text = chunk
          .split('\n')
          .map((line) => line.replace(/^>\s?/, ''))
          .join('\n')
          .trim();
        return { type: 'quote', text };
      }
      return { type: 'paragraph', text: chunk };
    });
}

/** The inverse of parseBlocks: the text the editor shows for a list of blocks. */
export function formatBlocks(blocks: readonly StoryBlock[]): string {
  return blocks
    .map((block) => {
      if (block.type === 'heading') return `## ${block.text}`;
      if (block.type === 'quote')
        return block.text
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n');
      return block.text;
    })
    .join('\n\n');
}
