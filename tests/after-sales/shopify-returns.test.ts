import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformAfterSaleActivities } from '../../activities/after-sale/platform.js';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { AuthError } from '../../integrations/platforms/errors.js';
import { createShopifyAfterSales } from '../../integrations/platforms/shopify/after-sales.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { clockDigits, uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import * as market from '../support/market-cases.js';
import { approvedOnShopify, RETURN_LOCATION, shopifyCases } from '../support/shopify-cases.js';
import { PATIENCE_MS } from '../support/waits.js';
import { returnCaseDetail, returnRowOf } from './world.js';

// Shopify returns received here (docs/after-sales.md, "Returns received here on Shopify"), on the
// real dev server, PostgreSQL and the Shopify Admin API simulator, which checks the access token on
// every call: on a shop whose `returnReceipt` rule is `platform`, a return request pushed by
// `returns/request` is approved on Shopify, the buyer's parcel back is the return's reverse delivery
// tracking, the warehouse scans it, the resaleable unit goes back on the shelf through the ledger,
// and Shopify is told once what came back and how (`reverseFulfillmentOrderDispose`: RESTOCKED at
// the shop's location, NOT_RESTOCKED for the damaged unit) — also when its answer is lost — and the
// case ends refunded when the merchant refunds the return on Shopify.

const SHIRT = 'TS-001-RED-M';
const TEA = 'TEA-003-250G';
const sim = shopifyCases();

let world: market.MarketWorld;
beforeAll(async () => {
  world = await market.startMarketWorld(
    sim,
    { [SHIRT]: 50, [TEA]: 50 },
    {
      TRACKING_POLL_SECONDS: '1',
      WAVE_WINDOW_SECONDS: '1',
    },
  );
});
afterAll(() => world?.close());

const returnOf = (order: SimOrder) => sim.store.get(order.shopKey, order.id)!.refund!;

