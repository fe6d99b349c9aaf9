import { href, type PageContext } from '../context.ts';

/** An Atom feed as pages announce it (and as the feed names itself). */
export interface FeedLink {
  title: string;
  /** Its address, under the page's language. */
  href: string;
}

export type FeedKind = 'region' | 'theme' | 'person';

/** The newest stories, read in the page's language. */
export function languageFeed(context: PageContext): FeedLink {
  return { title: context.t('feed-title-language', context.language.autonym), href: href(context, '/feed.atom') };
}

/** The newest stories of a region, theme or person; `base` is that page's path (/regions/africa). */
export function collectionFeed(context: PageContext, kind: FeedKind, base: string, name: string): FeedLink {
  return { title: context.t(`feed-title-${kind}`, name), href: href(context, `${base}/feed.atom`) };
}
