import { bcp47 } from '../../domain/languages/languages.ts';
import type { Action } from '../../domain/access/authorize.ts';
import type { LanguageRow } from '../../domain/languages/languages.ts';
import type { UserWithGrants } from '../../domain/access/users.ts';
import type { Translate } from '../../services/messages.ts';

/** What every page template knows about the request: language, messages, visitor. */
export interface PageContext {
  language: LanguageRow;
  /** The reader's language first, then its fallbacks (for content in many languages). */
  chain: string[];
  languages: LanguageRow[];
  t: Translate;
  user: UserWithGrants | null;
  /** How many of the signed-in person's notices are unread (the header links to them when some are). */
  unreadNotices?: number;
  can: (action: Action, language?: string) => boolean;
  csrfToken: string | undefined;
  /** The path after the language prefix, with its query string: "/stories?region=africa". */
  path: string;
  /** Play the smallest video (or offer audio only) on slow or costly connections. */
  saveData: boolean;
  formatDate: (date: Date) => string;
  formatNumber: (value: number) => string;
}

export function languageAttributes(language: { code: string; dir: 'ltr' | 'rtl' }) {
  return { lang: bcp47(language.code), dir: language.dir };
}

/** A link inside the site in the page's language. */
export const href = (context: PageContext, path: string) => `/${context.language.code}${path}`;
