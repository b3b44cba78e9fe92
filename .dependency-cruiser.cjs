/**
 * Import layering for Foyer: the table "Folders and the direction of imports" in ARCHITECTURE.md,
 * enforced at error level. Every rule says why, so a failing import explains the layering to
 * whoever wrote it.
 *
 * Paths are relative to the cruise's base directory (the repo root for `npm run lint`). The rules
 * are anchored at `^core/`, `^renderer/`, … and npm packages are matched as `(^|/)node_modules/x/`,
 * so the same rules also hold for a copy of the layout under another base directory:
 * test/lint/import-rules.test.ts cruises the fixture tree in test/fixtures/lint with baseDir set
 * there, using this file unchanged.
 *
 * Type-only imports (`import type`) are seen because tsPreCompilationDeps is on; they carry the
 * dependency type 'type-only', which is how the renderer may name the host router's type without
 * importing the host.
 */

/** Every folder of ours. Anything resolved outside node_modules and outside these is unusual. */
const OURS = '^(core|sync|server|devices|electron|renderer|scripts|bench|bin|test)/|^[^/]+\\.[cm]?[jt]sx?$';

/** A package under node_modules, by name (scoped names allowed): `npm('ws', '@serialport/[^/]+')`. */
const npm = (...names) => `(^|/)node_modules/(${names.join('|')})/`;

/** Packages that do I/O or stand for a runtime that core/ (and partly renderer/) must not depend on. */
const IO_PACKAGES = [
  'better-sqlite3',
  'serialport',
  '@serialport/[^/]+',
  'fastify',
  '@fastify/[^/]+',
  'pg',
  'pg-[^/]+',
  '@electric-sql/[^/]+',
  'ws',
  'electron-[^/]+',
  'undici',
  'playwright-core',
];

/** What only the host and the server may touch: the database drivers, serial ports, the HTTP server. */
const HOST_ONLY_PACKAGES = [
  'better-sqlite3',
  'serialport',
  '@serialport/[^/]+',
  'fastify',
  '@fastify/[^/]+',
  'pg',
  'pg-[^/]+',
  '@electric-sql/[^/]+',
  'ws',
];

/**
 * Test files sit next to the code and obey the same layering between our folders, but they run
 * only under Node (vitest), so the "no builtins / no I/O packages" rules exempt them: a core/ test
 * may read a golden file with node:fs.
 */
const TEST_FILE = '\\.test\\.[cm]?[jt]sx?$';
/** Test files and the shared test helpers in test/. */
const TEST_CODE = [TEST_FILE, '^test/'];

