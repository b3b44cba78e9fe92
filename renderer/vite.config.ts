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
    // The app's own code in one chunk, libraries in others that stay cached across app updates.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|dayjs)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
    // antd is one large library (about 1 MB once the Devices page's forms, popovers and tables are
    // in); its chunk is loaded from the local desk host, not the internet, and cached across updates.
    chunkSizeWarningLimit: 1500,
  },
});
