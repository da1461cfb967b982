import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForState } from '../support/waits.js';
import { MINUTES, SKU_B, startOwnStoreWorld, type OwnStoreWorld } from './world.js';

// Exchange on an own-store order after it shipped, on the real dev server: the buyer sends the tea
// back, the warehouse receives it resaleable (back on the shelf through the ledger), and the
// replacement goes out as an order of its own — allocated, waved, picked, packed, labelled and
// handed over like any parcel — and the case ends exchanged with the replacement's tracking number.
// No money moves.

let w: OwnStoreWorld;

beforeAll(async () => {
  w = await startOwnStoreWorld('own-ex');
}, MINUTES);
afterAll(() => w?.close());

const caseRow = (caseId: string) =>
  w.h.db.selectFrom('after_sale_cases').selectAll().where('id', '=', caseId).executeTakeFirst();

describe('exchange after shipment', () => {
  it(
    'takes the item back, ships the replacement through the warehouse like any parcel, and tells its tracking number',
    async () => {
      const order = await w.shippedOrder();
      const tea = await w.stock(SKU_B.code);
      const res = await w.pushCase({
        caseId: uniqueId('EX').replace(/[^A-Za-z0-9_.-]/g, ''),
        platformOrderId: order.platformOrderId,
        kind: 'exchange',
        reason: '包装破损换新',
        createdAt: new Date().toISOString(),
        lines: [{ lineId: '2', quantity: 1, refundFen: 0 }],
        payment: { channel: 'alipay', outTradeNo: order.outTradeNo },
      });
      expect(res.statusCode, res.body).toBe(202);
      const { caseId } = res.json() as { caseId: string };
      const handle = w.h.client.workflow.getHandle(caseId);
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe('a decision');
      await w.agree(caseId);
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe('the return parcel at the warehouse');

      const taken = await w.api.inject({
        method: 'POST',
        url: '/wms/returns/receipts',
        headers: { ...w.wh, 'idempotency-key': uniqueId('scan') },
        payload: {
          warehouse: w.warehouse,
          scan: caseId,
          lines: [{ lineId: '2', qty: 1, condition: 'resaleable' }],
        },
      });
      expect(taken.statusCode, taken.body).toBe(202);

      // The replacement is an order of its own, worked by the warehouse like any other.
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId, {
          timeout: PATIENCE_MS,
        })
        .toBeTruthy();
      const exchangeOrderId = (await handle.query(afterSaleStateQuery)).exchange!.orderId;
      expect(exchangeOrderId).toBe(`${order.orderId}-EX-${caseId.split(':').at(-1)}`);
      await w.ship(exchangeOrderId);
      const shipped = await waitForState(w.h.client, exchangeOrderId, (s) => s.parcels.length > 0, MINUTES);
      const parcel = shipped.parcels[0]!;
      expect(parcel.lineIds ?? ['2']).toEqual(['2']);

      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('exchanged');
      const view = await handle.query(afterSaleStateQuery);
      expect(view.exchange).toEqual({
        orderId: exchangeOrderId,
        carrier: parcel.carrier,
        trackingNo: parcel.trackingNumber,
      });
      // One tea came back to the shelf and one went out again; the ledger still equals the stock.
      const after = await w.stock(SKU_B.code);
      expect(after.on_hand).toBe(tea.on_hand);
      expect((await verifyLedger(w.h.db)).mismatches).toEqual([]);
      // An exchange moves no money.
      expect(w.sandbox.payments.alipay.book.moves.filter((m) => m.outTradeNo === order.outTradeNo)).toEqual(
        [],
      );
      const stages = (
        await w.h.db
          .selectFrom('after_sale_events')
          .select('stage')
          .where('case_id', '=', caseId)
          .orderBy('id')
          .execute()
      ).map((e) => e.stage);
      expect(stages).toEqual([
        'opened',
        'exchange_requested',
        'exchange_agreed',
        'return_inspected',
        'exchange_order_started',
        'exchange_shipped',
      ]);
      await recordHistory(w.h.client, caseId, 'aftersale-own-exchange');
    },
    4 * MINUTES,
  );
});
