import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Each file gets its own process (the Temporal native bridge is not shared across threads)
    // and its own database and task queue on the one dev server started by global setup.
    pool: 'forks',
    maxWorkers: 2,
    // Each of the two processes runs file after file with the modules it has already loaded: loading
    // the app, the Temporal SDK and Fastify took ~2 s per file (~300 s of a 750 s run). Files share no
    // state through modules: each has its own database, task queue, worker, API and clients.
    isolate: false,
    // Every wait in a test is a condition with a deadline of minutes (tests/support/waits.ts): the
    // suite runs on machines busy with a dev stack and a benchmark beside it. A test that waits on
    // several such conditions needs room for all of them.
    testTimeout: 900_000,
    hookTimeout: 600_000,
    teardownTimeout: 120_000,
    // Projections are written by workflows a moment after the fact: polls wait, on a busy machine too.
    expect: { poll: { timeout: 180_000, interval: 100 } },
    // Each failure's errors as it happens, as well as in the summary (tests/support/early-failures.ts).
    reporters: ['default', './tests/support/early-failures.ts'],
  },
});
