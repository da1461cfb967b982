import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Each file gets its own process (the Temporal native bridge is not shared across threads)
    // and its own database and task queue on the one dev server started by global setup.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // Projections are written by workflows a moment after the fact: polls wait, on a busy machine too.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
