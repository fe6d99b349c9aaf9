// A message that names someone is translated with NAME among its parameters, then cut there, so the
// name can be put in its place as an element of its own (isolated, with the bot label for a bot):
// the same on the server's pages and in the editors' islands. Standard JavaScript only.

/** Stands for the name among a message's parameters (a private-use character no message contains). */
export const NAME = '\uE0FF';

/**
 * The text before and after the name in a translated message. Where the translator isolated the
 * parameter (U+2068 … U+2069), the marks go with it: the name's own element isolates it.
 */
export function splitAtName(message: string): { before: string; after: string } {
  const [before = '', ...rest] = message.split(/\u2068?\uE0FF\u2069?/);
  return { before, after: rest.join('') };
}
