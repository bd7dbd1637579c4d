/**
 * Builds the panel into web-src/dist: relative asset paths (`base: './'`) because it is served
 * from the CDN on Runtime, from `/` by the sandbox host and from a temp dir in the browser test.
 * Pages are React.lazy chunks (web-src/src/pages.ts); the bundler's own splitting puts each
 * Spectrum component in the chunk of the pages that use it, so the first page loads only its own.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  // The oxc JSX transform alone would build too; the plugin adds Fast Refresh for `vite dev`.
  plugins: [react()],
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  build: {
    outDir: process.env.PANEL_OUT_DIR ?? fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
