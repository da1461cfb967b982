import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyShopifyWebhook } from '../../integrations/platforms/shopify/sign.js';
import { shopifyWebhookParser } from '../../integrations/platforms/shopify/webhook.js';
import type { WebhookEvent } from '../../integrations/platforms/types.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { firstLineReturn } from '../support/sim-orders.js';

// The Shopify simulator announces a return's moves (`returns/request`, `returns/approve`,
// `returns/decline`, `returns/close`) and a refund (`refunds/create`) in webhooks of their own, as
// the facts name the topics (AFTER-SALES-FACTS §1.7), each move once however often the order
// changes otherwise, signed like its order webhooks: the ERP's own parser takes every one.

interface Delivery {
  topic: string;
  body: Buffer;
  hmac: string | undefined;
  events: WebhookEvent[];
}

let sandbox: Sandbox;
let stopped = false;
let receiver: FastifyInstance;
const deliveries: Delivery[] = [];
const rejected: string[] = [];

beforeAll(async () => {
  // A stand-in for the ERP's webhook endpoint: what arrives, parsed by the ERP's Shopify parser
  // (which refuses a body whose X-Shopify-Hmac-Sha256 does not match).
  receiver = Fastify();
  receiver.removeAllContentTypeParsers();
  receiver.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  receiver.post('/webhooks/shopify/:shopId', async (request, reply) => {
    const shop = sandbox.shop('shopify');
    const headers = request.headers as Record<string, string | undefined>;
    const body = request.body as Buffer;
    try {
      const events = shopifyWebhookParser.parse(
        { headers, rawBody: body, url: `http://127.0.0.1${request.url}` },
        shop.credentials,
        { shopId: shop.id, platformShopId: shop.platformShopId },
      );
      deliveries.push({
        topic: headers['x-shopify-topic'] ?? '',
        body,
        hmac: headers['x-shopify-hmac-sha256'],
        events,
      });
      return reply.code(200).send();
    } catch (err) {
      rejected.push((err as Error).message);
      return reply.code(401).send();
    }
  });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  sandbox = await startSandbox({
    webhookBaseUrl: `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}`,
  });
});
afterAll(async () => {
  if (!stopped) await sandbox?.stop();
  await receiver?.close();
});

const store = () => sandbox.platforms.shopify.store;

/** A fulfilled Shopify order with nothing planned for it. */
function fulfilledOrder(seed: string): SimOrder {
  const [order] = sandbox.placeOrders('shopify', {
    count: 1,
    scenario: 'group_buy',
    seed,
    prepare: (o) => {
      o.status = 'shipped';
      o.paidAt = o.createdAt;
      o.shipment = { carrierCode: 'SF Express', trackingNumber: `SF${Date.now()}`, shippedAt: o.createdAt };
      o.plan = [];
    },
  });
  return order!;
}

/** The buyer's return request of the first line, or (`refund_only`, refunded) the merchant's refund. */
function refundOf(order: SimOrder, change: Partial<SimRefund> = {}): SimRefund {
  const at = new Date();
  const refund = firstLineReturn(order, at, change);
  store().update(
    order.shopKey,
    order.id,
    (o) => {
      o.refund = refund;
    },
    at,
  );
  return refund;
}

