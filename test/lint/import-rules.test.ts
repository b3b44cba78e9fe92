/**
 * Proves that lint enforces the layering of ARCHITECTURE.md ("Folders and the direction of
 * imports") and that core/ stays pure.
 *
 * The dependency rules are loaded from the real .dependency-cruiser.cjs, not copied, and run over
 * test/fixtures/lint: a miniature of the repo layout with one `bad*` file per kind of forbidden
 * import and `ok*` files that must pass. The fixture folder is the cruise's base directory, so the
 * rules see `core/bad-io.ts` exactly as they would see a file in the real core/.
 *
 * The stored fixtures spell the `electron` module as '@@electron', so no file outside the shell
 * imports `electron` on disk (the repo-wide check stays meaningful); the test copies the tree to a
 * temporary folder at the repo root (next to node_modules, so packages resolve as in the repo),
 * writing the real specifier, and cruises that copy.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import type { ICruiseResult, IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const storedFixtures = path.join(root, 'test/fixtures/lint');
const configFile = path.join(root, '.dependency-cruiser.cjs');
const tsConfigFile = path.join(root, 'tsconfig.json');

interface Found {
  rule: string;
  from: string;
  to: string;
}

/** npm modules resolve to ../../../node_modules/… from the fixture root; show them as node_modules/…. */
function tidy(p: string): string {
  return p.replace(/^(\.\.\/)*node_modules\//, 'node_modules/');
}

function found(violations: IViolation[]): Found[] {
  return violations
    .map((v) => ({ rule: v.rule.name, from: v.from, to: tidy(v.to) }))
    .sort((a, b) => `${a.from} ${a.rule} ${a.to}`.localeCompare(`${b.from} ${b.rule} ${b.to}`));
}

/** Cruises `folders` of the tree at `baseDir` with the rules and options of .dependency-cruiser.cjs. */
async function cruiseTree(baseDir: string, folders: string[]): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(configFile);
  const result = await cruise(
    folders,
    { ...options, validate: true, baseDir, tsConfig: { fileName: tsConfigFile } },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  if (typeof result.output === 'string') throw new Error('expected a cruise result, got a report');
  return result.output;
}

/** A copy of the fixture tree with the real `electron` specifier, under <root>/.lint-fixtures/. */
function materializeFixtures(): string {
  const parent = path.join(root, '.lint-fixtures');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, 'run-'));
  cpSync(storedFixtures, dir, { recursive: true });
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    if (text.includes("'@@electron'")) writeFileSync(file, text.replaceAll("'@@electron'", "'electron'"));
  }
  return dir;
}

