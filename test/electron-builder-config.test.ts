/**
 * Checks electron-builder.yml: the settings that make a packaged desk work (native modules
 * rebuilt for Electron and unpacked from the asar, the right entry point, the installers we ship),
 * first with a small parser for the plain YAML subset the file is written in, then with
 * electron-builder's own loader and schema.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG_FILE = path.join(root, 'electron-builder.yml');
const text = readFileSync(CONFIG_FILE, 'utf8');

type Yaml = string | boolean | Yaml[] | { [key: string]: Yaml };

/**
 * Parses block mappings, block sequences of scalars, booleans and (double-)quoted or plain
 * scalars, with full-line comments; that is all electron-builder.yml uses. Throws on anything
 * else, so the file cannot drift into syntax this test would misread.
 */
function parseYamlSubset(source: string): Yaml {
  const lines = source
    .split('\n')
    .map((raw, index) => ({ raw, index: index + 1 }))
    .filter(({ raw }) => raw.trim() !== '' && !raw.trimStart().startsWith('#'));
  let at = 0;

  const indentOf = (raw: string): number => raw.length - raw.trimStart().length;
  const scalar = (value: string, line: number): string | boolean => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    if (value.startsWith('"')) {
      if (!value.endsWith('"') || value.length < 2) throw new Error(`line ${line}: unterminated string`);
      return value.slice(1, -1);
    }
    if (/^['[{&*!|>]/.test(value) || / #/.test(value)) throw new Error(`line ${line}: unsupported YAML: ${value}`);
    return value;
  };

  function block(indent: number): Yaml {
    const first = lines[at];
    if (first === undefined) throw new Error('unexpected end of file');
    if (first.raw.trimStart().startsWith('- ')) {
      const items: Yaml[] = [];
      for (let line = lines[at]; line !== undefined && indentOf(line.raw) === indent; line = lines[at]) {
        const item = line.raw.trim();
        if (!item.startsWith('- ')) throw new Error(`line ${line.index}: expected a list item`);
        items.push(scalar(item.slice(2).trim(), line.index));
        at++;
      }
      return items;
    }
    const map: { [key: string]: Yaml } = {};
    for (let line = lines[at]; line !== undefined && indentOf(line.raw) === indent; line = lines[at]) {
      const match = /^([A-Za-z][\w.-]*):(?: (.*))?$/.exec(line.raw.trim());
      if (match === null) throw new Error(`line ${line.index}: expected "key: value"`);
      const [, key = '', value] = match;
      if (key in map) throw new Error(`line ${line.index}: duplicate key ${key}`);
      at++;
      if (value !== undefined && value.trim() !== '') {
        map[key] = scalar(value.trim(), line.index);
      } else {
        const next = lines[at];
        if (next === undefined || indentOf(next.raw) <= indent) throw new Error(`line ${line.index}: ${key} is empty`);
        map[key] = block(indentOf(next.raw));
      }
    }
    const rest = lines[at];
    if (rest !== undefined && indentOf(rest.raw) > indent) throw new Error(`line ${rest.index}: bad indentation`);
    return map;
  }

  const doc = block(0);
  const extra = lines[at];
  if (extra !== undefined) throw new Error(`line ${extra.index}: unexpected content`);
  return doc;
}

function get(doc: Yaml, dotted: string): Yaml | undefined {
  let node: Yaml | undefined = doc;
  for (const key of dotted.split('.')) {
    if (node === undefined || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** minimatch-style glob → RegExp, enough for the asarUnpack patterns. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (glob.startsWith('**/', i)) {
      out += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      out += '.*';
      i += 1;
    } else if (c === '*') out += '[^/]*';
    else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const config = parseYamlSubset(text);
const unpack = get(config, 'asarUnpack');
const unpacked = (file: string): boolean =>
  Array.isArray(unpack) && unpack.some((glob) => typeof glob === 'string' && globToRegExp(glob).test(file));

describe('electron-builder.yml', () => {
  it('identifies the app and writes installers to release/', () => {
    expect(get(config, 'appId')).toBe('com.foyer.desk');
    expect(get(config, 'productName')).toBe('Foyer');
    expect(get(config, 'directories.output')).toBe('release');
    expect(get(config, 'files')).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
  });

  it('starts the built main process, the same file package.json names', () => {
    const pkg: unknown = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(get(config, 'extraMetadata.main')).toBe('dist/electron/main.cjs');
    expect(pkg).toMatchObject({ main: 'dist/electron/main.cjs' });
    expect(text).toMatch(/^ {2}main: dist\/electron\/main\.cjs$/m);
  });

  it('rebuilds native modules for Electron at packaging, preferring prebuilt binaries', () => {
    expect(get(config, 'npmRebuild')).toBe(true);
    expect(get(config, 'buildDependenciesFromSource')).toBe(false);
    expect(text).toMatch(/^npmRebuild: true$/m);
    expect(text).toMatch(/^buildDependenciesFromSource: false$/m);
  });

  it('unpacks better-sqlite3 and serialport from the asar, and nothing broader', () => {
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('node_modules/better-sqlite3/lib/database.js')).toBe(true);
    expect(unpacked('node_modules/@serialport/bindings-cpp/build/Release/bindings.node')).toBe(true);
    expect(unpacked('node_modules/@serialport/bindings-cpp/prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node')).toBe(
      true,
    );
    expect(unpacked('dist/host.mjs')).toBe(false);
    expect(unpacked('node_modules/fastify/fastify.js')).toBe(false);
  });

  it('explains the native-module handling in its header', () => {
    const header = text.split('\n').filter((line) => line.startsWith('#')).join('\n');
    expect(header).toMatch(/better-sqlite3/);
    expect(header).toMatch(/serialport/);
    expect(header).toMatch(/ABI/);
    expect(header).toMatch(/asarUnpack/);
  });

  it('builds an AppImage and a deb (Office, with a maintainer) on Linux', () => {
    expect(get(config, 'linux.target')).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(get(config, 'linux.category')).toBe('Office');
    expect(get(config, 'linux.maintainer')).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
  });

  it('builds an assisted per-user NSIS installer on Windows', () => {
    expect(get(config, 'win.target')).toEqual(['nsis']);
    expect(get(config, 'nsis')).toEqual({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
  });

  it('builds a dmg in the business category on macOS', () => {
    expect(get(config, 'mac.target')).toEqual(['dmg']);
    expect(get(config, 'mac.category')).toBe('public.app-category.business');
  });

  it("passes electron-builder's own loader and configuration schema", async () => {
    // The loader and validator are electron-builder internals (app-builder-lib), resolved from
    // electron-builder's own dependencies so the test uses exactly what `npm run dist` runs.
    const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
    const loaded: unknown = fromBuilder(fromBuilder.resolve('app-builder-lib/out/util/config/config.js'));
    if (typeof loaded !== 'object' || loaded === null || !('getConfig' in loaded) || !('validateConfiguration' in loaded)) {
      throw new Error('app-builder-lib no longer exports getConfig/validateConfiguration; update this test');
    }
    const { getConfig, validateConfiguration } = loaded;
    if (typeof getConfig !== 'function' || typeof validateConfiguration !== 'function') {
      throw new Error('app-builder-lib getConfig/validateConfiguration are not functions');
    }
    const builderConfig: unknown = await getConfig(root, CONFIG_FILE, null);
    expect(builderConfig).toMatchObject({ appId: 'com.foyer.desk', npmRebuild: true, buildDependenciesFromSource: false });
    await expect(validateConfiguration(builderConfig, { add: () => undefined, isEnabled: false })).resolves.toBeUndefined();
  });
});
