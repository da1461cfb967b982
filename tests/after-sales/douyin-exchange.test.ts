import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import type { CarrierCode } from '../../domain/carriers/codes.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { douyinCompanyCode } from '../../integrations/platforms/douyin/carriers.js';
import type { SimExchange, SimOrder } from '../../sandbox/orders/model.js';
import type { AfterSaleDecision } from '../../domain/after-sales.js';
import { afterSaleDecisionUpdate, afterSaleStateQuery, stateQuery } from '../../workflows/messages.js';
import {
  douyinBuyerAsks,
  douyinCases,
  douyinExchangeOf,
  onDouyin,
  pushDouyin,
} from '../support/douyin-cases.js';
import { vouched } from '../support/vouched.js';
import { recordHistory } from '../support/histories.js';
import * as market from '../support/market-cases.js';
import { RETURN_ADDRESS_ID, withReturnAddress } from '../support/top-cases.js';
import { PATIENCE_MS } from '../support/waits.js';
import {
  RECEIVED_HERE_EXCHANGE_STAGES,
  receiveCounted,
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

/** Customer service decides what the case offers now (the decision Update, a vouched actor). */
function decide(caseId: string, decision: DecisionBody) {
  return world.h.client.workflow.getHandle(caseId).executeUpdate(afterSaleDecisionUpdate, {
    args: [
      {
        ...decision,
        actor: vouched(
          world.h.config,
          { id: 'cs-xiaoli', roles: ['customer-service' as const] },
          { workflowId: caseId, update: afterSaleDecisionUpdate },
        ),
      } as AfterSaleDecision,
    ],
  });
}
type DecisionBody =
  { decision: 'agree' } | { decision: 'refuse'; reason: string } | { decision: 'refund'; reason: string };

/** The warehouse scans the case id on a parcel whose goods are not what was sold. */
const receiveWrongItem = (caseId: string, lineId: string) =>
  receiveCounted(world, caseId, [{ lineId, qty: 1, condition: 'wrong_item', reason: '寄回的是另一件衣服' }]);

/** The replacement order the case started for the exchange, once it did. */
async function replacementStarted(
  handle: Awaited<ReturnType<typeof market.caseWaitsForDecision>>,
  shopId: string,
  order: SimOrder,
  exchange: SimExchange,
) {
  const replacementId = orderWorkflowId('douyin', shopId, `${order.id}-EX-${exchange.id}`);
  await expect
    .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId ?? null, {
      timeout: PATIENCE_MS,
    })
    .toBe(replacementId);
  return replacementId;
}

