/**
 * Electron entry (bundled to dist/electron/main.cjs). All wiring lives in shell.ts so it can be
 * tested without Electron; this file only hands it the real electron module and the process.
 */
import { app, BrowserWindow, dialog, Menu, session, shell, utilityProcess } from 'electron';
import { startShell } from './shell';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

startShell(
  { app, BrowserWindow, dialog, Menu, session, shell, utilityProcess },
  { mainDir: __dirname, env: process.env, platform: process.platform, log },
).catch((e: unknown) => {
  log(`foyer: the shell failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  dialog.showErrorBox('Foyer', String(e));
  app.exit(1);
});
