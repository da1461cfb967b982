import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { placeDemoCases, type DemoCase } from '../../sandbox/demo-cases.js';
import { ownStorePayment } from '../../sandbox/platforms/own.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { devDefaults, sandboxPaymentEnv } from '../../scripts/stack/dev-config.js';
import { seedDevStack } from '../../scripts/stack/seed.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { freePort } from '../support/free-port.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';

// The demo stack's after-sales cases (`npm run dev` places them at start): seeded like the dev
// stack, the sandbox's shops polling and pushing to the API over HTTP, the own store pushing its
// case, the ERP pointed at the payment simulators as the dev stack points it — within minutes the
// reviewer queue (售后) holds a case waiting for a decision on every demo shop whose platform takes
// one (Shopify's the buyer's return of an order fulfilled before go-live, captured as history), the
// case list the refunded cases of the WooCommerce merchant's refund and of the line refunds TikTok,
// Lazada, eBay and Walmart show, and the return Amazon's returns report lists. The own store's case,
// agreed, is refunded through the payment simulator its order was paid with, once.

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let apiUrl: string;

beforeAll(async () => {
  // The sandbox first: the ERP is configured with its payment simulators' keys, as `npm run dev` does.
  sandbox = await startSandbox();
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  h = await createHarness({
    SYNC_OVERLAP_SECONDS: '5',
    SYNC_SAFETY_LAG_SECONDS: '0',
    AMAZON_RETURNS_REPORT_SECONDS: devDefaults({}).AMAZON_RETURNS_REPORT_SECONDS!,
    ...sandboxPaymentEnv(sandbox.payments, {}),
    PAYMENT_NOTIFY_BASE_URL: apiUrl,
  });
  api = await h.api();
  await api.listen({ port, host: '127.0.0.1' });
  sandbox.setWebhookBaseUrl(apiUrl);
  const config = { ...h.config, DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'demo-cases-')) };
  await seedDevStack(h.db, { config, temporal: h.client, sandboxShops: sandbox.shops });
  await h.startWorker();
});
afterAll(async () => {
  await sandbox?.stop();
  await h?.teardown();
});

/** Channels whose orders show only finished refunds: their demo case is recorded refunded. */
const REFUNDED_AT_ONCE = ['woocommerce', 'tiktok', 'lazada', 'ebay', 'walmart'];

