/**
 * The Electron shell: one instance per machine, one desk host forked as a utility process, one
 * hardened window that loads what the host serves.
 *
 * Lifecycle:
 *   single-instance lock → app ready → deny-all permissions, menu → fork host
 *   host 'ready'  → CSP for the host origin, window loads exactly the host URL
 *   host 'failed' → native error box, quit
 *   host exits unexpectedly → dialog: restart the host (new window on its next 'ready') or quit
 *   before-quit   → {type:'shutdown'} to the host, wait for its exit (bounded), kill, quit again
 *
 * The renderer receives only the host URL and the launch token, as command-line switches that
 * the sandboxed preload reads and exposes as `window.foyer`. Everything electron-specific comes
 * in through `ElectronDeps`, so the wiring runs in tests against fakes; the only state is local
 * to one `startShell` call.
 */
import path from 'node:path';
import type {
  BrowserWindowConstructorOptions,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  WindowOpenHandlerResponse,
} from 'electron';
import type { HostEnv, HostReady, MainToHost } from '../host/protocol';
import { parseHostMessage } from './host-messages';
import { menuTemplate } from './menu';
import {
  contentSecurityPolicy,
  isExternalLink,
  isSameOrigin,
  parseHostUrl,
  withContentSecurityPolicy,
} from './security';
import { shellLanguage, shellText, type ShellText } from './shell-text';

export const PRODUCT_NAME = 'Foyer';
export const HOST_SERVICE_NAME = 'Foyer desk host';
export const HOST_URL_SWITCH = '--foyer-host-url=';
export const TOKEN_SWITCH = '--foyer-token=';
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 3_000;
/** A host that fails posts 'failed' and exits; the two can arrive in either order. */
const DEFAULT_EXIT_GRACE_MS = 250;

// ---- The parts of the electron module the shell uses (the real module satisfies these). ----

export interface ShellEvent {
  preventDefault(): void;
}

export interface ShellApp {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  getPath(name: 'appData' | 'userData'): string;
  setPath(name: 'userData', path: string): void;
  getLocale(): string;
  getVersion(): string;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: ShellEvent) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
}

export interface HostForkOptions {
  env: Record<string, string | undefined>;
  serviceName: string;
}

export interface HostProcess {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  postMessage(message: MainToHost): void;
  kill(): boolean;
}

export interface UtilityProcessApi {
  fork(modulePath: string, args: string[], options: HostForkOptions): HostProcess;
}

export interface NavigationEvent extends ShellEvent {
  url: string;
}

export interface ShellWebContents {
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void;
}

export interface ShellWindow {
  readonly webContents: ShellWebContents;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  close(): void;
}

export type WindowConstructor = new (options: BrowserWindowConstructorOptions) => ShellWindow;

export interface HeadersReceivedDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface HeadersReceivedResponse {
  cancel?: boolean;
  responseHeaders?: Record<string, string | string[]>;
}

