// Builds the browser islands (the subtitle editor: Vue 3 single-file components) into dist/web/
// with Vite. Runs after `npm install` (prepare), before `npm start` and before the tests. Where
// Vite is not installed (a production install without devDependencies) an existing build is kept.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web/editor', import.meta.url));

let vite: typeof import('vite');
let vue: typeof import('@vitejs/plugin-vue');
try {
  vite = await import('vite');
  vue = await import('@vitejs/plugin-vue');
} catch {
  if (existsSync(`${outDir}/editor.js`)) process.exit(0);
  console.error('The editor is not built and Vite is not installed: run `npm install` (with devDependencies) once.');
  process.exit(1);
}

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
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { editor: fileURLToPath(new URL('../src/web/editor/main.ts', import.meta.url)) },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        assetFileNames: '[name][extname]',
        chunkFileNames: '[name].js',
      },
    },
  },
});
