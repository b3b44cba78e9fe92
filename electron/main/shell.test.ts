import path from 'node:path';
import { describe, it, expect, vi, afterEach } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { createFakeElectron, type FakeElectron, type FakeHostProcess, type FakeWindow } from './electron.fake';
import { HOST_URL_SWITCH, TOKEN_SWITCH, startShell, type ShellOptions, type ShellStart } from './shell';
import { SHELL_LANGUAGES, shellText } from './shell-text';

// The preload imports `contextBridge` from electron; the real package cannot load without its
// binary, so the preload tests below see this fake instead. shell.ts imports electron types only.
const bridge = vi.hoisted(() => ({ exposed: [] as { key: string; api: unknown }[] }));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.push({ key, api }),
  },
}));

const MAIN_DIR = path.join('/opt', 'Foyer', 'resources', 'app', 'dist', 'electron');
const DIST = path.dirname(MAIN_DIR);
const HOST_URL = 'http://127.0.0.1:5170';
const TOKEN = 'tok_9f8e7d6c5b4a';

interface Started {
  fake: FakeElectron;
  result: ShellStart;
  logs: string[];
}

async function start(setup?: (fake: FakeElectron) => void, overrides?: Partial<ShellOptions>): Promise<Started> {
  const fake = createFakeElectron();
  setup?.(fake);
  const logs: string[] = [];
  const result = await startShell(fake.deps, {
    mainDir: MAIN_DIR,
    env: { PATH: '/usr/bin', LANG: 'zh_CN.UTF-8' },
    platform: 'linux',
    shutdownTimeoutMs: 50,
    exitGraceMs: 10,
    log: (line) => logs.push(line),
    ...overrides,
  });
  return { fake, result, logs };
}

function onlyHost(fake: FakeElectron): FakeHostProcess {
  expect(fake.hosts).toHaveLength(1);
  const host = fake.hosts[0];
  if (host === undefined) throw new Error('no host');
  return host;
}

function lastWindow(fake: FakeElectron): FakeWindow {
  const win = fake.windows.at(-1);
  if (win === undefined) throw new Error('no window');
  return win;
}

/** Starts the shell and lets the host report ready; returns the window it opened. */
async function startReady(setup?: (fake: FakeElectron) => void): Promise<Started & { host: FakeHostProcess; win: FakeWindow }> {
  const started = await start(setup);
  const host = onlyHost(started.fake);
  host.send({ type: 'ready', url: HOST_URL, token: TOKEN });
  return { ...started, host, win: lastWindow(started.fake) };
}

function labels(items: MenuItemConstructorOptions[] | undefined): string[] {
  return (items ?? []).flatMap((item) => [
    item.label ?? '',
    ...labels(Array.isArray(item.submenu) ? item.submenu : undefined),
  ]);
}

function roles(items: MenuItemConstructorOptions[] | undefined): string[] {
  return (items ?? []).flatMap((item) => [
    item.role ?? '',
    ...roles(Array.isArray(item.submenu) ? item.submenu : undefined),
  ]);
}

describe('single instance', () => {
  it('a second instance quits without forking a host or opening a window', async () => {
    const { fake, result } = await start((f) => {
      f.app.hasLock = false;
    });
    expect(result).toBe('secondary');
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.app.quitted).toBe(true);
    expect(fake.hosts).toHaveLength(0);
    expect(fake.windows).toHaveLength(0);
  });

  it('the first instance restores and focuses its window when a second one starts', async () => {
    const { fake, result, win } = await startReady();
    expect(result).toBe('primary');
    win.minimized = true;
    win.shown = false;
    fake.app.emit('second-instance');
    expect(win.minimized).toBe(false);
    expect(win.shown).toBe(true);
    expect(win.focused).toBe(true);
    expect(fake.app.quitCalls).toBe(0);
  });
});

