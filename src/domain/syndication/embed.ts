// What embedding a story in another site needs that is not HTTP: which story an address names,
// how large the player frame is (oEmbed's maxwidth and maxheight), and the formats of schema.org
// and Open Graph values.

/** The frame's width when the consumer sets no maximum. */
export const EMBED_WIDTH = 640;
/** The height of the title bar above the video in the embed page (its CSS keeps to it). */
export const EMBED_TITLE_BAR = 48;
const DEFAULT_ASPECT = 16 / 9;

export interface FrameSize {
  width: number;
  height: number;
}

/**
 * The embed frame for a video of the given size (null: 16:9): EMBED_WIDTH wide, or narrower to fit
 * `maxwidth`, then smaller still to fit `maxheight`; the video keeps its aspect ratio and the title
 * bar its height. Never below 1 pixel, so even an absurd maximum is respected.
 */
export function embedFrameSize(video: FrameSize | null, max: { maxwidth?: number; maxheight?: number }): FrameSize {
  const aspect = video && video.width > 0 && video.height > 0 ? video.width / video.height : DEFAULT_ASPECT;
  let width = Math.min(EMBED_WIDTH, max.maxwidth ?? Infinity);
  let videoHeight = width / aspect;
  if (max.maxheight !== undefined && videoHeight + EMBED_TITLE_BAR > max.maxheight) {
    videoHeight = Math.max(0, max.maxheight - EMBED_TITLE_BAR);
    width = videoHeight * aspect;
  }
  const height = Math.min(max.maxheight ?? Infinity, Math.round(videoHeight) + EMBED_TITLE_BAR);
  return { width: Math.max(1, Math.floor(width)), height: Math.max(1, Math.floor(height)) };
}

/** Whether an image of this size fits the consumer's maximum (oEmbed: a thumbnail must). */
export function fitsWithin(size: FrameSize, max: { maxwidth?: number; maxheight?: number }): boolean {
  return size.width <= (max.maxwidth ?? Infinity) && size.height <= (max.maxheight ?? Infinity);
}

/**
 * The story an address on this site names: its reading page (/LANG/stories/SLUG) or its embed page
 * (/embed/SLUG?lang=LANG), on the site's own host (either scheme). Null for anything else.
 */
export function storyAddress(address: string, origin: string): { slug: string; language: string | null } | null {
  let url: URL;
  let site: URL;
  try {
    url = new URL(address);
    site = new URL(origin);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host !== site.host) return null;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return null;
    }
  };
  const page = /^\/([^/]+)\/stories\/([^/]+)\/?$/.exec(url.pathname);
  if (page) {
    const [language, slug] = [decode(page[1]!), decode(page[2]!)];
    return language && slug ? { slug, language } : null;
  }
  const embed = /^\/embed\/([^/]+)\/?$/.exec(url.pathname);
  if (embed) {
    const slug = decode(embed[1]!);
    return slug ? { slug, language: url.searchParams.get('lang') } : null;
  }
  return null;
}

/** A duration as ISO 8601 (schema.org's `duration`): PT1H2M3S, whole seconds, PT0S for none. */
export function isoDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const parts = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest || whole === 0 ? `${rest}S` : ''}`;
  return `PT${parts}`;
}

/** A language tag as Open Graph's og:locale writes it: underscores, not hyphens (zh-Hans → zh_Hans). */
export function openGraphLocale(tag: string): string {
  return tag.replace(/-/g, '_');
}

/**
 * JSON to put inside an HTML <script> element (JSON-LD). `<`, `>` and `&` become \u escapes, so no
 * `</script>` or `<!--` in a story's text can end the element or change how HTML reads it, and
 * U+2028/U+2029 too (older JavaScript parsers end a line at them); JSON.parse gives the same value back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
