export { createTranslate, NAME, type Translate } from '../editor/messages.ts';

// Names and texts put into a message (a username, a glossary term in the target language, an
// engine's error) are isolated for bidirectional display, as the site's own pages do: an English
// name in an Arabic sentence, or an Arabic term in an English one, keeps its place and its order.

/** `text` wrapped in first-strong isolate … pop directional isolate. */
export const isolate = (text: string) => `\u2068${text}\u2069`;