describe('desk host', () => {
  it('is forked with the data dir, a free port and the renderer dir, and no window opens before it is ready', async () => {
    const { fake } = await start();
    const host = onlyHost(fake);
    expect(host.modulePath).toBe(path.join(DIST, 'host.mjs'));
    expect(host.args).toEqual([]);
    expect(host.options.serviceName).toBe('Foyer desk host');
    expect(host.options.env).toMatchObject({
      FOYER_DATA_DIR: path.join('/home/desk/.config', 'Foyer', 'data'),
      PORT: '0',
      FOYER_RENDERER_DIR: path.join(DIST, 'renderer'),
      PATH: '/usr/bin',
    });
    expect(fake.windows).toHaveLength(0);

    host.send({ type: 'ready', url: HOST_URL, token: TOKEN });
    expect(fake.windows).toHaveLength(1);
    expect(lastWindow(fake).loaded).toEqual([HOST_URL]);
  });

  it('keeps its data in <appData>/Foyer, where `foyer serve` looks, settled before the instance lock', async () => {
    const { fake } = await start();
    expect(fake.app.lockedIn).toBe(path.join('/home/desk/.config', 'Foyer'));
    expect(onlyHost(fake).options.env.FOYER_DATA_DIR).toBe(path.join('/home/desk/.config', 'Foyer', 'data'));
  });

  it('ignores malformed host messages', async () => {
    const { fake, logs } = await start();
    const host = onlyHost(fake);
    host.send({ type: 'ready', url: HOST_URL });
    host.send('ready');
    host.send(null);
    expect(fake.windows).toHaveLength(0);
    expect(logs.filter((l) => l.includes('malformed'))).toHaveLength(3);
  });

  it.each(['https://127.0.0.1:5170', 'http://192.168.1.20:5170', 'http://desk:secret@127.0.0.1:5170', 'not a url'])(
    "refuses the 'ready' URL %s (not plain http on 127.0.0.1): error box, quit, no window",
    async (url) => {
      const { fake } = await start();
      onlyHost(fake).send({ type: 'ready', url, token: TOKEN });
      expect(fake.windows).toHaveLength(0);
      expect(fake.errorBoxes).toHaveLength(1);
      expect(fake.errorBoxes[0]?.content).toContain(url);
      expect(fake.app.quitCalls).toBeGreaterThan(0);
    },
  );

  it("'failed' shows a native error box with the host's message and quits", async () => {
    const { fake } = await start();
    const host = onlyHost(fake);
    const message = 'This data folder was written by a newer version of Foyer.';
    host.send({ type: 'failed', key: 'errors.schemaTooNew', params: { found: 90, known: 10 }, message });
    expect(fake.errorBoxes).toEqual([{ title: shellText.en.startFailedTitle, content: message }]);
    expect(fake.windows).toHaveLength(0);
    expect(fake.app.quitCalls).toBe(1);
    // The quit waits for the failed host to stop, then goes through; no restart is offered.
    host.exit(1);
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
    expect(fake.messageBoxes).toHaveLength(0);
  });

  it("a 'failed' that arrives just after the host's exit still shows the error, not a restart offer", async () => {
    const { fake } = await start();
    const host = onlyHost(fake);
    host.exit(1);
    host.send({ type: 'failed', key: 'errors.internal', params: {}, message: 'disk full' });
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.errorBoxes).toEqual([{ title: shellText.en.startFailedTitle, content: 'disk full' }]);
    expect(fake.messageBoxes).toHaveLength(0);
    expect(fake.hosts).toHaveLength(1);
  });

  it('the error box speaks Chinese on a Chinese system', async () => {
    const { fake } = await start((f) => {
      f.app.locale = 'zh-CN';
    });
    onlyHost(fake).send({ type: 'failed', key: 'errors.internal', params: {}, message: '本机出现错误' });
    expect(fake.errorBoxes[0]?.title).toBe(shellText['zh-CN'].startFailedTitle);
  });

  it('an unexpected exit offers a restart; the restarted host gets a fresh window and the dead one closes', async () => {
    const { fake, host, win } = await startReady();
    fake.answer.response = 0; // "Restart"
    host.exit(1);
    await vi.waitFor(() => expect(fake.hosts).toHaveLength(2));
    expect(fake.messageBoxes).toHaveLength(1);
    expect(fake.messageBoxes[0]?.buttons).toEqual([shellText.en.restart, shellText.en.quit]);

    const second = fake.hosts[1];
    second?.send({ type: 'ready', url: 'http://127.0.0.1:6001', token: 'second-token' });
    const fresh = lastWindow(fake);
    expect(fresh).not.toBe(win);
    expect(fresh.loaded).toEqual(['http://127.0.0.1:6001']);
    expect(fresh.options.webPreferences?.additionalArguments).toContain(`${TOKEN_SWITCH}second-token`);
    expect(win.destroyed).toBe(true);
    // Replacing the window must not have quit the app (window-all-closed).
    expect(fake.app.quitCalls).toBe(0);
  });

  it('does not restart the host when the app quit while the restart dialog was open', async () => {
    const { fake, host } = await startReady();
    fake.answer.hold = true;
    host.exit(1);
    await vi.waitFor(() => expect(fake.messageBoxes).toHaveLength(1));
    fake.app.quit();
    expect(fake.app.quitted).toBe(true);
    fake.closeBoxes(); // the user clicks "Restart" after all
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.hosts).toHaveLength(1);
  });

  it('an unexpected exit answered with "Quit" quits', async () => {
    const { fake, host } = await startReady();
    fake.answer.response = 1;
    host.exit(1);
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
    expect(fake.hosts).toHaveLength(1);
  });
});

