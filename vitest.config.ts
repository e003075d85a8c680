import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    // A bound on a hang, not a speed target: PGlite cold starts take seconds on a loaded 2-core machine.
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./tests/support/global-setup.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
