import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAfterSaleReturnActivities } from '../../activities/after-sale-returns.js';
import { createAfterSaleActivities } from '../../activities/after-sales.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { upsertOrderSnapshot } from '../../db/queries/orders.js';
import { moveReservation, receiveStock, reserveStock, verifyLedger } from '../../db/queries/stock.js';
import { linePaidFen } from '../../domain/after-sales.js';
import type { PaymentChannels } from '../../integrations/payments/channels.js';
import type { RefundChannel, RefundOutcome, RefundRequest } from '../../integrations/payments/types.js';
import { storeReturnReceipt } from '../../services/after-sale-returns.js';
import { createShop, orderPush, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { seedSku, seedWarehouse } from '../stock/seed.js';

// Random sequences of after-sales cases on shipped orders — returns received with random counts
// and conditions, refunds asked for more than a line paid, cases repeated on the same lines —
// through the same activities and receipt code the workflow and the WMS route use. After every
// step: the stock equals the sum of its ledger, no line ever came back more times than it sold,
// and the money refunded on each line never exceeds what the line paid.

/**
 * A payment channel's book (the thing under test is ours, not the channel): one refund per
 * number, refused when the trade has less left than asked.
 */
class Book implements RefundChannel {
  readonly name = 'alipay' as const;
  readonly refunds = new Map<string, RefundRequest>();
  readonly totals = new Map<string, number>();
  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const known = this.refunds.get(request.refundNo);
    if (known) return this.outcome(known, 'succeeded');
    const used = [...this.refunds.values()]
      .filter((r) => r.outTradeNo === request.outTradeNo)
      .reduce((sum, r) => sum + r.amountFen, 0);
    if (used + request.amountFen > (this.totals.get(request.outTradeNo) ?? 0))
      return { ...this.outcome(request, 'failed'), code: 'REFUND_AMT_NOT_EQUAL_TOTAL' };
    this.refunds.set(request.refundNo, request);
    return this.outcome(request, 'succeeded');
  }
  async query(ref: { outTradeNo: string; refundNo: string }): Promise<RefundOutcome> {
    const known = this.refunds.get(ref.refundNo);
    return known
      ? this.outcome(known, 'succeeded')
      : { channel: 'alipay', refundNo: ref.refundNo, state: 'not_found', refundedFen: 0 };
  }
  private outcome(request: RefundRequest, state: RefundOutcome['state']): RefundOutcome {
    return { channel: 'alipay', refundNo: request.refundNo, state, refundedFen: request.amountFen };
  }
}

let h: Harness;
let shopId: string;
let warehouse: string;
const skus: string[] = [];
const book = new Book();
let cases: ReturnType<typeof createAfterSaleActivities>;
let returns: ReturnType<typeof createAfterSaleReturnActivities>;

beforeAll(async () => {
  h = await createHarness();
  shopId = await createShop(h.db, 'own');
  warehouse = await seedWarehouse(h.db);
  for (let i = 0; i < 2; i++) skus.push(await seedSku(h.db));
  await receiveStock(h.db, {
    key: uniqueId('r'),
    warehouse,
    kind: 'purchase',
    lines: skus.map((sku) => ({ sku, qty: 10_000 })),
    actor: 'p',
  });
  cases = createAfterSaleActivities({
    db: h.db,
    client: h.client,
    config: h.config,
    payments: { alipay: book } as unknown as PaymentChannels,
  });
  returns = createAfterSaleReturnActivities({ db: h.db });
});
afterAll(() => h?.teardown());

/** A paid own-store order of two lines, reserved and shipped from the warehouse. */
async function shippedOrder(quantities: [number, number]) {
  const push = orderPush({
    lines: quantities.map((quantity, i) => ({
      lineId: String(i + 1),
      platformSkuId: '',
      skuCode: skus[i]!,
      title: `商品${i + 1}`,
      quantity,
      unitPriceFen: 5_000 + i * 1_000,
      discountFen: 300,
    })),
  });
  const paid = push.lines.reduce((sum, l) => sum + linePaidFen({ ...l, taxFen: 0 }), 0);
  push.amounts = { goodsFen: paid + 600, discountFen: 600, shippingFen: 0, paidFen: paid };
  const orderId = `order:own:${shopId}:${push.platformOrderId}`;
  await upsertOrderSnapshot(
    h.db,
    dataKeyring(h.config),
    orderId,
    { ...push, platform: 'own', shopId },
    'shipped',
  );
  const allocationId = `${orderId}:a`;
  const lines = push.lines.map((l) => ({ sku: l.skuCode, qty: l.quantity }));
  await reserveStock(h.db, {
    key: `${orderId}:reserve`,
    orderId,
    allocationId,
    parts: [{ warehouse, lines }],
    actor: 'p',
  });
  for (const line of lines) {
    await h.db.transaction().execute((trx) =>
      moveReservation(trx, 'ship', {
        key: `${orderId}:ship:${line.sku}`,
        allocationId,
        warehouse,
        sku: line.sku,
        qty: line.qty,
        actor: 'p',
      }),
    );
  }
  const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
  book.totals.set(outTradeNo, paid);
  return { orderId, outTradeNo, push };
}

