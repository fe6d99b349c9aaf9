import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bcp47, isVerticalScript, type LanguageRow } from '../domain/languages/languages.ts';
import type { EditorLanguage } from '../web/editor/boot.ts';

// The built browser islands (scripts/build-web.ts), served under /assets/.
export const builtWebDir = new URL('../../dist/web/', import.meta.url).pathname;

const scriptUrls = new Map<string, string>();

/** The address of a built island's script, named with a digest of its content so a new build is never hidden by a cache. */
export function islandScriptUrl(name: 'editor' | 'translate'): string {
  let url = scriptUrls.get(name);
  if (!url) {
    let digest = 'unbuilt';
    try {
      digest = createHash('sha256')
        .update(readFileSync(`${builtWebDir}editor/${name}.js`))
        .digest('hex')
        .slice(0, 12);
    } catch {
      // Not built: the page still works as a page, and says the editor needs its script.
    }
    url = `/assets/editor/${name}.js?v=${digest}`;
    scriptUrls.set(name, url);
  }
  return url;
}

/** A language as the islands need it: its code, BCP 47 tag, name and direction. */
export const islandLanguage = (language: LanguageRow): EditorLanguage => ({
  code: language.code,
  bcp47: bcp47(language.code),
  autonym: language.autonym,
  dir: language.dir,
  vertical: isVerticalScript(language.code),
});
