import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformAfterSaleActivities } from '../../activities/after-sale/platform.js';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimRefund } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { douyinCases } from '../support/douyin-cases.js';
import { RETURN_ADDRESS_ID, topCases, withReturnAddress } from '../support/top-cases.js';
import {
  caseWaitsForDecision,
  decideAsCustomerService,
  shipFromWarehouse,
  startMarketWorld,
  type MarketWorld,
} from '../support/market-cases.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';

// Returns on marketplaces whose after-sales API takes the seller's "goods received" (docs/after-sales.md,
// "Returns received here"), on the real dev server and each platform's simulator, which checks our
// signatures with its own code: the return agreed on the platform with the shop's return address,
// the goods scanned at the warehouse and back on the shelf, the platform told once (a retried
// activity reads the case first and sends nothing), the platform refunds and the case ends refunded.

const MINUTES = 60_000;
const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
describe.each([
  { name: 'Douyin', sim: withReturnAddress(douyinCases), caseIdOf: (r: SimRefund) => r.id },
  { name: 'Taobao', sim: withReturnAddress(topCases()), caseIdOf: (r: SimRefund) => r.id },
])('$name returns received at the warehouse', ({ sim, caseIdOf }) => {
  let world: MarketWorld;
  beforeAll(async () => {
    world = await startMarketWorld(sim, { [SKU_A]: 50, [SKU_B]: 50 });
  });
  afterAll(() => world?.close());

  it('agrees the return with the return address, restocks the goods scanned back and confirms them on the platform once', async () => {
    const shop = await world.connectedShop(true, { returnReceipt: 'platform' });
    const order = sim.paidOrder(shop.shopKey, [
      { code: SKU_A, priceFen: 9_900 },
      { code: SKU_B, priceFen: 16_800 },
    ]);
    sim.store.upsert(order);
    const orderId = orderWorkflowId(sim.platform, shop.shopId, order.id);
    await waitForStage(world.h.db, orderId, 'allocated', 3 * MINUTES);
    await shipFromWarehouse(world, order, orderId);
    const before = await world.onHand(SKU_B);

    // The buyer asks to return line 2.
    const refund = world.buyerAsks(order, {
      kind: 'return_and_refund',
      amountMinor: 16_800,
      reason: '尺码不合适',
      lineIds: [order.items[1]!.lineId],
    });
    const caseId = afterSaleWorkflowId(sim.platform, shop.shopId, caseIdOf(refund));

    const handle = await caseWaitsForDecision(world.h.client, caseId);
    expect(await world.caseRow(caseId)).toMatchObject({ kind: 'return_refund', requested_fen: 16_800 });
    await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    await expect.poll(() => world.refundOf(order).status, { timeout: PATIENCE_MS }).toBe('agreed');
    expect(Object.values(world.refundOf(order).returnAddress ?? {})).toContain(RETURN_ADDRESS_ID);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');

    // The buyer sends the goods back (the platform shows them on the way); the warehouse scans
    // the case id on the parcel and counts the unit as sold.
    world.onPlatform(order, (r) => {
      r.status = 'returning';
      if (sim.platform === 'taobao') r.buyerReturn = { company: '中通快递', trackingNo: '78912345678901' };
    });
    if (sim.platform === 'taobao') {
      // TOP's refund names the buyer's parcel back (`company_name`, `sid`); the ERP reads it so.
      const read = await createPlatformAfterSaleActivities({
        db: world.h.db,
        config: world.h.config,
        client: world.h.client,
      }).readPlatformCase({
        caseId,
        shopId: shop.shopId,
        ref: { platformCaseId: caseIdOf(refund), platformOrderId: order.id },
      });
      expect(read.buyerReturn).toEqual({ company: '中通快递', trackingNo: '78912345678901' });
    }
    const line2 = sim.lineId(order, 1);
    const taken = await world.api.inject({
      method: 'POST',
      url: '/wms/returns/receipts',
      headers: { ...world.wh, 'idempotency-key': `scan-${caseId}` },
      payload: {
        warehouse: world.warehouse,
        scan: caseId,
        lines: [{ lineId: line2, qty: 1, condition: 'resaleable' }],
      },
    });
    expect(taken.statusCode, taken.body).toBe(202);

    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    expect(world.refundOf(order).status).toBe('refunded');
    expect(world.refundOf(order).received).toBeDefined();
    expect(await world.onHand(SKU_B)).toBe(before + 1);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    expect(await world.stages(caseId)).toEqual(
      expect.arrayContaining(['return_awaited', 'return_inspected', 'platform_return_received', 'refunded']),
    );

    // Told again (a retried activity): the platform is read first and nothing is sent.
    const receivedAt = world.refundOf(order).received!.at;
    const acts = createPlatformAfterSaleActivities({
      db: world.h.db,
      config: world.h.config,
      client: world.h.client,
    });
    const again = await acts.confirmReturnOnPlatform({
      caseId,
      shopId: shop.shopId,
      ref: { platformCaseId: caseIdOf(refund), platformOrderId: order.id },
      units: 1,
    });
    expect(again).toMatchObject({ mode: 'platform', result: { outcome: 'already', status: 'refunded' } });
    expect(world.refundOf(order).received!.at).toEqual(receivedAt);
    await recordHistory(world.h.client, caseId, `aftersale-${sim.platform}-return-received`);
  });
});
