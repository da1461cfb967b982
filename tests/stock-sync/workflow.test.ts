import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../db/queries/alerts.js';
import { listSyncState, saveListing } from '../../db/queries/stock-sync.js';
import { releaseStock, reserveStock } from '../../db/queries/stock.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import {
  startStockSync,
  startStockSyncs,
  stockSyncWorkflowId,
  stopStockSync,
} from '../../services/stock-sync/control.js';
import { stockSyncStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { createHarness, type Harness } from '../support/harness.js';
import { workflowRuns } from '../support/histories.js';
import { seedSku, seedStock, seedWarehouse } from '../stock/seed.js';

/**
 * Stock sync end to end: the real ledger, the trigger's marks, the per-shop workflows on the
 * Temporal dev server, and every channel's simulator (Taobao, Shopee, Shopify, PDD, JD, Douyin,
 * WooCommerce, Amazon, Temu) checking every signed call and keeping the quantity.
 */
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let ops: { authorization: string };
let sku: string;
let warehouse: string;
const shopIds = {
  taobao: uniqueId('tb'),
  shopee: uniqueId('sp'),
  shopify: uniqueId('sf'),
  pdd: uniqueId('pdd'),
  jd: uniqueId('jd'),
  douyin: uniqueId('dy'),
  woocommerce: uniqueId('woo'),
  amazon: uniqueId('amz'),
  temu: uniqueId('temu'),
};
const LISTED = {
  taobao: { shopKey: '示例旗舰店', key: '600123:4001', listing: { itemId: '600123', skuId: '4001' } },
  shopee: { shopKey: '600000', key: '880001:0', listing: { itemId: '880001', skuId: '0' } },
  shopify: {
    shopKey: 'sandbox-demo.myshopify.com',
    key: '808950810@655441491',
    listing: { skuId: '808950810', extra: { locationId: '655441491' } },
  },
  pdd: { shopKey: '171504183', key: '330001:77001', listing: { itemId: '330001', skuId: '77001' } },
  jd: { shopKey: '10001234', key: '100012345678', listing: { skuId: '100012345678' } },
  douyin: {
    shopKey: '20001234',
    key: '3618421356874410001:1752398844150830',
    listing: { itemId: '3618421356874410001', skuId: '1752398844150830' },
  },
  woocommerce: {
    shopKey: 'https://woo.sandbox.example',
    key: '801:815',
    listing: { itemId: '801', skuId: '815' },
  },
  amazon: {
    shopKey: 'A2SANDBOXSELLER',
    key: 'MUG-BLUE-350',
    listing: { skuId: 'MUG-BLUE-350', extra: { productType: 'DRINKING_CUP' } },
  },
  temu: {
    shopKey: '635517726820718',
    key: '601099548666279:58224724203874',
    listing: { itemId: '601099548666279', skuId: '58224724203874' },
  },
} as const;
type Channel = keyof typeof LISTED;
const CHANNELS = Object.keys(LISTED) as Channel[];
// A small history limit: every scenario below runs across many continue-as-new hand-overs.
const SETTINGS = {
  STOCK_SYNC_INTERVAL_SECONDS: 1,
  STOCK_RECONCILE_SECONDS: 3600,
  WORKFLOW_HISTORY_LIMIT: 60,
};

const shown = (channel: Channel) =>
  sandbox.inventory.get(LISTED[channel].shopKey, LISTED[channel].key)?.quantity;
const calls = (channel: Channel) => sandbox.inventory.callsOf(LISTED[channel].shopKey);

async function available(): Promise<number> {
  const row = await h.db
    .selectFrom('stock')
    .select(['on_hand', 'reserved'])
    .where('sku_code', '=', sku)
    .executeTakeFirstOrThrow();
  return row.on_hand - row.reserved;
}

async function reserve(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => uniqueId('order'));
  // Many at once, as a livestream's orders arrive: concurrent transactions on one stock row.
  const outcomes = await Promise.all(
    ids.map((orderId) =>
      reserveStock(h.db, {
        key: `${orderId}:reserve`,
        orderId,
        allocationId: `${orderId}:a1`,
        parts: [{ warehouse, lines: [{ sku, qty: 1 }] }],
        actor: 'test',
      }),
    ),
  );
  return ids.filter((_, i) => outcomes[i]!.outcome.ok);
}

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  sandbox = await startSandbox({ shopIds });
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  for (const channel of CHANNELS) {
    await registerShop(api, ops, sandbox.shop(channel), { syncEnabled: false });
  }
  sku = await seedSku(h.db);
  warehouse = await seedWarehouse(h.db);
  await seedStock(h.db, warehouse, sku, 1000);
  for (const channel of CHANNELS) {
    sandbox.inventory.list(LISTED[channel].shopKey, LISTED[channel].key, 0);
    await saveListing(h.db, { shopId: shopIds[channel], skuCode: sku, ...LISTED[channel].listing });
  }
  await h.startWorker();
  // What a worker does when it starts: every shop with listings gets its stock sync, once.
  const config = { ...SETTINGS, TASK_QUEUE_ORDERS: h.config.TASK_QUEUE_ORDERS };
  const first = await startStockSyncs(h.client, h.db, config);
  expect(first.failed).toEqual([]);
  expect(first.started).toEqual(expect.arrayContaining(Object.values(shopIds)));
  const runs = await Promise.all(
    CHANNELS.map(
      async (c) => (await h.client.workflow.getHandle(stockSyncWorkflowId(shopIds[c])).describe()).runId,
    ),
  );
  await startStockSyncs(h.client, h.db, config);
  for (const [i, channel] of CHANNELS.entries()) {
    const again = await h.client.workflow.getHandle(stockSyncWorkflowId(shopIds[channel])).describe();
    expect(again.runId).toBe(runs[i]);
  }
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

