import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { caseWaitsForDecision } from '../support/market-cases.js';
import { PATIENCE_MS, waitForState } from '../support/waits.js';
import { caseStages, MINUTES, SKU_B, startOwnStoreWorld, type OwnStoreWorld } from './world.js';

// Reship (补寄 / 补发) on an own-store order after it shipped, on the real dev server: the buyer says
// the tea was missing from the parcel, customer service agrees, and the tea goes out again as an
// order of its own (`-RS-`, nothing to pay) — allocated, waved, picked, packed, labelled and handed
// over like any parcel, from stock once through the ledger; nothing comes back, no money moves, and
// the case ends reshipped with the parcel's tracking number. A refused reship moves nothing.

let w: OwnStoreWorld;

beforeAll(async () => {
  w = await startOwnStoreWorld('own-rs');
});
afterAll(() => w?.close());

const caseRow = (caseId: string) =>
  w.h.db.selectFrom('after_sale_cases').selectAll().where('id', '=', caseId).executeTakeFirst();

async function buyerAsksReship(order: Awaited<ReturnType<OwnStoreWorld['shippedOrder']>>) {
  const res = await w.pushCase({
    caseId: uniqueId('RS').replace(/[^A-Za-z0-9_.-]/g, ''),
    platformOrderId: order.platformOrderId,
    kind: 'reship',
    reason: '少件：茶叶没有收到',
    createdAt: new Date().toISOString(),
    lines: [{ lineId: '2', quantity: 1, refundFen: 0 }],
    payment: { channel: 'alipay', outTradeNo: order.outTradeNo },
  });
  expect(res.statusCode, res.body).toBe(202);
  const { caseId } = res.json() as { caseId: string };
  return { caseId, handle: await caseWaitsForDecision(w.h.client, caseId) };
}

describe('reship after shipment (own store)', () => {
  it('agreed, ships the line again through the warehouse like any parcel and ends reshipped', async () => {
    const order = await w.shippedOrder();
    const tea = await w.stock(SKU_B.code);
    const { caseId, handle } = await buyerAsksReship(order);
    await w.agree(caseId);

    // The reship is an order of its own, named apart from an exchange's replacement.
    const reshipOrderId = `${order.orderId}-RS-${caseId.split(':').at(-1)}`;
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId, {
        timeout: PATIENCE_MS,
      })
      .toBe(reshipOrderId);
    // No parcel comes back: the case waits for its own parcel, not a return.
    expect((await handle.query(afterSaleStateQuery)).returnParcel).toBeUndefined();
    await w.ship(reshipOrderId);
    const shipped = await waitForState(w.h.client, reshipOrderId, (s) => s.parcels.length > 0, MINUTES);
    const parcel = shipped.parcels[0]!;

    await expect
      .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('reshipped');
    expect((await handle.query(afterSaleStateQuery)).exchange).toEqual({
      orderId: reshipOrderId,
      carrier: parcel.carrier,
      trackingNo: parcel.trackingNumber,
    });
    // One tea went out again and none came back; the ledger still equals the stock.
    expect((await w.stock(SKU_B.code)).on_hand).toBe(tea.on_hand - 1);
    expect((await w.stock(SKU_B.code)).reserved).toBe(tea.reserved);
    expect((await verifyLedger(w.h.db)).mismatches).toEqual([]);
    // A reship moves no money.
    expect(w.sandbox.payments.alipay.book.moves.filter((m) => m.outTradeNo === order.outTradeNo)).toEqual([]);
    const stages = await caseStages(w.h.db, caseId);
    expect(stages).toEqual(
      expect.arrayContaining([
        'opened',
        'reship_requested',
        'reship_agreed',
        'reship_order_started',
        'reshipped',
      ]),
    );
    expect(stages.filter((stage) => stage.startsWith('return_'))).toEqual([]);
    await recordHistory(w.h.client, caseId, 'aftersale-own-reship');
  });

  it('refused, moves nothing', async () => {
    const order = await w.shippedOrder();
    const tea = await w.stock(SKU_B.code);
    const { caseId, handle } = await buyerAsksReship(order);
    const res = await w.api.inject({
      method: 'POST',
      url: `/after-sales/${encodeURIComponent(caseId)}/decisions`,
      headers: { ...w.cs, 'idempotency-key': uniqueId('decide') },
      payload: { decision: 'refuse', reason: '已核实包裹内有茶叶' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await expect.poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS }).toBe('refused');
    expect((await handle.query(afterSaleStateQuery)).exchange).toBeUndefined();
    expect(await w.stock(SKU_B.code)).toEqual(tea);
    expect((await verifyLedger(w.h.db)).mismatches).toEqual([]);
    expect(await caseStages(w.h.db, caseId)).not.toContain('reship_order_started');
  });
});
