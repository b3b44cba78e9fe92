#!/usr/bin/env node
// The `foyer` command. `simulate` runs a device simulator (dist/simulate.mjs); everything else is
// the desk host's CLI (dist/host.mjs). Both are built by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = process.argv[2] === 'simulate' ? 'simulate.mjs' : 'host.mjs';
const entry = fileURLToPath(new URL(`../dist/${bundle}`, import.meta.url));
if (!existsSync(entry)) {
  console.error('Foyer is not built yet. Run: npm run build');
  process.exit(1);
}
await import(entry);
