import { spawnSync } from 'node:child_process';

/**
 * `npm run ui:screenshots`: photographs every page of the web UI into docs/ui/ — the browser tests
 * that walk the pages, each against a fresh stack, told to keep their pictures there.
 */
const photographers = [
  'tests/ui/pages.test.ts',
  'tests/ui/after-sales.test.ts',
  'tests/ui/reports.test.ts',
  'tests/ui/waybill-deadlines.test.ts',
  'tests/ui/returns.test.ts',
  'tests/ui/lost-parcel.test.ts',
];
const run = spawnSync('npx', ['vitest', 'run', ...photographers], {
  stdio: 'inherit',
  env: { ...process.env, UI_SCREENSHOTS_DIR: 'docs/ui' },
});
process.exit(run.status ?? 1);
