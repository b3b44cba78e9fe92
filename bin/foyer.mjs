#!/usr/bin/env node
// The `foyer` command. `simulate` runs a device simulator (dist/simulate.mjs); `server` and `admin`
// the cloud server and its administration (dist/server.mjs); everything else is the desk host's
// CLI (dist/host.mjs). All are built by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUNDLES = { simulate: 'simulate.mjs', server: 'server.mjs', admin: 'server.mjs' };
const command = process.argv[2] ?? '';
const bundle = Object.hasOwn(BUNDLES, command) ? BUNDLES[command] : 'host.mjs';
const entry = fileURLToPath(new URL(`../dist/${bundle}`, import.meta.url));
if (!existsSync(entry)) {
  console.error('Foyer is not built yet. Run: npm run build');
  process.exit(1);
}
await import(entry);
