import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAmazonRefundFeeds,
  paymentAdjustmentFormat,
  parseProcessingReport,
  refundReasonCode,
  refusedRows,
  renderPaymentAdjustmentFeed,
  type PaymentAdjustmentRow,
} from '../../integrations/platforms/amazon/refund-feed.js';
import {
  AuthError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import type { AdapterContext } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import {
  AMAZON_RATE_PLANS,
  AmazonSimAuth,
  amazonSimulator,
  SimAmazonAdjustmentBook,
  SimAmazonReturnBook,
  type AmazonOperation,
} from '../../sandbox/platforms/amazon/index.js';
import { paidSimOrder } from '../support/sim-orders.js';

// Refunds by the Flat File Order Adjustments feed (docs/platforms/amazon-returns.md, "Refunds by
// feed"), against the SP-API simulator, which checks the LWA token as for every call and reads the
// uploaded file on its own: createFeedDocument, the tab-separated file PUT to the pre-signed URL,
// createFeed, getFeed until DONE, getFeedDocument and the processing report's refused records.

const CLIENT = { clientId: 'amzn1.application-oa2-client.refunds', clientSecret: 'lwa-secret-refunds' };
const SELLER = 'A2REFUNDS0001';
const MARKETPLACE = 'ATVPDKIKX0DER';
const generous = Object.fromEntries(
  Object.keys(AMAZON_RATE_PLANS).map((op) => [op, { rate: 1000, burst: 1000 }]),
) as Record<AmazonOperation, { rate: number; burst: number }>;

const auth = new AmazonSimAuth(CLIENT);
const refreshToken = auth.authorize(SELLER);
const store = new SimOrderStore();
const adjustments = new SimAmazonAdjustmentBook();
const returns = new SimAmazonReturnBook();
const faults = new FaultPlan();
let app: FastifyInstance;
let baseUrl: string;

const ORDER = '113-5550001-0000001';
beforeAll(async () => {
  const order = paidSimOrder(
    { id: ORDER, shopKey: SELLER, buyerNick: 'b**r', receiver: { name: 'Jane Doe', phone: '5550100' } },
    [
      { code: 'TEE-RED-M', priceFen: 1999 },
      { code: 'MUG-WHITE', priceFen: 800 },
    ],
    { line: (i) => `5550001000${i + 1}`, sku: (i) => `B0REFUND0${i + 1}` },
  );
  order.currency = 'USD';
  order.items[0]!.taxMinor = 160;
  store.upsert(order);
  returns.add(SELLER, {
    orderId: ORDER,
    orderDate: new Date(Date.now() - 86_400_000),
    returnRequestDate: new Date(Date.now() - 3600_000),
    status: 'Approved',
    amazonRmaId: 'RMA-REFUND-1',
    asin: 'B0REFUND01',
    merchantSku: 'TEE-RED-M',
    itemName: 'Tee',
    quantity: 1,
    reason: 'APPAREL_TOO_SMALL',
    currencyCode: 'USD',
    orderAmount: '27.99',
    orderQuantity: 2,
  });
  app = Fastify();
  await app.register(amazonSimulator, {
    store,
    auth,
    marketplaceId: MARKETPLACE,
    ratePlans: generous,
    returns,
    adjustments,
    faults,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());

function feeds(over: Partial<AdapterContext['credentials']> = {}) {
  return createAmazonRefundFeeds({
    shopId: 'shop-amz-refunds',
    platformShopId: SELLER,
    baseUrl,
    credentials: {
      appKey: CLIENT.clientId,
      appSecret: CLIENT.clientSecret,
      refreshToken,
      extra: { marketplaceId: MARKETPLACE, lwaUrl: baseUrl },
      ...over,
    },
  });
}

const row = (over: Partial<PaymentAdjustmentRow> = {}): PaymentAdjustmentRow => ({
  orderId: ORDER,
  orderItemId: '55500010001',
  reason: 'CustomerReturn',
  currency: 'USD',
  itemPrice: '19.99',
  itemTax: '1.60',
  ...over,
});

/** The whole submission, as the case's activity does it step by step. */
async function submit(rows: PaymentAdjustmentRow[]) {
  const api = feeds();
  const doc = await api.createDocument();
  await api.upload(doc.url, renderPaymentAdjustmentFeed(rows));
  const feedId = await api.createFeed(doc.feedDocumentId);
  return { api, doc, feedId };
}
async function untilDone(feedId: string) {
  const api = feeds();
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const feed = await api.feed(feedId);
    seen.push(feed.processingStatus ?? '');
    if (feed.processingStatus === 'DONE') return { feed, seen };
  }
  throw new Error(`feed ${feedId} never DONE: ${seen.join(', ')}`);
}

describe('Amazon refunds by the payment adjustment feed', () => {
  it('refunds a returned item: the file uploaded, the feed processed, the report clean; the returns report shows the refund', async () => {
    const { feedId } = await submit([row()]);
    const { feed, seen } = await untilDone(feedId);
    expect(seen).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE']);
    const report = await feeds().report(feed.resultFeedDocumentId!);
    expect(report).toMatchObject({ processed: 1, successful: 1, lines: [] });
    expect(refusedRows([row()], report)).toEqual([]);
    expect(adjustments.list(SELLER, ORDER)).toMatchObject([
      {
        feedId,
        orderItemId: '55500010001',
        reason: 'CustomerReturn',
        itemPriceMinor: 1999,
        itemTaxMinor: 160,
      },
    ]);
    // The seller's returns report shows what was refunded on the return of that SKU.
    expect(returns.between(SELLER, new Date(0), new Date())[0]!.refundedAmount).toBe('21.59');
  });

  it('a retried createFeed over the same document answers the same feed, and getFeeds finds a feed whose answer was lost', async () => {
    const api = feeds();
    const doc = await api.createDocument();
    await api.upload(
      doc.url,
      renderPaymentAdjustmentFeed([
        row({ orderItemId: '55500010002', itemPrice: '3.00', itemTax: undefined }),
      ]),
    );
    const since = new Date(Date.now() - 1000);
    const first = await api.createFeed(doc.feedDocumentId);
    expect(await api.createFeed(doc.feedDocumentId)).toBe(first);
    expect((await api.feedsSince(since)).map((f) => f.feedId)).toContain(first);
    expect(adjustments.list(SELLER, ORDER).filter((a) => a.orderItemId === '55500010002')).toHaveLength(1);
  });

  it('a createFeed whose answer is lost has still made the feed, once: getFeeds lists it', async () => {
    const api = feeds();
    const doc = await api.createDocument();
    await api.upload(
      doc.url,
      renderPaymentAdjustmentFeed([
        row({ orderItemId: '55500010002', itemPrice: '0.50', itemTax: undefined }),
      ]),
    );
    const since = new Date(Date.now() - 1000);
    const known = new Set((await api.feedsSince(since)).map((f) => f.feedId));
    faults.loseAnswer('createFeed');
    await expect(api.createFeed(doc.feedDocumentId)).rejects.toBeInstanceOf(TransientPlatformError);
    const made = (await api.feedsSince(since)).filter((f) => !known.has(f.feedId));
    expect(made).toHaveLength(1);
    expect(adjustments.list(SELLER, ORDER).filter((a) => a.feedId === made[0]!.feedId)).toHaveLength(1);
  });

  it('refuses malformed records in its processing report, each with its message; the valid one is taken', async () => {
    const rows = [
      row({ orderItemId: '55500010002', itemPrice: '1.00', itemTax: undefined }),
      row({ orderItemId: '99999999999' }),
      row({ orderItemId: '55500010002', reason: 'BecauseISaidSo', itemTax: undefined }),
      row({ orderItemId: '55500010002', currency: 'EUR', itemTax: undefined }),
      row({ orderItemId: '55500010002', itemPrice: '1,00', itemTax: undefined }),
      // More than the mug has left to refund (8.00 − 3.00 − 0.50 − 1.00).
      row({ orderItemId: '55500010002', itemPrice: '4.01', itemTax: undefined }),
    ];
    const { feedId } = await submit(rows);
    const { feed } = await untilDone(feedId);
    const report = await feeds().report(feed.resultFeedDocumentId!);
    expect(report).toMatchObject({ processed: 6, successful: 1 });
    const refused = refusedRows(rows, report);
    expect(refused.map((r) => rows.indexOf(r.row) + 1)).toEqual([2, 3, 4, 5, 6]);
    expect(refused.map((r) => r.errors[0]!.message)).toEqual([
      expect.stringContaining('is not an item of order'),
      expect.stringContaining("adjustment-reason-code 'BecauseISaidSo'"),
      expect.stringContaining("is not the order's currency USD"),
      expect.stringContaining('is not a positive amount'),
      expect.stringContaining('exceeds what item 55500010002 has left to refund'),
    ]);
    expect(adjustments.list(SELLER, ORDER).filter((a) => a.feedId === feedId)).toHaveLength(1);
  });

  it('a file whose header Amazon cannot read refunds nothing, every row refused', async () => {
    const rows = [row()];
    const api = feeds();
    const doc = await api.createDocument();
    await api.upload(doc.url, renderPaymentAdjustmentFeed(rows).replace('order-item-id', 'item-id'));
    const feedId = await api.createFeed(doc.feedDocumentId);
    const { feed } = await untilDone(feedId);
    const refused = refusedRows(rows, await feeds().report(feed.resultFeedDocumentId!));
    expect(refused).toHaveLength(1);
    expect(refused[0]!.errors[0]!.message).toContain('missing order-item-id');
    expect(adjustments.list(SELLER, ORDER).filter((a) => a.feedId === feedId)).toEqual([]);
  });

  it('refuses a call with a token Amazon never issued: nothing is created or refunded', async () => {
    const before = adjustments.list(SELLER).length;
    const forged = feeds({ accessToken: 'Atza|forged', refreshToken: 'Atzr|not-issued' });
    await expect(forged.createDocument()).rejects.toBeInstanceOf(AuthError);
    // A forged token over a real uploaded document: refused before anything is processed.
    const doc = await feeds().createDocument();
    await feeds().upload(
      doc.url,
      renderPaymentAdjustmentFeed([
        row({ orderItemId: '55500010002', itemPrice: '1.00', itemTax: undefined }),
      ]),
    );
    const res = await fetch(`${baseUrl}/feeds/2021-06-30/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-access-token': 'Atza|forged' },
      body: JSON.stringify({
        feedType: 'POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA',
        marketplaceIds: [MARKETPLACE],
        inputFeedDocumentId: doc.feedDocumentId,
      }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('Unauthorized');
    expect(adjustments.list(SELLER)).toHaveLength(before);
  });

  it('writes the file and reads reports as the sources describe them', () => {
    expect(renderPaymentAdjustmentFeed([row()]).split('\n').slice(0, 2)).toEqual([
      'order-id\torder-item-id\tadjustment-reason-code\tcurrency\titem-price-adj\titem-tax-adj\tshipping-price-adj\tshipping-tax-adj\tgift-wrap-price-adj\tgift-wrap-tax-adj\titem-promotion-adj\titem-promotion-id\tship-promotion-adj\tship-promotion-id\tquantity-cancelled',
      `${ORDER}\t55500010001\tCustomerReturn\tUSD\t19.99\t1.60\t\t\t\t\t\t\t\t\t`,
    ]);
    expect(
      renderPaymentAdjustmentFeed([row()], paymentAdjustmentFormat({ adjustmentAmountSign: 'negative' })),
    ).toContain('\t-19.99\t-1.60\t');
    expect(refundReasonCode(undefined)).toBe('CustomerReturn');
    expect(refundReasonCode({ refundReasonCode: 'GeneralAdjustment' })).toBe('GeneralAdjustment');
    expect(() => refundReasonCode({ refundReasonCode: 'Whatever' })).toThrow(RequestRejectedError);
    // Seller Central's example spells the summary with colons; records without order columns are matched by number.
    const report = parseProcessingReport(
      'Feed Processing Summary\nNumber of records processed: 2\nNumber of records successful: 1\n\noriginal-record-number\terror-code\terror-type\terror-message\n2\t18028\tError\tOrder not found\n1\t5000\tWarning\tJust so you know\n',
    );
    expect(report).toMatchObject({ processed: 2, successful: 1 });
    const rows = [row(), row({ orderItemId: '55500010002' })];
    expect(refusedRows(rows, report).map((r) => [r.row.orderItemId, r.errors[0]!.message])).toEqual([
      ['55500010002', 'Order not found'],
    ]);
    // Fewer records successful than sent and no line naming one: none is taken as refunded.
    expect(
      refusedRows(
        rows,
        parseProcessingReport('Number of records processed\t\t2\nNumber of records successful\t\t1\n'),
      ),
    ).toHaveLength(2);
  });
});