export interface ShellSession {
  readonly webRequest: {
    onHeadersReceived(
      filter: { urls: string[] },
      listener: (details: HeadersReceivedDetails, callback: (response: HeadersReceivedResponse) => void) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

export interface ElectronDeps {
  app: ShellApp;
  BrowserWindow: WindowConstructor;
  utilityProcess: UtilityProcessApi;
  dialog: {
    showErrorBox(title: string, content: string): void;
    showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
  };
  shell: { openExternal(url: string): Promise<void> };
  session: { readonly defaultSession: ShellSession };
  Menu: {
    buildFromTemplate(template: MenuItemConstructorOptions[]): object;
    setApplicationMenu(menu: object | null): void;
  };
}

export interface ShellOptions {
  /** Folder of the built main bundle (dist/electron); the host, renderer and preload sit beside it. */
  mainDir: string;
  /** Environment handed on to the host (normally process.env). */
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  shutdownTimeoutMs?: number;
  /** How long after an unexpected host exit to wait for its 'failed' message before offering a restart. */
  exitGraceMs?: number;
  /** Diagnostics for whoever started the app (stderr); never shown to the user. */
  log: (line: string) => void;
}

export interface ShellPaths {
  host: string;
  preload: string;
  renderer: string;
}

/** dist/electron/main.cjs → dist/host.mjs, dist/renderer, dist/electron/preload.cjs. */
export function shellPaths(mainDir: string): ShellPaths {
  return {
    host: path.join(mainDir, '..', 'host.mjs'),
    preload: path.join(mainDir, 'preload.cjs'),
    renderer: path.join(mainDir, '..', 'renderer'),
  };
}

/** The window options; the only values that reach the renderer are the two switches. */
export function windowOptions(ready: HostReady, preload: string, isPackaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: PRODUCT_NAME,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: !isPackaged,
      spellcheck: false,
      additionalArguments: [`${HOST_URL_SWITCH}${ready.url}`, `${TOKEN_SWITCH}${ready.token}`],
    },
  };
}

interface RunningHost {
  process: HostProcess;
  alive: boolean;
  exited: Promise<void>;
}

export type ShellStart = 'primary' | 'secondary';

/**
 * Wires the shell. Resolves 'secondary' (after asking the app to quit) when another instance
 * holds the lock, else 'primary' once the app is ready and the host has been forked.
 */
export async function startShell(deps: ElectronDeps, options: ShellOptions): Promise<ShellStart> {
  const { app, dialog } = deps;
  const { log } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const exitGraceMs = options.exitGraceMs ?? DEFAULT_EXIT_GRACE_MS;
  const paths = shellPaths(options.mainDir);

  // <appData>/Foyer whether packaged (productName) or started from the repo (where Electron would
  // take "foyer" from package.json): the browser mode (`foyer serve`) opens the same replica, and
  // the single-instance lock lives in this folder, so it must be settled before the lock.
  app.setPath('userData', path.join(app.getPath('appData'), PRODUCT_NAME));

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return 'secondary';
  }

  let text: ShellText = shellText.en;
  let mainWindow: ShellWindow | null = null;
  /** The latest host forked; it stays here after it exits, until a restart replaces it. */
  let host: RunningHost | null = null;
  let current: HostReady | null = null;
  let quitting = false;
  let hostStopped = false;
  let stopping = false;

  const liveWindow = (): ShellWindow | null => (mainWindow !== null && !mainWindow.isDestroyed() ? mainWindow : null);

