import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';

let h: Harness;
let api: FastifyInstance;
let ops: { authorization: string };
let wh: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
});

async function sku(): Promise<string> {
  const code = uniqueId('SKU');
  await h.db
    .insertInto('skus')
    .values({ code, name: code, weight_g: 250, length_mm: 200, width_mm: 150, height_mm: 50, flags: [] })
    .execute();
  return code;
}

describe('replenishment for an order waiting for stock', () => {
  it('asks the warehouse that stocks the SKU, not the top-ranked one that never carried it', async () => {
    const x = await sku();
    const other = await sku();
    // Ranked first for 浙江 but has never stocked X.
    const top = await setupWarehouse(h.db, { stock: { [other]: 10 }, provinces: ['浙江省'] });
    // Serves 浙江 only second, but carries X (one unit left).
    const second = await setupWarehouse(h.db, { stock: { [x]: 1 }, provinces: ['江苏省', '浙江省'] });

    const shopId = await createShop(h.db, 'taobao');
    const order = orderPush({
      lines: [
        {
          lineId: '1',
          platformSkuId: '',
          skuCode: x,
          title: x,
          quantity: 2,
          unitPriceFen: 1_000,
          discountFen: 0,
        },
      ],
      amounts: { goodsFen: 2_000, discountFen: 0, shippingFen: 0, paidFen: 2_000 },
    });
    const res = await submitOrder(api, { platform: 'taobao', shopId, order }, ops);
    expect(res.statusCode, res.body).toBe(202);
    const orderId = orderWorkflowId('taobao', shopId, order.platformOrderId);
    await waitForOrderStatus(h.db, orderId, 'out_of_stock');

    const listed = await api.inject({
      method: 'GET',
      url: `/replenishment-requests?sku=${x}&status=open`,
      headers: wh,
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const { requests } = listed.json() as {
      requests: { warehouse: string; sku: string; qtyShort: number; orderIds: string[]; reasons: string[] }[];
    };
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ warehouse: second, sku: x, qtyShort: 1, orderIds: [orderId] });
    expect(requests[0]!.reasons.join(' ')).toContain(`${second} stocks ${x}`);
    expect(requests.some((r) => r.warehouse === top)).toBe(false);
  });
});
