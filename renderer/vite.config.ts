/**
 * Builds the renderer into dist/renderer, which the desk host serves (and into whose index.html
 * it writes the launch token). Absolute asset URLs (`base: '/'`), because client-side routes such
 * as /customers/:id load the same index.html. Paths come from `import.meta.dirname` rather than
 * node:path, which the renderer folder may not import (see .dependency-cruiser.cjs).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    // Relative to `root`: <repo>/dist/renderer.
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // No vendor chunks: chunks follow the imports. Each page is loaded on first use
    // (src/shell/pages.tsx) and code that several of them share goes into shared chunks, so the
    // calendar loads no table, form or phone-number code and the other pages no FullCalendar. A
    // chunk of all libraries (or of all antd) would be loaded and run by every page before it could
    // show anything, and one that caught React would pull React DOM into the entry's chunks, which
    // ask for the first screen's data before the rest of the app runs (main.tsx).
    // The largest chunk (antd's core with React DOM, which the app's frame needs) is about 0.7 MB,
    // loaded from the local desk host, not the internet.
    chunkSizeWarningLimit: 1000,
  },
});
