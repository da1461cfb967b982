import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookSignatureError } from '../../integrations/platforms/errors.js';
import { temuWebhookParser } from '../../integrations/platforms/temu/index.js';
import type { WebhookRequest } from '../../integrations/platforms/types.js';
import { renderTemuPush } from '../../sandbox/platforms/temu/index.js';
import { temuSimOrder } from './temu-orders.js';

/**
 * Temu webhooks against the partner docs' Webhook Integration Guide (as copied, docs/platforms/temu.md
 * §Push): its example callback decrypts under its example secret, and both signatures the page gives
 * — the worked example's (with `x-tm-ext-param`) and the example request's (without) — are the
 * same rule; what the simulator sends is parsed into the order or case it names.
 */
const GUIDE = {
  secret: '12345678abcdefgh',
  appKey: 'demo-test-app',
  eventData: 'sQmNTAKR2o4HrmCO3OchFgGyJU5Qta57+JQxxgVyVPU=',
  headers: {
    'x-tm-app-key': 'demo-test-app',
    'x-tm-event-code': 'bg_test_event',
    'x-tm-timestamp': '1726127013525',
    'x-tm-ext-param': '{}',
  },
  workedExample: 'b5143d1a831453afbcf76d4621baa74a2dc07a486f26f5a956c6e50c61a338fb',
  exampleRequest: '987875c01ea5c7f608502fb92e1de102c59e1c9195c010ab8a80bdb501a04fbc',
};
const MALL = '635517726820718';
const shop = { shopId: 'shop-temu', platformShopId: MALL };

function guideRequest(signature: string, headers: Record<string, string> = GUIDE.headers): WebhookRequest {
  return {
    headers: { 'content-type': 'application/json', ...headers, 'x-tm-signature': signature },
    rawBody: Buffer.from(JSON.stringify({ eventData: GUIDE.eventData })),
    url: 'https://erp.example.com/webhooks/temu/shop-temu',
  };
}
const guideSecrets = { appKey: GUIDE.appKey, appSecret: GUIDE.secret };

describe('the Webhook Integration Guide’s example callback', () => {
  it('verifies with the worked example’s signature and with the example request’s (the same rule without x-tm-ext-param)', () => {
    for (const signature of [GUIDE.workedExample, GUIDE.exampleRequest, GUIDE.workedExample.toUpperCase()]) {
      expect(temuWebhookParser.parse(guideRequest(signature), guideSecrets, shop)).toEqual([
        { kind: 'ignored', reason: 'temu bg_test_event is not about an order' },
      ]);
    }
  });

  it('refuses the guide’s Java sample rule (name=value&…, upper case), another secret, another app key and an altered header', () => {
    const sorted = [
      'eventData={"orderSn":"XXYYZZ","status":1}',
      ...Object.entries(GUIDE.headers).map(([k, v]) => `${k}=${v}`),
    ]
      .sort()
      .join('&');
    const javaSample = createHmac('sha256', GUIDE.secret).update(sorted).digest('hex').toUpperCase();
    const refused = [
      () => temuWebhookParser.parse(guideRequest(javaSample), guideSecrets, shop),
      () =>
        temuWebhookParser.parse(
          guideRequest(GUIDE.workedExample),
          { ...guideSecrets, appSecret: '87654321hgfedcba' },
          shop,
        ),
      () =>
        temuWebhookParser.parse(
          guideRequest(GUIDE.workedExample),
          { ...guideSecrets, appKey: 'another-app' },
          shop,
        ),
      () =>
        temuWebhookParser.parse(
          guideRequest(GUIDE.workedExample, { ...GUIDE.headers, 'x-tm-timestamp': '1726127013526' }),
          guideSecrets,
          shop,
        ),
      () => temuWebhookParser.parse(guideRequest(''), guideSecrets, shop),
    ];
    for (const parse of refused) expect(parse).toThrow(WebhookSignatureError);
  });
});

describe('the simulator’s webhooks', () => {
  const app = { appKey: 'f9d5cc9313893a20d5aa85c654e8f503', appSecret: 'temu-app-secret-0123456789' };
  const at = new Date('2026-12-06T10:00:00Z');
  const order = temuSimOrder({ mall: MALL, n: '21905452099123', paidAt: at, modifiedAt: at, country: 'US' });

  it('an order status change names the parent order to fetch, signed with or without x-tm-ext-param', () => {
    for (const withExtParam of [true, false]) {
      const push = renderTemuPush(app, order, { withExtParam });
      const request = { headers: push.headers, rawBody: Buffer.from(push.body), url: '' };
      expect(temuWebhookParser.parse(request, app, shop)).toEqual([
        { kind: 'order_changed', platformOrderId: order.id },
      ]);
    }
  });

  it('an after-sales change names its case under the order; another mall’s event is acknowledged and ignored', () => {
    const refund = {
      id: 'PO-211-21905452099123-AS1',
      status: 'requested' as const,
      kind: 'refund_only' as const,
      amountMinor: 599,
      reason: 'changed mind',
      createdAt: at,
      modifiedAt: at,
    };
    const push = renderTemuPush(app, { ...order, refund });
    expect(push.headers['x-tm-event-code']).toBe('bg_aftersales_status_change');
    expect(push.eventData).toMatchObject({ parentAfterSalesSn: refund.id, parentAfterSalesStatus: 1 });
    expect(
      temuWebhookParser.parse({ headers: push.headers, rawBody: Buffer.from(push.body), url: '' }, app, shop),
    ).toEqual([{ kind: 'refund_changed', platformOrderId: order.id, platformRefundId: refund.id }]);
    const elsewhere = renderTemuPush(app, { ...order, shopKey: '635517726829999' });
    expect(
      temuWebhookParser.parse(
        { headers: elsewhere.headers, rawBody: Buffer.from(elsewhere.body), url: '' },
        app,
        shop,
      ),
    ).toEqual([{ kind: 'ignored', reason: 'temu bg_order_status_change_event is for mall 635517726829999' }]);
  });

  it('a body that does not decrypt, or a body changed after signing, is refused', () => {
    const push = renderTemuPush(app, order);
    const other = renderTemuPush({ ...app, appSecret: 'another-secret-0123456789' }, order);
    const swapped = { headers: push.headers, rawBody: Buffer.from(other.body), url: '' };
    expect(() => temuWebhookParser.parse(swapped, app, shop)).toThrow(WebhookSignatureError);
    const notJson = { headers: push.headers, rawBody: Buffer.from('eventData=x'), url: '' };
    expect(() => temuWebhookParser.parse(notJson, app, shop)).toThrow(WebhookSignatureError);
  });
});
