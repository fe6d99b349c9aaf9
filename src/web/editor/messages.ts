import Banana from 'banana-i18n';

// The editor's interface text: the page sends the messages it needs, already in the reader's
// language (with English where a translation is missing); banana-i18n applies PLURAL rules.

export type Translate = (key: string, ...params: (string | number)[]) => string;

/** A translate function over the messages the page sent. */
export function createTranslate(locale: string, messages: Record<string, string>): Translate {
  const banana = new Banana(locale, { messages: { [locale]: messages } });
  return (key, ...params) => banana.i18n(key, ...params);
}

export { NAME } from '../../domain/languages/name-slot.ts';
