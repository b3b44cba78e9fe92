// Checks the import layering (.dependency-cruiser.cjs, the table in ARCHITECTURE.md) over the app
// folders that exist. `depcruise` refuses a folder that is not there ("Can't open 'sync' for
// reading"), and a glob would make it walk all of node_modules, so this passes only the folders
// present. Extra arguments go to depcruise, e.g. `node scripts/lint-imports.mjs -T dot`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_FOLDERS = ['core', 'sync', 'server', 'devices', 'electron', 'renderer'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folders = APP_FOLDERS.filter((f) => existsSync(path.join(root, f)));

// The package exports only its API, so find its bin from the API's entry point.
let pkg = path.dirname(fileURLToPath(import.meta.resolve('dependency-cruiser')));
while (!existsSync(path.join(pkg, 'package.json'))) pkg = path.dirname(pkg);
const bin = path.join(pkg, 'bin', 'dependency-cruise.mjs');

const r = spawnSync(
  process.execPath,
  [bin, '--config', '.dependency-cruiser.cjs', ...process.argv.slice(2), ...folders],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
