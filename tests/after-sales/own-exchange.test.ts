import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForState } from '../support/waits.js';
import { MINUTES, SKU_B, SKU_L, startOwnStoreWorld, type OwnStoreWorld } from './world.js';
import { TEST_SKU } from '../support/fixtures.js';

// Exchange on an own-store order after it shipped, on the real dev server: the buyer sends the tea
// back, the warehouse receives it resaleable (back on the shelf through the ledger), and the
// replacement goes out as an order of its own — allocated, waved, picked, packed, labelled and
// handed over like any parcel — and the case ends exchanged with the replacement's tracking number.
// No money moves.

let w: OwnStoreWorld;

beforeAll(async () => {
  w = await startOwnStoreWorld('own-ex');
});
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
      // A damaged package is a quality complaint: the default quality rule held it for a person.
      expect(stages).toEqual([
        'opened',
        'exchange_requested',
        'held_by_rule',
        'exchange_agreed',
        'return_inspected',
        'exchange_order_started',
        'exchange_shipped',
      ]);
      await recordHistory(w.h.client, caseId, 'aftersale-own-exchange');
    },
    4 * MINUTES,
  );

  it(
    'exchanges a T-shirt for the next size: the M comes back to the shelf, the L ships as the replacement',
    async () => {
      const order = await w.shippedOrder();
      const [m, l] = [await w.stock(TEST_SKU.code), await w.stock(SKU_L.code)];
      const base = {
        platformOrderId: order.platformOrderId,
        reason: '尺码偏小，换大一码',
        createdAt: new Date().toISOString(),
        payment: { channel: 'alipay' as const, outTradeNo: order.outTradeNo },
      };
      // A replacement SKU the catalogue lacks, or one named on a refund, is refused naming the field.
      const unknown = await w.pushCase({
        ...base,
        caseId: uniqueId('EX').replace(/[^A-Za-z0-9_.-]/g, ''),
        kind: 'exchange',
        lines: [{ lineId: '1', quantity: 1, refundFen: 0, exchangeSku: 'SKU-001-RED-XXXL' }],
      });
      expect(unknown.statusCode, unknown.body).toBe(422);
      expect(unknown.body).toContain('body.lines.0.exchangeSku');
      const onRefund = await w.pushCase({
        ...base,
        caseId: uniqueId('RF').replace(/[^A-Za-z0-9_.-]/g, ''),
        kind: 'refund_only',
        lines: [{ lineId: '1', quantity: 1, refundFen: 8_900, exchangeSku: SKU_L.code }],
      });
      expect(onRefund.statusCode, onRefund.body).toBe(400);
      expect(onRefund.body).toContain('body.lines.0.exchangeSku');

      const res = await w.pushCase({
        ...base,
        caseId: uniqueId('EX').replace(/[^A-Za-z0-9_.-]/g, ''),
        kind: 'exchange',
        lines: [{ lineId: '1', quantity: 1, refundFen: 0, exchangeSku: SKU_L.code }],
      });
      expect(res.statusCode, res.body).toBe(202);
      const { caseId } = res.json() as { caseId: string };
      const url = `/after-sales/${encodeURIComponent(caseId)}`;
      const handle = w.h.client.workflow.getHandle(caseId);
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe('a decision');
      const shown = await w.api.inject({ method: 'GET', url, headers: w.cs });
      expect(shown.json()).toMatchObject({ lines: [{ lineId: '1', quantity: 1, exchangeSku: SKU_L.code }] });
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
          lines: [{ lineId: '1', qty: 1, condition: 'resaleable' }],
        },
      });
      expect(taken.statusCode, taken.body).toBe(202);

      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId, {
          timeout: PATIENCE_MS,
        })
        .toBeTruthy();
      const exchangeOrderId = (await handle.query(afterSaleStateQuery)).exchange!.orderId;
      // The replacement order's one line is the L, at no charge, under its catalogue name.
      const replacementLines = () =>
        w.h.db
          .selectFrom('order_lines')
          .select(['line_id', 'sku_code', 'title', 'quantity', 'unit_price_fen'])
          .where('order_id', '=', exchangeOrderId)
          .execute();
      await expect
        .poll(replacementLines, { timeout: PATIENCE_MS })
        .toEqual([{ line_id: '1', sku_code: SKU_L.code, title: SKU_L.name, quantity: 1, unit_price_fen: 0 }]);
      await w.ship(exchangeOrderId);
      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('exchanged');

      // The M came back to the shelf; the L left it. The ledger equals the stock.
      expect((await w.stock(TEST_SKU.code)).on_hand).toBe(m.on_hand + 1);
      expect((await w.stock(SKU_L.code)).on_hand).toBe(l.on_hand - 1);
      expect((await verifyLedger(w.h.db)).mismatches).toEqual([]);
      expect(w.sandbox.payments.alipay.book.moves.filter((x) => x.outTradeNo === order.outTradeNo)).toEqual(
        [],
      );
      const started = await w.h.db
        .selectFrom('after_sale_events')
        .select('detail')
        .where('case_id', '=', caseId)
        .where('stage', '=', 'exchange_order_started')
        .executeTakeFirstOrThrow();
      expect(started.detail).toMatchObject({
        swaps: [{ lineId: '1', from: TEST_SKU.code, to: SKU_L.code }],
      });
    },
    4 * MINUTES,
  );
});
