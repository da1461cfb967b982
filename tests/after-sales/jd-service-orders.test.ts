import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformAfterSaleActivities } from '../../activities/after-sale/platform.js';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { createJdAfterSales } from '../../integrations/platforms/jd/after-sales.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { waitForCaptured } from '../capture/support.js';
import { JD_RETURN_ADDRESS, jdCaseSimulator } from '../support/jd-sim.js';
import {
  caseWaitsForDecision,
  decideAsCustomerService,
  shipFromWarehouse,
  startMarketWorld,
  type MarketWorld,
} from '../support/market-cases.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';

// JD after-sale service orders (售后服务单, jingdong.asc.*) on the real dev server and the simulated
// JOS gateway, which checks our signatures and sysVersion with its own code: a return asked after
// the order shipped is captured by the poll (the audit queue), agreed once with the shop's return
// address (asc.audit.send) although JD's answer was lost, and followed to JD's refund (the
// finished service orders); a refusal (asc.audit.refuse) ends the case refused; a write signed
// with another secret, or at a stale sysVersion, changes nothing on JD.

const MINUTES = 60_000;
const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
const sim = jdCaseSimulator();
let world: MarketWorld;

beforeAll(async () => {
  world = await startMarketWorld(sim, { [SKU_A]: 50, [SKU_B]: 50 });
});
afterAll(() => world?.close());

/** A two-line order paid on JD, captured here, then shipped from JD's back office (its workflow ends). */
async function shippedOnJd(shop: { shopId: string; shopKey: string }) {
  const order = sim.paidOrder(shop.shopKey, [
    { code: SKU_A, priceFen: 9_900 },
    { code: SKU_B, priceFen: 16_800 },
  ]);
  sim.store.upsert(order);
  const orderId = orderWorkflowId('jd', shop.shopId, order.id);
  await waitForCaptured(world.h.db, shop.shopId, [order.id]);
  const at = new Date(Math.max(Date.now(), order.modifiedAt.getTime() + 1000));
  const shipped = sim.store.update(
    order.shopKey,
    order.id,
    (o) => {
      o.status = 'shipped';
      o.shipment = { carrierCode: '2087', trackingNumber: `JDV${Date.now()}`, shippedAt: at };
    },
    at,
  )!;
  await expect
    .poll(async () => (await world.h.client.workflow.getHandle(orderId).describe()).status.name, {
      timeout: PATIENCE_MS,
    })
    .not.toBe('RUNNING');
  return { order: shipped, orderId };
}

/** The buyer asks JD to return line 2 (a service order, customerExpect 退货). */
function buyerAsksReturn(shopId: string, order: SimOrder) {
  const refund = world.buyerAsks(order, {
    kind: 'return_and_refund',
    amountMinor: 16_800,
    reason: '尺码不合适',
    lineIds: [order.items[1]!.lineId],
  });
  return { refund, caseId: afterSaleWorkflowId('jd', shopId, `asc-${refund.id}`) };
}

async function lineRefundOnOrder(orderId: string, lineId: string) {
  const auth = bearer(await apiKeyFor(world.h.db, ['customer-service']));
  const res = await world.api.inject({
    method: 'GET',
    url: `/orders/${encodeURIComponent(orderId)}`,
    headers: auth,
  });
  return res.json().lines.find((l: { line_id: string }) => l.line_id === lineId)?.refund_status;
}