describe('window', () => {
  it('has hardened webPreferences and the built preload', async () => {
    const { win } = await startReady();
    const prefs = win.options.webPreferences;
    expect(prefs?.contextIsolation).toBe(true);
    expect(prefs?.sandbox).toBe(true);
    expect(prefs?.nodeIntegration).toBe(false);
    expect(prefs?.webSecurity).toBe(true);
    expect(prefs?.webviewTag).toBe(false);
    expect(prefs?.preload).toBe(path.join(MAIN_DIR, 'preload.cjs'));
    expect(win.options.show).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('passes the URL and token only as additionalArguments, nowhere else', async () => {
    const { win } = await startReady();
    const { additionalArguments, ...otherPrefs } = win.options.webPreferences ?? {};
    expect(additionalArguments).toEqual([`${HOST_URL_SWITCH}${HOST_URL}`, `${TOKEN_SWITCH}${TOKEN}`]);
    const rest = JSON.stringify({ ...win.options, webPreferences: otherPrefs });
    expect(rest).not.toContain(TOKEN);
    expect(rest).not.toContain(HOST_URL);
    expect(win.loaded.join(' ')).not.toContain(TOKEN);
  });

  it('blocks navigation to other origins and sends only https links to the OS browser', async () => {
    const { fake, win } = await startReady();
    expect(win.webContents.navigate(`${HOST_URL}/calendar?day=2025-03-01`)).toBe(false);
    expect(win.webContents.navigate('https://example.com/help')).toBe(true);
    expect(win.webContents.navigate('http://example.com/')).toBe(true);
    expect(win.webContents.navigate('http://127.0.0.1:9999/')).toBe(true);
    expect(win.webContents.navigate('file:///etc/passwd')).toBe(true);
    expect(fake.opened).toEqual(['https://example.com/help']);
  });

  it('denies every new window; https targets open in the OS browser', async () => {
    const { fake, win } = await startReady();
    expect(win.webContents.open('https://example.com/docs')).toBe('deny');
    expect(win.webContents.open(`${HOST_URL}/popup`)).toBe('deny');
    expect(win.webContents.open('javascript:alert(1)')).toBe('deny');
    expect(win.webContents.open('smb://server/share')).toBe('deny');
    expect(fake.opened).toEqual(['https://example.com/docs']);
  });

  it('reopens a window on activate (macOS) while the host runs', async () => {
    const { fake, win } = await startReady();
    win.close();
    fake.app.emit('activate');
    expect(fake.windows).toHaveLength(2);
    expect(lastWindow(fake).loaded).toEqual([HOST_URL]);
  });

  it('closing the last window quits except on macOS', async () => {
    const linux = await startReady();
    linux.win.close();
    linux.fake.app.emit('window-all-closed');
    expect(linux.fake.app.quitCalls).toBe(1);

    const mac = await start(undefined, { platform: 'darwin' });
    mac.fake.app.emit('window-all-closed');
    expect(mac.fake.app.quitCalls).toBe(0);
  });
});

describe('session', () => {
  it('denies every permission request and check, before any page loads', async () => {
    const { fake } = await start();
    const { requestHandler, checkHandler } = fake.session;
    if (requestHandler === null || checkHandler === null) throw new Error('permission handlers not set');
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown']) {
      const callback = vi.fn();
      requestHandler({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(checkHandler(null, permission)).toBe(false);
    }
  });

  it("sets a strict CSP on the host's responses, replacing the server's own", async () => {
    const { fake } = await startReady();
    expect(fake.session.headers?.filter).toEqual({ urls: [`${HOST_URL}/*`] });
    const response = fake.session.respond(`${HOST_URL}/index.html`, {
      'content-type': ['text/html'],
      'content-security-policy': ['default-src *'],
    });
    expect(response?.responseHeaders).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': [
        "default-src 'self'; connect-src 'self' ws://127.0.0.1:5170; img-src 'self' data:; " +
          "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; " +
          "frame-ancestors 'none'",
      ],
    });
    // Responses from anywhere else pass untouched.
    expect(fake.session.respond('http://127.0.0.1:9999/', {})).toEqual({});
  });
});

