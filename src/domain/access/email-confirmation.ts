// Confirming an e-mail address with a mailed single-use link: how long a link lives, what a stored
// link is worth when it comes back, and how much of the address a page that has only the link shows.

/** How long a confirmation link may be used after it is sent. */
export const CONFIRMATION_LINK_HOURS = 48;

/** A confirmation link's secret as it is mailed: 32 random bytes in base64url. */
export const CONFIRMATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What a link that comes back is: usable, or why not (never sent is `forged`). */
export type ConfirmationLinkState = 'valid' | 'forged' | 'used' | 'expired' | 'superseded';

/** A stored link as the check needs it, with the address its account has now. */
export interface StoredConfirmationLink {
  email: string;
  expiresAt: Date;
  usedAt: Date | null;
  supersededAt: Date | null;
  /** The account's address now (null: removed since). */
  currentEmail: string | null;
}

/**
 * The state of a stored link at `now` (undefined: no such link). A used link says so first (its
 * owner is most likely clicking twice); a newer link or a changed address makes it superseded
 * before it can be called expired, so the page names the reason that still applies.
 */
export function confirmationLinkState(link: StoredConfirmationLink | undefined, now: Date): ConfirmationLinkState {
  if (!link) return 'forged';
  if (link.usedAt !== null) return 'used';
  if (link.supersededAt !== null || link.currentEmail !== link.email) return 'superseded';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

/** When a link sent at `sentAt` stops working. */
export const confirmationExpiry = (sentAt: Date): Date =>
  new Date(sentAt.getTime() + CONFIRMATION_LINK_HOURS * 3_600_000);

/**
 * An address as a page reached through a link shows it: the local part's first character and the
 * domain (`m…@example.org`), enough for its owner to recognise it, little for anyone else.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '…';
  const first = [...email.slice(0, at)][0]!;
  return `${first}…@${email.slice(at + 1)}`;
}

const linkTimes = new Map<string, Intl.DateTimeFormat>();
/** When a link was sent or stops working, as its reader says it (`tag`: BCP 47), in UTC and naming it. */
export function linkTime(date: Date, tag: string): string {
  let format = linkTimes.get(tag);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    });
    linkTimes.set(tag, format);
  }
  return format.format(date);
}
