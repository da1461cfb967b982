import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrSignalCase } from '../../activities/after-sale/capture.js';
import { openShop } from '../../activities/capture/shop-adapters.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { createAfterSalesApi, type PlatformCase } from '../../integrations/platforms/after-sales.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import { recordHistory } from '../support/histories.js';
import * as market from '../support/market-cases.js';
import { pddCases } from '../support/pdd-cases.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';

// A case the buyer asks again after it ended, on the real dev server and the simulated PDD gateway.
// PDD's refusal is 6 驳回退款待买家处理 (the refund waits for the buyer): the buyer may ask again,
// and the same after_sales_id waits for the seller (2 买家申请退款待商家处理) with a newer
// updated_time. The case opens again — a new run of the same workflow id, its row and timeline
// continued, its line held, back in the reviewer queue — while a snapshot that only confirms the end,
// or an older one, changes nothing.

const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';

let world: market.MarketWorld;
beforeAll(async () => {
  world = await market.startMarketWorld(pddCases(), { [SKU_A]: 50, [SKU_B]: 50 });
});
afterAll(() => world?.close());

const reserved = (sku: string) => market.reservedStock(world.h.db, world.warehouse, sku);
const caseRow = (caseId: string) => world.caseRow(caseId);
const runs = async (caseId: string, running = false) =>
  (
    await world.h.client.workflow.count(
      `WorkflowId = '${caseId}'${running ? ` AND ExecutionStatus = 'Running'` : ''}`,
    )
  ).count;
const reviewQueue = async (shopId: string) => {
  const res = await world.api.inject({
    method: 'GET',
    url: `/after-sales/reviews?shopId=${shopId}`,
    headers: world.ops,
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { cases: Array<{ id: string; requestedFen: number }> }).cases;
};
const timeline = async (caseId: string) => {
  const res = await world.api.inject({ method: 'GET', url: `/after-sales/${caseId}`, headers: world.ops });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { timeline: Array<{ step: string; stage: string; actor: string }> }).timeline;
};

describe('PDD: a refused refund the buyer asks again', () => {
  it('opens the case again once: back in the reviewer queue, its line held again, agreed and refunded once', async () => {
    const shop = await world.connectedShop(false);
    const order: SimOrder = world.sim.paidOrder(shop.shopKey, [
      { code: SKU_A, priceFen: 9_900 },
      { code: SKU_B, priceFen: 16_800 },
    ]);
    world.sim.store.upsert(order);
    const orderId = orderWorkflowId('pdd', shop.shopId, order.id);
    const platformShop = { shopId: shop.shopId, platform: 'pdd' as const };
    await requestOrderFetch(
      world.h.client,
      world.h.config.TASK_QUEUE_ORDERS,
      { id: shop.shopId, platform: 'pdd' },
      [{ platformOrderId: order.id }],
    );
    await waitForStage(world.h.db, orderId, 'allocated', PATIENCE_MS);
    const reservedB = await reserved(SKU_B);

    // The buyer asks a refund of line 2; customer service refuses it here, and a person refuses it in
    // PDD's back office (no refusal API): 6 驳回退款待买家处理.
    const refund = world.buyerAsks(order, {
      kind: 'refund_only',
      amountMinor: 16_800,
      reason: '拍错了',
      lineIds: [order.items[1]!.lineId],
      sellerDeadline: new Date(Date.now() + 48 * 3600_000),
    });
    const caseId = afterSaleWorkflowId('pdd', shop.shopId, refund.id);
    const ref = { platformCaseId: refund.id, platformOrderId: order.id };
    const opened = await openShop({ db: world.h.db, config: world.h.config }, shop.shopId);
    const pdd = createAfterSalesApi(opened.shop, opened.options);
    const firstAsk: PlatformCase = await pdd.getCase(ref);
    await world.sim.push!(world, shop.shopId, order);
    await market.caseWaitsForDecision(world.h.client, caseId);
    await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB - 1);
    await market.decideAsCustomerService(world.h, caseId, { decision: 'refuse', reason: '商品已打包待发' });
    await expect.poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS }).toBe('refused');
    await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB);
    world.onPlatform(order, (r) => (r.status = 'refused'));

    // What PDD says now only confirms the end; the first request, read again late, is older news.
    const deps = { client: world.h.client, config: world.h.config, db: world.h.db };
    const refusedOnPdd = await pdd.getCase(ref);
    expect(refusedOnPdd.status).toBe('refused');
    expect(await startOrSignalCase(deps, platformShop, refusedOnPdd)).toBe('ended');
    expect(await startOrSignalCase(deps, platformShop, firstAsk)).toBe('ended');
    expect(await runs(caseId)).toBe(1);
    expect(await caseRow(caseId)).toMatchObject({ status: 'refused', outcome: 'refused' });
    expect((await reviewQueue(shop.shopId)).map((c) => c.id)).not.toContain(caseId);

    // The buyer asks again for less (2 买家申请退款待商家处理, newer): pushed twice, opened once.
    world.onPlatform(order, (r) => {
      r.status = 'requested';
      r.amountMinor = 12_000;
      r.reason = '少了一盒，只退部分';
    });
    await world.sim.push!(world, shop.shopId, order);
    await world.sim.push!(world, shop.shopId, order);
    await expect
      .poll(async () => (await reviewQueue(shop.shopId)).find((c) => c.id === caseId)?.requestedFen, {
        timeout: PATIENCE_MS,
      })
      .toBe(12_000);
    await market.caseWaitsForDecision(world.h.client, caseId);
    // The line waits again: its reservation released, as for the first request.
    await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB - 1);
    expect(await startOrSignalCase(deps, platformShop, await pdd.getCase(ref))).toBe('started');
    expect(await runs(caseId)).toBe(2);
    expect(await runs(caseId, true)).toBe(1);
    const reopened = (await timeline(caseId)).filter((e) => e.stage === 'reopened');
    expect(reopened).toEqual([expect.objectContaining({ step: 'reopened@2', actor: 'buyer:pdd' })]);

    // Agreed once, although PDD's answer to the agreement was lost.
    world.loseNextAgreeAnswer = true;
    const callsBefore = world.agreeCalls;
    await market.decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    await expect.poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS }).toBe('refunded');
    expect(world.agreeCalls - callsBefore).toBe(1);
    expect(world.refundOf(order)).toMatchObject({ status: 'refunded', amountMinor: 12_000 });
    expect(await caseRow(caseId)).toMatchObject({
      status: 'refunded',
      outcome: 'refunded',
      requested_fen: 12_000,
      refunded_fen: 12_000,
    });
    expect(await reserved(SKU_B)).toBe(reservedB - 1);
    const stages = (await timeline(caseId)).map((e) => `${e.step} ${e.stage}`);
    expect(stages).toEqual(
      expect.arrayContaining([
        'open opened',
        'decided refusing',
        'refused refused',
        'reopened@2 reopened',
        'lines-held@2 lines_held',
        'decided@2 agreed',
        'refunded@2 refunded',
      ]),
    );
    await recordHistory(world.h.client, caseId, 'aftersale-pdd-refund-reopened');

    // The refund PDD confirms again, and the buyer's second request read late: nothing more.
    expect(await startOrSignalCase(deps, platformShop, await pdd.getCase(ref))).toBe('ended');
    expect(await runs(caseId)).toBe(2);
    expect((await caseRow(caseId))?.status).toBe('refunded');
    expect(world.agreeCalls - callsBefore).toBe(1);
  });
});
