/**
 * An in-memory stand-in for the parts of the electron module that `startShell` uses
 * (`ElectronDeps`). It records what the shell asked for (forks, windows, dialogs, handlers) and
 * lets a test play the other side: host messages and exits, navigations, second instances, quit.
 * `app.quit()` behaves like Electron's: it emits 'before-quit' and only quits if nobody called
 * preventDefault().
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions, MessageBoxOptions } from 'electron';
import type { MainToHost } from '../host/protocol';
import type {
  ElectronDeps,
  HeadersReceivedDetails,
  HeadersReceivedResponse,
  HostForkOptions,
  HostProcess,
  NavigationEvent,
  ShellApp,
  ShellEvent,
  ShellSession,
  ShellWebContents,
  ShellWindow,
} from './shell';

export class FakeEvent implements ShellEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeApp extends EventEmitter implements ShellApp {
  isPackaged = false;
  hasLock = true;
  locale = 'en-US';
  appData = '/home/desk/.config';
  /** Electron's default for an app started from the repo: the package.json name. */
  userData = '/home/desk/.config/foyer';
  /** userData at the moment the single-instance lock was requested (the lock lives there). */
  lockedIn: string | null = null;
  /** How often app.quit() was called, and whether a quit went through. */
  quitCalls = 0;
  quitted = false;

  requestSingleInstanceLock(): boolean {
    this.lockedIn = this.userData;
    return this.hasLock;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(name: 'appData' | 'userData'): string {
    return name === 'appData' ? this.appData : this.userData;
  }
  setPath(_name: 'userData', value: string): void {
    this.userData = value;
  }
  getLocale(): string {
    return this.locale;
  }
  getVersion(): string {
    return '0.1.0';
  }
  quit(): void {
    this.quitCalls++;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  }
}

export class FakeHostProcess extends EventEmitter implements HostProcess {
  readonly posted: MainToHost[] = [];
  killed = false;
  alive = true;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: HostForkOptions,
  ) {
    super();
  }
  postMessage(message: MainToHost): void {
    if (!this.alive) throw new Error('postMessage to an exited process');
    this.posted.push(message);
  }
  kill(): boolean {
    if (!this.alive) return false;
    this.killed = true;
    setImmediate(() => this.exit(143));
    return true;
  }
  /** The host posts to its parent. */
  send(message: unknown): void {
    this.emit('message', message);
  }
  exit(code: number): void {
    if (!this.alive) return;
    this.alive = false;
    this.emit('exit', code);
  }
}

export class FakeWebContents extends EventEmitter implements ShellWebContents {
  windowOpenHandler: Parameters<ShellWebContents['setWindowOpenHandler']>[0] | null = null;

  setWindowOpenHandler(handler: Parameters<ShellWebContents['setWindowOpenHandler']>[0]): void {
    this.windowOpenHandler = handler;
  }
  /** A navigation the page starts; returns true if the shell blocked it. */
  navigate(url: string): boolean {
    const event: NavigationEvent & FakeEvent = Object.assign(new FakeEvent(), { url });
    this.emit('will-navigate', event);
    return event.defaultPrevented;
  }
  /** window.open / target=_blank; returns the handler's verdict. */
  open(url: string): string {
    if (this.windowOpenHandler === null) return 'allow (no handler)';
    return this.windowOpenHandler({ url }).action;
  }
}

export class FakeWindow extends EventEmitter implements ShellWindow {
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  shown = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

type HeadersListener = (details: HeadersReceivedDetails, callback: (response: HeadersReceivedResponse) => void) => void;
type RequestHandler = Parameters<ShellSession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<ShellSession['setPermissionCheckHandler']>[0];

export class FakeSession implements ShellSession {
  headers: { filter: { urls: string[] }; listener: HeadersListener } | null = null;
  requestHandler: RequestHandler | null = null;
  checkHandler: CheckHandler | null = null;

  readonly webRequest = {
    onHeadersReceived: (filter: { urls: string[] }, listener: HeadersListener): void => {
      this.headers = { filter, listener };
    },
  };
  setPermissionRequestHandler(handler: RequestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    this.checkHandler = handler;
  }
  /** Runs a response through the registered listener, as Electron would for a matching URL. */
  respond(url: string, responseHeaders: Record<string, string[]>): HeadersReceivedResponse | null {
    if (this.headers === null) return null;
    let result: HeadersReceivedResponse | null = null;
    this.headers.listener({ url, responseHeaders }, (response) => {
      result = response;
    });
    return result;
  }
}

export interface FakeMenus {
  built: { template: MenuItemConstructorOptions[] }[];
  applied: object | null;
}

export interface FakeElectron {
  deps: ElectronDeps;
  app: FakeApp;
  session: FakeSession;
  /** Every host the shell forked, oldest first. */
  hosts: FakeHostProcess[];
  /** Every window the shell created, oldest first. */
  windows: FakeWindow[];
  errorBoxes: { title: string; content: string }[];
  messageBoxes: MessageBoxOptions[];
  /**
   * The button index message boxes answer with; with `hold`, a box stays open until the test
   * calls `closeBoxes()`, like a dialog the user has not answered yet.
   */
  answer: { response: number; hold: boolean };
  closeBoxes(): void;
  opened: string[];
  menus: FakeMenus;
}

export function createFakeElectron(): FakeElectron {
  const app = new FakeApp();
  const session = new FakeSession();
  const hosts: FakeHostProcess[] = [];
  const windows: FakeWindow[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const messageBoxes: MessageBoxOptions[] = [];
  const answer = { response: 0, hold: false };
  const openBoxes: (() => void)[] = [];
  const opened: string[] = [];
  const menus: FakeMenus = { built: [], applied: null };

  class FakeBrowserWindow extends FakeWindow {
    constructor(options: BrowserWindowConstructorOptions) {
      super(options);
      windows.push(this);
    }
  }

  const deps: ElectronDeps = {
    app,
    BrowserWindow: FakeBrowserWindow,
    utilityProcess: {
      fork(modulePath, args, options) {
        const child = new FakeHostProcess(modulePath, args, options);
        hosts.push(child);
        return child;
      },
    },
    dialog: {
      showErrorBox(title, content) {
        errorBoxes.push({ title, content });
      },
      showMessageBox(options) {
        messageBoxes.push(options);
        if (!answer.hold) return Promise.resolve({ response: answer.response });
        return new Promise((resolve) => openBoxes.push(() => resolve({ response: answer.response })));
      },
    },
    shell: {
      openExternal(url) {
        opened.push(url);
        return Promise.resolve();
      },
    },
    session: { defaultSession: session },
    Menu: {
      buildFromTemplate(template) {
        const menu = { template };
        menus.built.push(menu);
        return menu;
      },
      setApplicationMenu(menu) {
        menus.applied = menu;
      },
    },
  };

  const closeBoxes = (): void => {
    for (const close of openBoxes.splice(0)) close();
  };
  return { deps, app, session, hosts, windows, errorBoxes, messageBoxes, answer, closeBoxes, opened, menus };
}
