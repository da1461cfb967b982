import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir, resolveTemporalCli } from '../../scripts/temporal-cli.js';

/** A stand-in `temporal` that, like the real one, answers `server start-dev --help` with success. */
async function fakeCli(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'temporal');
  await writeFile(file, '#!/bin/sh\nexit 0\n');
  await chmod(file, 0o755);
  return file;
}

describe('Temporal CLI resolution', () => {
  it('uses TEMPORAL_CLI_PATH first, and refuses one that is not executable', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
    const cli = await fakeCli(path.join(tmp, 'explicit'));
    await expect(resolveTemporalCli({ env: { TEMPORAL_CLI_PATH: cli, PATH: '' } })).resolves.toEqual({
      kind: 'path',
      path: cli,
      source: 'env',
    });
    await expect(
      resolveTemporalCli({ env: { TEMPORAL_CLI_PATH: path.join(tmp, 'missing'), PATH: '' } }),
    ).rejects.toThrow(/not an executable/);
  });

  it('then a temporal on PATH, then the cache', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
    const onPath = await fakeCli(path.join(tmp, 'bin'));
    const env = { PATH: path.join(tmp, 'bin'), XDG_CACHE_HOME: path.join(tmp, 'cache') };
    await expect(resolveTemporalCli({ env })).resolves.toEqual({
      kind: 'path',
      path: onPath,
      source: 'PATH',
    });
    const cached = await fakeCli(cacheDir(env));
    await expect(resolveTemporalCli({ env: { ...env, PATH: '' } })).resolves.toEqual({
      kind: 'path',
      path: cached,
      source: 'cache',
    });
    expect(cached).toBe(path.join(tmp, 'cache', 'order-erp', 'temporal-1.5.1-sqlite-1.44.3', 'temporal'));
  });

  it('without a binary, Go or a download, says how to install it', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
    await expect(
      resolveTemporalCli({ env: { PATH: '', XDG_CACHE_HOME: tmp }, build: false, allowDownload: false }),
    ).rejects.toThrow(
      /go build -C .*scripts\/temporal-cli\/ .*github.com\/temporalio\/cli\/cmd\/temporal.*TEMPORAL_CLI_PATH/s,
    );
  });

  it('falls back to the SDK download when Go is absent and downloads are allowed', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
    const result = await resolveTemporalCli({
      env: { PATH: '', XDG_CACHE_HOME: tmp },
      build: false,
      log: () => {},
    });
    expect(result).toEqual({ kind: 'sdk-download', downloadDir: cacheDir({ XDG_CACHE_HOME: tmp }) });
  });
});
