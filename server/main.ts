/**
 * Entry of the server bundle (dist/server.mjs): `foyer server` and `foyer admin …`. The server
 * shuts down cleanly on SIGINT/SIGTERM: the HTTP server first (no request sees a closed store),
 * then the store.
 */
import { runCli } from './cli';

const { exitCode, server } = await runCli(process.argv.slice(2));
process.exitCode = exitCode;
if (server) {
  let closing: Promise<void> | null = null;
  const stop = () => {
    closing ??= server.close().finally(() => process.exit(0));
    return closing;
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