const SEE = 'See ARCHITECTURE.md, "Folders and the direction of imports".';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- core/: the pure domain ------------------------------------------------------------
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment:
        'core/ is the domain shared by the desk, the server and the UI; it imports nothing of ours outside ' +
        'core/. Move what it needs into core/, or pass it in (as the clock and the id source are). ' + SEE,
      from: { path: '^core/' },
      to: { path: OURS, pathNot: '^core/', couldNotResolve: false },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      comment:
        'core/ runs in the browser renderer, the desk host and the server alike, so it does no I/O and uses ' +
        'no Node builtins (fs, crypto, net, …). The host passes in what core needs. ' + SEE,
      from: { path: '^core/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-io-packages',
      severity: 'error',
      comment:
        'core/ is pure: no database drivers, serial ports, servers or sockets. Pure libraries (zod, kysely ' +
        'types and query builder, uuid, libphonenumber-js, pinyin-pro) are fine. ' + SEE,
      from: { path: '^core/', pathNot: TEST_FILE },
      to: { path: npm(...IO_PACKAGES, '@trpc/[^/]+', 'react', 'react-dom', 'antd') },
    },

    // ---- sync/, server/, devices/ ------------------------------------------------------------
    {
      name: 'sync-imports-only-core',
      severity: 'error',
      comment:
        'sync/ (protocol, sync/client, sync/server) is shared by the desk host and the cloud server, so of ' +
        'ours it may import only core/. ' + SEE,
      from: { path: '^sync/' },
      to: { path: OURS, pathNot: '^(core|sync)/', couldNotResolve: false },
    },
    {
      name: 'server-imports-only-core-and-sync',
      severity: 'error',
      comment:
        'server/ is the cloud backend; it is built from core/ and sync/ only and never reaches into the desk ' +
        '(electron/), the devices or the UI. ' + SEE,
      from: { path: '^server/' },
      to: { path: OURS, pathNot: '^(core|sync|server)/', couldNotResolve: false },
    },
    {
      name: 'devices-imports-only-core-errors',
      severity: 'error',
      comment:
        'devices/ (transports, codecs, drivers, simulators) knows nothing of the domain, the database or the ' +
        'UI: of ours it may import only core/errors (to fail with an AppError code). ' + SEE,
      from: { path: '^devices/' },
      to: { path: OURS, pathNot: ['^devices/', '^core/errors(\\.ts|/)'], couldNotResolve: false },
    },

    // ---- electron/: the desk host and the thin shell ---------------------------------------
    {
      name: 'host-imports-only-core-sync-devices',
      severity: 'error',
      comment:
        'electron/host is the desk host, plain Node: it wires core/, sync/ and devices/ together and is ' +
        'reached by the UI only over tRPC, never by import. It does not import the Electron shell or the ' +
        'renderer. ' + SEE,
      from: { path: '^electron/host/' },
      to: { path: OURS, pathNot: '^(core|sync|devices|electron/host)/', couldNotResolve: false },
    },
    {
      name: 'shell-imports-only-host-protocol-types',
      severity: 'error',
      comment:
        'electron/main and electron/preload are the thin Electron shell: main forks the desk host as a ' +
        'utilityProcess (by file path, not by import) and hands the renderer only its URL and token. Of ours ' +
        'they may import only the shell (electron/main, electron/preload) and `import type` from ' +
        'electron/host/protocol.ts. ' + SEE,
      from: { path: '^electron/(main|preload)/' },
      to: { path: OURS, pathNot: ['^electron/(main|preload)/', '^electron/host/protocol\\.ts$'], couldNotResolve: false },
    },
    {
      name: 'shell-host-protocol-type-only',
      severity: 'error',
      comment:
        'electron/host/protocol.ts is the message contract between the shell and the host; the shell uses ' +
        'its types only (`import type`), so no host code is bundled into the Electron main process. ' + SEE,
      from: { path: '^electron/(main|preload)/' },
      to: { path: '^electron/host/protocol\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'electron-only-in-shell',
      severity: 'error',
      comment:
        'Only electron/main and electron/preload import `electron`. The desk host stays plain Node so the ' +
        'same process serves a browser, a TV on the LAN, headless desks and the tests; the renderer talks ' +
        'to the host over tRPC. ' + SEE,
      from: { path: '^(core|sync|server|devices|electron|renderer)/', pathNot: '^electron/(main|preload)/' },
      to: { path: npm('electron') },
    },

    // ---- renderer/: the React UI --------------------------------------------------------------
    {
      name: 'renderer-imports-only-core-and-router-types',
      severity: 'error',
      comment:
        'renderer/ is the React UI. Of ours it may import core/ and the host router (electron/host/router, ' +
        'with `import type`, for the tRPC client types); everything else is reached over tRPC. ' + SEE,
      from: { path: '^renderer/' },
      to: { path: OURS, pathNot: '^(core|renderer|electron/host/router)/', couldNotResolve: false },
    },
    {
      name: 'renderer-host-router-type-only',
      severity: 'error',
      comment:
        'The renderer may name the host router\'s type (`import type { HostRouter }`) but never import its ' +
        'value: that would bundle the desk host (SQLite, serial ports) into the browser. Use `import type`. ' +
        SEE,
      from: { path: '^renderer/' },
      to: { path: '^electron/host/router/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      comment:
        'renderer/ runs in a browser window (Electron with no Node integration, or a plain browser in ' +
        '`npm run serve`): no node:* builtins. Ask the host over tRPC. ' + SEE,
      from: { path: '^renderer/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-host-packages',
      severity: 'error',
      comment:
        'renderer/ runs in a browser window: database drivers, serial ports and servers (better-sqlite3, ' +
        'serialport, fastify, pg, ws, …) live in the desk host or the server. Ask the host over tRPC. ' + SEE,
      from: { path: '^renderer/', pathNot: TEST_FILE },
      to: { path: npm(...HOST_ONLY_PACKAGES) },
    },

    // ---- whole tree --------------------------------------------------------------------------
    {
      name: 'no-cycle-between-folders',
      severity: 'error',
      comment:
        'A dependency cycle that leaves its top-level folder (core, sync, server, devices, electron/main, ' +
        'electron/preload, electron/host, renderer) means the layering no longer has a direction. Break it ' +
        'by moving the shared piece down a layer (usually into core/). ' + SEE,
      from: { path: '^(electron/[^/]+|[^/]+)/' },
      to: { circular: true, via: { pathNot: '^$1/' } },
    },
    {
      name: 'no-test-code-from-app-code',
      severity: 'error',
      comment:
        'Application code must not import tests or test helpers (*.test.ts, test/): they are not shipped ' +
        'and drag test-only dependencies into the build. Fakes that code may use live next to their port.',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import cannot be resolved to a file: a typo, a missing file or a package that is not in ' +
        'package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count (and are marked 'type-only'): `import type` from the host router is
    // how the renderer gets its tRPC types, and it must be told apart from a value import.
    tsPreCompilationDeps: true,
    doNotFollow: { path: '(^|/)node_modules/' },
    // node_modules is not excluded (only not followed): the rules above need to see which package
    // a module imports. dist/ and release/ are build output.
    exclude: { path: '^(dist|release)/' },
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