/** Who decided each step of the case, by its timeline stage. */
async function actorsOf(caseId: string) {
  const rows = await world.h.db
    .selectFrom('after_sale_events')
    .select(['stage', 'actor'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows;
}

/** An exchange agreed with 301 whose buyer sent the goods back (11); the case awaits the parcel. */
async function exchangeSentBack() {
  const { shop, order } = await market.shippedMarketOrder(world);
  const exchange = buyerAsksExchange(order);
  await pushDouyin(world, shop.shopId, order, 200, 'exchange');
  const caseId = afterSaleWorkflowId('douyin', shop.shopId, exchange.id);
  const handle = await market.caseWaitsForDecision(world.h.client, caseId);
  await decide(caseId, { decision: 'agree' });
  await expect
    .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
    .toBe('the return parcel at the warehouse');
  onDouyin(order, 11);
  await pushDouyin(world, shop.shopId, order, 211, 'exchange');
  return { shop, order, exchange, caseId, handle };
}

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
    const replacementId = await replacementStarted(handle, shop.shopId, order, exchange);
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

describe('Douyin exchange decisions after the first review', () => {
  it('refuses at second review with operate 312 when a wrong item came back, sent once although the answer was lost', async () => {
    const { order, exchange, caseId, handle } = await exchangeSentBack();
    const before = await world.onHand(SHIRT);
    // Nothing offers a refund while the parcel is on its way: refused, nothing changed.
    await expect(decide(caseId, { decision: 'refund', reason: '缺货' })).rejects.toThrow();
    expect(callsOf(order)).toEqual(['afterSale.operate 301']);

    await receiveWrongItem(caseId, exchange.lineId);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waiting?.code, { timeout: PATIENCE_MS })
      .toBe('case_exchange_review');
    const state = await handle.query(afterSaleStateQuery);
    expect(state.exchangeChoices).toEqual(['refuse', 'refund']);
    expect(state.waitingFor).toMatch(/^a reviewer to refuse the exchange or turn it into a refund/);
    // Not what the case offers now: refused, and nothing went to Douyin.
    await expect(decide(caseId, { decision: 'agree' })).rejects.toThrow();
    expect(callsOf(order)).toEqual(['afterSale.operate 301']);
    expect(exchangeOf(order).status).toBe(11);

    // Douyin takes the refusal but its answer is lost: the retry reads 29 and sends nothing again.
    world.loseNextAgreeAnswer = true;
    await decide(caseId, { decision: 'refuse', reason: '寄回商品与原商品不符' });
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refused');
    expect(world.loseNextAgreeAnswer).toBe(false);
    expect(exchangeOf(order).status).toBe(29);
    expect(callsOf(order)).toEqual(['afterSale.operate 301', 'afterSale.operate 312']);
    expect(exchangeOf(order).calls![1]!.detail).toMatchObject({ reason: '寄回商品与原商品不符' });
    // Refused twice? The case takes no decision now.
    await expect(decide(caseId, { decision: 'refund', reason: '改为退款' })).rejects.toThrow();
    // The wrong item is not the shirt: nothing went back on the shelf, and no replacement left.
    expect(await world.onHand(SHIRT)).toBe(before);
    expect((await handle.query(afterSaleStateQuery)).exchange ?? null).toBeNull();
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    const actors = await actorsOf(caseId);
    expect(actors).toEqual(
      expect.arrayContaining([
        { stage: 'exchange_review', actor: 'system' },
        { stage: 'exchange_refusing', actor: 'cs-xiaoli' },
        { stage: 'platform_exchange_refuse_received', actor: 'douyin' },
        { stage: 'refused', actor: 'cs-xiaoli' },
      ]),
    );
    await recordHistory(world.h.client, caseId, 'aftersale-douyin-exchange-refused-received');
  });

  it('turns the exchange into a refund with operate 321 while the replacement waits: the replacement cancelled and its reservation released, sent once', async () => {
    const { shop, order, exchange, caseId, handle } = await exchangeSentBack();
    const before = await world.onHand(SHIRT);
    await receiveResaleable(world, caseId, [{ lineId: exchange.lineId, qty: 1 }]);
    const replacementId = await replacementStarted(handle, shop.shopId, order, exchange);
    // The replacement holds a unit of the shirt put back on the shelf.
    await expect
      .poll(() => market.reservedStock(world.h.db, world.warehouse, SHIRT), { timeout: PATIENCE_MS })
      .toBe(1);
    expect(await world.onHand(SHIRT)).toBe(before + 1);
    expect((await handle.query(afterSaleStateQuery)).exchangeChoices).toEqual(['refund']);
    // A refusal is not what the case offers once the goods came back as sold.
    await expect(decide(caseId, { decision: 'refuse', reason: '不换了' })).rejects.toThrow();

    world.loseNextAgreeAnswer = true;
    await decide(caseId, { decision: 'refund', reason: '该尺码已无库存' });
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    expect(world.loseNextAgreeAnswer).toBe(false);
    expect(exchangeOf(order)).toMatchObject({ status: 12, refunded: true });
    expect(callsOf(order)).toEqual(['afterSale.operate 301', 'afterSale.operate 321']);
    // The replacement was cancelled before it left: its unit released, the shirt back stays on hand.
    expect((await world.h.client.workflow.getHandle(replacementId).query(stateQuery)).status).toBe(
      'cancelled',
    );
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT)).toBe(0);
    expect(await world.onHand(SHIRT)).toBe(before + 1);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    expect(await world.stages(caseId)).toEqual(
      expect.arrayContaining([
        'exchange_order_started',
        'exchange_replacement_cancelled',
        'exchange_refund_deciding',
        'platform_exchange_refund',
        'refunded',
      ]),
    );
    expect(await world.stages(caseId)).not.toContain('platform_exchange_consign');
    expect(await actorsOf(caseId)).toEqual(
      expect.arrayContaining([{ stage: 'exchange_refund_deciding', actor: 'cs-xiaoli' }]),
    );
    await recordHistory(world.h.client, caseId, 'aftersale-douyin-exchange-refund');
  });

  it('turns the exchange into a refund when it is asked (321 at 售后申请), with no goods to take back', async () => {
    const { shop, order } = await market.shippedMarketOrder(world);
    const exchange = buyerAsksExchange(order);
    const caseId = afterSaleWorkflowId('douyin', shop.shopId, exchange.id);
    const handle = await market.caseWaitsForDecision(world.h.client, caseId);
    expect((await handle.query(afterSaleStateQuery)).exchangeChoices).toEqual(['refund']);
    await decide(caseId, { decision: 'refund', reason: '换货商品缺货，改为退款' });
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    expect(callsOf(order)).toEqual(['afterSale.operate 321']);
    expect(exchangeOf(order)).toMatchObject({ status: 12, refunded: true });
  });
});
