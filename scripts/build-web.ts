// Builds the browser islands (the subtitle editor and the translation editor: Vue 3 single-file
// components) into dist/web/editor/ with Vite. Runs after `npm install` (prepare), before `npm start`
// and before the tests. Where Vite is not installed (a production install without devDependencies)
// an existing build is kept.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web/editor', import.meta.url));
/** Each island's entry module, src/web/NAME/main.ts, built to dist/web/editor/NAME.js. */
const ISLANDS = ['editor', 'translate'] as const;

let vite: typeof import('vite');
let vue: typeof import('@vitejs/plugin-vue');
try {
  vite = await import('vite');
  vue = await import('@vitejs/plugin-vue');
} catch {
  if (ISLANDS.every((name) => existsSync(`${outDir}/${name}.js`))) process.exit(0);
  console.error('The editor is not built and Vite is not installed: run `npm install` (with devDependencies) once.');
  process.exit(1);
}

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
          format: 'es',
          entryFileNames: '[name].js',
          assetFileNames: '[name][extname]',
          chunkFileNames: '[name].js',
        },
      },
    },
  });
}
