/**
 * Entry of the desk host bundle (dist/host.mjs). Under Electron it runs as a utilityProcess and
 * talks to the main process through `process.parentPort` (see protocol.ts); under plain Node it is
 * the `foyer` CLI. Either way it shuts down cleanly on request or signal, closing the HTTP server
 * before the replica so no request sees a closed database.
 */
import { AppError } from '../../core/errors';
import { formatMessage } from '../../core/i18n/messages';
import { defaultDataDir, defaultRendererDir, runCli } from './cli';
import { startHost, type RunningHost } from './host';
import type { HostToMain, MainToHost } from './protocol';

interface ParentPort {
  postMessage(message: HostToMain): void;
  on(event: 'message', listener: (e: { data: MainToHost }) => void): void;
}

function onShutdown(host: RunningHost): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => {
    closing ??= host.close().finally(() => process.exit(0));
    return closing;
  };
}

async function runUnderElectron(port: ParentPort): Promise<void> {
  try {
    const host = await startHost({
      dataDir: defaultDataDir(),
      port: Number(process.env.PORT ?? 0),
      rendererDir: defaultRendererDir(),
    });
    const stop = onShutdown(host);
    port.on('message', (e) => {
      if (e.data.type === 'shutdown') void stop();
    });
    port.postMessage({ type: 'ready', url: host.url, token: host.token });
  } catch (e) {
    const key = AppError.is(e) ? e.key : 'errors.internal';
    const params = AppError.is(e) ? e.params : {};
    port.postMessage({ type: 'failed', key, params, message: formatMessage('en', key, params) });
    // Let the message reach the main process before exiting: no process.exit() here, just an exit code.
    process.exitCode = 1;
  }
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort) {
  await runUnderElectron(parentPort);
} else {
  const host = await runCli(process.argv.slice(2));
  if (host) {
    const stop = onShutdown(host);
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  }
}
