import type { EditorLanguage } from '../editor/boot.ts';
import type { GlossaryTerm } from '../../domain/translation/glossary.ts';

export type { GlossaryTerm };

// What the translation editor page hands its island, as JSON in a data attribute (escaped by the
// server's renderer like any attribute value). The units themselves come from the JSON API.

export interface TranslateBoot {
  story: { slug: string; title: string };
  source: EditorLanguage;
  target: EditorLanguage;
  /** GET: the units; PUT {apiUrl}/units/ID: save one; POST {apiUrl}/review; …/units/ID/memory|machine|comments|history. */
  apiUrl: string;
  csrfToken: string;
  user: { username: string; canReview: boolean };
  /** The story page in the target language. */
  storyUrl: string;
  /** Exchange files for desktop tools. */
  exportUrls: { xliff: string; po: string };
  glossary: GlossaryTerm[];
  ui: { code: string; bcp47: string; dir: 'ltr' | 'rtl' };
  messages: Record<string, string>;
}

/** The boot data of the page, read from the element the island mounts on. */
export function readTranslateBoot(element: HTMLElement): TranslateBoot {
  return JSON.parse(element.dataset.translate ?? '{}') as TranslateBoot;
}
