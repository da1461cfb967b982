import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOwnPush, signOwnPush } from '../../integrations/platforms/own/index.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { Platform } from '../../domain/platforms.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { renderDouyinPush } from '../../sandbox/platforms/douyin/index.js';
import { renderShopeePush } from '../../sandbox/platforms/shopee/index.js';
import { renderShopifyWebhook } from '../../sandbox/platforms/shopify/index.js';
import { renderWooPing, renderWooWebhook } from '../../sandbox/platforms/woocommerce/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop, waitForCaptured } from '../capture/support.js';
import { createShop, orderPush, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

const PUBLIC_URL = 'https://erp.example.com';
const ids = {
  douyin: uniqueId('dy'),
  shopee: uniqueId('sp'),
  shopify: uniqueId('shopify'),
  woocommerce: uniqueId('woo'),
  own: uniqueId('own'),
  taobao: uniqueId('tb'),
};

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;

beforeAll(async () => {
  h = await createHarness({ API_PUBLIC_URL: PUBLIC_URL });
  api = await h.api();
  sandbox = await startSandbox({ shopIds: ids });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  // Polling off: whatever arrives here arrived through a push.
  for (const platform of ['douyin', 'shopee', 'shopify', 'woocommerce', 'taobao'] as const) {
    await registerShop(api, ops, sandbox.shop(platform), { syncEnabled: false });
  }
  await registerShop(api, ops, sandbox.shop('own'));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

type Rendered = { headers: Record<string, string>; body: string };

function post(platform: Platform, rendered: Rendered, shopId: string = ids[platform as keyof typeof ids]) {
  return api.inject({
    method: 'POST',
    url: `/webhooks/${platform}/${shopId}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
}

const shopeeUrl = () => `${PUBLIC_URL}/webhooks/shopee/${ids.shopee}`;
const douyinApp = () => ({
  appKey: sandbox.shop('douyin').credentials.appKey,
  appSecret: sandbox.shop('douyin').credentials.appSecret,
});
const shopifyApp = () => ({
  secret: sandbox.shop('shopify').credentials.appSecret,
  shopDomain: sandbox.shop('shopify').platformShopId,
});
const wooSite = () => ({
  secret: sandbox.shop('woocommerce').credentials.webhookSecret!,
  sourceUrl: sandbox.shop('woocommerce').platformShopId,
  webhookId: 7,
});

/** A signed delivery of `order` in each HTTP-push platform's format, and its signature header. */
const PUSHES: Array<{ platform: Platform; header: string; render(order: SimOrder): Rendered }> = [
  { platform: 'douyin', header: 'event-sign', render: (o) => renderDouyinPush(douyinApp(), o, 100) },
  {
    platform: 'shopee',
    header: 'authorization',
    render: (o) =>
      renderShopeePush(
        { partnerKey: sandbox.shop('shopee').credentials.appSecret, callbackUrl: shopeeUrl() },
        o,
        3,
      ),
  },
  {
    platform: 'shopify',
    header: 'x-shopify-hmac-sha256',
    render: (o) => renderShopifyWebhook(shopifyApp(), o, 'orders/create'),
  },
  {
    platform: 'woocommerce',
    header: 'x-wc-webhook-signature',
    render: (o) => renderWooWebhook(wooSite(), o, 'order.created'),
  },
  {
    platform: 'own',
    header: 'x-erp-hmac-sha256',
    render: (o) =>
      renderOwnPush(sandbox.own.webhookSecret, {
        ...orderPush(),
        platformOrderId: o.id,
      }),
  },
];

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The same signature with one character changed (to a digit, so no case-insensitive match). */
// The first character: in base64 the last ones may carry only padding bits, so changing them can
// leave the decoded signature as it was.
function forge(value: string): string {
  return `${value.startsWith('0') ? '1' : '0'}${value.slice(1)}`;
}

async function rows(shopId: string, platformOrderId: string) {
  return h.db
    .selectFrom('orders')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('platform_order_id', '=', platformOrderId)
    .execute();
}

describe('signatures over the raw body', () => {
  it.each(PUSHES)('$platform: a valid push is taken in; forged or missing signatures → 401', async (push) => {
    const store = push.platform === 'own' ? sandbox.own.store : undefined;
    const [order] = store
      ? [{ id: uniqueId('SO') } as SimOrder]
      : sandbox.placeOrders(push.platform, { count: 1, scenario: 'group_buy' });
    const shopId = ids[push.platform as keyof typeof ids];
    const rendered = push.render(order!);
    const headers = lower(rendered.headers);

    const forged = await post(push.platform, {
      ...rendered,
      headers: { ...headers, [push.header]: forge(headers[push.header]!) },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().message.toLowerCase()).toContain(push.header);
    expect(forged.json().message).toMatch(/does not match/);

    const { [push.header]: _, ...unsigned } = headers;
    const missing = await post(push.platform, { ...rendered, headers: unsigned });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().message.toLowerCase()).toContain(`${push.header} header is missing`);

    // The body bytes matter, not the JSON they parse to: re-serialising breaks the signature.
    const reformatted = await post(push.platform, {
      headers,
      body: JSON.stringify(JSON.parse(rendered.body), null, 1),
    });
    expect(reformatted.statusCode).toBe(401);
    expect(await rows(shopId, order!.id)).toHaveLength(0);

    const valid = await post(push.platform, { ...rendered, headers });
    expect(valid.statusCode).toBeLessThan(300);
    await waitForCaptured(h.db, shopId, [order!.id]);
  });

  it('answers each platform in the form it expects', async () => {
    const [dy] = sandbox.placeOrders('douyin', { count: 1, scenario: 'group_buy' });
    const douyin = await post('douyin', renderDouyinPush(douyinApp(), dy!, 110));
    expect([douyin.statusCode, douyin.json()]).toEqual([200, { code: 0, msg: 'success' }]);

    const [sp] = sandbox.placeOrders('shopee', { count: 1, scenario: 'group_buy' });
    const shopee = await post(
      'shopee',
      renderShopeePush(
        { partnerKey: sandbox.shop('shopee').credentials.appSecret, callbackUrl: shopeeUrl() },
        sp!,
        3,
      ),
    );
    expect(shopee.statusCode).toBe(200);
    expect(shopee.body).toBe('');

    const push = orderPush();
    const own = await post('own', renderOwnPush(sandbox.own.webhookSecret, push));
    expect(own.statusCode).toBe(202);
    expect(own.json()).toEqual({
      accepted: true,
      orderId: orderWorkflowId('own', ids.own, push.platformOrderId),
      outcome: 'accepted',
    });

    const ping = await post('woocommerce', renderWooPing(7));
    expect(ping.statusCode).toBe(202);
    expect(ping.json()).toMatchObject({ accepted: true, ignored: 1 });
  });

  it('a shop without a secret accepts no pushes, not even ones signed with an empty key', async () => {
    const shopId = await createShop(h.db, 'shopify');
    const [order] = sandbox.placeOrders('shopify', { count: 1, scenario: 'group_buy' });
    const rendered = renderShopifyWebhook({ ...shopifyApp(), secret: '' }, order!, 'orders/create');
    const res = await post('shopify', rendered, shopId);
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/has no webhook secret configured/);
    expect(await rows(shopId, order!.id)).toHaveLength(0);
  });

  it('platforms without HTTP pushes → 404 saying how their changes arrive', async () => {
    const res = await api.inject({
      method: 'POST',
      url: `/webhooks/taobao/${ids.taobao}`,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/taobao has no HTTP push.*TMC.*polling/);
    for (const platform of ['pdd', 'jd', 'amazon', 'tmall']) {
      const other = await api.inject({ method: 'POST', url: `/webhooks/${platform}/x`, payload: {} });
      expect(other.statusCode).toBe(404);
      expect(other.json().message).toContain(`${platform} has no HTTP push`);
    }
  });
});

describe('repeats and disorder', () => {
  it('a redelivered Shopify webhook is answered at once and starts nothing new', async () => {
    const [order] = sandbox.placeOrders('shopify', { count: 1, scenario: 'group_buy' });
    const rendered = renderShopifyWebhook(shopifyApp(), order!, 'orders/create');
    const first = await post('shopify', rendered);
    const again = await post('shopify', rendered);
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ duplicate: true });
    await waitForCaptured(h.db, ids.shopify, [order!.id]);
    const workflowId = orderWorkflowId('shopify', ids.shopify, order!.id);
    expect((await h.client.workflow.count(`WorkflowId = '${workflowId}'`)).count).toBe(1);
  });

  it('an older snapshot delivered after a newer one never overwrites it (WooCommerce)', async () => {
    const [order] = sandbox.placeOrders('woocommerce', { count: 1, scenario: 'normal_day' });
    const created = renderWooWebhook(wooSite(), order!, 'order.created');
    expect(order!.status).toBe('unpaid');
    order!.status = 'paid';
    order!.paidAt = new Date();
    order!.paidMinor = order!.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity - i.discountMinor, 0);
    order!.modifiedAt = new Date(Date.now() + 1000);
    const paid = renderWooWebhook(wooSite(), order!, 'order.updated');

    expect((await post('woocommerce', paid)).statusCode).toBe(202);
    expect((await post('woocommerce', created)).statusCode).toBe(202);
    const id = orderWorkflowId('woocommerce', ids.woocommerce, order!.id);
    await expect
      .poll(async () => (await rows(ids.woocommerce, order!.id)).map((r) => r.platform_status), {})
      .toEqual(['paid']);
    expect((await h.client.workflow.count(`WorkflowId = '${id}'`)).count).toBe(1);
  });

  it('a status change pushed before its order is fetched afterwards, even through an outage (Douyin)', async () => {
    const [order] = sandbox.placeOrders('douyin', { count: 1, scenario: 'group_buy' });
    sandbox.platforms.douyin.faults.fail('order.orderDetail', 503, 2);
    // TradePaid arrives first, TradeCreate after it: both only name the order.
    expect((await post('douyin', renderDouyinPush(douyinApp(), order!, 110))).statusCode).toBe(200);
    expect((await post('douyin', renderDouyinPush(douyinApp(), order!, 100))).statusCode).toBe(200);
    await waitForCaptured(h.db, ids.douyin, [order!.id]);
    const [row] = await rows(ids.douyin, order!.id);
    expect(row!.platform_status).toBe('paid');
    expect(row!.platform_order_id).toMatch(/^\d{19}$/);
    const workflowId = orderWorkflowId('douyin', ids.douyin, order!.id);
    expect((await h.client.workflow.count(`WorkflowId = '${workflowId}'`)).count).toBe(1);
  });

  it('a Shopee push for an order changed on the platform is fetched with its current state', async () => {
    const [order] = sandbox.placeOrders('shopee', { count: 1, scenario: 'normal_day' });
    const push = renderShopeePush(
      { partnerKey: sandbox.shop('shopee').credentials.appSecret, callbackUrl: shopeeUrl() },
      order!,
      3,
    );
    expect((await post('shopee', push)).statusCode).toBe(200);
    await waitForCaptured(h.db, ids.shopee, [order!.id]);
  });
});

describe('own store pushes: our format, signed', () => {
  const secret = () => sandbox.own.webhookSecret;
  const signed = (body: string): Rendered => ({
    headers: { 'content-type': 'application/json', 'x-erp-hmac-sha256': signOwnPush(secret(), body) },
    body,
  });

  const cases: Array<[string, (p: ReturnType<typeof orderPush>) => unknown, string]> = [
    ['missing platformOrderId', ({ platformOrderId: _, ...rest }) => rest, 'body.platformOrderId'],
    [
      'quantity as a string',
      (p) => ({ ...p, lines: [{ ...p.lines[0], quantity: '2' }] }),
      'body.lines.0.quantity',
    ],
    [
      'fractional fen',
      (p) => ({ ...p, amounts: { ...p.amounts, goodsFen: 198.5 } }),
      'body.amounts.goodsFen',
    ],
    ['date without offset', (p) => ({ ...p, createdAt: '2026-03-01 10:15:02' }), 'body.createdAt'],
    [
      'a payment channel we do not refund through',
      (p) => ({ ...p, payment: { channel: 'paypal', outTradeNo: 'PAY-1' } }),
      'body.payment.channel',
    ],
    [
      'a trade number with spaces',
      (p) => ({ ...p, payment: { channel: 'alipay', outTradeNo: 'PAY 1' } }),
      'body.payment.outTradeNo',
    ],
  ];
  it.each(cases)('%s → 400 naming the field, nothing stored', async (_name, mutate, field) => {
    const push = orderPush();
    const res = await post('own', signed(JSON.stringify(mutate(push))));
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(await rows(ids.own, push.platformOrderId)).toHaveLength(0);
  });

  it('a retried delivery (same X-Erp-Delivery-Id) is recognised', async () => {
    const push = orderPush();
    const rendered = renderOwnPush(secret(), push, 'delivery-1');
    const first = await post('own', rendered);
    const second = await post('own', rendered);
    expect(first.json()).toMatchObject({ outcome: 'accepted' });
    expect(second.json()).toMatchObject({
      accepted: true,
      orderId: orderWorkflowId('own', ids.own, push.platformOrderId),
      duplicate: true,
    });
  });
});
