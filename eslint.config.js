/**
 * ESLint for Foyer, everything at error level. Not type-aware on purpose: it runs on every
 * `npm test`, and `tsc` already does the type checking.
 *
 * Layering (which folder may import which) is not done here: .dependency-cruiser.cjs enforces the
 * table in ARCHITECTURE.md. What is here is the part of "core/ is pure" that is not an import: core
 * never reads the clock or a random source itself; the clock and the id source are passed in.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const SEE = 'See ARCHITECTURE.md, "Folders and the direction of imports".';

/**
 * core/ must be deterministic: the same inputs give the same outputs in a test, on the desk and on
 * the server. Reading the time or randomness directly would break that.
 */
const coreImpurities = [
  {
    selector: "MemberExpression[object.name=/^(Date|performance)$/][property.name='now']",
    message: `core/ does not read the clock: take the time from the injected Clock (ctx.clock.now()). ${SEE}`,
  },
  {
    selector: "MemberExpression[object.property.name=/^(Date|performance)$/][property.name='now']",
    message: `core/ does not read the clock: take the time from the injected Clock (ctx.clock.now()). ${SEE}`,
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: `core/ does not read the clock: \`new Date()\` is "now"; use the injected Clock, or pass an instant. ${SEE}`,
  },
  {
    selector: "CallExpression[callee.name='Date']",
    message: `core/ does not read the clock: \`Date()\` is "now" as a string; use the injected Clock. ${SEE}`,
  },
  {
    selector: "MemberExpression[object.name='Math'][property.name='random']",
    message: `core/ has no randomness of its own: use the injected IdSource (ctx.ids) or take random bytes as a parameter. ${SEE}`,
  },
  {
    selector: "MemberExpression[object.name='crypto'][property.name=/^(randomUUID|getRandomValues)$/]",
    message: `core/ makes no ids or random bytes itself: use the injected IdSource (ctx.ids) or take random bytes as a parameter. ${SEE}`,
  },
  {
    selector:
      "MemberExpression[object.property.name='crypto'][property.name=/^(randomUUID|getRandomValues)$/]",
    message: `core/ makes no ids or random bytes itself: use the injected IdSource (ctx.ids) or take random bytes as a parameter. ${SEE}`,
  },
];

/** Node's globals for the plain .js/.mjs/.cjs files (scripts, bin, configs), taken from this Node. */
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));
const commonJsGlobals = { module: 'writable', exports: 'writable', require: 'readonly', __dirname: 'readonly', __filename: 'readonly' };

export default defineConfig([
  globalIgnores(['dist/', 'release/', 'node_modules/', 'test/fixtures/', '.data/', 'test-results/', 'coverage/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'foyer/all',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-console': 'error',
    },
  },
  {
    name: 'foyer/typescript',
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      // With verbatimModuleSyntax, `import { type A } from 'x'` still loads 'x' at runtime. That
      // matters for the renderer, which may only `import type` the host router.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'foyer/plain-js',
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    name: 'foyer/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
  },
  {
    name: 'foyer/renderer-react',
    files: ['renderer/**/*.tsx'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    name: 'foyer/core-is-pure',
    files: ['core/**/*.{ts,tsx}'],
    ignores: ['core/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', ...coreImpurities],
    },
  },
  {
    name: 'foyer/command-line',
    files: ['scripts/**', 'bench/**', 'bin/**', '**/cli/**', '**/cli.{ts,mts,mjs}', '**/*.cli.{ts,mts,mjs}'],
    rules: {
      'no-console': 'off',
    },
  },
]);
