import type { FieldErrors } from '../forms/fields.ts';
import { cleanText, graphemeCount, isWebLink, type Anecdote, type Nomination, type Seconding } from './nomination.ts';

// The honoree's page as a story: its title, summary and body in the story Markdown subset
// (headings, paragraphs, quotes, links), written in the site's source language with headings from
// the messages. What people typed (reasons, seconds, anecdotes) is escaped, so it reads as typed
// and can never become markup the subset refuses (a list, a code block) or a link nobody wrote.

/** Renders a message key in the story's language (the service gives the source language's). */
type Translate = (key: string, ...params: Array<string | number>) => string;

/** What the announcement is made from: the chosen nomination, its seconds and its approved anecdotes. */
export interface Honoree {
  month: string;
  nomination: Nomination;
  seconds: readonly Seconding[];
  anecdotes: readonly Anecdote[];
}

/** The story's text: title, summary and body (Markdown subset). */
export interface AnnouncementText {
  title: string;
  summary: string;
  body: string;
}

/** The slug of a month's honoree story (`celebration-2026-12`): one per cycle, never reused. */
export const announcementSlug = (month: string): string => `celebration-${month}`;

// Every ASCII punctuation mark that means something to Markdown, escaped with a backslash (which
// markdown-it honours before any ASCII punctuation); the story keeps the canonical form anyway.
const MARKDOWN_PUNCTUATION = /[\\`*_[\]()#+\-.!>|~<{}"'=:&]/g;
// U+E000 and U+E001 are reserved for translation placeholders; controls have no place in a story.
const RESERVED = /[\uE000\uE001\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A line of typed text as Markdown that reads exactly as typed (no markup, no line breaks). */
export function escapeMarkdown(text: string): string {
  return text.replace(RESERVED, '').replace(/\s+/gu, ' ').trim().replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/** Typed text as paragraphs: a blank line starts a new one; single line breaks are spaces. */
export function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(escapeMarkdown)
    .filter(Boolean);
}

/** An http(s) address as a Markdown link whose text is the address itself. */
export function markdownLink(address: string): string {
  const href = new URL(address).href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
  return `[${escapeMarkdown(decodeForReading(address))}](${href})`;
}

function decodeForReading(address: string): string {
  try {
    return decodeURI(address);
  } catch {
    return address;
  }
}

/** The honoree's story text, with headings and fixed phrases from `t` (the source language's messages). */
export function announcementText(honoree: Honoree, t: Translate, monthName: string): AnnouncementText {
  const { nomination, seconds, anecdotes } = honoree;
  const bot = nomination.kind === 'bot';
  const operators = nomination.operators.join(', ');
  const title = t(bot ? 'celebration-story-title-bot' : 'celebration-story-title', nomination.nominee, monthName);
  const summary = bot
    ? t('celebration-story-summary-bot', nomination.nominee, nomination.homeWiki, operators)
    : t('celebration-story-summary', nomination.nominee, nomination.homeWiki);
  const blocks: string[] = [];
  const heading = (key: string) => blocks.push(`## ${escapeMarkdown(t(key))}`);
  heading('celebration-story-heading-profile');
  blocks.push(
    escapeMarkdown(
      bot
        ? t('celebration-story-profile-bot', nomination.nominee, nomination.homeWiki, operators)
        : t('celebration-story-profile', nomination.nominee, nomination.homeWiki),
    ),
  );
  if (bot && nomination.botTasks) {
    heading('celebration-story-heading-bot-tasks');
    blocks.push(...paragraphs(nomination.botTasks));
  }
  heading('celebration-story-heading-reasons');
  blocks.push(...paragraphs(nomination.reasons));
  const reasons = seconds.filter((seconding) => seconding.reason.trim());
  if (reasons.length) {
    heading('celebration-story-heading-seconds');
    for (const seconding of reasons) {
      for (const paragraph of paragraphs(seconding.reason)) blocks.push(`> ${paragraph}`);
      blocks.push(escapeMarkdown(t('celebration-story-by', seconding.username)));
    }
  }
  if (anecdotes.length) {
    heading('celebration-story-heading-anecdotes');
    for (const anecdote of anecdotes) {
      for (const paragraph of paragraphs(anecdote.body)) blocks.push(`> ${paragraph}`);
      if (anecdote.author) blocks.push(escapeMarkdown(t('celebration-story-by', anecdote.author)));
    }
  }
  const evidence = [...new Set([...nomination.evidence, ...seconds.flatMap((seconding) => seconding.evidence)])];
  if (evidence.length) {
    heading('celebration-story-heading-evidence');
    for (const link of evidence) if (URL.canParse(link)) blocks.push(markdownLink(link));
  }
  return { title: title.slice(0, 200), summary: summary.slice(0, 600), body: blocks.join('\n\n') };
}

/** The honoree's photo: a media file of the honoree's story, with its licence and attribution. */
export interface HonoreePhoto {
  cycleId: number;
  storageKey: string;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
  licence: string;
  author: string;
  sourceUrl: string | null;
  createdAt: Date;
}

/** A month (`2026-12`) as words in a language (`December 2026`); the month as given when it is not one. */
export function monthLabel(month: string, language: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (!/^\d{4}-\d{2}$/.test(month) || Number.isNaN(date.getTime())) return month;
  let locale = language;
  try {
    Intl.getCanonicalLocales(language);
  } catch {
    locale = 'en';
  }
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
}

/** The photo form's text fields as typed: its licence (CC BY-SA 4.0), its author and where it comes from. */
export interface PhotoCreditForm {
  licence: string;
  author: string;
  source: string;
}

export const PHOTO_LIMITS = { licence: 100, author: 200, source: 500 } as const;

/** Checks a photo's licence and attribution: what to keep, or each field's problem as a message key. */
export function validatePhotoCredit(
  form: PhotoCreditForm,
): { credit: { licence: string; author: string; sourceUrl: string | null } } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const licence = cleanText(form.licence).replace(/\s+/gu, ' ');
  const author = cleanText(form.author).replace(/\s+/gu, ' ');
  const source = form.source.trim();
  if (!licence) errors.licence = 'form-error-required';
  else if (graphemeCount(licence) > PHOTO_LIMITS.licence) errors.licence = 'form-error-too-long';
  if (!author) errors.author = 'form-error-required';
  else if (graphemeCount(author) > PHOTO_LIMITS.author) errors.author = 'form-error-too-long';
  if (source && (source.length > PHOTO_LIMITS.source || !isWebLink(source)))
    errors.source = 'celebration-error-photo-source';
  if (Object.keys(errors).length) return { errors };
  return { credit: { licence, author, sourceUrl: source || null } };
}
