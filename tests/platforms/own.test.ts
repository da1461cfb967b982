import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { WebhookSignatureError } from '../../integrations/platforms/errors.js';
import {
  ownDeliveryId,
  ownWebhookParser,
  renderOwnPush,
  signOwnPush,
} from '../../integrations/platforms/own/index.js';
import { renderOwnStorePush } from '../../sandbox/platforms/own.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { orderPush } from '../support/fixtures.js';

const shop = { shopId: 'shop-own-1', platformShopId: 'shop-own-1' };

/** The worked example of docs/own-store-push.md, read from the page itself. */
function workedExample() {
  const doc = readFileSync(new URL('../../docs/own-store-push.md', import.meta.url), 'utf8');
  const secret = /Webhook secret `([^`]+)`/.exec(doc)?.[1];
  const block = /```http\n([\s\S]*?)\n```/.exec(doc)?.[1];
  if (!secret || !block) throw new Error('worked example not found in docs/own-store-push.md');
  const [head, body] = block.split('\n\n') as [string, string];
  const headers = Object.fromEntries(
    head
      .split('\n')
      .slice(1)
      .map((line) => {
        const at = line.indexOf(':');
        return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
      }),
  );
  return { secret, headers, body };
}

describe('own store push', () => {
  it('the documented worked example signs to the documented signature and parses as an order', () => {
    const { secret, headers, body } = workedExample();
    expect(signOwnPush(secret, body)).toBe(headers['x-erp-hmac-sha256']);
    const [event] = ownWebhookParser.parse(
      { headers, rawBody: Buffer.from(body, 'utf8'), url: '' },
      { appKey: '', appSecret: '', webhookSecret: secret },
      shop,
    );
    expect(event).toMatchObject({
      kind: 'order',
      order: {
        platform: 'own',
        shopId: 'shop-own-1',
        platformOrderId: 'SO-20260301-0001',
        status: 'paid',
        amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
        lines: [{ skuCode: 'SKU-001-RED-M', quantity: 2 }],
      },
    });
    expect(ownDeliveryId({ headers })).toBe('4f1c2d3e-0000-4000-8000-000000000001');
  });

  it('renderOwnPush produces a push the parser accepts', () => {
    const push = orderPush();
    const rendered = renderOwnPush('s3cret', push, 'd-1');
    const headers = Object.fromEntries(
      Object.entries(rendered.headers).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const [event] = ownWebhookParser.parse(
      { headers, rawBody: Buffer.from(rendered.body), url: '' },
      { appKey: '', appSecret: '', webhookSecret: 's3cret' },
      shop,
    );
    expect(event).toEqual({ kind: 'order', order: { ...push, platform: 'own', shopId: 'shop-own-1' } });
  });

  it('rejects forged, missing or unkeyed signatures, and names bad fields', () => {
    const { secret, headers, body } = workedExample();
    const parse = (
      h: Record<string, string | undefined>,
      raw: string,
      webhookSecret: string | undefined = secret,
    ) =>
      ownWebhookParser.parse(
        { headers: h, rawBody: Buffer.from(raw), url: '' },
        { appKey: '', appSecret: '', ...(webhookSecret ? { webhookSecret } : {}) },
        shop,
      );
    expect(() => parse(headers, body.replace('17800}', '1}'))).toThrow(WebhookSignatureError);
    expect(() => parse({ ...headers, 'x-erp-hmac-sha256': undefined }, body)).toThrow(WebhookSignatureError);
    expect(() => parse(headers, body, '')).toThrow(/no webhook secret/);
    const bad = JSON.stringify({ ...JSON.parse(body), lines: [] });
    const error = (() => {
      try {
        parse({ 'x-erp-hmac-sha256': signOwnPush(secret, bad) }, bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0]).toMatchObject({
      path: ['lines'],
      message: 'must contain at least one line',
    });
  });

  it('the sandbox store renders signed pushes on its own code path', () => {
    const sim: SimOrder = {
      id: 'SO-9',
      shopKey: 'own',
      status: 'paid',
      type: 'presale',
      createdAt: new Date('2026-03-01T00:00:00Z'),
      paidAt: new Date('2026-03-01T00:01:00Z'),
      modifiedAt: new Date('2026-03-01T00:01:00Z'),
      currency: 'CNY',
      items: [
        {
          lineId: '1',
          platformSkuId: '',
          skuCode: 'SKU-9',
          title: 'T',
          spec: '',
          quantity: 1,
          unitPriceMinor: 5_000,
          discountMinor: 0,
        },
      ],
      shippingMinor: 0,
      discountMinor: 0,
      paidMinor: 5_000,
      buyer: { id: 'b', nick: 'n' },
      receiver: {
        name: '李四',
        phone: '13900001111',
        country: 'CN',
        province: '江苏省',
        city: '南京市',
        district: '玄武区',
        detail: '中山路1号',
      },
      presale: { depositMinor: 1_000, balanceMinor: 4_000, depositPaidAt: new Date('2026-03-01T00:01:00Z') },
    };
    const push = renderOwnStorePush('k', sim, 'd-9');
    expect(push.headers['x-erp-hmac-sha256']).toBe(signOwnPush('k', push.body));
    const [event] = ownWebhookParser.parse(
      { headers: push.headers, rawBody: Buffer.from(push.body), url: '' },
      { appKey: '', appSecret: '', webhookSecret: 'k' },
      shop,
    );
    expect(event).toMatchObject({
      kind: 'order',
      order: { platformOrderId: 'SO-9', type: 'presale', presale: { depositFen: 1_000, balanceFen: 4_000 } },
    });
  });
});
