/**
 * `foyer serve` and `foyer desk`: the desk host under plain Node. `serve` is the app in a browser
 * (UI at the printed URL); `desk` is the same host, with `--headless` to serve the API only.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/errors';
import { formatMessage } from '../../core/i18n/messages';
import { startHost, type RunningHost } from './host';

/** The folder Electron uses for Foyer's data, so the browser mode and the app share one replica. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = os.homedir()): string {
  if (env.FOYER_DATA_DIR) return env.FOYER_DATA_DIR;
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Foyer', 'data');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Foyer', 'data');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Foyer', 'data');
}

/** dist/renderer next to this bundle (dist/host.mjs), unless overridden. */
export function defaultRendererDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FOYER_RENDERER_DIR) return env.FOYER_RENDERER_DIR;
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'renderer');
}

const USAGE = `Usage: foyer <command> [options]

Commands:
  serve              the desk host and its UI for a browser (default http://127.0.0.1:5170)
  desk [--headless]  a desk host; --headless serves the API without the UI
  simulate <device>  a device simulator: printer, display, gate or scanner (foyer simulate --help)

Options:
  --port N           port on 127.0.0.1 (env PORT; 0 picks a free one)
  --data-dir DIR     where the replica lives (env FOYER_DATA_DIR)
  --no-demo          do not seed the demo organization on first run
  --server URL       the Foyer server this desk syncs with (with --enroll on its first run)
  --enroll CODE      the one-time enrolment code from your administrator (foyer admin enroll:code)
  --name NAME        this desk's name at the server (default: the name given with the code)
`;

export async function runCli(argv: string[], log: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<RunningHost | null> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      headless: { type: 'boolean', default: false },
      server: { type: 'string' },
      enroll: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command || !['serve', 'desk'].includes(command)) {
    log(USAGE);
    if (!values.help) process.exitCode = 2;
    return null;
  }
  const port = Number(values.port ?? process.env.PORT ?? 5170);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log(`Invalid port: ${values.port ?? process.env.PORT}`);
    process.exitCode = 2;
    return null;
  }
  if (values.enroll !== undefined && values.server === undefined) {
    log('--enroll needs --server URL: the server the code is from.');
    process.exitCode = 2;
    return null;
  }
  if (values.server !== undefined && !/^https?:\/\/[^\s/]+/.test(values.server)) {
    log(`Invalid server URL: ${values.server} (expected http://host:port or https://host)`);
    process.exitCode = 2;
    return null;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const started = Date.now();
  try {
    const host = await startHost({
      dataDir,
      port,
      rendererDir: command === 'desk' && values.headless ? null : defaultRendererDir(),
      demo: !values['no-demo'] && values.server === undefined,
      ...(values.server !== undefined && values.enroll !== undefined
        ? { enroll: { serverUrl: values.server, code: values.enroll, ...(values.name !== undefined ? { name: values.name } : {}) } }
        : {}),
      log,
    });
    log(`Foyer desk host ready in ${Date.now() - started} ms — data in ${dataDir}`);
    log(`Open ${host.url}`);
    return host;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') log(`Port ${port} is already in use. Stop the other program or set PORT=<another port>.`);
    else if (AppError.is(e)) log(formatMessage('en', e.key, e.params));
    else log(`Foyer could not start: ${err.stack ?? String(e)}`);
    process.exitCode = 1;
    return null;
  }
}
