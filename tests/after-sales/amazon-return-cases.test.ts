import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimAmazonReturn } from '../../sandbox/platforms/amazon/index.js';
import type { Sandbox } from '../../sandbox/stack.js';
import { shopSyncWorkflowId } from '../../services/capture/sync-control.js';
import { shopSyncStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { startPolledShops, waitForCaptured } from '../capture/support.js';
import { createSku, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import type { Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { paidSimOrder } from '../support/sim-orders.js';
import { PATIENCE_MS } from '../support/waits.js';

/**
 * Amazon returns from the returns report become after-sales cases (docs/platforms/amazon-returns.md),
 * on the real Temporal dev server against the SP-API simulator: the Amazon shop's sync asks for
 * the report every 2 s here (AMAZON_RETURNS_REPORT_SECONDS) over return dates up to now
 * (AMAZON_RETURNS_LAG_SECONDS 0, not the 150 s Amazon's order list needs), reads it once a round
 * until Amazon has it ready, and opens a case for every return (order and RMA) not yet a case, on
 * the order's line of the returned SKU — of two lines of one SKU, a second return takes the line
 * the first did not.
 * Reading the same returns again (the next report overlaps) opens nothing. A return's later rows
 * carry its case on (docs/platforms/amazon-returns.md, "Following a return"): the parcel delivered
 * to the seller, received and inspected at the warehouse, the refund issued in Seller Central, the
 * request closed — each told to the case once, from reports that reach back to the request date
 * of every open case although the sync's own overlap here is a minute.
 */
const shopId = uniqueId('amz');
const DAY = 86_400_000;

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let auth: { authorization: string };
let wh: { authorization: string };

beforeAll(async () => {
  ({ h, api, sandbox } = await startPolledShops(
    { amazon: shopId },
    // A minute's overlap: a return's later rows reach its case only because the report reaches back
    // to the request date of the shop's open cases.
    {
      AMAZON_RETURNS_REPORT_SECONDS: '2',
      AMAZON_RETURNS_OVERLAP_SECONDS: '60',
      AMAZON_RETURNS_LAG_SECONDS: '0',
    },
  ));
  auth = bearer(await apiKeyFor(h.db, ['customer-service']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
});
afterAll(async () => {
  await h?.teardown();
  await sandbox?.stop();
});

const digits = () => String(Math.floor(Math.random() * 1e7)).padStart(7, '0');

/** A paid MFN order of two lines of one SKU (sold at two prices) and one line of two mugs. */
function placeOrder(tee = 'RET-TEE', mug = 'RET-MUG', at = new Date(Date.now() - 10 * 60_000)) {
  const seller = sandbox.shop('amazon').platformShopId;
  const id = `113-${digits()}-${digits()}`;
  const base = `${Date.now()}`.slice(-8);
  const sim = paidSimOrder(
    { id, shopKey: seller, buyerNick: 'b**r', receiver: { name: 'Jane Doe', phone: '5550100' } },
    [
      { code: tee, priceFen: 1999 },
      { code: tee, priceFen: 1499 },
      { code: mug, priceFen: 800 },
    ],
    { line: (i) => `${base}0${i + 1}`, sku: (i) => (i < 2 ? 'B0RETTEE01' : 'B0RETMUG01') },
  );
  sim.items[2]!.quantity = 2;
  sim.paidMinor = 1999 + 1499 + 1600;
  // Amazon's orders are read up to 150 s before now: ten minutes back is in the first poll; a
  // later order is read once the poll's window passes its time.
  Object.assign(sim, { createdAt: at, paidAt: at, modifiedAt: at });
  sandbox.platforms.amazon.store.upsert(sim);
  return { id, lines: sim.items.map((item) => item.lineId) };
}

function aReturn(orderId: string, over: Partial<SimAmazonReturn>): SimAmazonReturn {
  return {
    orderId,
    orderDate: new Date(Date.now() - 2 * DAY),
    // Requested just now: within the sync's own window (its minute of overlap), whenever its rounds ran.
    returnRequestDate: new Date(Date.now() - 30_000),
    status: 'Approved',
    amazonRmaId: uniqueId('RMA'),
    asin: 'B0RETTEE01',
    merchantSku: 'RET-TEE',
    itemName: 'Tee',
    quantity: 1,
    reason: 'APPAREL_TOO_SMALL',
    currencyCode: 'CNY',
    orderAmount: '50.98',
    orderQuantity: 4,
    ...over,
  };
}

interface CaseSummary {
  id: string;
  platformCaseId: string;
  kind: string;
  status: string;
  reason: string;
  requestedFen: number;
}
async function cases(): Promise<CaseSummary[]> {
  const res = await api.inject({ method: 'GET', url: `/after-sales?shopId=${shopId}`, headers: auth });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { cases: CaseSummary[] }).cases;
}
async function linesOf(caseId: string): Promise<string[]> {
  const res = await api.inject({
    method: 'GET',
    url: `/after-sales/${encodeURIComponent(caseId)}`,
    headers: auth,
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { lines: Array<{ lineId: string }> }).lines.map((l) => l.lineId);
}
const syncState = () => h.client.workflow.getHandle(shopSyncWorkflowId(shopId)).query(shopSyncStateQuery);

describe('Amazon returns report → after-sales cases', () => {
  it('opens a case per return on the line of its SKU, visible in GET /after-sales, and a second read adds nothing', async () => {
    const order = placeOrder();
    await waitForCaptured(h.db, shopId, [order.id]);
    const seller = sandbox.shop('amazon').platformShopId;
    const first = aReturn(order.id, { trackingId: '1Z999AA10123456784', returnCarrier: 'UPS' });
    const second = aReturn(order.id, { returnRequestDate: new Date(Date.now() - 20_000) });
    const mugs = aReturn(order.id, { merchantSku: 'RET-MUG', asin: 'B0RETMUG01', reason: 'DEFECTIVE' });
    // The same RMA names a SKU the order never had: the case says so; its mug is still matched.
    const stray = { ...mugs, merchantSku: 'GONE-SKU', asin: 'B0GONE0001' };
    for (const row of [first, second, mugs, stray]) sandbox.amazonReturns.add(seller, row);

    const caseIdOf = (row: SimAmazonReturn) =>
      afterSaleWorkflowId('amazon', shopId, `${order.id}-${row.amazonRmaId}`);
    await expect
      .poll(async () => (await cases()).map((c) => c.id).sort(), { timeout: PATIENCE_MS, interval: 500 })
      .toEqual([caseIdOf(first), caseIdOf(second), caseIdOf(mugs)].sort());
    const listed = await cases();
    expect(listed.every((c) => c.kind === 'return_refund')).toBe(true);

    // Two lines of RET-TEE: the first return on the first, the second on the other; the mugs' own line.
    expect(await linesOf(caseIdOf(first))).toEqual([order.lines[0]]);
    expect(await linesOf(caseIdOf(second))).toEqual([order.lines[1]]);
    expect(await linesOf(caseIdOf(mugs))).toEqual([order.lines[2]]);
    const mugCase = listed.find((c) => c.id === caseIdOf(mugs))!;
    expect(mugCase.reason).toContain('GONE-SKU');
    // One mug of two returned: half the line's money.
    expect(mugCase.requestedFen).toBe(800);
    // Amazon takes no answer by API: each case waits for the buyer's parcel back.
    await expect
      .poll(async () => (await cases()).map((c) => c.status), { timeout: PATIENCE_MS })
      .toEqual(['returning', 'returning', 'returning']);

    // The next report overlaps the last: the same returns, read again, open nothing.
    const opened = (await syncState()).returns!.lastRead!.reportId;
    await expect
      .poll(
        async () => {
          const read = (await syncState()).returns?.lastRead;
          return read && read.reportId !== opened && read.status === 'DONE'
            ? { rows: read.rows, opened: read.opened, known: read.known, updated: read.updated }
            : null;
        },
        { timeout: PATIENCE_MS, interval: 500 },
      )
      .toEqual({ rows: 4, opened: 0, known: 3, updated: 0 });
    expect((await cases()).map((c) => c.id).sort()).toEqual(
      [caseIdOf(first), caseIdOf(second), caseIdOf(mugs)].sort(),
    );

    // A later return of the order is a case of its own at the next report.
    const later = aReturn(order.id, { merchantSku: 'RET-MUG', asin: 'B0RETMUG01', quantity: 1 });
    sandbox.amazonReturns.add(seller, later);
    await expect
      .poll(async () => (await cases()).map((c) => c.id), { timeout: PATIENCE_MS, interval: 500 })
      .toContain(caseIdOf(later));
    expect(await linesOf(caseIdOf(later))).toEqual([order.lines[2]]);
    expect(await cases()).toHaveLength(4);
    // (Recorded before cases followed the report: shop-sync-amazon-returns and
    // aftersale-amazon-return-by-person stay as they were; this run's are recorded below.)
  });

  it('follows each return through its later rows: delivered, received and restocked, refunded — or refunded early, or closed — told once', async () => {
    const [tee, mug] = [await createSku(h.db), await createSku(h.db)];
    const warehouse = await setupWarehouse(h.db, { stock: { [tee]: 5, [mug]: 5 } });
    // The sync has been polling for minutes: an order updated just within its lag is read next.
    const order = placeOrder(tee, mug, new Date(Date.now() - 140_000));
    await waitForCaptured(h.db, shopId, [order.id]);
    const seller = sandbox.shop('amazon').platformShopId;
    // Requested just now: the sync's own window finds them.
    const before = new Date(Date.now() - 30_000);
    const followed = aReturn(order.id, {
      merchantSku: tee,
      returnRequestDate: before,
      trackingId: `1Z${digits()}`,
      returnCarrier: 'UPS',
    });
    const closing = aReturn(order.id, { merchantSku: tee, returnRequestDate: before });
    const early = aReturn(order.id, { merchantSku: mug, returnRequestDate: before });
    for (const row of [followed, closing, early]) sandbox.amazonReturns.add(seller, row);
    const caseIdOf = (row: SimAmazonReturn) =>
      afterSaleWorkflowId('amazon', shopId, `${order.id}-${row.amazonRmaId}`);
    const status = async (row: SimAmazonReturn) =>
      (await h.db
        .selectFrom('after_sale_cases')
        .select(['status', 'refunded_fen', 'platform_status'])
        .where('id', '=', caseIdOf(row))
        .executeTakeFirst()) ?? null;
    const stages = async (row: SimAmazonReturn) =>
      (
        await h.db
          .selectFrom('after_sale_events')
          .select('stage')
          .where('case_id', '=', caseIdOf(row))
          .orderBy('id')
          .execute()
      ).map((e) => e.stage);
    for (const row of [followed, closing, early]) {
      await expect.poll(async () => (await status(row))?.status, { timeout: PATIENCE_MS }).toBe('returning');
    }
    // Once the cursor is more than the sync's minute of overlap past the requests, what follows
    // comes only from reports reaching back to them.
    const requested = before.getTime();
    await expect
      .poll(async () => Date.parse((await syncState()).returns?.cursor ?? '') - 60_000 > requested, {
        timeout: PATIENCE_MS,
      })
      .toBe(true);

    const ref = (row: SimAmazonReturn) => ({ orderId: row.orderId, amazonRmaId: row.amazonRmaId });
    // The parcel reached the seller; the buyer withdrew another; Amazon refunded the third first.
    sandbox.amazonReturns.update(seller, ref(followed), { returnDeliveryDate: new Date() });
    sandbox.amazonReturns.update(seller, ref(closing), { status: 'Closed' });
    sandbox.amazonReturns.update(seller, ref(early), { refundedAmount: '8.00' });
    await expect.poll(() => stages(followed), { timeout: PATIENCE_MS }).toContain('return_delivered');
    await expect.poll(async () => (await status(closing))?.status, { timeout: PATIENCE_MS }).toBe('closed');
    await expect
      .poll(async () => await status(early), { timeout: PATIENCE_MS })
      .toMatchObject({ status: 'refunded', refunded_fen: 800 });
    expect((await status(followed))?.status).toBe('returning');

    // The warehouse scans the buyer's tracking number: the tee is back on the shelf, and the refund
    // is a person's in Seller Central.
    const onHand = async () =>
      (
        await h.db
          .selectFrom('stock')
          .select('on_hand')
          .where('warehouse_code', '=', warehouse)
          .where('sku_code', '=', tee)
          .executeTakeFirstOrThrow()
      ).on_hand;
    const shelved = await onHand();
    const [line] = await linesOf(caseIdOf(followed));
    const scanned = await api.inject({
      method: 'POST',
      url: '/wms/returns/receipts',
      headers: { ...wh, 'idempotency-key': `scan-${followed.amazonRmaId}` },
      payload: {
        warehouse,
        scan: followed.trackingId,
        lines: [{ lineId: line, qty: 1, condition: 'resaleable' }],
      },
    });
    expect(scanned.statusCode, scanned.body).toBe(202);
    await expect
      .poll(async () => (await status(followed))?.status, { timeout: PATIENCE_MS })
      .toBe('needs_person');
    expect(await onHand()).toBe(shelved + 1);
    expect((await verifyLedger(h.db)).mismatches).toEqual([]);

    // Refunded in Seller Central: the next report says so and the case ends refunded, its line too.
    sandbox.amazonReturns.update(seller, ref(followed), { refundedAmount: '19.99' });
    await expect
      .poll(async () => await status(followed), { timeout: PATIENCE_MS })
      .toMatchObject({ status: 'refunded', refunded_fen: 1999 });
    expect(await stages(followed)).toEqual([
      'opened',
      'return_awaited',
      'return_delivered',
      'return_inspected',
      'needs_person',
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
              .where('line_id', '=', line!)
              .executeTakeFirst()
          )?.refund_status,
        { timeout: PATIENCE_MS },
      )
      .toBe('refunded');

    // Read again and again, the same rows tell no case anything.
    const events = async () =>
      (
        await h.db
          .selectFrom('after_sale_events')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('case_id', 'in', [followed, closing, early].map(caseIdOf))
          .executeTakeFirstOrThrow()
      ).n;
    const written = await events();
    const seen = (await syncState()).returns!.lastRead!.reportId;
    await expect
      .poll(
        async () => {
          const read = (await syncState()).returns?.lastRead;
          return read && read.reportId !== seen && read.status === 'DONE'
            ? { opened: read.opened, updated: read.updated }
            : null;
        },
        { timeout: PATIENCE_MS, interval: 500 },
      )
      .toEqual({ opened: 0, updated: 0 });
    expect(await events()).toBe(written);
    await recordHistory(h.client, caseIdOf(followed), 'aftersale-amazon-return-followed');
    await recordHistory(h.client, caseIdOf(early), 'aftersale-amazon-return-refunded-early');
  });
});
