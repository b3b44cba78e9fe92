import { describe, expect, it } from 'vitest';
import { defaultDataDir, runCli } from './cli';
import { tempDir } from './testing';

describe('foyer CLI data folder', () => {
  it('is the folder the Electron app uses on each platform, so both modes share one replica', () => {
    expect(defaultDataDir({}, 'linux', '/home/li')).toBe('/home/li/.config/Foyer/data');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/li')).toBe('/xdg/Foyer/data');
    expect(defaultDataDir({}, 'darwin', '/Users/li')).toBe('/Users/li/Library/Application Support/Foyer/data');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\li\\AppData\\Roaming' }, 'win32', 'C:\\Users\\li')).toContain('Foyer');
  });

  it('follows FOYER_DATA_DIR when set', () => {
    expect(defaultDataDir({ FOYER_DATA_DIR: '/srv/foyer' }, 'linux', '/home/li')).toBe('/srv/foyer');
  });
});

describe('foyer desk enrolment options', () => {
  async function run(args: string[]): Promise<{ out: string[]; code: number | undefined }> {
    const out: string[] = [];
    const before = process.exitCode;
    process.exitCode = undefined;
    try {
      const host = await runCli(args, (s) => out.push(s));
      expect(host).toBeNull();
      return { out, code: process.exitCode as number | undefined };
    } finally {
      process.exitCode = before;
    }
  }

  it('refuses --enroll without the server it is for, starting nothing', async () => {
    const r = await run(['desk', '--headless', '--enroll', 'ABCDE-FGHJK']);
    expect(r.code).toBe(2);
    expect(r.out.join('\n')).toContain('--enroll needs --server URL');
  });

  it('refuses a server address that is not http(s)', async () => {
    const r = await run(['desk', '--headless', '--server', 'foyer.example.com', '--enroll', 'ABCDE-FGHJK']);
    expect(r.code).toBe(2);
    expect(r.out.join('\n')).toContain('Invalid server URL: foyer.example.com');
  });

  it('says which enrolment problem the server had, in words, and exits 1', async () => {
    // Nothing listens on port 9 of loopback: the server cannot be reached.
    const r = await run(['desk', '--headless', '--port', '0', '--data-dir', tempDir(), '--server', 'http://127.0.0.1:9', '--enroll', 'ABCDE-FGHJK']);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toContain('The server cannot be reached.');
  });
});
