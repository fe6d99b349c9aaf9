// Inline markup inside a translation unit travels as private-use markers (story text has none):
// "\uE000", the placeholder's number in ASCII digits, "\uE001". Segmentation keeps them whole and
// the story markup turns them back into tags (stories/placeholders.ts).

/** Opens a placeholder marker. */
export const PLACEHOLDER_START = '\uE000';
/** Closes a placeholder marker. */
export const PLACEHOLDER_END = '\uE001';
/** One placeholder marker, its number captured; not global (add the `g` flag to a copy to scan a text). */
export const PLACEHOLDER_PATTERN = /\uE000(\d+)\uE001/u;

/** The marker of placeholder number `id`: an opening or closing tag, or a whole atom. */
export function placeholder(id: number): string {
  return `${PLACEHOLDER_START}${id}${PLACEHOLDER_END}`;
}