describe('demo after-sales cases', () => {
  it('give every demo shop with after-sales a case: the reviewer queue, the refunded ones and Amazon’s return in the case list; the own store’s, agreed, refunded through the payment simulator', async () => {
    const placed = placeDemoCases(sandbox, { apiUrl, delaySeconds: 1 });
    expect(placed.cases.map((c) => c.platform).sort()).toEqual([
      'alibaba_1688',
      'aliexpress',
      'amazon',
      'douyin',
      'ebay',
      'jd',
      'kuaishou',
      'lazada',
      'own',
      'pdd',
      'shopee',
      'shopify',
      'taobao',
      'temu',
      'tiktok',
      'tmall',
      'walmart',
      'wechat_shop',
      'weidian',
      'woocommerce',
      'xiaohongshu',
      'youzan',
    ]);
    // Every demo shop but those whose platform has no after-sales here.
    const shops = sandbox.shops
      .map((s) => s.platform)
      .filter((p) => !placed.cases.some((c) => c.platform === p));
    expect(shops.sort()).toEqual(['dewu', 'mercadolibre', 'vip']);
    const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
    type Summary = {
      id: string;
      shopId: string;
      orderId: string;
      platformCaseId: string;
      kind: string;
      status: string;
      waitingFor: string | null;
    };
    const list = async (url: string) =>
      ((await api.inject({ method: 'GET', url, headers: cs })).json() as { cases?: Summary[] }).cases ?? [];
    const orderOf = (c: DemoCase) => orderWorkflowId(c.platform, c.shopId, c.platformOrderId);
    // A case waits for a person on every shop but those whose case is done when it arrives, and Amazon.
    const waiting = placed.cases.filter(
      (c) => !REFUNDED_AT_ONCE.includes(c.platform) && c.platform !== 'amazon',
    );
    await expect
      .poll(
        async () => {
          sandbox.advance(); // the stream's tick: the platforms' buyers ask for their refunds
          return [...new Set((await list('/after-sales/reviews?limit=500')).map((c) => c.shopId))].sort();
        },
        { timeout: 2 * PATIENCE_MS, interval: 2_000 },
      )
      .toEqual(expect.arrayContaining(waiting.map((c) => c.shopId)));

    // Shopify: the buyer's return request (`returns/request`) on an order fulfilled before go-live,
    // which the ERP captured as history — captured and ended, never worked.
    const shopify = placed.cases.find((c) => c.platform === 'shopify')!;
    const shopifyOrder = orderOf(shopify);
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
    // refund); TikTok, Lazada, eBay, Walmart: the first line refunded on the platform — each a case
    // recorded refunded.
    for (const demo of placed.cases.filter((c) => REFUNDED_AT_ONCE.includes(c.platform))) {
      await expect
        .poll(
          async () => {
            sandbox.advance();
            return (await list(`/after-sales?shopId=${demo.shopId}`)).find(
              (c) => c.orderId === orderOf(demo),
            );
          },
          { timeout: 2 * PATIENCE_MS, interval: 2_000 },
        )
        .toMatchObject({ kind: 'refund_only', status: 'refunded' });
    }

    // Amazon: the return its returns report lists, on an MFN order shipped before go-live.
    const amazon = placed.cases.find((c) => c.platform === 'amazon')!;
    await expect
      .poll(
        async () =>
          (await list(`/after-sales?shopId=${amazon.shopId}`)).find((c) => c.orderId === orderOf(amazon)),
        { timeout: 2 * PATIENCE_MS, interval: 2_000 },
      )
      .toMatchObject({
        platformCaseId: `${amazon.platformOrderId}-D${amazon.platformOrderId.replace(/\D/g, '').slice(-12)}`,
        kind: 'return_refund',
      });

    // The own store: agreed, the money goes back through the channel the order was paid with (the
    // trade the order push named), its notification ends the case refunded — money moved once.
    const own = placed.cases.find((c) => c.platform === 'own')!;
    const ownCase = (await list(`/after-sales/reviews?shopId=${own.shopId}`)).find(
      (c) => c.orderId === orderOf(own),
    )!;
    const payment = ownStorePayment(
      sandbox.own.store.get(sandbox.shop('own').platformShopId, own.platformOrderId)!,
    )!;
    const agreed = await api.inject({
      method: 'POST',
      url: `/after-sales/${encodeURIComponent(ownCase.id)}/decisions`,
      headers: cs,
      payload: { decision: 'agree' },
    });
    expect(agreed.statusCode, agreed.body).toBeLessThan(300);
    const finance = bearer(await apiKeyFor(h.db, ['finance']));
    let approved = false;
    await expect
      .poll(
        async () => {
          const now = (await list(`/after-sales?shopId=${own.shopId}`)).find((c) => c.id === ownCase.id);
          // A refund above the shop's limit needs finance as well (docs/after-sales.md).
          // Asked again at the next look if the answer was not a success (a busy case answers 503):
          // a failed ask must not leave the case waiting for finance for ever.
          if (!approved && now?.waitingFor?.startsWith('finance approval')) {
            const res = await api.inject({
              method: 'POST',
              url: `/after-sales/${encodeURIComponent(ownCase.id)}/approval`,
              headers: finance,
              payload: { decision: 'approve' },
            });
            approved = res.statusCode < 300;
          }
          return now?.status;
        },
        { timeout: 2 * PATIENCE_MS, interval: 1_000 },
      )
      .toBe('refunded');
    const book = sandbox.payments[payment.channel].book;
    expect(book.moves.filter((m) => m.outTradeNo === payment.outTradeNo)).toHaveLength(1);
    await placed.settled;
  });
});
