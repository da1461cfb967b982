import { spawnSync } from 'node:child_process';

/**
 * `npm run ui:screenshots`: photographs every page of the web UI into docs/ui/ — the browser test
 * of the pages (tests/ui/pages.test.ts) against a fresh stack, told to keep its pictures there.
 */
const run = spawnSync('npx', ['vitest', 'run', 'tests/ui/pages.test.ts', 'tests/ui/after-sales.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, UI_SCREENSHOTS_DIR: 'docs/ui' },
});
process.exit(run.status ?? 1);