describe('JD service orders (售后服务单)', () => {
  it('captures a return from the audit queue, agrees it once with the return address although the answer was lost, and follows JD to the refund', async () => {
    const shop = await world.connectedShop(true);
    const { order, orderId } = await shippedOnJd(shop);
    const { refund, caseId } = buyerAsksReturn(shop.shopId, order);
    const handle = await caseWaitsForDecision(world.h.client, caseId);
    expect(await world.caseRow(caseId)).toMatchObject({
      platform: 'jd',
      order_id: orderId,
      kind: 'return_refund',
      requested_fen: 16_800,
      platform_status: '10001 待审核 (退货)',
    });

    // JD takes the agreement, but its answer never comes back: the retried activity reads the
    // service order first, finds it past the audit, and sends nothing again.
    const before = world.agreeCalls;
    world.loseNextAgreeAnswer = true;
    await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    await expect.poll(() => world.refundOf(order).status, { timeout: PATIENCE_MS }).toBe('returning');
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).platform?.lastAnswer, {
        timeout: PATIENCE_MS,
      })
      .toMatchObject({ action: 'agree', outcome: 'already' });
    expect(world.agreeCalls - before).toBe(1);
    expect(world.refundOf(order).returnAddress).toMatchObject({
      returnContactName: JD_RETURN_ADDRESS.contactName,
      returnContactMobile: JD_RETURN_ADDRESS.mobile,
      returnProvince: JD_RETURN_ADDRESS.province,
      returnDetailAddress: JD_RETURN_ADDRESS.detail,
    });
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');

    // The shop's rule leaves the receipt to a person, who registers the goods on JD; JD refunds
    // the buyer and the finished service order reaches the case.
    world.onPlatform(order, (r) => (r.status = 'refunded'));
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    expect((await world.caseRow(caseId))?.platform_status).toBe('10010 完成 (退货)');
    const line2 = sim.lineId(order, 1);
    await expect.poll(() => lineRefundOnOrder(orderId, line2), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(await lineRefundOnOrder(orderId, sim.lineId(order, 0))).toBe('none');
    expect(refund.id).toBe(world.refundOf(order).id);
    await recordHistory(world.h.client, caseId, 'aftersale-jd-service-return-by-person');
  });

  it('a return received at the warehouse goes back on the shelf and is registered on JD once, which refunds the buyer', async () => {
    const shop = await world.connectedShop(true, { returnReceipt: 'platform' });
    const misspelt = await world.api.inject({
      method: 'PATCH',
      url: `/shops/${shop.shopId}`,
      headers: world.ops,
      payload: { settings: { returnReceipt: 'platfrom' } },
    });
    expect(misspelt.statusCode, misspelt.body).toBe(400);
    expect(misspelt.body).toContain('settings.returnReceipt');
    const order = sim.paidOrder(shop.shopKey, [
      { code: SKU_A, priceFen: 9_900 },
      { code: SKU_B, priceFen: 16_800 },
    ]);
    sim.store.upsert(order);
    const orderId = orderWorkflowId('jd', shop.shopId, order.id);
    await waitForStage(world.h.db, orderId, 'allocated', 3 * MINUTES);
    await shipFromWarehouse(world, order, orderId);
    const before = await world.onHand(SKU_B);

    const { caseId } = buyerAsksReturn(shop.shopId, sim.store.get(order.shopKey, order.id)!);
    const handle = await caseWaitsForDecision(world.h.client, caseId);
    await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    await expect.poll(() => world.refundOf(order).status, { timeout: PATIENCE_MS }).toBe('returning');
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');

    // The buyer sends the goods back; the warehouse scans the case id on the parcel and counts them.
    world.onPlatform(order, (r) => (r.buyerReturn = { company: '中通快递', trackingNo: `ZT${Date.now()}` }));
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
    expect(world.refundOf(order)).toMatchObject({
      status: 'refunded',
      received: { wareNum: 1, qualityState: '10' },
    });
    expect(await world.onHand(SKU_B)).toBe(before + 1);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    expect(await world.stages(caseId)).toEqual(
      expect.arrayContaining(['return_awaited', 'return_inspected', 'platform_return_received', 'refunded']),
    );
    await expect.poll(() => lineRefundOnOrder(orderId, line2), { timeout: PATIENCE_MS }).toBe('refunded');

    // The registration sent again (a retried activity): JD is read first, nothing is sent.
    const registeredAt = world.refundOf(order).received!.at;
    const acts = createPlatformAfterSaleActivities({
      db: world.h.db,
      config: world.h.config,
      client: world.h.client,
    });
    const again = await acts.confirmReturnOnPlatform({
      caseId,
      shopId: shop.shopId,
      ref: { platformCaseId: `asc-${world.refundOf(order).id}`, platformOrderId: order.id },
      units: 1,
    });
    expect(again).toMatchObject({ mode: 'platform', result: { outcome: 'already', status: 'refunded' } });
    expect(world.refundOf(order).received!.at).toEqual(registeredAt);
    await recordHistory(world.h.client, caseId, 'aftersale-jd-service-received');
  });

  it('refuses a return with the reason through asc.audit.refuse; the ended order shows the line refused', async () => {
    const shop = await world.connectedShop(true);
    const { order, orderId } = await shippedOnJd(shop);
    const { caseId } = buyerAsksReturn(shop.shopId, order);
    await caseWaitsForDecision(world.h.client, caseId);
    await decideAsCustomerService(world.h, caseId, {
      decision: 'refuse',
      reason: '商品已使用，不支持退货',
    });
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refused');
    expect(world.refundOf(order)).toMatchObject({
      status: 'refused',
      sellerAnswer: { action: 'refuse', message: '商品已使用，不支持退货' },
    });
    await expect
      .poll(() => lineRefundOnOrder(orderId, sim.lineId(order, 1)), { timeout: PATIENCE_MS })
      .toBe('refused');
  });

  it('JD refuses a send signed with another secret or at a stale sysVersion, and the service order is unchanged', async () => {
    const shop = await world.connectedShop(false);
    const order = sim.paidOrder(shop.shopKey, [
      { code: SKU_A, priceFen: 9_900 },
      { code: SKU_B, priceFen: 16_800 },
    ]);
    order.status = 'shipped';
    order.shipment = { carrierCode: '2087', trackingNumber: `JDV${Date.now()}`, shippedAt: new Date() };
    sim.store.upsert(order);
    const { refund } = buyerAsksReturn(shop.shopId, order);
    const address = {
      returnContactName: 'x',
      returnContactMobile: '1',
      returnProvince: 'x',
      returnCity: 'x',
      returnCounty: 'x',
      returnDetailAddress: 'x',
    };
    const forged = await sim.forged(world.url, order, 'jingdong.asc.audit.send', {
      serviceId: refund.id,
      orderId: order.id,
      sysVersion: refund.modifiedAt.getTime(),
      ...address,
    });
    expect(forged).toContain('无效签名');
    expect(world.refundOf(order).status).toBe('requested');

    // Through the adapter, at the version read before the buyer changed the request: refused.
    const api = createJdAfterSales({
      shopId: shop.shopId,
      platformShopId: shop.shopKey,
      baseUrl: world.url,
      credentials: {
        appKey: 'jd-as-app',
        appSecret: 'jd-as-secret',
        accessToken: `jd-as-token-${shop.shopKey}`,
        extra: { returnAddress: JSON.stringify(JD_RETURN_ADDRESS) },
      },
    });
    const ref = { platformCaseId: `asc-${refund.id}`, platformOrderId: order.id };
    const read = await api.getCase(ref);
    expect(read).toMatchObject({ kind: 'return_refund', status: 'open', shipped: true, amountFen: 16_800 });
    const later = new Date(world.refundOf(order).modifiedAt.getTime() + 1000);
    sim.store.update(order.shopKey, order.id, (o) => (o.refund!.modifiedAt = later), later);
    expect(await api.agree(read, read.amountFen)).toMatchObject({
      outcome: 'rejected',
      message: expect.stringContaining('版本号不一致'),
    });
    // A part of the amount is not offered: audit.send carries none.
    expect(await api.agree(await api.getCase(ref), 100)).toMatchObject({ outcome: 'not_offered' });
    expect(world.refundOf(order)).toMatchObject({ status: 'requested' });
    expect(world.refundOf(order).sellerAnswer).toBeUndefined();
  });
});
