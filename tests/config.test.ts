import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.js';
import { PATIENCE_MS } from './support/waits.js';

describe('configuration', () => {
  it('applies the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      TEMPORAL_ADDRESS: 'localhost:7233',
      API_PORT: 3000,
      TASK_QUEUE_ORDERS: 'orders',
      UNPAID_CANCEL_SECONDS: 1800,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable and the problem', () => {
    let error: unknown;
    try {
      loadConfig({
        API_PORT: 'eighty',
        TEMPORAL_ADDRESS: 'no-port',
        DATABASE_URL: 'mysql://x',
        UNPAID_CANCEL_SECONDS: '-5',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems.join('\n')).toMatch(/API_PORT="eighty"/);
    expect(problems.join('\n')).toMatch(/TEMPORAL_ADDRESS="no-port": must be host:port/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL="mysql:\/\/x": must be a postgres:\/\/ connection URL/);
    expect(problems.join('\n')).toMatch(/UNPAID_CANCEL_SECONDS="-5"/);
  });

  it('stops a process at start-up with the message instead of a stack trace', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      env: { ...process.env, API_PORT: '99999' },
      encoding: 'utf8',
      // Starting the API under tsx took over 30 s on a machine at load 20 (status null: killed).
      timeout: PATIENCE_MS,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/Invalid configuration:\n {2}- API_PORT="99999"/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
