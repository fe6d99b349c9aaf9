// Builds the browser islands (the subtitle editor and the translation editor: Vue 3 single-file
// components) into dist/web/editor/ with Vite, then the assets every page links (src/http/assets.ts):
// copies of src/web's stylesheets and scripts and of Codex's stylesheets, the part of Codex the
// server-rendered pages use, and a Brotli (quality 11) and gzip (level 9) form of each, made once
// here rather than on every request. Runs after `npm install` (prepare), before `npm start` and
// before the tests. Where Vite is not installed (a production install without devDependencies) an
// existing build is kept.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import {
  ASSET_MANIFEST,
  assetSources,
  builtWebDir,
  codexDistDir,
  CODEX_STYLESHEETS,
  sha256,
  usedCodexClasses,
  type AssetManifest,
} from '../src/http/assets.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web/editor', import.meta.url));
/** Each island's entry module, src/web/NAME/main.ts, built to dist/web/editor/NAME.js. */
const ISLANDS = ['editor', 'translate', 'upload'] as const;
/** Islands loaded as a plain deferred script (no Vue, so the page keeps the small Codex stylesheet). */
const CLASSIC_SCRIPTS: ReadonlySet<string> = new Set(['upload']);

let vite: typeof import('vite');
let vue: typeof import('@vitejs/plugin-vue');
let codexSubset: typeof import('./codex-subset.ts').codexSubset;
try {
  vite = await import('vite');
  vue = await import('@vitejs/plugin-vue');
  ({ codexSubset } = await import('./codex-subset.ts'));
} catch {
  if (ISLANDS.every((name) => existsSync(`${outDir}/${name}.js`))) process.exit(0);
  console.error('The editor is not built and Vite is not installed: run `npm install` (with devDependencies) once.');
  process.exit(1);
}

// Until the copies below are all written, the server serves the sources (src/http/assets.ts).
rmSync(path.join(builtWebDir, ASSET_MANIFEST), { force: true });

// One build per island, so that each is a single file: built together, Vue and Codex would be split
// into shared chunks, more files for the server to list and the browser to fetch.
for (const [index, name] of ISLANDS.entries()) {
  await vite.build({
    root,
    configFile: false,
    logLevel: 'warn',
    plugins: [vue.default()],
    define: {
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: {
      outDir,
      emptyOutDir: index === 0,
      target: 'es2022',
      sourcemap: true,
      rollupOptions: {
        input: { [name]: fileURLToPath(new URL(`../src/web/${name}/main.ts`, import.meta.url)) },
        // The domain modules are pure (no work at import), so what an island does not call is left
        // out: the translation checks come without the Markdown parser their module also imports.
        treeshake: { moduleSideEffects: (id) => !id.includes('/src/domain/') },
        output: {
          format: CLASSIC_SCRIPTS.has(name) ? 'iife' : 'es',
          entryFileNames: '[name].js',
          assetFileNames: '[name][extname]',
          chunkFileNames: '[name].js',
        },
      },
    },
  });
}

/** Writes a served file with its .br and .gz forms beside it. */
function writeAsset(name: string, content: Uint8Array | string): void {
  const file = path.join(builtWebDir, name);
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  writeFileSync(file, bytes);
  writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
}

const manifest: AssetManifest = { sources: {}, codexClasses: usedCodexClasses() };
for (const { name, file } of assetSources()) {
  const bytes = readFileSync(file);
  writeAsset(name, bytes);
  manifest.sources[name] = sha256(bytes);
}
for (const [index, sheet] of CODEX_STYLESHEETS.entries()) {
  const subset = codexSubset(readFileSync(path.join(codexDistDir, sheet), 'utf8'), manifest.codexClasses);
  writeAsset(index === 0 ? 'codex-pages.css' : 'codex-pages-rtl.css', subset);
}
for (const name of ISLANDS) writeAsset(`editor/${name}.js`, readFileSync(path.join(builtWebDir, `editor/${name}.js`)));
// Written last: a build cut short leaves no manifest, so the server serves the sources.
writeFileSync(path.join(builtWebDir, ASSET_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