/** A return mutation through the simulator's GraphQL Admin API, as the ERP sends it. */
async function graphql(
  field: 'returnApproveRequest' | 'returnDeclineRequest',
  input: Record<string, unknown>,
) {
  const shop = sandbox.shop('shopify');
  const type = field === 'returnApproveRequest' ? 'ReturnApproveRequestInput' : 'ReturnDeclineRequestInput';
  const res = await fetch(`${sandbox.platforms.shopify.baseUrl}/admin/api/2025-01/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': shop.credentials.accessToken! },
    body: JSON.stringify({
      query: `mutation M($input: ${type}!) { ${field}(input: $input) { return { id status } userErrors { message } } }`,
      variables: { input },
    }),
  });
  return (await res.json()) as { data: Record<string, { userErrors: unknown[] }> };
}

/** The order a parsed delivery is about. */
const orderIdOf = (d: Delivery) =>
  d.events.map((e) =>
    e.kind === 'order' ? e.order.platformOrderId : 'platformOrderId' in e ? e.platformOrderId : undefined,
  )[0];
/** The order's deliveries whose topic matches, in arrival order. */
const deliveriesOf = (order: SimOrder, topics: RegExp) =>
  deliveries.filter((d) => topics.test(d.topic) && orderIdOf(d) === order.id);
const afterSaleTopics = (order: SimOrder) => deliveriesOf(order, /^(returns|refunds)\//).map((d) => d.topic);
const orderTopics = (order: SimOrder) => deliveriesOf(order, /^orders\//).map((d) => d.topic);

describe('the Shopify simulator’s return and refund webhooks', () => {
  it('sends each move of a return and each refund once, signed with the app secret', async () => {
    // A return approved, the goods on their way, then refunded by the merchant.
    const approved = fulfilledOrder('returns-approved');
    await expect.poll(() => orderTopics(approved)).toEqual(['orders/create']);
    const ret = refundOf(approved);
    await expect.poll(() => afterSaleTopics(approved)).toEqual(['returns/request']);
    // Another change of the order (a note): the order webhook again, the return not.
    store().update(approved.shopKey, approved.id, (o) => {
      o.sellerMemo = 'checked the photos';
    });
    await expect
      .poll(() => orderTopics(approved))
      .toEqual(['orders/create', 'orders/updated', 'orders/updated']);
    const answer = await graphql('returnApproveRequest', { id: `gid://shopify/Return/${ret.id}` });
    expect(answer.data.returnApproveRequest!.userErrors).toEqual([]);
    await expect.poll(() => afterSaleTopics(approved)).toEqual(['returns/request', 'returns/approve']);
    // The buyer sends the goods back: still OPEN on Shopify, nothing new to announce.
    store().update(approved.shopKey, approved.id, (o) => {
      o.refund!.status = 'returning';
    });
    // The merchant refunds the return: the refund, and the return closed.
    store().update(approved.shopKey, approved.id, (o) => {
      o.refund!.status = 'refunded';
    });
    await expect.poll(() => afterSaleTopics(approved)).toHaveLength(4);

    // A return declined through the API.
    const declined = fulfilledOrder('returns-declined');
    const refused = refundOf(declined);
    await expect.poll(() => afterSaleTopics(declined)).toEqual(['returns/request']);
    const decline = await graphql('returnDeclineRequest', {
      id: `gid://shopify/Return/${refused.id}`,
      declineReason: 'FINAL_SALE',
    });
    expect(decline.data.returnDeclineRequest!.userErrors).toEqual([]);
    await expect.poll(() => afterSaleTopics(declined)).toEqual(['returns/request', 'returns/decline']);

    // The merchant's own refund, no return: `refunds/create` alone.
    const merchant = fulfilledOrder('merchant-refund');
    const refund = refundOf(merchant, { kind: 'refund_only', status: 'refunded' });
    await expect.poll(() => afterSaleTopics(merchant)).toEqual(['refunds/create']);
    store().update(merchant.shopKey, merchant.id, (o) => {
      o.sellerMemo = 'refunded by phone';
    });

    // Every delivery made (the sandbox waits for its outbox when it stops): each move was sent once.
    await sandbox.stop();
    stopped = true;
    expect(rejected).toEqual([]);
    expect(afterSaleTopics(approved).slice(0, 2)).toEqual(['returns/request', 'returns/approve']);
    expect(afterSaleTopics(approved).slice(2).sort()).toEqual(['refunds/create', 'returns/close']);
    expect(afterSaleTopics(declined)).toEqual(['returns/request', 'returns/decline']);
    expect(afterSaleTopics(merchant)).toEqual(['refunds/create']);

    // What each names: the return as the case `return-{id}`, the refund by its id, on its order.
    const named = (order: SimOrder, topic: string) =>
      deliveriesOf(order, /./).find((d) => d.topic === topic)?.events;
    expect(named(approved, 'returns/close')).toEqual([
      { kind: 'refund_changed', platformOrderId: approved.id, platformRefundId: `return-${ret.id}` },
    ]);
    expect(named(merchant, 'refunds/create')).toMatchObject([
      { kind: 'refund_changed', platformOrderId: merchant.id, platformRefundId: refund.id },
    ]);

    // Signed with the app's client secret over the exact body, and only with it.
    const secret = sandbox.shop('shopify').credentials.appSecret;
    const signed = deliveries.filter((d) => /^(returns|refunds)\//.test(d.topic));
    expect(signed).toHaveLength(7);
    for (const d of signed) {
      expect(verifyShopifyWebhook(secret, d.body, d.hmac), d.topic).toBe(true);
      expect(verifyShopifyWebhook(`${secret}-other`, d.body, d.hmac), d.topic).toBe(false);
    }
  });
});