describe('Shopify returns received at the warehouse', () => {
  it('approves on Shopify, takes the parcel back by its reverse delivery tracking, restocks what is resaleable and disposes on Shopify once even when the answer is lost', async () => {
    const { shop, order } = await market.shippedMarketOrder(world, { returnReceipt: 'platform' });
    const [shirt, tea] = order.items;
    const shirtsBefore = await world.onHand(SHIRT);
    const teaBefore = await world.onHand(TEA);

    // The buyer asks to return both lines on Shopify; the store says so twice (one case).
    const ret = world.buyerAsks(order, {
      kind: 'return_and_refund',
      amountMinor: order.paidMinor,
      reason: 'Too small',
    });
    await sim.push(world, shop.shopId, order);
    await sim.push(world, shop.shopId, order);
    const caseId = afterSaleWorkflowId('shopify', shop.shopId, `return-${ret.id}`);
    // Approved on Shopify (OPEN): the buyer sends the goods, nothing else goes to Shopify yet.
    const handle = await approvedOnShopify(world, sim, order, caseId);
    expect(sim.calls['reverseFulfillmentOrderDispose']).toBeUndefined();

    // The buyer's parcel back shows on the return's reverse delivery: the case writes it on the return.
    const trackingNo = `1Z${clockDigits(12)}`;
    world.onPlatform(order, (r) => (r.buyerReturn = { company: 'UPS', trackingNo }));
    await expect
      .poll(async () => (await returnRowOf(world.h.db, caseId))?.tracking_no ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe(trackingNo);
    expect(await returnRowOf(world.h.db, caseId)).toMatchObject({ waybill_source: 'buyer' });

    // The warehouse scans the number: the shirt resaleable, the tea damaged. Shopify's answer to the
    // dispose is lost on the way back; the retry reads the return and disposes nothing twice.
    sim.loseNext.add('reverseFulfillmentOrderDispose');
    const taken = await world.api.inject({
      method: 'POST',
      url: '/wms/returns/receipts',
      headers: { ...world.wh, 'idempotency-key': uniqueId('scan') },
      payload: {
        warehouse: world.warehouse,
        scan: trackingNo,
        lines: [
          { lineId: shirt!.lineId, qty: 1, condition: 'resaleable' },
          { lineId: tea!.lineId, qty: 1, condition: 'damaged', reason: '包装破损' },
        ],
      },
    });
    expect(taken.statusCode, taken.body).toBe(202);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('shopify to refund the buyer');
    expect(sim.loseNext.has('reverseFulfillmentOrderDispose')).toBe(false);
    expect(sim.calls['reverseFulfillmentOrderDispose']).toBe(1);
    expect(returnOf(order).dispositions).toEqual([
      expect.objectContaining({
        lineId: shirt!.lineId,
        type: 'RESTOCKED',
        quantity: 1,
        locationId: RETURN_LOCATION,
      }),
      expect.objectContaining({ lineId: tea!.lineId, type: 'NOT_RESTOCKED', quantity: 1 }),
    ]);
    // The shirt is back on the shelf through the ledger; the damaged tea is written off.
    expect(await world.onHand(SHIRT)).toBe(shirtsBefore + 1);
    expect(await world.onHand(TEA)).toBe(teaBefore);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    expect((await handle.query(afterSaleStateQuery)).platform?.status).toBe('OPEN');

    // Told again (a retried activity): Shopify is read first and nothing is disposed.
    const again = await createPlatformAfterSaleActivities({
      db: world.h.db,
      config: world.h.config,
      client: world.h.client,
    }).confirmReturnOnPlatform({
      caseId,
      shopId: shop.shopId,
      ref: { platformCaseId: `return-${ret.id}`, platformOrderId: order.id },
      units: 1,
    });
    expect(again).toMatchObject({ mode: 'platform', result: { outcome: 'already' } });
    expect(sim.calls['reverseFulfillmentOrderDispose']).toBe(1);
    expect(returnOf(order).dispositions).toHaveLength(2);

    // The merchant refunds the return on Shopify (CLOSED with a refund): the case ends refunded.
    world.onPlatform(order, (r) => (r.status = 'refunded'));
    await sim.push(world, shop.shopId, order, 'returns/close');
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    const stages = await world.stages(caseId);
    const at = (stage: string) => stages.indexOf(stage);
    expect(at('platform_agree')).toBeGreaterThan(-1);
    expect(at('platform_agree')).toBeLessThan(at('return_awaited'));
    expect(at('return_awaited')).toBeLessThan(at('return_waybill_reported'));
    expect(at('return_waybill_reported')).toBeLessThan(at('return_inspected'));
    expect(at('return_inspected')).toBeLessThan(at('platform_return_received'));
    expect(stages.filter((s) => s === 'platform_return_received')).toHaveLength(1);
    expect(stages.at(-1)).toBe('refunded');
    const detail = await returnCaseDetail(world.api, world.ops, caseId);
    expect(detail.case.status).toBe('refunded');
    expect(detail.returnParcel).toMatchObject({ source: 'buyer', trackingNo });
    await recordHistory(world.h.client, caseId, 'aftersale-shopify-return-received');
  });

  it('Shopify disposes only with the store’s access token, and restocks only at a location', async () => {
    const { shop, order } = await market.shippedMarketOrder(world, { returnReceipt: 'platform' });
    const [shirt] = order.items;
    const ret = world.buyerAsks(order, {
      kind: 'return_and_refund',
      amountMinor: shirt!.unitPriceMinor,
      reason: 'Changed my mind',
      lineIds: [shirt!.lineId],
      status: 'returning',
    });
    const ref = { platformCaseId: `return-${ret.id}`, platformOrderId: order.id };
    const shopify = (accessToken: string, extra: Record<string, string>) =>
      createShopifyAfterSales(
        {
          shopId: shop.shopId,
          platformShopId: order.shopKey,
          baseUrl: world.url,
          credentials: { appKey: 'market-shopify-app', appSecret: 'unused', accessToken, extra },
        },
        { receiveHere: true },
      );
    const goods = { units: 1, lines: [{ lineId: shirt!.lineId, restock: 1, writeOff: 0 }] };
    const token = sim.accessTokenOf(order.shopKey);
    const current = await shopify(token, { returnLocationId: RETURN_LOCATION }).getCase(ref);
    expect(current).toMatchObject({ kind: 'return_refund', status: 'waiting_buyer', receivedByApi: true });
    // Another store's token: Shopify answers 401 and disposes nothing.
    await expect(
      shopify('shpat_not_this_store', { returnLocationId: RETURN_LOCATION }).returnReceived!(current, goods),
    ).rejects.toBeInstanceOf(AuthError);
    // No location to restock at: nothing is sent, a person disposes in Shopify.
    expect(await shopify(token, {}).returnReceived!(current, goods)).toMatchObject({
      outcome: 'not_offered',
    });
    expect(returnOf(order).dispositions).toBeUndefined();
    // With it: disposed once; a second call finds nothing left.
    const right = shopify(token, { returnLocationId: RETURN_LOCATION });
    expect(await right.returnReceived!(current, goods)).toEqual({ outcome: 'done' });
    expect(await right.returnReceived!(current, goods)).toMatchObject({ outcome: 'already' });
    expect(returnOf(order).dispositions).toEqual([
      expect.objectContaining({
        lineId: shirt!.lineId,
        type: 'RESTOCKED',
        quantity: 1,
        locationId: RETURN_LOCATION,
      }),
    ]);
  });
});
