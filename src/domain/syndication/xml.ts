// XML for feeds and sitemaps, written as a tree of elements whose every text and attribute value
// passes through one escaping function. Element and attribute names come from code, never from a
// visitor; values may carry anything a visitor typed.

/** An element: its name, its attributes (an undefined value leaves the attribute out) and its children. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string | number | undefined>;
  children: XmlElement[] | string;
}

// XML 1.0 cannot carry C0 controls other than tab, line feed and carriage return, lone surrogates or
// U+FFFE/U+FFFF, not even as character references: a parser stops at them. The C1 controls and DEL are
// allowed but "discouraged" (XML 1.0 §2.2) and never real text, so they go too. With the u flag a
// surrogate pair is one code point, so the surrogate range matches lone halves only.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/** Text as XML character data: characters XML cannot carry dropped, `&`, `<` and `>` escaped (so `]]>` cannot occur). */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Text as a double-quoted attribute value: as `xmlText`, with quotes, tabs and line breaks as references (parsers would fold them). */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** An element with attributes and children: a text (escaped when written) or other elements. */
export function element(
  name: string,
  attributes: XmlElement['attributes'] = {},
  children: Array<XmlElement | null | undefined | false> | string = [],
): XmlElement {
  return {
    name,
    attributes,
    children: typeof children === 'string' ? children : children.filter((child): child is XmlElement => !!child),
  };
}

/** One element as XML text, empty elements self-closed. */
export function writeElement(node: XmlElement): string {
  let attributes = '';
  for (const [name, value] of Object.entries(node.attributes)) {
    if (value !== undefined) attributes += ` ${name}="${xmlAttribute(String(value))}"`;
  }
  if (node.children.length === 0) return `<${node.name}${attributes}/>`;
  const content = typeof node.children === 'string' ? xmlText(node.children) : node.children.map(writeElement).join('');
  return `<${node.name}${attributes}>${content}</${node.name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** A whole document: the declaration and its root element. */
export function writeDocument(root: XmlElement): string {
  return `${XML_DECLARATION}${writeElement(root)}\n`;
}

/** A time as RFC 3339 / W3C Datetime in UTC, to the second (what Atom and sitemaps want). */
export function xmlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