describe('import rules (.dependency-cruiser.cjs)', () => {
  const fixtures = materializeFixtures();
  afterAll(() => {
    rmSync(fixtures, { recursive: true, force: true });
    // The parent goes too once no other run uses it.
    if (readdirSync(path.dirname(fixtures)).length === 0) rmSync(path.dirname(fixtures), { recursive: true, force: true });
  });
  const fixtureRun = cruiseTree(fixtures, ['core', 'sync', 'server', 'devices', 'electron', 'renderer']);

  it('report exactly the forbidden imports of the fixture tree', async () => {
    const { summary } = await fixtureRun;
    expect(summary.violations.every((v) => v.rule.severity === 'error')).toBe(true);
    expect(found(summary.violations)).toEqual([
      // core/ imports nothing of ours outside core/, no builtins, no I/O packages
      { rule: 'core-no-io-packages', from: 'core/bad-io.ts', to: 'node_modules/better-sqlite3/lib/index.js' },
      { rule: 'core-no-node-builtins', from: 'core/bad-io.ts', to: 'fs' },
      { rule: 'core-imports-only-core', from: 'core/bad-outside.ts', to: 'sync/protocol.ts' },
      { rule: 'core-imports-only-core', from: 'core/bad-test-import.ts', to: 'test/support.ts' },
      { rule: 'no-test-code-from-app-code', from: 'core/bad-test-import.ts', to: 'test/support.ts' },
      { rule: 'not-to-unresolvable', from: 'core/bad-unresolvable.ts', to: './does-not-exist' },
      // devices/ may import core/errors only
      { rule: 'devices-imports-only-core-errors', from: 'devices/bad.ts', to: 'core/ids.ts' },
      { rule: 'devices-imports-only-core-errors', from: 'devices/bad.ts', to: 'electron/host/replica/replica.ts' },
      // electron/host: core, sync, devices; never `electron`
      { rule: 'electron-only-in-shell', from: 'electron/host/bad.ts', to: 'node_modules/electron/index.js' },
      { rule: 'host-imports-only-core-sync-devices', from: 'electron/host/bad.ts', to: 'renderer/ok.tsx' },
      // electron/main: only `import type` from electron/host/protocol.ts
      { rule: 'shell-host-protocol-type-only', from: 'electron/main/bad.ts', to: 'electron/host/protocol.ts' },
      { rule: 'shell-imports-only-host-protocol-types', from: 'electron/main/bad.ts', to: 'core/errors.ts' },
      { rule: 'shell-imports-only-host-protocol-types', from: 'electron/main/bad.ts', to: 'electron/host/router/index.ts' },
      // renderer/: core/ and `import type` of the host router; no Node, no host packages, no electron
      { rule: 'electron-only-in-shell', from: 'renderer/bad-host.tsx', to: 'node_modules/electron/index.js' },
      { rule: 'renderer-imports-only-core-and-router-types', from: 'renderer/bad-host.tsx', to: 'electron/host/protocol.ts' },
      { rule: 'renderer-no-host-packages', from: 'renderer/bad-host.tsx', to: 'node_modules/better-sqlite3/lib/index.js' },
      { rule: 'renderer-no-node-builtins', from: 'renderer/bad-host.tsx', to: 'path' },
      { rule: 'renderer-host-router-type-only', from: 'renderer/bad-mixed.tsx', to: 'electron/host/router/index.ts' },
      { rule: 'renderer-host-router-type-only', from: 'renderer/bad.tsx', to: 'electron/host/router/index.ts' },
      // server/: core and sync only; and a cycle between server/ and sync/
      { rule: 'no-cycle-between-folders', from: 'server/bad-cycle.ts', to: 'sync/bad-cycle.ts' },
      { rule: 'server-imports-only-core-and-sync', from: 'server/bad.ts', to: 'electron/host/replica/replica.ts' },
      // sync/: core only
      { rule: 'sync-imports-only-core', from: 'sync/bad-cycle.ts', to: 'server/bad-cycle.ts' },
      { rule: 'sync-imports-only-core', from: 'sync/bad.ts', to: 'devices/ok.ts' },
    ]);
  });

  it('pass the allowed imports, `import type { HostRouter }` in the renderer included', async () => {
    const { summary, modules } = await fixtureRun;
    const okFiles = modules.map((m) => m.source).filter((s) => !/(^|\/)bad[^/]*$/.test(s) && !s.includes('node_modules'));
    expect(okFiles).toEqual(expect.arrayContaining(['core/ok.ts', 'renderer/ok.tsx', 'electron/main/main.ts', 'devices/ok.ts']));
    expect(summary.violations.filter((v) => okFiles.includes(v.from))).toEqual([]);

    const rendererOk = modules.find((m) => m.source === 'renderer/ok.tsx');
    const routerImport = rendererOk?.dependencies.find((d) => d.resolved === 'electron/host/router/index.ts');
    expect(routerImport?.dependencyTypes).toContain('type-only');
  });

  it('count *.test.ts(x) files and test/ as test code', async () => {
    const { ruleSet } = await extractDepcruiseOptions(configFile);
    const rule = ruleSet?.forbidden?.find((r) => r.name === 'no-test-code-from-app-code');
    const to = rule && 'to' in rule ? rule.to : undefined;
    const patterns = [to?.path ?? []].flat();
    expect(patterns.length).toBeGreaterThan(0);
    const isTestCode = (p: string) => patterns.some((re) => new RegExp(re).test(p));
    expect(['core/ids.test.ts', 'renderer/queue.test.tsx', 'electron/host/replica/replica.int.test.ts', 'test/support.ts'].every(isTestCode)).toBe(true);
    expect(['core/ids.ts', 'core/testing.ts', 'devices/sim/test-pattern.ts'].some(isTestCode)).toBe(false);
  });

  it('find no violation in the repo itself', async () => {
    // What `npm run lint` checks (scripts/lint-imports.mjs), run in-process to stay fast.
    const folders = ['core', 'sync', 'server', 'devices', 'electron', 'renderer'].filter((f) => existsSync(path.join(root, f)));
    const { summary } = await cruiseTree(root, folders);
    expect(found(summary.violations)).toEqual([]);
    expect(summary.totalCruised).toBeGreaterThan(0);
  });
});

describe('core/ purity (eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: root });
  const probe = `export function stamp(): number {\n  return Date.now();\n}\n`;

  it('rejects Date.now() in core/', async () => {
    const [result] = await eslint.lintText(probe, { filePath: path.join(root, 'core/lint-probe.ts') });
    expect(result?.messages.map((m) => ({ rule: m.ruleId, line: m.line, severity: m.severity }))).toEqual([
      { rule: 'no-restricted-syntax', line: 2, severity: 2 },
    ]);
    expect(result?.messages[0]?.message).toMatch(/clock/);
  });

  it('rejects new Date(), Math.random() and crypto.randomUUID() in core/, but not new Date(instant)', async () => {
    const code = [
      'export const a = new Date();',
      'export const b = Math.random();',
      'export const c = crypto.randomUUID();',
      'export const d = new Date(0).getUTCDay();',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: path.join(root, 'core/lint-probe.ts') });
    expect(result?.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ['no-restricted-syntax', 1],
      ['no-restricted-syntax', 2],
      ['no-restricted-syntax', 3],
    ]);
  });

  it('allows the clock in core/ tests and outside core/', async () => {
    for (const file of ['core/lint-probe.test.ts', 'electron/host/lint-probe.ts']) {
      const [result] = await eslint.lintText(probe, { filePath: path.join(root, file) });
      expect(result?.messages, file).toEqual([]);
    }
  });
});
