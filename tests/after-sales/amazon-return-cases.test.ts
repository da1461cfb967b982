import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import type { SimAmazonReturn } from '../../sandbox/platforms/amazon/index.js';
import type { Sandbox } from '../../sandbox/stack.js';
import { shopSyncWorkflowId } from '../../services/capture/sync-control.js';
import { shopSyncStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { startPolledShops, waitForCaptured } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { paidSimOrder } from '../support/sim-orders.js';
import { PATIENCE_MS } from '../support/waits.js';

/**
 * Amazon returns from the returns report become after-sales cases (docs/platforms/amazon-returns.md),
 * on the real Temporal dev server against the SP-API simulator: the Amazon shop's sync asks for
 * the report every 2 s here (AMAZON_RETURNS_REPORT_SECONDS), reads it once a round until Amazon has
 * it ready, and opens a case for every return (order and RMA) not yet a case, on the order's line
 * of the returned SKU — of two lines of one SKU, a second return takes the line the first did not.
 * Reading the same returns again (the next report overlaps) opens nothing.
 */
const MINUTES = 5 * 60_000;
const shopId = uniqueId('amz');
const DAY = 86_400_000;
const HOUR = 3_600_000;

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let auth: { authorization: string };

beforeAll(async () => {
  ({ h, api, sandbox } = await startPolledShops({ amazon: shopId }, { AMAZON_RETURNS_REPORT_SECONDS: '2' }));
  auth = bearer(await apiKeyFor(h.db, ['customer-service']));
}, MINUTES);
afterAll(async () => {
  await h?.teardown();
  await sandbox?.stop();
});

const digits = () => String(Math.floor(Math.random() * 1e7)).padStart(7, '0');

/** A paid MFN order of two lines of one SKU (sold at two prices) and one line of two mugs. */
function placeOrder() {
  const seller = sandbox.shop('amazon').platformShopId;
  const id = `113-${digits()}-${digits()}`;
  const base = `${Date.now()}`.slice(-8);
  const sim = paidSimOrder(
    { id, shopKey: seller, buyerNick: 'b**r', receiver: { name: 'Jane Doe', phone: '5550100' } },
    [
      { code: 'RET-TEE', priceFen: 1999 },
      { code: 'RET-TEE', priceFen: 1499 },
      { code: 'RET-MUG', priceFen: 800 },
    ],
    { line: (i) => `${base}0${i + 1}`, sku: (i) => (i < 2 ? 'B0RETTEE01' : 'B0RETMUG01') },
  );
  sim.items[2]!.quantity = 2;
  sim.paidMinor = 1999 + 1499 + 1600;
  // Listed by the first poll: Amazon's orders are read up to 150 s before now.
  const at = new Date(Date.now() - 10 * 60_000);
  Object.assign(sim, { createdAt: at, paidAt: at, modifiedAt: at });
  sandbox.platforms.amazon.store.upsert(sim);
  return { id, lines: sim.items.map((item) => item.lineId) };
}

function aReturn(orderId: string, over: Partial<SimAmazonReturn>): SimAmazonReturn {
  return {
    orderId,
    orderDate: new Date(Date.now() - 2 * DAY),
    returnRequestDate: new Date(Date.now() - HOUR),
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
  it(
    'opens a case per return on the line of its SKU, visible in GET /after-sales, and a second read adds nothing',
    async () => {
      const order = placeOrder();
      await waitForCaptured(h.db, shopId, [order.id]);
      const seller = sandbox.shop('amazon').platformShopId;
      const first = aReturn(order.id, { trackingId: '1Z999AA10123456784', returnCarrier: 'UPS' });
      const second = aReturn(order.id, { returnRequestDate: new Date(Date.now() - HOUR + 60_000) });
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
      // Amazon takes no answer by API: a person answers it in Seller Central.
      await expect
        .poll(async () => (await cases()).map((c) => c.status), { timeout: PATIENCE_MS })
        .toEqual(['needs_person', 'needs_person', 'needs_person']);

      // The next report overlaps the last: the same returns, read again, open nothing.
      const opened = (await syncState()).returns!.lastRead!.reportId;
      await expect
        .poll(
          async () => {
            const read = (await syncState()).returns?.lastRead;
            return read && read.reportId !== opened && read.status === 'DONE'
              ? { rows: read.rows, opened: read.opened, known: read.known }
              : null;
          },
          { timeout: PATIENCE_MS, interval: 500 },
        )
        .toEqual({ rows: 4, opened: 0, known: 3 });
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
      await recordHistory(h.client, shopSyncWorkflowId(shopId), 'shop-sync-amazon-returns');
      await recordHistory(h.client, caseIdOf(first), 'aftersale-amazon-return-by-person');
    },
    MINUTES,
  );
});
