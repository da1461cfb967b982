import { describe, expect, it } from 'vitest';
import { WebhookSignatureError } from '../../integrations/platforms/errors.js';
import {
  shopeePushSignature,
  shopeeWebhookParser,
  signShopeePublicRequest,
  signShopeeShopRequest,
} from '../../integrations/platforms/shopee/index.js';
import { expectedShopeeSign, shopeePushAuthorization } from '../../sandbox/platforms/shopee/verify.js';

// API-FACTS §18.2 vectors #7 and #8.
const VECTOR_7 = '1284f1fc0bc6677e713028de1525a4c71b1654ec746bc29933c454e9e78f4374';
const VECTOR_8_URL = 'https://example.com/shopee/push';
const VECTOR_8_BODY =
  '{"data":{"ordersn":"201218V2Y6E59M","status":"READY_TO_SHIP","update_time":1700000000},"shop_id":600000,"code":3,"timestamp":1700000000}';
const VECTOR_8 = '8c8e20d8f8f3cd12141a4215d1a0ccc9ce78b2ba57c7f205ab03723e17afa128';

describe('Shopee signing (§18.2 #7, #8)', () => {
  it('adapter signs the shop-API vector #7', () => {
    expect(
      signShopeeShopRequest({
        partnerId: '2001887',
        partnerKey: 'testPartnerKey',
        path: '/api/v2/order/get_order_list',
        timestamp: 1700000000,
        accessToken: 'testAccessToken',
        shopId: '600000',
      }),
    ).toBe(VECTOR_7);
  });

  it('simulator verifier computes vector #7 on its own', () => {
    expect(
      expectedShopeeSign(
        'testPartnerKey',
        '2001887',
        '/api/v2/order/get_order_list',
        1700000000,
        'testAccessToken',
        '600000',
      ),
    ).toBe(VECTOR_7);
  });

  it('public-API sign leaves the token and shop out', () => {
    const sign = signShopeePublicRequest({
      partnerId: '2001887',
      partnerKey: 'testPartnerKey',
      path: '/api/v2/auth/access_token/get',
      timestamp: 1700000000,
    });
    expect(sign).toBe(
      expectedShopeeSign('testPartnerKey', '2001887', '/api/v2/auth/access_token/get', 1700000000),
    );
  });

  it('push Authorization matches vector #8 in adapter and simulator', () => {
    expect(shopeePushSignature('testPartnerKey', VECTOR_8_URL, VECTOR_8_BODY)).toBe(VECTOR_8);
    expect(shopeePushAuthorization('testPartnerKey', VECTOR_8_URL, VECTOR_8_BODY)).toBe(VECTOR_8);
  });

  it('webhook parser accepts vector #8 and rejects a forged signature, a missing one, or another URL', () => {
    const secrets = { appKey: '2001887', appSecret: 'testPartnerKey' };
    const shop = { shopId: 'shop-sp', platformShopId: '600000' };
    const request = (authorization: string | undefined, url = VECTOR_8_URL) => ({
      headers: { authorization },
      rawBody: Buffer.from(VECTOR_8_BODY),
      url,
    });
    expect(shopeeWebhookParser.parse(request(VECTOR_8), secrets, shop)).toEqual([
      { kind: 'order_changed', platformOrderId: '201218V2Y6E59M', modifiedAt: '2023-11-14T22:13:20.000Z' },
    ]);
    expect(() => shopeeWebhookParser.parse(request(VECTOR_8.replace(/8$/, '9')), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    expect(() => shopeeWebhookParser.parse(request(undefined), secrets, shop)).toThrow(WebhookSignatureError);
    expect(() =>
      shopeeWebhookParser.parse(request(VECTOR_8, 'https://example.com/other'), secrets, shop),
    ).toThrow(WebhookSignatureError);
  });
});
