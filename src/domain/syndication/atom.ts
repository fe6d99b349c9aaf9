import { element, writeDocument, xmlDateTime, type XmlElement } from './xml.ts';

// Atom 1.0 (RFC 4287) feeds of stories. Every text is written as type="text", so a title such as
// "<script>" reaches a feed reader as those characters, never as markup.

export interface AtomPerson {
  name: string;
  /** The person's page. */
  uri?: string;
}

export interface AtomEntry {
  /** Permanent and unique: see `tagUri`. */
  id: string;
  title: string;
  summary: string;
  /** The language the title and summary are written in (BCP 47). */
  language: string;
  /** The page the entry is about. */
  link: string;
  published: Date | null;
  updated: Date;
  /** When empty, the feed's authors stand in (RFC 4287 §4.1.1). */
  authors: AtomPerson[];
}

export interface AtomFeedInput {
  id: string;
  title: string;
  /** The language of the feed's own texts (BCP 47). */
  language: string;
  /** The feed's own address. */
  self: string;
  /** The HTML page that lists the same stories. */
  page: string;
  /** Who stands for the entries without storytellers (the site). */
  authors: AtomPerson[];
  generator: { name: string; uri: string };
  entries: AtomEntry[];
}

/** When a feed last changed: its newest entry's update, or the epoch for a feed with none. */
export function feedUpdated(entries: readonly AtomEntry[]): Date {
  let newest = 0;
  for (const entry of entries) newest = Math.max(newest, entry.updated.getTime());
  return new Date(Math.floor(newest / 1000) * 1000);
}

/** A tag URI (RFC 4151): an id that stays the same when the site's address or a story's slug changes. */
export function tagUri(host: string, specific: string): string {
  return `tag:${host},2026:${specific}`;
}

const person = (kind: 'author', who: AtomPerson) =>
  element(kind, {}, [element('name', {}, who.name), who.uri ? element('uri', {}, who.uri) : null]);

function entryElement(entry: AtomEntry): XmlElement {
  return element('entry', { 'xml:lang': entry.language }, [
    element('id', {}, entry.id),
    element('title', { type: 'text' }, entry.title),
    element('link', { rel: 'alternate', type: 'text/html', href: entry.link }),
    entry.published ? element('published', {}, xmlDateTime(entry.published)) : null,
    element('updated', {}, xmlDateTime(entry.updated)),
    ...entry.authors.map((who) => person('author', who)),
    entry.summary ? element('summary', { type: 'text' }, entry.summary) : null,
  ]);
}

/** The feed as an Atom document. */
export function atomFeed(feed: AtomFeedInput): string {
  return writeDocument(
    element('feed', { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': feed.language }, [
      element('id', {}, feed.id),
      element('title', { type: 'text' }, feed.title),
      element('link', { rel: 'self', type: 'application/atom+xml', href: feed.self }),
      element('link', { rel: 'alternate', type: 'text/html', href: feed.page }),
      element('updated', {}, xmlDateTime(feedUpdated(feed.entries))),
      ...feed.authors.map((who) => person('author', who)),
      element('generator', { uri: feed.generator.uri }, feed.generator.name),
      ...feed.entries.map(entryElement),
    ]),
  );
}
