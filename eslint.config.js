// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import astro from 'eslint-plugin-astro';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Any import of the server layer: the `~/server` alias or a relative path into src/server. */
const serverImport = {
  regex: '^(~|(\\.\\.?/)+)server(/|$)',
  message: 'Server code does I/O and holds state: call it from a page, an API route or src/server, not from here.',
};

/** Modules that reach the disc, the network, other processes, the database or Astro's runtime. */
const ioModules = [
  ...['fs', 'fs/promises', 'child_process', 'net', 'http', 'https'].flatMap((name) => [name, `node:${name}`]),
  'pg',
  'lowdb',
];

const libIsPure = {
  paths: ioModules.map((name) => ({
    name,
    message:
      'src/lib holds pure rules with no I/O: take the data (and `now`) as parameters and let src/server do the I/O.',
  })),
  patterns: [
    {
      group: ['lowdb/*', 'pg/*'],
      message: 'src/lib holds pure rules with no I/O: the stores live in src/server/store.',
    },
    {
      group: ['astro:*'],
      message: 'src/lib must run without Astro (unit tests import it directly): pass the data in.',
    },
    serverImport,
  ],
};

/** The server's time comes from its clock seam, so tests and demos can set the date (PORTAL_CLOCK_START). */
const machineClock = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read the time from now() in ~/server/clock (src/lib takes `now: Date`); performance.now() for durations.',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Read the time from now() in ~/server/clock (src/lib takes `now: Date`); performance.now() for durations.',
  },
];

/** Tests that skip, run alone or only soft-assert can pass without checking anything. */
const testsThatCannotFail = ['test', 'it', 'describe'].flatMap((object) =>
  ['skip', 'only', 'fixme', 'skipIf', 'runIf', 'todo'].map((property) => ({
    object,
    property,
    message: 'A skipped or focused test passes without checking anything: give the test its own fixtures instead.',
  })),
);

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', '.astro/', 'test-results/', 'playwright-report/', 'data/', 'bench-out/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      eqeqeq: ['error', 'smart'],
      // Playwright fixtures must destructure their first parameter even when they need none of it.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
      // Names starting with _ are deliberately unused (a required parameter position, a destructured rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/islands/**', 'src/**/*.astro'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Islands run in the visitor's browser, on the visitor's clock; the clock modules are the seam itself.
    files: ['src/**'],
    ignores: ['src/islands/**', 'src/server/clock.ts', 'src/lib/time/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...machineClock] },
  },
  {
    files: ['src/lib/**'],
    rules: { 'no-restricted-imports': ['error', libIsPure] },
  },
  {
    files: ['src/components/**', 'src/islands/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [serverImport] }] },
  },
  {
    files: ['tests/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...testsThatCannotFail,
        {
          object: 'expect',
          property: 'soft',
          message: 'A soft assertion lets the test go on and can hide the failure that matters: use expect.',
        },
      ],
    },
  },
);
