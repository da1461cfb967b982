import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformAfterSaleActivities } from '../../activities/after-sale/platform.js';
import { verifyLedger } from '../../db/queries/stock.js';
import { createPddAfterSales } from '../../integrations/platforms/pdd/after-sales.js';
import type { ShopCredentials } from '../../integrations/platforms/types.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import {
  caseWaitsForDecision,
  decideAsCustomerService,
  formParam,
  shippedMarketOrder,
  startMarketWorld,
  type CaseSimulator,
  type MarketWorld,
} from '../support/market-cases.js';
import { pddCases } from '../support/pdd-cases.js';
import { RETURN_ADDRESS_ID, withReturnAddress } from '../support/top-cases.js';
import { PATIENCE_MS } from '../support/waits.js';
import { buyerSendsReturnByZto, receiveResaleable, returnCaseDetail, returnRowOf } from './world.js';

// A PDD return (退货退款) received here (docs/after-sales.md, "Returns received here"), on the real
// dev server, PostgreSQL, the simulated PDD gateway (which checks our signatures with its own code
// and moves the case's status as PDD does) and the simulated carriers: agreed once with the shop's
// return address (`pdd.refund.returngoods.agree`) although PDD's answer was lost, the buyer's
// waybill read from the case (`express_no`, `shipping_name`) and followed, the parcel received at
// the warehouse by its number and restocked through the ledger, then the refund agreed once
// (`pdd.refund.agree`). PDD has no refusal call: a refused return goes to a person in PDD's back
// office, and the case follows PDD to its end.

const SKU_B = 'TEA-003-250G';
const SKU_A = 'TS-001-RED-M';

/** Every PDD call that reached the gateway: its type and the case it named. */
const calls: Array<{ type: string; afterSalesId: string | null }> = [];
const base = withReturnAddress(pddCases());
const sim: CaseSimulator = {
  ...base,
  register(server) {
    server.addHook('preHandler', async (request) => {
      const type = formParam(request, 'type');
      if (type) calls.push({ type, afterSalesId: formParam(request, 'after_sales_id') });
    });
    return base.register(server);
  },
  // The answer lost once is the return's agreement.
  isAgree: (request) => formParam(request, 'type') === 'pdd.refund.returngoods.agree',
};
const callsOf = (type: string, afterSalesId: string) =>
  calls.filter((c) => c.type === type && c.afterSalesId === afterSalesId).length;

let world: MarketWorld;
beforeAll(async () => {
  world = await startMarketWorld(sim, { [SKU_A]: 50, [SKU_B]: 50 }, { TRACKING_POLL_SECONDS: '1' });
});
afterAll(() => world?.close());

const detail = (caseId: string) => returnCaseDetail(world.api, world.ops, caseId);