describe('quit', () => {
  it("sends {type:'shutdown'} to the host and quits once it has exited", async () => {
    const { fake, host } = await startReady();
    fake.app.quit();
    expect(fake.app.quitted).toBe(false);
    expect(host.posted).toEqual([{ type: 'shutdown' }]);
    host.exit(0);
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
    expect(host.killed).toBe(false);
    expect(fake.messageBoxes).toHaveLength(0);
  });

  it("opens no window for a 'ready' that arrives while quitting", async () => {
    const { fake } = await start();
    const host = onlyHost(fake);
    fake.app.quit();
    host.send({ type: 'ready', url: HOST_URL, token: TOKEN });
    expect(fake.windows).toHaveLength(0);
    expect(host.posted).toEqual([{ type: 'shutdown' }]);
  });

  it('quits at once when the host is already gone', async () => {
    const { fake, host } = await startReady();
    fake.answer.hold = true;
    host.exit(1);
    fake.app.quit();
    expect(fake.app.quitted).toBe(true);
    expect(host.posted).toEqual([]);
  });

  it('kills a host that does not exit in time, then quits', async () => {
    const { fake, host } = await startReady();
    fake.app.quit();
    fake.app.quit(); // a second Quit while waiting sends nothing more
    expect(host.posted).toEqual([{ type: 'shutdown' }]);
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
    expect(host.killed).toBe(true);
    expect(fake.messageBoxes).toHaveLength(0);
  });
});

