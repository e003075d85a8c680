import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'coverage', 'dist', 'scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in src/config.ts only.' },
        { object: 'Date', property: 'now', message: 'Use the injected clock.' },
      ],
    },
  },
  // Imports run one way: faces (server, cli, ui) → app → adapters → engine. SQL lives in src/adapters/store.
  {
    files: ['src/server/**', 'src/cli/**', 'src/ui/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'knex', message: 'Faces call application services in src/app; SQL lives in src/adapters/store.' }],
        patterns: [{ group: ['**/adapters/store/*'], message: 'Faces call application services in src/app, never the store.' }],
      }],
    },
  },
  {
    files: ['src/app/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/*', '**/cli/*', '**/ui/*'], message: 'The app layer does not know its faces.' }] }] },
  },
  {
    files: ['src/adapters/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/app/*', '**/server/*', '**/cli/*', '**/ui/*'], message: 'Adapters implement ports; they do not call the layers above them.' }] }] },
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['knex', 'pg', 'express', '@electric-sql/pglite', 'node:fs', 'node:fs/promises', 'node:child_process', 'node:net', 'node:http']
          .map((name) => ({ name, message: 'The engine is pure: no I/O. Declare a port in src/engine/ports.ts and implement it in an adapter.' })),
        patterns: [{ group: ['**/adapters/*', '**/app/*', '**/server/*', '**/cli/*', '**/ui/*'], message: 'The engine imports nothing outside src/engine.' }],
      }],
    },
  },
  {
    files: ['src/config.ts', 'src/cli/**', 'tests/**', 'bench/**', '*.config.*', 'bin/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The web UI runs in the browser: its clock is the browser's, and it has no process.env.
    files: ['src/ui/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Response bodies in API tests are read as loosely typed JSON.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' } },
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