describe('PDD returns received at the warehouse', () => {
  it('agrees the return once with the return address, follows the buyer’s waybill, restocks the goods and agrees the refund once', async () => {
    const { shop, order } = await shippedMarketOrder(world, { returnReceipt: 'platform' });
    const before = await world.onHand(SKU_B);

    // The buyer asks to return line 2 (PDD: 3 退货退款待商家处理).
    const refund = world.buyerAsks(order, {
      kind: 'return_and_refund',
      amountMinor: 16_800,
      reason: '尺码不合适',
      lineIds: [order.items[1]!.lineId],
    });
    const caseId = afterSaleWorkflowId('pdd', shop.shopId, refund.id);
    const handle = await caseWaitsForDecision(world.h.client, caseId);
    expect(await world.caseRow(caseId)).toMatchObject({ kind: 'return_refund', requested_fen: 16_800 });

    // Customer service agrees; PDD takes the agreement but its answer never comes back: the retry
    // reads the case first, finds it waiting for the buyer's goods, and sends nothing again.
    world.loseNextAgreeAnswer = true;
    await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');
    expect(world.loseNextAgreeAnswer).toBe(false);
    expect(callsOf('pdd.refund.returngoods.agree', refund.id)).toBe(1);
    expect(world.refundOf(order)).toMatchObject({
      status: 'agreed',
      returnAddress: { return_address_id: RETURN_ADDRESS_ID },
      sellerAnswer: { action: 'agree' },
    });
    expect((await handle.query(afterSaleStateQuery)).platform?.lastAnswer).toMatchObject({
      action: 'agree',
      outcome: 'already',
    });
    // No money moves on the agreement of a return, and no waybill yet: nothing to follow.
    expect(callsOf('pdd.refund.agree', refund.id)).toBe(0);
    expect(await returnRowOf(world.h.db, caseId)).toMatchObject({
      tracking_no: null,
      status: 'awaiting_parcel',
    });

    // The buyer sends the goods back with ZTO and fills in company and number on PDD (3 again).
    // The case reads it from pdd.refund.information.get and follows it like its own return waybills.
    const back = await buyerSendsReturnByZto(world, order, caseId);
    world.carriers.sandbox.network.finish(back.trackingNumber);
    await expect
      .poll(async () => (await detail(caseId)).returnParcel?.trackingStatus ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe('delivered');
    expect(callsOf('pdd.refund.agree', refund.id)).toBe(0);

    // The warehouse scans the buyer's number: the unit back on the shelf, then PDD's refund agreed once.
    await receiveResaleable(world, back.trackingNumber, [{ lineId: sim.lineId(order, 1), qty: 1 }]);
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    expect(world.refundOf(order)).toMatchObject({
      status: 'refunded',
      amountMinor: 16_800,
      received: { call: 'pdd.refund.agree' },
    });
    expect(callsOf('pdd.refund.agree', refund.id)).toBe(1);
    expect(callsOf('pdd.refund.returngoods.agree', refund.id)).toBe(1);
    expect(await world.onHand(SKU_B)).toBe(before + 1);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    expect(await handle.query(afterSaleStateQuery)).toMatchObject({
      outcome: 'refunded',
      refundedFen: 16_800,
    });

    const seen = await world.stages(caseId);
    const at = (stage: string) => seen.indexOf(stage);
    expect(at('platform_agree')).toBeGreaterThan(-1);
    expect(at('platform_agree')).toBeLessThan(at('return_awaited'));
    expect(at('return_awaited')).toBeLessThan(at('return_waybill_reported'));
    expect(at('return_waybill_reported')).toBeLessThan(at('return_delivered'));
    expect(at('return_delivered')).toBeLessThan(at('return_inspected'));
    expect(seen.slice(-3)).toEqual(['return_inspected', 'platform_return_received', 'refunded']);

    // Told again (a retried activity): PDD is read first and nothing is sent.
    const receivedAt = world.refundOf(order).received!.at;
    const again = await createPlatformAfterSaleActivities({
      db: world.h.db,
      config: world.h.config,
      client: world.h.client,
    }).confirmReturnOnPlatform({
      caseId,
      shopId: shop.shopId,
      ref: { platformCaseId: refund.id, platformOrderId: order.id },
      units: 1,
    });
    expect(again).toMatchObject({ mode: 'platform', result: { outcome: 'already', status: 'refunded' } });
    expect(callsOf('pdd.refund.agree', refund.id)).toBe(1);
    expect(world.refundOf(order).received!.at).toEqual(receivedAt);
    await recordHistory(world.h.client, caseId, 'aftersale-pdd-return-received');
  });

  it('a refused return goes to a person in PDD’s back office, PDD told nothing, and ends as PDD ends it', async () => {
    const { shop, order } = await shippedMarketOrder(world, { returnReceipt: 'platform' });
    const refund = world.buyerAsks(order, {
      kind: 'return_and_refund',
      amountMinor: 16_800,
      reason: '不想要了',
      lineIds: [order.items[1]!.lineId],
    });
    const caseId = afterSaleWorkflowId('pdd', shop.shopId, refund.id);
    const handle = await caseWaitsForDecision(world.h.client, caseId);

    await decideAsCustomerService(world.h, caseId, { decision: 'refuse', reason: '商品已拆封使用' });
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waiting?.code ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe('case_person');
    expect((await handle.query(afterSaleStateQuery)).platform?.lastAnswer).toMatchObject({
      action: 'refuse',
      outcome: 'rejected',
      code: 'no_refusal_api',
    });
    // Nothing reached PDD: the return still waits for the merchant there.
    expect(world.refundOf(order)).toMatchObject({ status: 'requested' });
    expect(world.refundOf(order).sellerAnswer).toBeUndefined();
    expect(callsOf('pdd.refund.returngoods.agree', refund.id)).toBe(0);
    expect(callsOf('pdd.refund.agree', refund.id)).toBe(0);

    // A person rejects it in PDD's back office (6 驳回退款待买家处理): the case follows and ends refused.
    world.onPlatform(order, (r) => {
      r.status = 'refused';
    });
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refused');
    expect(await world.stages(caseId)).toEqual(
      expect.arrayContaining(['platform_refuse', 'needs_person', 'refused']),
    );
    expect(await returnRowOf(world.h.db, caseId)).toBeUndefined();
  });

  it('the PDD gateway takes a return’s writes only signed with the app’s secret and in the order of its steps', async () => {
    // A mall's shipped order with a return asked, read and answered through the adapter alone.
    const seller = sim.seller();
    const order = {
      ...sim.paidOrder(seller.shopKey, [{ code: SKU_B, priceFen: 16_800 }]),
      status: 'shipped' as const,
      shipment: { carrierCode: '115', trackingNumber: 'ZT3000000001', shippedAt: new Date() },
    };
    sim.store.upsert(order);
    const refund = world.buyerAsks(order, {
      kind: 'return_and_refund',
      amountMinor: 16_800,
      reason: '尺码不合适',
    });
    const ref = { platformCaseId: refund.id, platformOrderId: order.id };
    const pddAs = (credentials: ShopCredentials) =>
      createPddAfterSales({
        shopId: uniqueId('pdd'),
        platformShopId: seller.shopKey,
        baseUrl: world.url,
        credentials,
      });
    const pdd = pddAs(seller.credentials);

    const asked = await pdd.getCase(ref);
    expect(asked).toMatchObject({
      kind: 'return_refund',
      status: 'open',
      shipped: true,
      answersAfterShipment: true,
      receivedByApi: true,
    });
    expect(asked.buyerReturn).toBeUndefined();
    // Not offered: a part of the amount, or a shop without a return address; nothing reaches PDD.
    expect(await pdd.agree(asked, 10_000)).toMatchObject({ outcome: 'not_offered' });
    expect(await pddAs({ ...seller.credentials, extra: {} }).agree(asked, 16_800)).toMatchObject({
      outcome: 'not_offered',
    });
    // Signed with another secret: refused by the gateway's own check.
    await expect(
      pddAs({ ...seller.credentials, appSecret: 'not-the-app-secret' }).agree(asked, 16_800),
    ).rejects.toThrow(/20004/);
    // The refund before the goods came back: PDD does not take it.
    expect(await pdd.returnReceived!(asked, { units: 1 })).toMatchObject({ outcome: 'rejected' });
    expect(world.refundOf(order)).toMatchObject({ status: 'requested' });
    expect(world.refundOf(order).sellerAnswer).toBeUndefined();

    // Agreed once; asked again PDD answers that the case does not allow it, and nothing changes.
    expect(await pdd.agree(asked, 16_800)).toMatchObject({
      outcome: 'done',
      code: 'pdd.refund.returngoods.agree',
    });
    const agreedAt = world.refundOf(order).modifiedAt;
    expect(await pdd.agree(asked, 16_800)).toMatchObject({ outcome: 'rejected' });
    expect(world.refundOf(order).modifiedAt).toEqual(agreedAt);
    expect(await pdd.getCase(ref)).toMatchObject({ status: 'waiting_buyer', platformStatus: '7' });
    expect(await pdd.returnReceived!(await pdd.getCase(ref), { units: 1 })).toMatchObject({
      outcome: 'rejected',
    });

    // The buyer sent the goods: the record names them, and the return reads as agreed already.
    world.onPlatform(order, (r) => {
      r.status = 'returning';
      r.buyerReturn = { company: '中通快递', trackingNo: 'ZT3000000002' };
    });
    const sent = await pdd.getCase(ref);
    expect(sent).toMatchObject({
      status: 'open',
      platformStatus: '3',
      buyerReturn: { company: '中通快递', trackingNo: 'ZT3000000002' },
    });
    expect(await pdd.agree(sent, 16_800)).toEqual({ outcome: 'already', status: 'waiting_buyer' });
    expect(world.refundOf(order).status).toBe('returning');
  });
});
