// Builds everything that runs outside vitest:
//   dist/host.mjs              the desk host and `foyer` CLI (ESM, npm packages left external)
//   dist/simulate.mjs          `foyer simulate <device>`: the device simulators
//   dist/server.mjs            `foyer server` and `foyer admin …`: the cloud server
//   dist/electron/main.cjs     the Electron main process (CJS, `electron` external)
//   dist/electron/preload.cjs  the sandboxed preload (CJS, only `electron` external)
//   dist/renderer/             the React UI (Vite)
// and stamps dist/.built so scripts/ensure-built.mjs can tell whether sources changed since.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);
const started = Date.now();
mkdirSync(at('dist/electron'), { recursive: true });

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...node,
  entryPoints: [at('electron/host/main.ts')],
  outfile: at('dist/host.mjs'),
  format: 'esm',
  packages: 'external',
});

await build({
  ...node,
  entryPoints: [at('devices/sim/main.ts')],
  outfile: at('dist/simulate.mjs'),
  format: 'esm',
  packages: 'external',
});

await build({
  ...node,
  entryPoints: [at('server/main.ts')],
  outfile: at('dist/server.mjs'),
  format: 'esm',
  packages: 'external',
});

if (existsSync(at('electron/main/main.ts'))) {
  await build({ ...node, entryPoints: [at('electron/main/main.ts')], outfile: at('dist/electron/main.cjs'), format: 'cjs', external: ['electron'] });
}
if (existsSync(at('electron/preload/preload.ts'))) {
  await build({ ...node, entryPoints: [at('electron/preload/preload.ts')], outfile: at('dist/electron/preload.cjs'), format: 'cjs', external: ['electron'] });
}

if (existsSync(at('renderer/vite.config.ts'))) {
  const vite = spawnSync(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--config', at('renderer/vite.config.ts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}

writeFileSync(at('dist/.built'), new Date().toISOString() + '\n');
console.log(`Foyer built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
