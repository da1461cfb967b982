import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimAmazonReturn } from '../../sandbox/platforms/amazon/index.js';
import type { Sandbox } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { startPolledShops, waitForCaptured } from '../capture/support.js';
import { createSku, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import type { Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { paidSimOrder } from '../support/sim-orders.js';
import { PATIENCE_MS } from '../support/waits.js';

/**
 * Amazon refunds by the payment adjustment feed (docs/platforms/amazon-returns.md, "Refunds by
 * feed"), on the real Temporal dev server against the SP-API simulator: an Amazon shop whose
 * `platformRefund` setting is `api` refunds a return itself once the warehouse received and
 * inspected the goods — a `POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA` feed of the case's line, sent
 * once although Amazon's answer to createFeed is lost and the activity retried, its processing
 * report read: taken, the case and its line end refunded; a record Amazon refuses goes to a person
 * with Amazon's message.
 */
const shopId = uniqueId('amzrf');
const DAY = 86_400_000;

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let wh: { authorization: string };

beforeAll(async () => {
  ({ h, api, sandbox } = await startPolledShops(
    { amazon: shopId },
    { AMAZON_RETURNS_REPORT_SECONDS: '2', AMAZON_RETURNS_OVERLAP_SECONDS: '60' },
  ));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  const set = await api.inject({
    method: 'PATCH',
    url: `/shops/${shopId}`,
    headers: ops,
    payload: { settings: { platformRefund: 'api' } },
  });
  expect(set.statusCode, set.body).toBe(200);
});
afterAll(async () => {
  await h?.teardown();
  await sandbox?.stop();
});

const digits = () => String(Math.floor(Math.random() * 1e7)).padStart(7, '0');

/** A paid MFN order of one tee (¥19.99) and one mug (¥8.00), read by the sync's next poll. */
function placeOrder(tee: string, mug: string) {
  const seller = sandbox.shop('amazon').platformShopId;
  const id = `114-${digits()}-${digits()}`;
  const base = `${Date.now()}`.slice(-8);
  const sim = paidSimOrder(
    { id, shopKey: seller, buyerNick: 'b**r', receiver: { name: 'Jane Doe', phone: '5550100' } },
    [
      { code: tee, priceFen: 1999 },
      { code: mug, priceFen: 800 },
    ],
    { line: (i) => `${base}0${i + 1}`, sku: (i) => `B0RFD${base}${i}` },
  );
  sim.paidMinor = 2799;
  const at = new Date(Date.now() - 140_000);
  Object.assign(sim, { createdAt: at, paidAt: at, modifiedAt: at });
  sandbox.platforms.amazon.store.upsert(sim);
  return { id, seller, lines: sim.items.map((item) => item.lineId) };
}

function aReturn(orderId: string, sku: string): SimAmazonReturn {
  return {
    orderId,
    orderDate: new Date(Date.now() - 2 * DAY),
    returnRequestDate: new Date(Date.now() - 30_000),
    status: 'Approved',
    amazonRmaId: uniqueId('RMA'),
    asin: 'B0RFDTEE',
    merchantSku: sku,
    itemName: 'Tee',
    quantity: 1,
    reason: 'APPAREL_TOO_SMALL',
    currencyCode: 'CNY',
    orderAmount: '27.99',
    orderQuantity: 2,
    trackingId: `1Z${digits()}${digits()}`,
    returnCarrier: 'UPS',
  };
}

/** The order placed, its tee returned: the case opened and waiting for the parcel, then scanned in. */
async function returnedTee() {
  const [tee, mug] = [await createSku(h.db), await createSku(h.db)];
  const warehouse = await setupWarehouse(h.db, { stock: { [tee]: 5, [mug]: 5 } });
  const order = placeOrder(tee, mug);
  await waitForCaptured(h.db, shopId, [order.id]);
  const row = aReturn(order.id, tee);
  sandbox.amazonReturns.add(order.seller, row);
  const caseId = afterSaleWorkflowId('amazon', shopId, `${order.id}-${row.amazonRmaId}`);
  await expect.poll(async () => (await status(caseId))?.status, { timeout: PATIENCE_MS }).toBe('returning');
  const scan = async () => {
    const scanned = await api.inject({
      method: 'POST',
      url: '/wms/returns/receipts',
      headers: { ...wh, 'idempotency-key': `scan-${row.amazonRmaId}` },
      payload: {
        warehouse,
        scan: row.trackingId,
        lines: [{ lineId: order.lines[0], qty: 1, condition: 'resaleable' }],
      },
    });
    expect(scanned.statusCode, scanned.body).toBe(202);
  };
  return { order, row, caseId, scan };
}

const status = async (caseId: string) =>
  (await h.db
    .selectFrom('after_sale_cases')
    .select(['status', 'refunded_fen', 'waiting_for'])
    .where('id', '=', caseId)
    .executeTakeFirst()) ?? null;
const events = async (caseId: string) =>
  h.db
    .selectFrom('after_sale_events')
    .select(['stage', 'detail'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();

describe('Amazon refunds by the payment adjustment feed', () => {
  it('refunds a received return once although createFeed’s answer is lost: the case and its line end refunded', async () => {
    const { order, caseId, scan } = await returnedTee();
    // Amazon makes the feed, but its answer never reaches us: the activity is retried.
    sandbox.platforms.amazon.faults.loseAnswer('createFeed');
    await scan();
    await expect
      .poll(async () => await status(caseId), { timeout: PATIENCE_MS })
      .toMatchObject({ status: 'refunded', refunded_fen: 1999 });
    // One refund on Amazon, of the tee's line, by the feed the case keeps.
    const made = sandbox.amazonAdjustments.list(order.seller, order.id);
    expect(made).toMatchObject([
      {
        orderItemId: order.lines[0],
        reason: 'CustomerReturn',
        currency: 'CNY',
        itemPriceMinor: 1999,
        itemTaxMinor: 0,
      },
    ]);
    const kept = await h.db
      .selectFrom('amazon_refund_feeds')
      .select(['feed_id'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(kept.feed_id).toBe(made[0]!.feedId);
    expect((await events(caseId)).map((e) => e.stage)).toEqual([
      'opened',
      'return_awaited',
      'return_inspected',
      'refund_feed_sent',
      'refunded',
    ]);
    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('order_lines')
              .select('refund_status')
              .where('order_id', '=', orderWorkflowId('amazon', shopId, order.id))
              .where('line_id', '=', order.lines[0]!)
              .executeTakeFirst()
          )?.refund_status,
        { timeout: PATIENCE_MS },
      )
      .toBe('refunded');
    expect((await verifyLedger(h.db)).mismatches).toEqual([]);
    // Amazon's returns report shows the refund the feed made.
    const reported = sandbox.amazonReturns
      .between(order.seller, new Date(Date.now() - DAY), new Date())
      .filter((r) => r.orderId === order.id);
    expect(reported.map((r) => r.refundedAmount)).toEqual(['19.99']);
    await recordHistory(h.client, caseId, 'aftersale-amazon-refund-feed');
  });

  it('a record Amazon refuses goes to a person with Amazon’s message, and nothing is refunded by the case', async () => {
    const { order, caseId, scan } = await returnedTee();
    // Someone refunded ¥15 of the tee in Seller Central already: the whole ¥19.99 exceeds what is left.
    sandbox.amazonAdjustments.add(order.seller, {
      feedId: 'seller-central',
      orderId: order.id,
      orderItemId: order.lines[0]!,
      sku: 'tee',
      reason: 'GeneralAdjustment',
      currency: 'CNY',
      itemPriceMinor: 1500,
      itemTaxMinor: 0,
      at: new Date(),
    });
    await scan();
    await expect
      .poll(async () => (await status(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('needs_person');
    const handed = (await events(caseId)).find((e) => e.stage === 'needs_person')!;
    expect(handed.detail).toMatchObject({
      why: expect.stringContaining(`exceeds what item ${order.lines[0]} has left to refund`),
      refused: [{ orderItemId: order.lines[0] }],
    });
    expect((await events(caseId)).map((e) => e.stage)).toEqual([
      'opened',
      'return_awaited',
      'return_inspected',
      'refund_feed_sent',
      'needs_person',
    ]);
    expect(sandbox.amazonAdjustments.list(order.seller, order.id)).toHaveLength(1);
    expect((await status(caseId))?.refunded_fen).toBe(0);
    await recordHistory(h.client, caseId, 'aftersale-amazon-refund-feed-refused');
  });
});
