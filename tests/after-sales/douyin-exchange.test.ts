import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import type { CarrierCode } from '../../domain/carriers/codes.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { douyinCompanyCode } from '../../integrations/platforms/douyin/carriers.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import {
  douyinBuyerAsks,
  douyinCases,
  douyinExchangeOf,
  onDouyin,
  pushDouyin,
} from '../support/douyin-cases.js';
import { recordHistory } from '../support/histories.js';
import * as market from '../support/market-cases.js';
import { RETURN_ADDRESS_ID, withReturnAddress } from '../support/top-cases.js';
import { PATIENCE_MS } from '../support/waits.js';
import {
  RECEIVED_HERE_EXCHANGE_STAGES,
  receiveResaleable,
  replacementShipped,
  replacementUpload,
} from './world.js';

// Douyin 抖店 exchanges (换货, aftersale_type 3) on the real dev server and the 抖店 simulator, which
// checks our signatures with its own code and keeps every operate it took: the buyer's exchange
// named by signed pushes and the shop's poll (one case), agreed on Douyin with operate 301 and the
// shop's return address; the buyer's parcel back (Douyin shows no waybill: the warehouse scans the
// case id) restocked; the replacement worked through the warehouse like any parcel, and Douyin told
// its waybill with operate 311 (company_code + logistics_code). A refusal goes to Douyin as 302 with
// the reason, and a buyer who withdraws ends the case as Douyin ends it.

/** The shirt exchanged (line 1 of `shippedMarketOrder`'s order), and the tea beside it. */
const SHIRT = 'TS-001-RED-M';
const STOCK = { [SHIRT]: 50, 'TEA-003-250G': 50 };
const sim = withReturnAddress(douyinCases);

let world: market.MarketWorld;
beforeAll(async () => {
  world = await market.startMarketWorld(sim, STOCK, {
    TRACKING_POLL_SECONDS: '1',
    WAVE_WINDOW_SECONDS: '1',
  });
});
afterAll(() => world?.close());

const exchangeOf = douyinExchangeOf;
const callsOf = (order: SimOrder) => (exchangeOf(order).calls ?? []).map((c) => c.call);

/** The buyer asks Douyin to exchange line 1 (6 售后申请). */
const buyerAsksExchange = (order: SimOrder) => douyinBuyerAsks(order, { prefix: '73', reason: '尺码不合适' });

describe('Douyin exchanges', () => {
  it('agrees with operate 301, restocks the goods scanned back, ships the replacement and tells Douyin its waybill with operate 311', async () => {
    const { shop, order } = await market.shippedMarketOrder(world);
    const before = await world.onHand(SHIRT);

    const exchange = buyerAsksExchange(order);
    // Douyin's version of the exchange as the buyer left it (the simulator changes it in place).
    const version = Math.floor(exchange.modifiedAt.getTime() / 1000);
    await pushDouyin(world, shop.shopId, order, 200, 'exchange');
    await pushDouyin(world, shop.shopId, order, 200, 'exchange');
    const caseId = afterSaleWorkflowId('douyin', shop.shopId, exchange.id);
    const handle = await market.caseWaitsForDecision(world.h.client, caseId);
    expect(await world.caseRow(caseId)).toMatchObject({ kind: 'exchange', requested_fen: 0 });
    expect((await handle.query(afterSaleStateQuery)).platform?.status).toBe('6 售后申请');

    await market.decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    await expect.poll(() => exchangeOf(order).status, { timeout: PATIENCE_MS }).toBe(7);
    expect(exchangeOf(order).addressId).toBe(RETURN_ADDRESS_ID);
    const agreed = exchangeOf(order).calls![0]!;
    expect(agreed.call).toBe('afterSale.operate 301');
    expect(Number(agreed.detail['update_time'])).toBe(version);
    // Douyin shows no buyer's waybill: the parcel is received by the case id written on it.
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');

    // The buyer sends the shirt back (11 售后已发货); the warehouse scans the case id.
    onDouyin(order, 11);
    await pushDouyin(world, shop.shopId, order, 211, 'exchange');
    await receiveResaleable(world, caseId, [{ lineId: exchange.lineId, qty: 1 }]);

    // The replacement is an order of its own, worked by the warehouse like any other.
    const replacementId = orderWorkflowId('douyin', shop.shopId, `${order.id}-EX-${exchange.id}`);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe(replacementId);
    expect(await world.onHand(SHIRT)).toBe(before + 1);
    // Nothing goes to Douyin before the replacement's waybill is known (311 names it).
    expect(callsOf(order)).toEqual(['afterSale.operate 301']);
    const replacement = await replacementShipped(world, replacementId, caseId);
    const carrier = (await handle.query(afterSaleStateQuery)).exchange!.carrier as CarrierCode;
    expect(exchangeOf(order)).toMatchObject({
      status: 13,
      sellerLogistic: { no: replacement.waybill, name: douyinCompanyCode(carrier), type: '311' },
    });
    expect(callsOf(order)).toEqual(['afterSale.operate 301', 'afterSale.operate 311']);
    // The replacement is no Douyin order: its waybill went to Douyin through the exchange only.
    const upload = await replacementUpload(world.h.db, replacementId);
    expect(upload.tracking_uploaded_at).toBeNull();
    expect(upload.upload_skipped).toContain('exchange replacement');
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT)).toBe(0);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    expect(await world.stages(caseId)).toEqual(expect.arrayContaining(RECEIVED_HERE_EXCHANGE_STAGES));
    expect(await world.stages(caseId)).not.toContain('platform_exchange_confirm_returned');
    await recordHistory(world.h.client, caseId, 'aftersale-douyin-exchange');
  });

  it('refuses on Douyin with operate 302 and the reason', async () => {
    const { shop, order } = await market.shippedMarketOrder(world);
    const exchange = buyerAsksExchange(order);
    const caseId = afterSaleWorkflowId('douyin', shop.shopId, exchange.id);
    // Captured by the shop's poll this time.
    await market.caseWaitsForDecision(world.h.client, caseId);
    await market.decideAsCustomerService(world.h, caseId, {
      decision: 'refuse',
      reason: '商品已使用，不支持换货',
    });
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refused');
    expect(exchangeOf(order).status).toBe(27);
    expect(exchangeOf(order).calls).toEqual([
      expect.objectContaining({
        call: 'afterSale.operate 302',
        detail: expect.objectContaining({ reason: '商品已使用，不支持换货' }),
      }),
    ]);
    expect(await world.stages(caseId)).toEqual(
      expect.arrayContaining(['exchange_refusing', 'platform_exchange_refuse', 'refused']),
    );
    await recordHistory(world.h.client, caseId, 'aftersale-douyin-exchange-refused');
  });

  it('ends as Douyin ends it when the buyer withdraws before sending the goods back', async () => {
    const { shop, order } = await market.shippedMarketOrder(world);
    const exchange = buyerAsksExchange(order);
    await pushDouyin(world, shop.shopId, order, 200, 'exchange');
    const caseId = afterSaleWorkflowId('douyin', shop.shopId, exchange.id);
    const handle = await market.caseWaitsForDecision(world.h.client, caseId);
    await market.decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');
    onDouyin(order, 28);
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('closed');
    expect(callsOf(order)).toEqual(['afterSale.operate 301']);
    expect(exchangeOf(order).sellerLogistic).toBeUndefined();
  });
});
