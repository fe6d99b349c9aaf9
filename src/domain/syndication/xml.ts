import { xmlAttribute, xmlText } from '../xml.ts';

// XML for feeds and sitemaps, written as a tree of elements whose every text and attribute value
// passes through the one escaping of domain/xml.ts (which the translation and subtitle writers use
// too). Element and attribute names come from code, never from a visitor; values may carry anything
// a visitor typed.

export { xmlAttribute, xmlText };

/** An element: its name, its attributes (an undefined value leaves the attribute out) and its children. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string | number | undefined>;
  children: XmlElement[] | string;
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
