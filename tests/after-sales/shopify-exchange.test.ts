import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { createShopifyAfterSales } from '../../integrations/platforms/shopify/after-sales.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { clockDigits, TEST_SKU } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import * as market from '../support/market-cases.js';
import {
  approvedOnShopify,
  RETURN_LOCATION,
  scannedBackForExchange,
  shopifyCases,
} from '../support/shopify-cases.js';
import { PATIENCE_MS } from '../support/waits.js';
import * as returns from './world.js';

// Shopify exchanges (a return with exchange line items) shipped from here (docs/after-sales.md,
// "Shopify exchanges"), on the real dev server, PostgreSQL and the Shopify Admin API simulator at
// API 2025-07: the buyer's exchange pushed by `returns/request`, approved on Shopify, the shirt
// received here by the case id and restocked, the replacement worked through our warehouse like any
// parcel, and only then Shopify told — `returnProcess` (the shirt's disposition, the exchange item
// released) once even when its answer is lost, and the exchange's fulfillment order fulfilled with
// the replacement's waybill.

const SHIRT = 'TS-001-RED-M';
/** The next size, which the buyer of the swap test asks for. */
const SHIRT_L = 'TS-001-RED-L';
const sim = shopifyCases({ apiVersion: '2025-07' });

let world: market.MarketWorld;
beforeAll(async () => {
  world = await market.startMarketWorld(
    sim,
    { [SHIRT]: 50, [SHIRT_L]: 50, 'TEA-003-250G': 50 },
    {
      TRACKING_POLL_SECONDS: '1',
      WAVE_WINDOW_SECONDS: '1',
    },
  );
});
afterAll(() => world?.close());

const returnOf = (order: SimOrder) => sim.store.get(order.shopKey, order.id)!.refund!;

/** The buyer asks Shopify to exchange line 1 for another of the same shirt (or `sku`). */
function buyerAsksExchange(order: SimOrder, sku = SHIRT): SimRefund {
  const shirt = order.items[0]!;
  return world.buyerAsks(order, {
    kind: 'return_and_refund',
    amountMinor: shirt.unitPriceMinor,
    reason: 'Stitching came loose',
    lineIds: [shirt.lineId],
    exchangeItems: [
      { id: clockDigits(10), lineItemId: `${order.id}9`, skuCode: sku, quantity: 1, processed: 0 },
    ],
  });
}

