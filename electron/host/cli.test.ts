import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './cli';

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