describe('stockSyncWorkflow', () => {
  it('uploads the sellable quantity to every listing, then a burst of reservations in few calls', async () => {
    for (const channel of CHANNELS) await expect.poll(() => shown(channel)).toBe(1000);
    const before = Object.fromEntries(CHANNELS.map((c) => [c, calls(c)]));

    // Sample what the platforms show while the burst runs: never more than is available.
    let sampling = true;
    const oversold: string[] = [];
    const sampler = (async () => {
      while (sampling) {
        const avail = await available();
        for (const channel of CHANNELS) {
          const q = shown(channel)!;
          // What a platform shows may lag behind a reservation, but never beyond the start of the burst.
          if (q > 1000) oversold.push(`${channel} showed ${q} with ${avail} available`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const reserved = await reserve(600);
    expect(reserved).toHaveLength(600);
    for (const channel of CHANNELS) await expect.poll(() => shown(channel)).toBe(400);
    sampling = false;
    await sampler;
    expect(oversold).toEqual([]);
    // 600 ledger movements; each platform was called a handful of times, not 600.
    for (const channel of CHANNELS) expect(calls(channel) - (before[channel] ?? 0)).toBeLessThanOrEqual(40);

    const [state] = await listSyncState(h.db, { shopId: shopIds.taobao, limit: 10 });
    expect(state).toMatchObject({ sku_code: sku, last_sent_qty: 400, status: 'synced' });
    expect(state!.last_sent_at).toBeInstanceOf(Date);
    // The pass that made the last upload reports its totals when it ends.
    const totals = () =>
      h.client.workflow.getHandle(stockSyncWorkflowId(shopIds.shopee)).query(stockSyncStateQuery);
    await expect.poll(async () => (await totals()).totals.marks).toBeGreaterThanOrEqual(600);
    expect((await totals()).totals.calls).toBeLessThanOrEqual(41);
  });

  it('records and alerts a refusal, and stops sending to the refused listing', async () => {
    sandbox.inventory.delist(LISTED.shopee.shopKey, LISTED.shopee.key);
    const [orderId] = await reserve(1);
    await expect
      .poll(async () => (await listSyncState(h.db, { shopId: shopIds.shopee, limit: 10 }))[0]?.status)
      .toBe('refused');
    const [row] = await listSyncState(h.db, { shopId: shopIds.shopee, limit: 10 });
    expect(row!.refusal).toMatch(/item status is not NORMAL/);
    // The pass raises its alert once it has been through every listing, just after the refusal is recorded.
    await expect
      .poll(async () => (await listAlerts(h.db, { shopId: shopIds.shopee, limit: 10 })).map((a) => a.kind))
      .toContain('stock_sync_refused');

    // More stock moves: the other platforms follow, the refused listing is not called again.
    const refusedCalls = calls('shopee');
    await releaseStock(h.db, { key: `${orderId}:release`, orderId: orderId!, reason: 'test', actor: 'test' });
    await reserve(5);
    await expect.poll(() => shown('taobao')).toBe(395);
    await expect.poll(() => shown('shopify')).toBe(395);
    expect(calls('shopee')).toBe(refusedCalls);
  });

  it('continues as new before its history grows long, carrying its totals', async () => {
    const workflowId = stockSyncWorkflowId(shopIds.taobao);
    await expect
      .poll(async () => (await workflowRuns(h.client, workflowId)).length)
      .toBeGreaterThanOrEqual(3);
    const runs = await workflowRuns(h.client, workflowId);
    // Every finished run stopped near the limit (the last pass may cross it by one step).
    for (const run of runs.slice(1)) expect(run.events).toBeLessThan(60 + 20);
    const state = await h.client.workflow.getHandle(workflowId).query(stockSyncStateQuery);
    expect(state.totals.passes).toBeGreaterThan(runs.length);
  });

  it('reconciliation reads the platform back and corrects drift', async () => {
    // A seller edits the quantity in Taobao's backend: the ERP does not know until it reads it back.
    sandbox.inventory.drift(LISTED.taobao.shopKey, LISTED.taobao.key, 999);
    await startStockSync(h.client, h.config.TASK_QUEUE_ORDERS, shopIds.taobao, SETTINGS, {
      kind: 'reconcile',
    });
    await expect
      .poll(async () => (await listSyncState(h.db, { shopId: shopIds.taobao, limit: 10 }))[0]?.platform_qty)
      .toBe(999);
    await expect.poll(() => shown('taobao')).toBe(395);
    const state = await h.client.workflow
      .getHandle(stockSyncWorkflowId(shopIds.taobao))
      .query(stockSyncStateQuery);
    expect(state.totals.drifted).toBeGreaterThanOrEqual(1);
  });

  it('GET /stock/sync shows what was sent, when, and what the platform showed; saving a refused listing again resumes it', async () => {
    const res = await api.inject({
      method: 'GET',
      url: `/stock/sync?shopId=${shopIds.taobao}`,
      headers: ops,
    });
    expect(res.statusCode, res.body).toBe(200);
    const [listing] = res.json().listings;
    expect(listing).toMatchObject({
      shopId: shopIds.taobao,
      sku,
      itemId: '600123',
      skuId: '4001',
      status: 'synced',
      lastSentQty: 395,
      platformQty: 999,
      pending: false,
    });
    expect(Date.parse(listing.lastSentAt)).toBeGreaterThan(Date.now() - 300_000);

    const refused = await api.inject({ method: 'GET', url: '/stock/sync?status=refused', headers: ops });
    expect(refused.json().listings.map((l: { shopId: string }) => l.shopId)).toEqual([shopIds.shopee]);

    // The seller lists the item again on Shopee and saves the listing: the sync picks it up.
    sandbox.inventory.list(LISTED.shopee.shopKey, LISTED.shopee.key, 0);
    const saved = await api.inject({
      method: 'PUT',
      url: '/stock/listings',
      headers: ops,
      payload: { shopId: shopIds.shopee, sku, ...LISTED.shopee.listing },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ status: 'pending', refusal: null });
    await expect.poll(() => shown('shopee')).toBe(395);

    // A safety stock of 45 for the Shopify shop: it shows 45 fewer than the others.
    const rule = await api.inject({
      method: 'PUT',
      url: '/stock/sync/rules',
      headers: ops,
      payload: { shopId: shopIds.shopify, share: { kind: 'ratio', percent: 100 }, safetyStock: 45 },
    });
    expect(rule.statusCode, rule.body).toBe(204);
    await expect.poll(() => shown('shopify')).toBe(350);

    const bad = await api.inject({
      method: 'PUT',
      url: '/stock/sync/rules',
      headers: ops,
      payload: { shopId: shopIds.shopify, share: { kind: 'ratio', percent: 150 } },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('stops when asked, its history kept for replay (passes, a reconcile signal, drift corrected)', async () => {
    const handle = h.client.workflow.getHandle(stockSyncWorkflowId(shopIds.taobao));
    await stopStockSync(h.client, shopIds.taobao);
    const state = await handle.result();
    expect(state.activity).toBe('stopped');
    expect(state.totals.reconciliations).toBeGreaterThanOrEqual(1);
    await recordHistory(h.client, stockSyncWorkflowId(shopIds.taobao), 'stock-sync-reconciled');
  });
});
