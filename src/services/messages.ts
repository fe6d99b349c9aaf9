import { readdirSync, readFileSync } from 'node:fs';
import Banana from 'banana-i18n';

/** A function that turns a message key and its parameters into text in one language. */
export type Translate = (key: string, ...params: Array<string | number>) => string;

export const I18N_DIR = new URL('../../i18n/', import.meta.url);

/** Every message file in i18n/, keyed by language code (qqq is the documentation, not a language). */
export function loadMessageFiles(dir: URL = I18N_DIR): Record<string, Record<string, string>> {
  const files: Record<string, Record<string, string>> = {};
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const messages = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Record<string, string>;
    delete messages['@metadata'];
    files[name.slice(0, -'.json'.length)] = messages;
  }
  return files;
}

/**
 * One translator per language, falling back along the language's chain and then to English,
 * so a message not yet translated still shows.
 */
export function createMessages(fallbacks: Record<string, string[]>, files = loadMessageFiles()) {
  const merged = new Map<string, Record<string, string>>();
  const translators = new Map<string, Translate>();
  const messagesOf = (code: string): Record<string, string> => {
    let messages = merged.get(code);
    if (!messages) {
      const chain = [code, ...(fallbacks[code] ?? []), 'en'];
      messages = {};
      for (const language of [...chain].reverse()) Object.assign(messages, files[language]);
      merged.set(code, messages);
    }
    return messages;
  };
  const forLanguage = (code: string): Translate => {
    let translate = translators.get(code);
    if (!translate) {
      const banana = new Banana(code, { messages: { [code]: messagesOf(code) } });
      translate = (key, ...params) => banana.i18n(key, ...params);
      translators.set(code, translate);
    }
    return translate;
  };
  /** The message texts (after fallback) whose keys start with one of the prefixes: what a browser island needs. */
  const texts = (code: string, prefixes: readonly string[]): Record<string, string> =>
    Object.fromEntries(
      Object.entries(messagesOf(code)).filter(
        ([key]) => key !== '@metadata' && prefixes.some((prefix) => key.startsWith(prefix)),
      ),
    );
  return { forLanguage, texts, hasLanguage: (code: string) => code in files };
}
export type Messages = ReturnType<typeof createMessages>;
