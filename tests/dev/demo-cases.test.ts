import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeDemoCases } from '../../sandbox/demo-cases.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { seedDevStack } from '../../scripts/stack/seed.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';

// The demo stack's after-sales cases (`npm run dev` places them at start): seeded like the dev
// stack, the sandbox's shops polling, the own store pushing to the API over HTTP — within minutes
// the reviewer queue (售后) holds a case waiting for a decision on each of those demo shops.

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;

beforeAll(async () => {
  h = await createHarness({ SYNC_OVERLAP_SECONDS: '5', SYNC_SAFETY_LAG_SECONDS: '0' });
  api = await h.api();
  await api.listen({ port: 0, host: '127.0.0.1' });
  const apiUrl = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
  sandbox = await startSandbox({ webhookBaseUrl: apiUrl });
  const config = { ...h.config, DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'demo-cases-')) };
  await seedDevStack(h.db, { config, temporal: h.client, sandboxShops: sandbox.shops });
  await h.startWorker();
});
afterAll(async () => {
  await sandbox?.stop();
  await h?.teardown();
});

describe('demo after-sales cases', () => {
  it('fill the reviewer queue with a case on the own store, Taobao, Tmall, JD, PDD, Douyin, Shopee, Kuaishou and WeChat Channels', async () => {
    const apiUrl = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
    const placed = placeDemoCases(sandbox, { apiUrl, delaySeconds: 1 });
    expect(placed.cases.map((c) => c.platform).sort()).toEqual([
      'douyin',
      'jd',
      'kuaishou',
      'own',
      'pdd',
      'shopee',
      'taobao',
      'tmall',
      'wechat_shop',
    ]);
    const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
    await expect
      .poll(
        async () => {
          sandbox.advance(); // the stream's tick: the platforms' buyers ask for their refunds
          const res = await api.inject({ method: 'GET', url: '/after-sales/reviews', headers: cs });
          const body = res.json() as {
            cases?: Array<{ shopId: string; platformOrderId?: string; orderId?: string }>;
          };
          return [...new Set((body.cases ?? []).map((c) => c.shopId))].sort();
        },
        { timeout: 2 * PATIENCE_MS, interval: 2_000 },
      )
      .toEqual(expect.arrayContaining(placed.cases.map((c) => c.shopId)));
    await placed.settled;
  });
});