  app.on('second-instance', () => {
    const win = liveWindow();
    if (win === null) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });

  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (liveWindow() === null && current !== null && host?.alive === true) openWindow(current);
  });

  app.on('before-quit', (event) => {
    quitting = true;
    if (hostStopped || host === null || !host.alive) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void stopHost(host).then(() => {
      hostStopped = true;
      app.quit();
    });
  });

  async function stopHost(running: RunningHost): Promise<void> {
    try {
      running.process.postMessage({ type: 'shutdown' });
    } catch (e) {
      log(`foyer: could not ask the desk host to shut down: ${String(e)}`);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), shutdownTimeoutMs);
    });
    const outcome = await Promise.race([running.exited.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      log(`foyer: the desk host did not exit within ${shutdownTimeoutMs} ms; killing it`);
      running.process.kill();
    }
  }

  function openExternally(url: string): void {
    if (!isExternalLink(url)) return;
    deps.shell.openExternal(url).catch((e: unknown) => log(`foyer: could not open ${url}: ${String(e)}`));
  }

  function openWindow(ready: HostReady): void {
    const origin = new URL(ready.url).origin;
    const win = new deps.BrowserWindow(windowOptions(ready, paths.preload, app.isPackaged));
    mainWindow = win;
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    win.once('ready-to-show', () => win.show());
    win.webContents.on('will-navigate', (event) => {
      if (isSameOrigin(event.url, origin)) return;
      event.preventDefault();
      openExternally(event.url);
    });
    win.webContents.setWindowOpenHandler(({ url }) => {
      openExternally(url);
      return { action: 'deny' };
    });
    win.loadURL(ready.url).catch((e: unknown) => log(`foyer: could not load ${ready.url}: ${String(e)}`));
  }

  function onReady(ready: HostReady): void {
    if (quitting) return;
    const url = parseHostUrl(ready.url);
    if (url === null) {
      fail(text.badHostUrl(ready.url));
      return;
    }
    current = ready;
    const policy = contentSecurityPolicy(url);
    // Replaces any listener from an earlier host: a restarted host has a new port.
    deps.session.defaultSession.webRequest.onHeadersReceived({ urls: [`${url.origin}/*`] }, (details, callback) => {
      if (!isSameOrigin(details.url, url.origin)) {
        callback({});
        return;
      }
      callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
    });
    // After a host restart the old window still holds the dead host's URL and token: replace it,
    // opening the new one first so 'window-all-closed' does not quit the app in between.
    const previous = liveWindow();
    openWindow(ready);
    previous?.close();
  }

  /** Fatal for this launch: app.quit() emits 'before-quit' at once, so no restart is offered. */
  function fail(message: string): void {
    dialog.showErrorBox(text.startFailedTitle, message);
    app.quit();
  }

  async function offerRestart(code: number): Promise<void> {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: text.hostStoppedTitle,
      message: text.hostStoppedMessage,
      detail: text.hostStoppedDetail(code),
      buttons: [text.restart, text.quit],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    });
    if (quitting) return;
    if (response === 0) forkHost();
    else app.quit();
  }

  function forkHost(): void {
    const env: Record<string, string | undefined> = {
      ...options.env,
      ...({
        FOYER_DATA_DIR: path.join(app.getPath('userData'), 'data'),
        PORT: '0',
        FOYER_RENDERER_DIR: paths.renderer,
      } satisfies HostEnv),
    };
    const child = deps.utilityProcess.fork(paths.host, [], { env, serviceName: HOST_SERVICE_NAME });
    let markExited: () => void = () => undefined;
    const running: RunningHost = {
      process: child,
      alive: true,
      exited: new Promise<void>((resolve) => {
        markExited = resolve;
      }),
    };
    host = running;

    child.on('message', (raw) => {
      if (host !== running) return;
      const message = parseHostMessage(raw);
      if (message === null) {
        log(`foyer: ignoring a malformed message from the desk host: ${JSON.stringify(raw)}`);
        return;
      }
      if (message.type === 'ready') onReady(message);
      else fail(message.message);
    });

    child.on('exit', (code) => {
      running.alive = false;
      markExited();
      if (host !== running || quitting) return;
      log(`foyer: the desk host exited with code ${code}`);
      setTimeout(() => {
        // A failing host posts 'failed' and exits; whichever arrives first, 'failed' wins.
        if (host !== running || quitting) return;
        offerRestart(code).catch((e: unknown) => log(`foyer: restart dialog failed: ${String(e)}`));
      }, exitGraceMs);
    });
  }

  await app.whenReady();
  const language = shellLanguage(app.getLocale());
  text = shellText[language];

  const ses = deps.session.defaultSession;
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  const template = menuTemplate({
    text,
    isPackaged: app.isPackaged,
    platform: options.platform,
    appName: PRODUCT_NAME,
    onAbout: () => {
      dialog
        .showMessageBox({
          type: 'info',
          title: text.menuAbout,
          message: `${PRODUCT_NAME} ${app.getVersion()}`,
          detail: text.aboutDetail,
          buttons: [text.ok],
          noLink: true,
        })
        .catch((e: unknown) => log(`foyer: about dialog failed: ${String(e)}`));
    },
  });
  deps.Menu.setApplicationMenu(deps.Menu.buildFromTemplate(template));

  if (!quitting) forkHost();
  return 'primary';
}
