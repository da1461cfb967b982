import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { generateOrders } from '../../sandbox/orders/generator.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { renderDouyinPush } from '../../sandbox/platforms/douyin/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { READY_STATUS, seedCatalog, TEST_SKU, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { waitForOrderStatus } from '../support/waits.js';
import { registerShop } from './support.js';

/**
 * A platform order whose SKU nobody has mapped yet, end to end: it arrives as the platform sends it
 * (a signed Douyin push naming it, then the shop sync fetching it), is held for ops naming the platform SKU, and goes on once ops map the
 * SKU through the API and approve.
 */
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let ops: { authorization: string };
const shopId = uniqueId('douyin-unmapped');

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  ops = bearer(await apiKeyFor(h.db, ['ops'], 'xiaochen'));
  sandbox = await startSandbox({ shopIds: { douyin: shopId } });
  // No polling: the order comes only from the platform's push.
  await registerShop(api, ops, sandbox.shop('douyin'), { syncEnabled: false });
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

/** A paid Douyin order of one new product the seller has not mapped in the ERP. */
function newProductOrder(skuId: string): SimOrder {
  const [order] = generateOrders({
    seed: uniqueId('unmapped'),
    platform: 'douyin',
    shopKey: sandbox.shop('douyin').platformShopId,
    scenario: 'normal_day',
    count: 1,
    start: new Date(Date.now() - 60_000),
  });
  const item = {
    lineId: '6936476692437472564',
    platformSkuId: skuId,
    skuCode: 'TEE-2026-SPRING-RED-M',
    title: '春季新款T恤',
    spec: '颜色:红色;尺码:M',
    quantity: 1,
    unitPriceMinor: 9_900,
    discountMinor: 0,
  };
  return Object.assign(order!, {
    status: 'paid' as const,
    currency: 'CNY',
    paidAt: new Date(Date.now() - 30_000),
    modifiedAt: new Date(Date.now() - 30_000),
    items: [item],
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 9_900,
    buyerRemark: undefined,
    refund: undefined,
    presale: undefined,
    type: 'normal' as const,
    receiver: { ...order!.receiver, country: 'CN', province: '浙江省', city: '杭州市', district: '西湖区' },
  });
}

/** The order appears on Douyin, which pushes TradeCreate (tag 100); the shop's sync fetches it. */
async function placeAndPush(order: SimOrder): Promise<string> {
  sandbox.platforms.douyin.store.upsert(order);
  const { appKey, appSecret } = sandbox.shop('douyin').credentials;
  const { headers, body } = renderDouyinPush({ appKey, appSecret }, order, 100);
  const res = await api.inject({ method: 'POST', url: `/webhooks/douyin/${shopId}`, headers, payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return orderWorkflowId('douyin', shopId, order.id);
}

const openHolds = (orderId: string) =>
  h.db
    .selectFrom('order_holds')
    .select(['reason', 'detail', 'message', 'cleared_by_role'])
    .where('order_id', '=', orderId)
    .where('cleared_at', 'is', null)
    .execute();

describe('an order whose platform SKU has no mapping', () => {
  it('is held naming the platform SKU, and proceeds once the SKU is mapped and ops approve', async () => {
    const skuId = '34107160' + String(Date.now()).slice(-8);
    const id = await placeAndPush(newProductOrder(skuId));
    await waitForOrderStatus(h.db, id, 'held');

    const [hold, ...others] = await openHolds(id);
    expect(others).toEqual([]);
    expect(hold).toMatchObject({ reason: 'unmapped_sku', cleared_by_role: 'ops' });
    expect(hold!.detail).toContain('"TEE-2026-SPRING-RED-M"');
    expect(hold!.detail).toContain(`douyin SKU id "${skuId}"`);
    expect(hold!.message).toMatch(/POST \/sku-mappings/);

    // The queue shows ops what to do.
    const queue = await api.inject({ method: 'GET', url: `/reviews?shopId=${shopId}`, headers: ops });
    expect(queue.json().items).toEqual([
      expect.objectContaining({
        orderId: id,
        holds: [expect.objectContaining({ reason: 'unmapped_sku', clearedBy: 'ops' })],
      }),
    ]);

    const mapping = await api.inject({
      method: 'POST',
      url: '/sku-mappings',
      headers: ops,
      payload: { platform: 'douyin', shopId, platformSkuId: skuId, skuCode: TEST_SKU.code },
    });
    expect(mapping.statusCode, mapping.body).toBe(201);

    const approved = await api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(id)}/review`,
      headers: ops,
      payload: { decision: 'approve', note: '新品已建映射' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    await waitForOrderStatus(h.db, id, READY_STATUS);
    expect(await openHolds(id)).toEqual([]);
    const reserved = await h.db
      .selectFrom('stock_reservations')
      .selectAll()
      .where('order_id', '=', id)
      .execute();
    expect(reserved.map((r) => [r.sku_code, r.qty])).toEqual([[TEST_SKU.code, 1]]);
  });
});
