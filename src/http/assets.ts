import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bcp47, isVerticalScript, type LanguageRow } from '../domain/languages/languages.ts';
import type { EditorLanguage } from '../web/editor/boot.ts';

// What is served under /assets/: the stylesheets and scripts of src/web/, Codex's stylesheets and the
// built browser islands. The build (scripts/build-web.ts) copies them all into dist/web/, each beside
// its Brotli (quality 11) and gzip (level 9) form, and adds codex-pages.css and codex-pages-rtl.css:
// only the Codex rules the server-rendered pages use (Codex whole is about 170 KB, three quarters of a
// story page's weight). assets.json records what the copies were made from; a server whose sources
// changed since (an edited site.css, a view naming a new Codex class) serves the sources instead,
// compressed on the fly, and all of Codex, so that nothing ever shows stale or unstyled.
export const builtWebDir = new URL('../../dist/web/', import.meta.url).pathname;
export const webSourceDir = new URL('../web/', import.meta.url).pathname;
const viewsDir = new URL('./views/', import.meta.url).pathname;
export const codexDistDir = path.dirname(
  createRequire(import.meta.url).resolve('@wikimedia/codex/dist/codex.style.css'),
);
export const CODEX_STYLESHEETS = ['codex.style.css', 'codex.style-rtl.css'] as const;
export const ASSET_MANIFEST = 'assets.json';

/** What the build made its copies from: each served file's SHA-256, and the Codex classes the pages used. */
export interface AssetManifest {
  sources: Record<string, string>;
  codexClasses: string[];
}

const ASSET_PATH =
  /^\/((codex\.style(-rtl)?|codex-pages(-rtl)?|site|subtitle-editor|translate|embed|celebration|search)\.css|(transcript|search)\.js|editor\/(editor|translate|upload)\.js(\.map)?)$/;

/** True for the paths under /assets/ that are served (never a .br or .gz file asked for by name). */
export const isPublicAsset = (pathname: string): boolean => ASSET_PATH.test(pathname);

/** The stylesheets and scripts of src/web/ (not the islands' sources in its folders), by name. */
export function webSourceFiles(): string[] {
  return readdirSync(webSourceDir)
    .filter((name) => /\.(css|js)$/.test(name))
    .sort();
}

/** Every file the build copies from a source, by its served name, with where it comes from. */
export function assetSources(): Array<{ name: string; file: string }> {
  return [
    ...CODEX_STYLESHEETS.map((name) => ({ name, file: path.join(codexDistDir, name) })),
    ...webSourceFiles().map((name) => ({ name, file: path.join(webSourceDir, name) })),
  ];
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The Codex classes the server-rendered pages and their scripts name, sorted; one ending in "-" is
 * a prefix that a template completes (`cdx-message--${type}`).
 */
export function usedCodexClasses(): string[] {
  const files = [
    ...readdirSync(viewsDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(viewsDir, name)),
    ...webSourceFiles()
      .filter((name) => name.endsWith('.js'))
      .map((name) => path.join(webSourceDir, name)),
  ];
  const found = new Set<string>();
  for (const file of files) for (const [name] of readFileSync(file, 'utf8').matchAll(/cdx-[\w-]*/g)) found.add(name);
  return [...found].sort();
}

/** A test of a class name against used classes (an entry ending in "-" covers every class it begins). */
export function codexClassMatcher(used: Iterable<string>): (name: string) => boolean {
  const names = new Set(used);
  const prefixes = [...names].filter((name) => name.endsWith('-'));
  return (name) => names.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

/** Where /assets/ is served from, and whether the pages may use the build's part of Codex. */
export interface PublicAssets {
  roots: string[];
  preCompressed: boolean;
  codexPages: boolean;
}

let publicAssetsChosen: PublicAssets | undefined;

/** The build's compressed copies while they match their sources (checked once per process), else the sources. */
export function publicAssets(): PublicAssets {
  if (publicAssetsChosen) return publicAssetsChosen;
  let manifest: AssetManifest | null = null;
  try {
    manifest = JSON.parse(readFileSync(path.join(builtWebDir, ASSET_MANIFEST), 'utf8')) as AssetManifest;
  } catch {
    // Not built (or built before assets were copied): the sources are served.
  }
  const built = manifest;
  const fresh =
    built !== null &&
    assetSources().every(({ name, file }) => built.sources[name] === sha256(readFileSync(file))) &&
    usedCodexClasses().every(codexClassMatcher(built.codexClasses));
  publicAssetsChosen = fresh
    ? { roots: [builtWebDir], preCompressed: true, codexPages: true }
    : {
        roots: [codexDistDir, webSourceDir, ...(existsSync(builtWebDir) ? [builtWebDir] : [])],
        preCompressed: false,
        codexPages: false,
      };
  return publicAssetsChosen;
}

/** A page's Codex stylesheet: the pages' part of it, or all of Codex on a page with an island (its Vue components use the rest). */
export function codexStylesheetUrl(rtl: boolean, island: boolean): string {
  const name = publicAssets().codexPages && !island ? 'codex-pages' : 'codex.style';
  return `/assets/${name}${rtl ? '-rtl' : ''}.css`;
}

const scriptUrls = new Map<string, string>();

/** The address of a built island's script, named with a digest of its content so a new build is never hidden by a cache. */
export function islandScriptUrl(name: 'editor' | 'translate' | 'upload'): string {
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