const condition = fc.constantFrom('resaleable' as const, 'damaged' as const, 'wrong_item' as const);
const caseOp = fc.record({
  order: fc.nat(2),
  line: fc.constantFrom('1', '2'),
  quantity: fc.integer({ min: 1, max: 3 }),
  askFen: fc.integer({ min: 1, max: 40_000 }),
  returned: fc.boolean(),
  counted: fc.array(fc.record({ qty: fc.integer({ min: 1, max: 3 }), condition }), {
    minLength: 1,
    maxLength: 3,
  }),
});

let run = 0;

describe('returns and refunds', () => {
  it('keep the stock equal to its ledger, never take a line back twice, never refund a line more than it paid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
        fc.array(caseOp, { minLength: 1, maxLength: 6 }),
        async (quantities, ops) => {
          run += 1;
          const orders = [];
          for (let i = 0; i < 3; i++) orders.push(await shippedOrder(quantities));
          for (const [i, op] of ops.entries()) {
            const order = orders[op.order]!;
            const caseId = `aftersale:own:${shopId}:P${run}-${i}`;
            const lines = [{ lineId: op.line, quantity: op.quantity, requestedFen: op.askFen }];
            await cases.openAfterSaleCase({
              caseId,
              platform: 'own',
              shopId,
              platformCaseId: `P${run}-${i}`,
              orderId: order.orderId,
              kind: op.returned ? 'return_refund' : 'refund_only',
              reason: 'p',
              lines,
              requestedFen: op.askFen,
              payment: { channel: 'alipay', outTradeNo: order.outTradeNo },
              openedAt: new Date().toISOString(),
              financeAboveFen: 1_000_000,
            });
            let refundable = true;
            if (op.returned) {
              await returns.openReturn({ caseId, orderId: order.orderId, waybill: null });
              const stored = await storeReturnReceipt(h.db, {
                receipt: {
                  warehouse,
                  scan: caseId,
                  lines: op.counted.map((c) => ({
                    lineId: op.line,
                    qty: c.qty,
                    condition: c.condition,
                    ...(c.condition === 'resaleable' ? {} : { reason: '检验' }),
                  })),
                },
                key: `${caseId}:scan`,
                actor: 'p',
              });
              expect(stored.outcome).toBe('received');
              refundable = (await returns.shelveReturn({ caseId, orderId: order.orderId, lines })).refundable;
            }
            if (refundable) {
              await cases.refundThroughChannel({
                caseId,
                step: 'refund-1',
                orderId: order.orderId,
                channel: 'alipay',
                outTradeNo: order.outTradeNo,
                lines,
                agreedFen: op.askFen,
                reason: 'p',
              });
            }
            expect((await verifyLedger(h.db)).mismatches).toEqual([]);
          }
          for (const order of orders) {
            for (const line of order.push.lines) {
              const back = await h.db
                .selectFrom('after_sale_return_lines as l')
                .innerJoin('after_sale_returns as r', 'r.case_id', 'l.case_id')
                .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('l.restocked_qty'), eb.lit(0)).as('n'))
                .where('r.order_id', '=', order.orderId)
                .where('l.line_id', '=', line.lineId)
                .executeTakeFirstOrThrow();
              expect(Number(back.n)).toBeLessThanOrEqual(line.quantity);
              const refunded = (
                await h.db
                  .selectFrom('payment_refunds')
                  .select('lines')
                  .where('order_id', '=', order.orderId)
                  .where('state', '=', 'succeeded')
                  .execute()
              )
                .flatMap((row) => row.lines)
                .filter((l) => l.lineId === line.lineId)
                .reduce((sum, l) => sum + l.amountFen, 0);
              expect(refunded).toBeLessThanOrEqual(linePaidFen({ ...line, taxFen: 0 }));
            }
            // The channel agrees: never more than the trade took.
            const atChannel = [...book.refunds.values()]
              .filter((r) => r.outTradeNo === order.outTradeNo)
              .reduce((sum, r) => sum + r.amountFen, 0);
            expect(atChannel).toBeLessThanOrEqual(book.totals.get(order.outTradeNo)!);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
