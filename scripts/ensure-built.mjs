// Rebuilds dist/ when it is missing or older than any source file, so `npm run serve`,
// `npm start` and the tests always run what is in the tree, and skip the build when nothing changed.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['core', 'sync', 'server', 'devices', 'electron', 'renderer', 'package.json', 'package-lock.json', 'scripts/build.mjs'];

function newestMtime(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of readdirSync(p)) {
    if (e === 'node_modules' || e.endsWith('.test.ts') || e.endsWith('.test.tsx')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, e)));
  }
  return newest;
}

const built = newestMtime(path.join(root, 'dist/.built'));
const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
if (built === 0 || newest > built) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
