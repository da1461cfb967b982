import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAfterSaleExchangeActivities } from '../../activities/after-sale-exchange.js';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery, stateQuery } from '../../workflows/messages.js';
import {
  douyinBuyerAsks,
  douyinCases,
  douyinExchangeOf,
  onDouyin,
  pushDouyin,
} from '../support/douyin-cases.js';
import { handOver, labelledParcel, shipmentStages } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import * as market from '../support/market-cases.js';
import { PATIENCE_MS, waitForOrderStatus, waitForStage } from '../support/waits.js';
import { replacementUpload } from './world.js';

// Reships (补寄) on the real dev server and the 抖店 simulator: the buyer of a shipped order says an
// item was missing (aftersale_type 7, 6 售后申请), the case waits for customer service, and agreed, the
// line goes out again from our warehouse as an order of its own (`-RS-`, nothing to pay) — reserved,
// waved, picked, packed, labelled and handed over like any parcel, the stock deducted once through
// the ledger. The facts name no 补寄 call on Douyin (no operate type), so the case then shows the
// parcel's waybill and asks a person to enter it in the 抖店 back office, and follows Douyin to its
// end (13 商家已发货待用户收货 → 12 售后成功). A refusal is a person's in the back office too, and
// moves nothing.

/** The shirt (line 1 of `shippedMarketOrder`'s order), and the tea beside it. */
const SHIRT = 'TS-001-RED-M';
const STOCK = { [SHIRT]: 50, 'TEA-003-250G': 50 };
const sim = douyinCases;

let world: market.MarketWorld;
beforeAll(async () => {
  world = await market.startMarketWorld(sim, STOCK, {
    TRACKING_POLL_SECONDS: '1',
    WAVE_WINDOW_SECONDS: '1',
  });
});
afterAll(() => world?.close());

const reshipOf = douyinExchangeOf;
/** The buyer asks Douyin to send line 1 again (aftersale_type 7 补寄, 6 售后申请). */
const buyerAsksReship = (order: SimOrder) =>
  douyinBuyerAsks(order, { prefix: '74', reason: '少件/漏发', type: 7 });