describe('Shopify exchanges', () => {
  it('approves on Shopify, restocks the shirt scanned back, ships the replacement from our warehouse, then processes the return once and fulfils the exchange with its waybill', async () => {
    const { shop, order } = await market.shippedMarketOrder(world, { returnReceipt: 'platform' });
    const shirt = order.items[0]!;
    const before = await world.onHand(SHIRT);

    const ret = buyerAsksExchange(order);
    await sim.push(world, shop.shopId, order);
    await sim.push(world, shop.shopId, order);
    const caseId = afterSaleWorkflowId('shopify', shop.shopId, `return-${ret.id}`);
    await market.caseWaitsForDecision(world.h.client, caseId);
    expect(await world.caseRow(caseId)).toMatchObject({ kind: 'exchange', requested_fen: 0 });
    const handle = await approvedOnShopify(world, sim, order, caseId);

    // The buyer's shirt comes back with the case id on it: back on the shelf, nothing told yet.
    const replacementId = await scannedBackForExchange(world, handle, caseId, shirt.lineId);
    expect(replacementId).toContain(`${order.id}-EX-return-${ret.id}`);
    expect(await world.onHand(SHIRT)).toBe(before + 1);
    expect(sim.calls['returnProcess']).toBeUndefined();
    expect(returnOf(order).exchangeItems![0]!.processed).toBe(0);

    // The replacement is worked through the warehouse like any parcel and handed over; Shopify's
    // answer to returnProcess is lost on the way back.
    sim.loseNext.add('returnProcess');
    const replacement = await returns.replacementShipped(world, replacementId, caseId);
    expect(sim.loseNext.has('returnProcess')).toBe(false);
    expect(sim.calls['returnProcess']).toBe(1);
    const after = returnOf(order);
    expect(after.exchangeItems![0]!.processed).toBe(1);
    expect(after.returnProcessed).toEqual({ [shirt.lineId]: 1 });
    expect(after.dispositions).toEqual([
      expect.objectContaining({
        lineId: shirt.lineId,
        type: 'RESTOCKED',
        quantity: 1,
        locationId: RETURN_LOCATION,
      }),
    ]);
    // The exchange's fulfillment order fulfilled once, with the replacement's waybill.
    expect(after.exchangeShipment).toMatchObject({ trackingNumber: replacement.waybill });
    const exchange = (await handle.query(afterSaleStateQuery)).exchange!;
    expect(exchange.trackingNo).toBe(replacement.waybill);
    // The replacement is no Shopify order: its waybill went to Shopify through the exchange only.
    const upload = await returns.replacementUpload(world.h.db, replacementId);
    expect(upload.tracking_uploaded_at).toBeNull();
    expect(upload.upload_skipped).toContain('exchange replacement');
    // One shirt back, one shirt out; nothing left reserved.
    expect(await world.onHand(SHIRT)).toBe(before);
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT)).toBe(0);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    const stages = await world.stages(caseId);
    expect(stages).toEqual(expect.arrayContaining(returns.RECEIVED_HERE_EXCHANGE_STAGES));
    expect(stages.filter((s) => s === 'platform_exchange_consign')).toHaveLength(1);
    expect(stages.at(-1)).toBe('exchange_shipped');
    await recordHistory(world.h.client, caseId, 'aftersale-shopify-exchange');
  });

  it('an exchange for the next size: the case shows the swap, agreeing must name the replacement SKU, and the replacement order ships it', async () => {
    for (const [code, name] of [
      [SHIRT, '纯棉T恤 红色 M'],
      [SHIRT_L, '纯棉T恤 红色 L'],
    ] as const) {
      await world.h.db
        .insertInto('skus')
        .values({ ...TEST_SKU, code, name })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
    }
    const cs = bearer(await apiKeyFor(world.h.db, ['customer-service']));
    const { shop, order } = await market.shippedMarketOrder(world, { returnReceipt: 'platform' });
    const shirt = order.items[0]!;
    const ret = buyerAsksExchange(order, SHIRT_L);
    await sim.push(world, shop.shopId, order);
    const caseId = afterSaleWorkflowId('shopify', shop.shopId, `return-${ret.id}`);
    const handle = await market.caseWaitsForDecision(world.h.client, caseId);
    const url = `/after-sales/${encodeURIComponent(caseId)}`;
    const shown = await world.api.inject({ method: 'GET', url, headers: cs });
    expect(shown.json()).toMatchObject({ state: { skuSwap: { bought: SHIRT, wanted: SHIRT_L } } });

    // Agreeing without naming the replacement would ship the M again: refused, Shopify untouched.
    const decide = (payload: object) =>
      world.api.inject({ method: 'POST', url: `${url}/decisions`, headers: cs, payload });
    const unnamed = await decide({ decision: 'agree' });
    expect(unnamed.statusCode, unnamed.body).toBe(422);
    expect(returnOf(order).status).toBe('requested');
    const agreed = await decide({
      decision: 'agree',
      replacements: [{ lineId: shirt.lineId, skuCode: SHIRT_L }],
    });
    expect(agreed.statusCode, agreed.body).toBe(200);
    await expect.poll(() => returnOf(order).status, { timeout: PATIENCE_MS }).toBe('returning');
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');

    // The M comes back; the replacement order is the L, at no charge, reserving the L.
    const replacementId = await scannedBackForExchange(world, handle, caseId, shirt.lineId);
    const lineOf = (orderId: string) =>
      world.h.db
        .selectFrom('order_lines')
        .select(['sku_code', 'quantity', 'unit_price_fen'])
        .where('order_id', '=', orderId)
        .execute();
    await expect
      .poll(() => lineOf(replacementId), { timeout: PATIENCE_MS })
      .toEqual([{ sku_code: SHIRT_L, quantity: 1, unit_price_fen: 0 }]);
    await expect
      .poll(() => market.reservedStock(world.h.db, world.warehouse, SHIRT_L), { timeout: PATIENCE_MS })
      .toBe(1);
    // Shopify hears of it only once the L is with the carrier (as above).
    expect(returnOf(order).exchangeItems![0]!.processed).toBe(0);
  });

  it('before API 2025-07 Shopify has no returnProcess: the exchange is left to a person and Shopify is untouched', async () => {
    const { order } = await market.shippedMarketOrder(world, { returnReceipt: 'platform' });
    const ret = buyerAsksExchange(order);
    world.onPlatform(order, (r) => (r.status = 'returning'));
    const shopify = (apiVersion: string) =>
      createShopifyAfterSales(
        {
          shopId: 'shopify-old',
          platformShopId: order.shopKey,
          baseUrl: world.url,
          credentials: {
            appKey: 'market-shopify-app',
            appSecret: 'unused',
            accessToken: sim.accessTokenOf(order.shopKey),
            extra: { returnLocationId: RETURN_LOCATION, apiVersion },
          },
        },
        { receiveHere: true },
      );
    const ref = { platformCaseId: `return-${ret.id}`, platformOrderId: order.id };
    const current = await shopify('2025-01').getCase(ref);
    expect(current).toMatchObject({ kind: 'exchange', exchangeStep: 'returning', status: 'waiting_buyer' });
    expect(
      await shopify('2025-01').exchange!.consign(current, {
        trackingNo: 'SF1234567890',
        companyName: '顺丰速运',
        carrierCode: 'SF',
      }),
    ).toMatchObject({ outcome: 'not_offered' });
    expect(returnOf(order).exchangeItems![0]!.processed).toBe(0);
    expect(returnOf(order).exchangeShipment).toBeUndefined();
  });
});
