import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  amazonReturnCaseId,
  amazonReturnState,
  createAmazonReturnsReports,
  parseReturnsReport,
  returnsClosedStatuses,
  returnsReportColumns,
} from '../../integrations/platforms/amazon/returns-report.js';
import { AuthError, PlatformError, RequestRejectedError } from '../../integrations/platforms/errors.js';
import type { AdapterContext } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import {
  AMAZON_RATE_PLANS,
  AmazonSimAuth,
  amazonSimulator,
  SimAmazonReturnBook,
  type AmazonOperation,
  type SimAmazonReturn,
} from '../../sandbox/platforms/amazon/index.js';

// Amazon returns from the MFN returns report (docs/platforms/amazon-returns.md), against the SP-API
// simulator, which checks the LWA access token as for every call: createReport over a window of
// return dates, getReport read until DONE, getReportDocument's pre-signed URL downloaded and
// gunzipped, the tab-delimited rows parsed by their header; an empty window is CANCELLED (no
// rows); a window over 60 days is refused; a token Amazon never issued is refused.

const CLIENT = { clientId: 'amzn1.application-oa2-client.returns', clientSecret: 'lwa-secret-returns' };
const SELLER = 'A2RETURNS0001';
const OTHER_SELLER = 'A2RETURNS0002';
const MARKETPLACE = 'ATVPDKIKX0DER';
const DAY = 86_400_000;
const generous = Object.fromEntries(
  Object.keys(AMAZON_RATE_PLANS).map((op) => [op, { rate: 1000, burst: 1000 }]),
) as Record<AmazonOperation, { rate: number; burst: number }>;

const auth = new AmazonSimAuth(CLIENT);
const refreshToken = auth.authorize(SELLER);
auth.authorize(OTHER_SELLER);
const book = new SimAmazonReturnBook();
let app: FastifyInstance;
let baseUrl: string;

const aReturn = (over: Partial<SimAmazonReturn>): SimAmazonReturn => ({
  orderId: '113-0000001-0000001',
  orderDate: new Date(Date.now() - 10 * DAY),
  returnRequestDate: new Date(Date.now() - 2 * DAY),
  status: 'Approved',
  amazonRmaId: 'DXq7zRMA1',
  asin: 'B07XJ8C8F5',
  merchantSku: 'SKU-001-RED-M',
  itemName: 'Cotton T-shirt, red, M',
  quantity: 1,
  reason: 'APPAREL_TOO_SMALL',
  currencyCode: 'USD',
  orderAmount: '25.98',
  orderQuantity: 2,
  ...over,
});

