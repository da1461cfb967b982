import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server.js';
import { loadConfig, type ConfigError } from '../../config/index.js';
import { createLogger, redactUrl } from '../../config/logger.js';
import { DataKeyError, loadDataKeys } from '../../db/crypto/data-keys.js';
import { createCarrierServices } from '../../integrations/carriers/services.js';
import { devDefaults } from '../../scripts/stack/dev-config.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.teardown());

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('no secret has a public default', () => {
  it('refuses to start Kuaidi100 without a salt of its own, and has none to fall back on', () => {
    expect(loadConfig({}).KUAIDI100_SALT).toBeUndefined();
    const kuaidi100 = {
      KUAIDI100_BASE_URL: 'https://poll.kuaidi100.com',
      KUAIDI100_CUSTOMER: 'c',
      KUAIDI100_KEY: 'k',
    };
    expect(problemsOf(kuaidi100)).toEqual([
      expect.stringMatching(/^KUAIDI100_SALT=.*must be set when Kuaidi100 is configured/),
    ]);
    expect(problemsOf({ ...kuaidi100, KUAIDI100_SALT: 'short' })).toEqual([
      expect.stringMatching(/^KUAIDI100_SALT=/),
    ]);
    expect(problemsOf({ ...kuaidi100, KUAIDI100_SALT: 'a-random-salt-of-my-own' })).toEqual([]);
  });

  it('gives the dev stack push secrets made up at each start, never a fixed one', () => {
    const first = devDefaults({});
    const second = devDefaults({});
    for (const name of ['KUAIDI100_SALT', 'SF_PUSH_TOKEN'] as const) {
      expect(first[name]).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(first[name]).not.toBe(second[name]);
    }
    expect(problemsOf({ ...first })).toEqual([]);
  });

  it('refuses production without the data keys instead of inventing one', () => {
    expect(() => loadDataKeys({ NODE_ENV: 'production', DATA_DIR: '/nonexistent' })).toThrow(DataKeyError);
    expect(() =>
      loadDataKeys({ NODE_ENV: 'development', DATA_DIR: '/nonexistent', DATA_KEYS: `k1:${'0'.repeat(64)}` }),
    ).toThrow(/DATA_LOOKUP_KEY/);
  });
});

describe('tokens in URLs never reach the logs', () => {
  it('redacts the SF route-push token from the request log, keeping the rest of the URL', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const token = 'erp-sf-route-push-token-0123456789';
    const config = {
      ...h.config,
      SF_BASE_URL: 'http://127.0.0.1:1/sf',
      SF_PARTNER_ID: 'p',
      SF_CHECKWORD: 'c',
      SF_PUSH_TOKEN: token,
    };
    const app = await buildServer({
      db: h.db,
      temporal: h.client,
      config,
      carriers: createCarrierServices(config),
      logger: createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'test' }, 'api', sink),
    });
    try {
      for (const url of [
        `/webhooks/tracking/sf?token=${token}&x=1`,
        `/webhooks/tracking/sf?token=${token}`,
      ]) {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ Body: { WaybillRoute: 'not a list' } }),
        });
        expect(res.statusCode).toBe(400);
      }
      const log = lines.join('');
      expect(log).toContain('/webhooks/tracking/sf?token=[redacted]&x=1');
      expect(log).not.toContain(token);
    } finally {
      await app.close();
    }
  });

  it('redacts every secret-looking query parameter', () => {
    expect(redactUrl('/a?access_token=abc&sign=XYZ&page=2')).toBe(
      '/a?access_token=[redacted]&sign=[redacted]&page=2',
    );
    expect(redactUrl('/a')).toBe('/a');
  });
});

describe('/health', () => {
  it('says what is down in words, never the raw error', async () => {
    const res = await (await h.api()).inject({ method: 'GET', url: '/health' });
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', temporal: 'ok' });
  });
});
