import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['./tests/support/global-setup.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
