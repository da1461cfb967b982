import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS } from '../support/waits.js';
import { MINUTES, SKU_B, startOwnStoreWorld, type OwnStoreWorld } from './world.js';

// The own store's return path with the automatic refund audit on (docs/after-sales.md, "After
// inspection"), on the real dev server: customer service agrees the return, the warehouse receives
// the tea back resaleable, and the rule that agrees returns inspected resaleable agrees the refund
// by itself — `agreed` by the rule after `return_inspected` — before the money goes back through
// Alipay once. Its history is recorded for the replay test.

let w: OwnStoreWorld;

beforeAll(async () => {
  w = await startOwnStoreWorld('own-rr');
  const admin = bearer(await apiKeyFor(w.h.db, ['admin']));
  const on = await w.api.inject({
    method: 'POST',
    url: '/after-sale-rules/as-agree-return-resaleable/enable',
    headers: admin,
  });
  expect(on.statusCode, on.body).toBe(200);
});
afterAll(() => w?.close());

const timeline = (caseId: string) =>
  w.h.db
    .selectFrom('after_sale_events')
    .select(['stage', 'actor', 'detail'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();

describe('an own-store return with the refund audit on', () => {
  it(
    'agrees the refund by the resaleable rule once the goods came back, then refunds through Alipay once',
    async () => {
      const order = await w.shippedOrder();
      const tea = await w.stock(SKU_B.code);
      const res = await w.pushCase({
        caseId: uniqueId('RR').replace(/[^A-Za-z0-9_.-]/g, ''),
        platformOrderId: order.platformOrderId,
        kind: 'return_refund',
        reason: '不想要了',
        createdAt: new Date().toISOString(),
        lines: [{ lineId: '2', quantity: 1, refundFen: 16_800 }],
        payment: { channel: 'alipay', outTradeNo: order.outTradeNo },
      });
      expect(res.statusCode, res.body).toBe(202);
      const { caseId } = res.json() as { caseId: string };
      const waitingFor = async () =>
        (await w.h.client.workflow.getHandle(caseId).query(afterSaleStateQuery)).waitingFor;
      // Asked for, nothing is inspected yet: the resaleable rule does not agree the return itself.
      await expect.poll(waitingFor, { timeout: PATIENCE_MS }).toBe('a decision');
      await w.agree(caseId);
      await expect.poll(waitingFor, { timeout: PATIENCE_MS }).toBe('the return parcel at the warehouse');

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
      await expect
        .poll(
          async () =>
            (
              await w.h.db
                .selectFrom('after_sale_cases')
                .select('status')
                .where('id', '=', caseId)
                .executeTakeFirst()
            )?.status,
          { timeout: PATIENCE_MS },
        )
        .toBe('refunded');

      await expect
        .poll(async () => (await timeline(caseId)).map((e) => e.stage), { timeout: PATIENCE_MS })
        .toEqual(['opened', 'return_requested', 'return_agreed', 'return_inspected', 'agreed', 'refunded']);
      const events = await timeline(caseId);
      expect(events.find((e) => e.stage === 'agreed')).toMatchObject({
        actor: 'rule:as-agree-return-resaleable',
        detail: expect.objectContaining({ inspection: 'resaleable' }),
      });
      expect(w.sandbox.payments.alipay.book.moves.filter((m) => m.outTradeNo === order.outTradeNo)).toEqual([
        expect.objectContaining({ amountFen: 16_800 }),
      ]);
      expect((await w.stock(SKU_B.code)).on_hand).toBe(tea.on_hand + 1);
      expect((await verifyLedger(w.h.db)).mismatches).toEqual([]);
      await recordHistory(w.h.client, caseId, 'aftersale-own-return-rule-agreed');
    },
    4 * MINUTES,
  );
});