describe('reships (补寄) shipped from our warehouse', () => {
  it('agreed, ships the line again as a parcel of its own, shows its waybill for the back office and ends as Douyin ends it', async () => {
    const { shop, order } = await market.shippedMarketOrder(world);
    const before = await world.onHand(SHIRT);

    const reship = buyerAsksReship(order);
    await pushDouyin(world, shop.shopId, order, 200, 'exchange');
    const caseId = afterSaleWorkflowId('douyin', shop.shopId, reship.id);
    const handle = await market.caseWaitsForDecision(world.h.client, caseId);
    expect(await world.caseRow(caseId)).toMatchObject({ kind: 'reship', requested_fen: 0 });
    expect((await handle.query(afterSaleStateQuery)).platform?.status).toBe('6 售后申请');

    await market.decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    // The reship is an order of its own, named apart from an exchange's replacement.
    const reshipId = orderWorkflowId('douyin', shop.shopId, `${order.id}-RS-${reship.id}`);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe(reshipId);
    await waitForStage(world.h.db, reshipId, 'allocated', PATIENCE_MS);
    const snapshot = await world.h.client.workflow.getHandle(reshipId).query(stateQuery);
    expect(snapshot.parcels.length).toBeLessThanOrEqual(1);

    // The warehouse works it like any parcel: waved, picked, packed, labelled, handed over.
    const parcel = await labelledParcel(world.h, world.api, world.wh, reshipId, PATIENCE_MS);
    await handOver(world.api, world.wh, parcel.parcelId);

    // The case shows the waybill and asks a person to enter it in the 抖店 back office.
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('needs_person');
    const view = await handle.query(afterSaleStateQuery);
    expect(view.waiting).toMatchObject({
      code: 'case_person',
      params: { step: 'reship-waybill-in-back-office' },
    });
    expect(view.exchange).toMatchObject({ orderId: reshipId, trackingNo: parcel.waybill });
    expect(view.waitingFor).toContain(parcel.waybill);
    // Nothing went to Douyin (no 补寄 call in the facts), and the parcel is no Douyin order.
    expect(reshipOf(order).calls).toBeUndefined();
    const upload = await replacementUpload(world.h.db, reshipId);
    expect(upload.tracking_uploaded_at).toBeNull();
    expect(upload.upload_skipped).toContain('reship');

    // A retried start of the reship (its answer lost) finds the order started: no second parcel.
    const acts = createAfterSaleExchangeActivities({ client: world.h.client, config: world.h.config });
    const again = await acts.startExchangeOrder({
      orderId: orderWorkflowId('douyin', shop.shopId, order.id),
      platformCaseId: reship.id,
      caseId,
      lines: [{ lineId: reship.lineId, quantity: 1, requestedFen: 0 }],
      purpose: 'reship',
    });
    expect(again.orderId).toBe(reshipId);

    // Sent once, from stock once: the shirt left the warehouse once more, nothing came back.
    expect(await world.onHand(SHIRT)).toBe(before - 1);
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT)).toBe(0);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    const parcels = await world.h.db
      .selectFrom('shipment_orders')
      .select('shipment_id')
      .where('order_id', '=', reshipId)
      .execute();
    expect(parcels).toHaveLength(1);

    // A person entered the waybill on 抖店 (13): the case still follows Douyin.
    onDouyin(order, 13, (r) => (r.sellerLogistic = { name: 'zhongtong', no: parcel.waybill, type: '补寄' }));
    await pushDouyin(world, shop.shopId, order, 208, 'exchange');
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).platform?.status, { timeout: PATIENCE_MS })
      .toBe('13 商家已发货待用户收货');
    expect((await world.caseRow(caseId))?.status).toBe('needs_person');
    // The buyer received it and Douyin ends the 补寄 (12 售后成功, nothing refunded): reshipped.
    onDouyin(order, 12);
    await pushDouyin(world, shop.shopId, order, 208, 'exchange');
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('reshipped');
    expect(await world.caseRow(caseId)).toMatchObject({ refunded_fen: 0 });
    expect(await world.stages(caseId)).toEqual([
      'opened',
      'reship_requested',
      'reship_agreed',
      'reship_order_started',
      'reship_shipped',
      'needs_person',
      'reshipped',
    ]);
    expect(await world.onHand(SHIRT)).toBe(before - 1);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    await recordHistory(world.h.client, caseId, 'aftersale-douyin-reship');
  });

  it('refused, a person refuses it in the back office and nothing moves', async () => {
    const { shop, order } = await market.shippedMarketOrder(world);
    const before = await world.onHand(SHIRT);
    const reship = buyerAsksReship(order);
    const caseId = afterSaleWorkflowId('douyin', shop.shopId, reship.id);
    // Captured by the shop's poll this time.
    const handle = await market.caseWaitsForDecision(world.h.client, caseId);
    await market.decideAsCustomerService(world.h, caseId, { decision: 'refuse', reason: '已核实发货无少件' });
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waiting, { timeout: PATIENCE_MS })
      .toMatchObject({ code: 'case_person', params: { step: 'reship-refuse' } });
    expect((await handle.query(afterSaleStateQuery)).exchange).toBeUndefined();
    expect(reshipOf(order).calls).toBeUndefined();

    // Refused in the 抖店 back office (27 拒绝售后申请): the case ends refused.
    onDouyin(order, 27);
    await pushDouyin(world, shop.shopId, order, 208, 'exchange');
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refused');
    expect(await world.stages(caseId)).toEqual(
      expect.arrayContaining(['reship_requested', 'reship_refused', 'needs_person', 'refused']),
    );
    expect(await world.stages(caseId)).not.toContain('reship_order_started');
    expect(await world.onHand(SHIRT)).toBe(before);
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT)).toBe(0);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    await recordHistory(world.h.client, caseId, 'aftersale-douyin-reship-refused');
  });

  /** A shipped order's 补寄 pushed and agreed: its `-RS-` order labelled, not handed over. */
  async function reshipLabelled() {
    const { shop, order } = await market.shippedMarketOrder(world);
    const before = await world.onHand(SHIRT);
    const reship = buyerAsksReship(order);
    await pushDouyin(world, shop.shopId, order, 200, 'exchange');
    const caseId = afterSaleWorkflowId('douyin', shop.shopId, reship.id);
    const handle = await market.caseWaitsForDecision(world.h.client, caseId);
    await market.decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    const reshipId = orderWorkflowId('douyin', shop.shopId, `${order.id}-RS-${reship.id}`);
    await waitForStage(world.h.db, reshipId, 'allocated', PATIENCE_MS);
    const parcel = await labelledParcel(world.h, world.api, world.wh, reshipId, PATIENCE_MS);
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT)).toBe(1);
    return { shop, order, before, caseId, handle, reshipId, parcel };
  }

  it('the buyer withdraws before the parcel leaves: the reship order is stopped — waybill cancelled, reservation released — and the case ends closed', async () => {
    const { shop, order, before, caseId, reshipId, parcel } = await reshipLabelled();

    // The buyer withdrew the 补寄 on 抖店 (28 售后失败) while the parcel waits for the carrier.
    onDouyin(order, 28);
    await pushDouyin(world, shop.shopId, order, 208, 'exchange');
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('closed');
    await waitForOrderStatus(world.h.db, reshipId, 'cancelled', PATIENCE_MS);
    await expect
      .poll(() => shipmentStages(world.h.db, parcel.parcelId), { timeout: PATIENCE_MS })
      .toContain('waybill_cancelled');
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT)).toBe(0);
    expect(await world.onHand(SHIRT)).toBe(before);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    const stages = await world.stages(caseId);
    expect(stages).toEqual(
      expect.arrayContaining(['reship_agreed', 'reship_order_started', 'reship_order_cancelled', 'closed']),
    );
    expect(stages).not.toContain('reship_shipped');
    expect(stages).not.toContain('reshipped');
    expect(await world.caseRow(caseId)).toMatchObject({ outcome: 'closed', refunded_fen: 0 });
    expect(reshipOf(order).calls).toBeUndefined();
    await recordHistory(world.h.client, caseId, 'aftersale-douyin-reship-withdrawn');
  });

  it('refunded by Douyin after the parcel left: nothing is recalled, the timeline tells a person, the case ends refunded', async () => {
    const { shop, order, before, caseId, handle, reshipId, parcel } = await reshipLabelled();
    await handOver(world.api, world.wh, parcel.parcelId);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waiting?.params?.['step'], {
        timeout: PATIENCE_MS,
      })
      .toBe('reship-waybill-in-back-office');

    // Douyin refunds the buyer instead (12 售后成功 with the refund done) while the parcel travels.
    onDouyin(order, 12, (r) => (r.refunded = true));
    await pushDouyin(world, shop.shopId, order, 208, 'exchange');
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    const stages = await world.stages(caseId);
    expect(stages).toEqual(expect.arrayContaining(['reship_shipped', 'reship_too_late', 'refunded']));
    expect(stages).not.toContain('reship_order_cancelled');
    expect(stages).not.toContain('reshipped');
    // The parcel went on: the order is not cancelled, the shirt left once.
    expect((await world.h.client.workflow.getHandle(reshipId).query(stateQuery)).status).not.toBe(
      'cancelled',
    );
    expect(await world.onHand(SHIRT)).toBe(before - 1);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
  });
});
