/**
 * A path inside this site to send a visitor back to, or `fallback`: never another host (`//evil`,
 * `/\evil`) nor a scheme, so a link someone shares cannot redirect through the site.
 */
export const safeReturnPath = (target: string | undefined, fallback: string) =>
  target && /^\/(?![/\\])/.test(target) ? target : fallback;
