import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    // Starting a seeded API (a migrated database, two SOPs, ~20 scrypt hashes) in beforeAll takes >10 s on two loaded cores.
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./tests/support/global-setup.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
