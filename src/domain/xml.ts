// The one escaping of text written into XML, for every writer of it: feeds and sitemaps, TMX and TBX,
// TTML subtitles and XLIFF. Element and attribute names come from code, never from a visitor; values
// may carry anything a visitor typed.

/**
 * What XML 1.0 cannot carry at all, not even as a character reference (a parser stops at it): C0
 * controls other than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF. With
 * the u flag a surrogate pair is one code point, so the surrogate range matches lone halves only.
 */
export const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/u;

// Dropped from text: what XML cannot carry, and the C1 controls and DEL, which it allows but
// "discourages" (XML 1.0 §2.2) and which are never real text.
const DROPPED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

const REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;', // a parser turns a bare CR into LF
};

/**
 * `&`, `<`, `>` and CR as references (so `]]>` cannot occur), and in an attribute also `"`, tab and
 * line feed (parsers would fold them into spaces); every other character kept as it is. For a writer
 * with its own rule for what XML cannot carry (XLIFF's <cp>); the others use `xmlText` and `xmlAttribute`.
 */
export function escapeXmlMarkup(text: string, attribute = false): string {
  return text.replace(attribute ? /[&<>"\t\n\r]/g : /[&<>\r]/g, (character) => REFERENCES[character]!);
}

/** Text as XML character data: characters XML cannot carry (and C1 controls, DEL) dropped, `&`, `<`, `>` and CR escaped. */
export function xmlText(text: string): string {
  return escapeXmlMarkup(text.replace(DROPPED, ''));
}

/** Text as a double-quoted attribute value: as `xmlText`, with quotes, tabs and line breaks as references. */
export function xmlAttribute(text: string): string {
  return escapeXmlMarkup(text.replace(DROPPED, ''), true);
}