describe('menu', () => {
  it('is labelled from the system locale', async () => {
    const zh = await start((f) => {
      f.app.locale = 'zh-CN';
    });
    const en = await start((f) => {
      f.app.locale = 'en-GB';
    });
    expect(zh.fake.menus.applied).toBe(zh.fake.menus.built[0]);
    expect(labels(zh.fake.menus.built[0]?.template)).toEqual(
      expect.arrayContaining([shellText['zh-CN'].menuFile, shellText['zh-CN'].menuQuit, shellText['zh-CN'].menuAbout]),
    );
    expect(labels(en.fake.menus.built[0]?.template)).toEqual(
      expect.arrayContaining(['File', 'Quit Foyer', 'Help', 'About Foyer']),
    );
  });

  it('offers reload and developer tools only when not packaged', async () => {
    const dev = await start();
    const packaged = await startReady((f) => {
      f.app.isPackaged = true;
    });
    expect(roles(dev.fake.menus.built[0]?.template)).toEqual(expect.arrayContaining(['quit', 'reload', 'toggleDevTools']));
    const packagedRoles = roles(packaged.fake.menus.built[0]?.template);
    expect(packagedRoles).toContain('quit');
    expect(packagedRoles).not.toContain('reload');
    expect(packagedRoles).not.toContain('toggleDevTools');
    expect(packaged.win.options.webPreferences?.devTools).toBe(false);
  });

  it('About shows the version', async () => {
    const { fake } = await start();
    const help = fake.menus.built[0]?.template.find((item) => item.label === 'Help');
    const about = Array.isArray(help?.submenu) ? help.submenu[0] : undefined;
    expect(about?.label).toBe('About Foyer');
    const click = about?.click;
    if (click === undefined) throw new Error('About has no click handler');
    Reflect.apply(click, undefined, []);
    expect(fake.messageBoxes[0]?.message).toBe('Foyer 0.1.0');
  });

  it('has every string in both languages', () => {
    const [first, ...others] = SHELL_LANGUAGES.map((lang) => Object.keys(shellText[lang]).sort());
    for (const keys of others) expect(keys).toEqual(first);
    for (const lang of SHELL_LANGUAGES) {
      const entries: [string, unknown][] = Object.entries(shellText[lang]);
      for (const [key, value] of entries) {
        const rendered = typeof value === 'function' ? String(Reflect.apply(value, undefined, [1])) : value;
        expect(rendered, `${lang}.${key}`).not.toBe('');
      }
    }
  });
});

describe('preload', () => {
  const originalArgv = process.argv;
  afterEach(() => {
    process.argv = originalArgv;
    bridge.exposed.length = 0;
    vi.resetModules();
  });

  it("exposes exactly {hostUrl, token, platform} as window.foyer, read from the window's switches", async () => {
    const { win } = await startReady();
    // Chromium puts the switches among its own; the preload must find them there.
    process.argv = [
      '/opt/Foyer/foyer',
      '--type=renderer',
      ...(win.options.webPreferences?.additionalArguments ?? []),
      '--renderer-client-id=4',
    ];
    await import('../preload/preload');
    expect(bridge.exposed).toHaveLength(1);
    expect(bridge.exposed[0]?.key).toBe('foyer');
    expect(bridge.exposed[0]?.api).toStrictEqual({ hostUrl: HOST_URL, token: TOKEN, platform: 'electron' });
    expect(Object.isFrozen(bridge.exposed[0]?.api)).toBe(true);
  });

  it('keeps a token that contains "=" intact', async () => {
    process.argv = ['electron', `${HOST_URL_SWITCH}${HOST_URL}`, `${TOKEN_SWITCH}abc==`];
    await import('../preload/preload');
    expect(bridge.exposed[0]?.api).toMatchObject({ token: 'abc==' });
  });

  it('refuses to expose anything when the switches are missing', async () => {
    process.argv = ['electron', '--type=renderer'];
    await expect(import('../preload/preload')).rejects.toThrow(/host URL and token/);
    expect(bridge.exposed).toHaveLength(0);
  });

  it('uses the same switch names as the main process', async () => {
    process.argv = ['electron', `${HOST_URL_SWITCH}${HOST_URL}`, `${TOKEN_SWITCH}${TOKEN}`];
    const preload = await import('../preload/preload');
    expect(preload.HOST_URL_SWITCH).toBe(HOST_URL_SWITCH);
    expect(preload.TOKEN_SWITCH).toBe(TOKEN_SWITCH);
  });
});
