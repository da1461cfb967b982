import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { placeDemoCases } from '../../sandbox/demo-cases.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { seedDevStack } from '../../scripts/stack/seed.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';

// The demo stack's after-sales cases (`npm run dev` places them at start): seeded like the dev
// stack, the sandbox's shops polling and pushing to the API over HTTP, the own store pushing its
// case — within minutes the reviewer queue (售后) holds a case waiting for a decision on each of
// those demo shops (Shopify's the buyer's return of an order fulfilled before go-live, captured as
// history), and the case list a refunded case for the WooCommerce merchant's refund.

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
  it('fill the reviewer queue with a case on the own store, Taobao, Tmall, JD, PDD, Douyin, Shopee, Kuaishou, WeChat Channels and Shopify, and the case list with the WooCommerce refund', async () => {
    const apiUrl = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
    const placed = placeDemoCases(sandbox, { apiUrl, delaySeconds: 1 });
    expect(placed.cases.map((c) => c.platform).sort()).toEqual([
      'douyin',
      'jd',
      'kuaishou',
      'own',
      'pdd',
      'shopee',
      'shopify',
      'taobao',
      'tmall',
      'wechat_shop',
      'woocommerce',
    ]);
    const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
    type Summary = { shopId: string; orderId: string; platformCaseId: string; kind: string; status: string };
    const list = async (url: string) =>
      ((await api.inject({ method: 'GET', url, headers: cs })).json() as { cases?: Summary[] }).cases ?? [];
    // Every case but WooCommerce's waits for a person (a merchant's refund is done when it arrives).
    const waiting = placed.cases.filter((c) => c.platform !== 'woocommerce');
    await expect
      .poll(
        async () => {
          sandbox.advance(); // the stream's tick: the platforms' buyers ask for their refunds
          return [...new Set((await list('/after-sales/reviews')).map((c) => c.shopId))].sort();
        },
        { timeout: 2 * PATIENCE_MS, interval: 2_000 },
      )
      .toEqual(expect.arrayContaining(waiting.map((c) => c.shopId)));

    // Shopify: the buyer's return request (`returns/request`) on an order fulfilled before go-live,
    // which the ERP captured as history — captured and ended, never worked.
    const shopify = placed.cases.find((c) => c.platform === 'shopify')!;
    const shopifyOrder = orderWorkflowId('shopify', shopify.shopId, shopify.platformOrderId);
    await expect
      .poll(async () =>
        (await list(`/after-sales/reviews?shopId=${shopify.shopId}`)).find((c) => c.orderId === shopifyOrder),
      )
      .toMatchObject({
        platformCaseId: expect.stringMatching(/^return-\d+$/),
        kind: 'return_refund',
        status: 'open',
      });
    const firstEvents = () =>
      h.db
        .selectFrom('order_events')
        .select(['stage', 'detail'])
        .where('order_id', '=', shopifyOrder)
        .orderBy('seq')
        .limit(2)
        .execute();
    await expect
      .poll(firstEvents)
      .toMatchObject([
        { stage: 'captured' },
        { stage: 'completed', detail: { outcome: 'shipped_on_platform', history: true } },
      ]);

    // WooCommerce: the merchant refunded the whole order in the store (`order.updated` naming the
    // refund): a case recorded refunded.
    const woo = placed.cases.find((c) => c.platform === 'woocommerce')!;
    const wooOrder = orderWorkflowId('woocommerce', woo.shopId, woo.platformOrderId);
    await expect
      .poll(
        async () => {
          sandbox.advance();
          return (await list(`/after-sales?shopId=${woo.shopId}`)).find((c) => c.orderId === wooOrder);
        },
        { timeout: 2 * PATIENCE_MS, interval: 2_000 },
      )
      .toMatchObject({ kind: 'refund_only', status: 'refunded' });
    await placed.settled;
  });
});
