#!/usr/bin/env node
// The `foyer` command. The desk host is built to dist/host.mjs (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/host.mjs', import.meta.url));
if (!existsSync(entry)) {
  console.error('Foyer is not built yet. Run: npm run build');
  process.exit(1);
}
await import(entry);
