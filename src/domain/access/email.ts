/** The longest address SMTP carries (RFC 5321: a path of 256 octets, less its angle brackets). */
export const MAX_EMAIL_OCTETS = 254;
const MAX_LOCAL_OCTETS = 64;

// Characters never in an address as people type one (RFC 5322 specials, spaces and controls); quoted
// local parts and address literals are legal but nobody's mailbox here, so they are refused too.
const LOCAL_PART = /^[^\s\p{Cc}\p{Cf}@<>()[\]\\,;:"]+$/u;
const DOMAIN_LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u;

export type EmailCheck = { ok: true; email: string | null } | { ok: false; error: string };

const octets = (text: string) => new TextEncoder().encode(text).length;

/**
 * A typed e-mail address checked: empty is none (null); else one local part, `@`, and a domain of
 * two or more labels, within SMTP's lengths; the domain lowercased. The problem as a message key.
 */
export function checkEmail(typed: string): EmailCheck {
  const text = typed.trim().normalize('NFC');
  if (!text) return { ok: true, email: null };
  if (octets(text) > MAX_EMAIL_OCTETS) return { ok: false, error: 'account-email-error-too-long' };
  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  const labels = text.slice(at + 1).split('.');
  const wellFormed =
    at > 0 &&
    octets(local) <= MAX_LOCAL_OCTETS &&
    LOCAL_PART.test(local) &&
    !local.startsWith('.') &&
    !local.endsWith('.') &&
    !local.includes('..') &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    !/^[0-9]+$/.test(labels.at(-1)!);
  if (!wellFormed) return { ok: false, error: 'account-email-error-invalid' };
  return { ok: true, email: `${local}@${labels.join('.').toLowerCase()}` };
}
