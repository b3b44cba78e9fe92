// `npm start`: build if the sources changed, then run the Electron app; on a machine without the
// Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1) serve the same UI in a
// browser instead, with one line saying so. Either way this process stays in front: signals go
// to the child and the child's exit code becomes ours.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWSER_FALLBACK_NOTICE, findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extraArgs = process.argv.slice(2);

// ensure-built decides whether dist/ is stale (missing, or older than any source) and rebuilds.
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-built.mjs')], { cwd: root, stdio: 'inherit' });
if (build.error) {
  console.error(`Could not run the build: ${build.error.message}`);
  process.exit(1);
}
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = await findElectronBinary();
if (electron.found) {
  // Electron is given the package folder rather than dist/electron/main.cjs: package.json's
  // "main" points there, and Electron then takes the app's name and version from package.json
  // (its userData folder is "foyer", not the generic "Electron" shared by every dev app).
  const env = { ...process.env };
  // Set in a parent shell, this would make Electron run as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron.path, [root, ...extraArgs], env);
} else {
  console.log(BROWSER_FALLBACK_NOTICE);
  run(process.execPath, [path.join(root, 'bin', 'foyer.mjs'), 'serve', ...extraArgs], process.env);
}

function run(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const signals = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  // Ctrl+C in a terminal reaches the child too (same process group); forwarding also covers a
  // `kill` aimed at this process alone. The child must treat a repeated signal as the same request.
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of signals) process.on(signal, forward);

  child.on('error', (e) => {
    console.error(`Could not start ${command}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal !== null) {
      // Die of the same signal, so whoever started `npm start` sees how the app ended.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}
