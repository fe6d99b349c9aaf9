// The limits of what a request to the site's pages may carry, in one place (docs/ARCHITECTURE.md,
// "Limits", lists these with the field limits that live beside each form's checks). Past each one a
// page says what was refused and the limit, in the reader's language; never a 500.

/** A form post or any other request body (formbody and Fastify's own JSON parser), in bytes. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The whole address, path and query string, in characters: past it a 414 page. Above the 10,000
 * characters the search page reads of its words (to say they are too long, keeping them), below
 * Node's 16 KiB limit for a request's head (past which Node answers 431 before the site sees it).
 */
export const URL_MAX_LENGTH = 12_000;

// One part of a path (a slug, a language code) is limited by its route's schema (200 characters for a
// slug): past it a 400 page. The router itself reads parts up to URL_MAX_LENGTH, so that its own bare
// refusal is never what a reader sees.

/** Files and other fields in one multipart upload form (the file, the CSRF token, a caption…). */
export const MULTIPART_MAX_FILES = 1;
export const MULTIPART_MAX_FIELDS = 10;

/** A reviewer's comment on a subtitle track (approve or send back), in characters. */
export const REVIEW_COMMENT_MAX_LENGTH = 2000;

/** The page number of a listing: past the last page the last page is shown; past this it is not read. */
export const LISTING_MAX_PAGE = 10_000;

/** How many characters of a page number are read (a longer one is a 400 page saying so). */
export const PAGE_PARAM_MAX_LENGTH = 12;