beforeAll(async () => {
  book.add(SELLER, aReturn({ trackingId: '1Z999AA10123456784', returnCarrier: 'UPS' }));
  book.add(
    SELLER,
    aReturn({ merchantSku: 'TEA-003-250G', asin: 'B0TEA00250', quantity: 2, reason: 'DEFECTIVE' }),
  );
  book.add(
    SELLER,
    aReturn({ orderId: '113-0000002-0000002', amazonRmaId: 'DXq7zRMA2', refundedAmount: '12.99' }),
  );
  // Older than the window the tests ask for, and another seller's: never in the report.
  book.add(SELLER, aReturn({ amazonRmaId: 'OLD', returnRequestDate: new Date(Date.now() - 40 * DAY) }));
  book.add(OTHER_SELLER, aReturn({ amazonRmaId: 'NOT-MINE' }));
  app = Fastify();
  await app.register(amazonSimulator, {
    store: new SimOrderStore(),
    auth,
    marketplaceId: MARKETPLACE,
    ratePlans: generous,
    returns: book,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());

function reports(over: Partial<AdapterContext['credentials']> = {}) {
  const ctx: AdapterContext = {
    shopId: 'shop-amz-returns',
    platformShopId: SELLER,
    baseUrl,
    credentials: {
      appKey: CLIENT.clientId,
      appSecret: CLIENT.clientSecret,
      refreshToken,
      extra: { marketplaceId: MARKETPLACE, lwaUrl: baseUrl },
      ...over,
    },
  };
  return createAmazonReturnsReports(ctx, {
    pollMs: 10,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
}
const lastDays = (days: number) => ({
  from: new Date(Date.now() - days * DAY),
  to: new Date(Date.now() - 1000),
});

describe('Amazon returns report', () => {
  it('requests the report, waits until DONE, downloads and gunzips the document and reads its rows', async () => {
    const report = await reports().returns(lastDays(30));
    expect(report.processingStatus).toBe('DONE');
    expect(report.skipped).toEqual([]);
    expect(report.rows.map((r) => [r.orderId, r.amazonRmaId, r.merchantSku, r.quantity])).toEqual([
      ['113-0000001-0000001', 'DXq7zRMA1', 'SKU-001-RED-M', 1],
      ['113-0000001-0000001', 'DXq7zRMA1', 'TEA-003-250G', 2],
      ['113-0000002-0000002', 'DXq7zRMA2', 'SKU-001-RED-M', 1],
    ]);
    expect(report.rows[0]).toMatchObject({
      carrier: 'UPS',
      trackingId: '1Z999AA10123456784',
      reason: 'APPAREL_TOO_SMALL',
      status: 'Approved',
      currency: 'USD',
      refundedAmount: null,
    });
    expect(report.rows[2]!.refundedAmount).toBe('12.99');
    // One case per order and RMA: the two SKUs of RMA1 are one case.
    expect(new Set(report.rows.map(amazonReturnCaseId))).toEqual(
      new Set(['113-0000001-0000001-DXq7zRMA1', '113-0000002-0000002-DXq7zRMA2']),
    );
  });

  it('an empty window is CANCELLED by Amazon: no rows', async () => {
    const report = await reports().returns({
      from: new Date(Date.now() - 59 * DAY),
      to: new Date(Date.now() - 50 * DAY),
    });
    expect(report).toMatchObject({ processingStatus: 'CANCELLED', rows: [] });
  });

  it('refuses a window over 60 days (one report holds at most 60 days)', async () => {
    await expect(reports().returns(lastDays(61))).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('a token Amazon never issued is refused by the simulator', async () => {
    const forged = reports({ accessToken: 'Atza|forged', refreshToken: undefined });
    await expect(forged.returns(lastDays(30))).rejects.toBeInstanceOf(AuthError);
  });

  it('reads where a return stands: delivered, refunded, closed in the words the shop names', () => {
    const header =
      'Order ID\tAmazon RMA ID\tMerchant SKU\tReturn quantity\tReturn request status\tCurrency code\tReturn delivery date\tRefunded Amount\n';
    const { rows } = parseReturnsReport(
      header +
        '113-1\tR1\tSKU-A\t1\tApproved\tUSD\t\t\n' +
        '113-2\tR2\tSKU-A\t1\tApproved\tUSD\t2026-12-01\t\n' +
        '113-3\tR3\tSKU-A\t1\tApproved\tUSD\t2026-12-01\t19.99\n' +
        '113-3\tR3\tSKU-B\t1\tApproved\tUSD\t2026-12-01\t0.00\n' +
        '113-4\tR4\tSKU-A\t1\tclosed\tEUR\t\t12,99\n',
    );
    const closed = returnsClosedStatuses({ returnsClosedStatuses: 'Closed, Cancelled' });
    const of = (rma: string) =>
      amazonReturnState(
        rows.filter((r) => r.amazonRmaId === rma),
        closed,
      );
    expect(of('R1')).toEqual({
      requestStatus: 'Approved',
      resolution: null,
      deliveredAt: null,
      refunded: [],
      closed: false,
    });
    expect(of('R2')).toMatchObject({ deliveredAt: '2026-12-01', refunded: [], closed: false });
    // Only the row that shows a refund above zero counts.
    expect(of('R3').refunded).toEqual([{ merchantSku: 'SKU-A', amount: '19.99', currency: 'USD' }]);
    // The shop's words, case aside; an amount not written as a plain decimal is not read as a refund.
    expect(of('R4')).toMatchObject({ requestStatus: 'closed', refunded: [], closed: true });
    // No words named: nothing closes a return.
    expect(amazonReturnState(rows.filter((r) => r.amazonRmaId === 'R4')).closed).toBe(false);
    expect([...returnsClosedStatuses(undefined)]).toEqual([]);
  });

  it('reads headers spelled otherwise, and a shop names its own', () => {
    const text =
      '\uFEFForder-id\tamazon-rma-id\tmerchant-sku\treturn-quantity\treturn_reason\r\n' +
      '113-1\tR1\tSKU-A\t3\tNO_REASON_GIVEN\r\n' +
      '113-2\tR2\t\t1\tx\r\n' +
      '113-3\tR3\tSKU-B\tone\tx\r\n';
    const { rows, skipped } = parseReturnsReport(text);
    expect(rows).toEqual([
      expect.objectContaining({ orderId: '113-1', amazonRmaId: 'R1', merchantSku: 'SKU-A', quantity: 3 }),
    ]);
    expect(skipped).toEqual([
      { line: 3, why: 'empty merchantSku' },
      { line: 4, why: 'return quantity "one"' },
    ]);
    const columns = returnsReportColumns({
      returnsReportColumns: JSON.stringify({ merchantSku: 'seller-sku' }),
    });
    const own = parseReturnsReport(
      'Order ID\tAmazon RMA ID\tseller-sku\tReturn quantity\n1\tR\tS\t1\n',
      columns,
    );
    expect(own.rows[0]).toMatchObject({ merchantSku: 'S' });
    expect(() => parseReturnsReport('Order ID\tsku\n1\tS\n')).toThrow(PlatformError);
    expect(() => returnsReportColumns({ returnsReportColumns: '{"nope":"x"}' })).toThrow(
      RequestRejectedError,
    );
  });
});
