import { describe, expect, it } from 'vitest';
import { WebhookSignatureError } from '../../integrations/platforms/errors.js';
import {
  douyinEventSign,
  douyinParamJson,
  douyinWebhookParser,
  signDouyinRequest,
} from '../../integrations/platforms/douyin/index.js';
import { douyinPushSign, expectedDouyinSign } from '../../sandbox/platforms/douyin/verify.js';

// API-FACTS §18.2 vectors #5 and #6.
const VECTOR_5 = {
  appKey: '1234567890',
  appSecret: 'testSecret',
  method: 'order.searchList',
  timestamp: '1700000000',
  v: '2',
  paramJson: '{"page":0,"size":100,"update_time_end":1700000000,"update_time_start":1699998200}',
};
const VECTOR_6_BODY = '[{"tag":"100","msg_id":"x","data":"{}"}]';

describe('Douyin signing (§18.2 #5, #6)', () => {
  it('adapter signs vector #5 with hmac-sha256 and md5', () => {
    expect(signDouyinRequest({ ...VECTOR_5, signMethod: 'hmac-sha256' })).toBe(
      '34555dad2f25d79f1b635b08169b1ce8a2063edb0cdb6bdd0d040b0279b4645b',
    );
    expect(signDouyinRequest({ ...VECTOR_5, signMethod: 'md5' })).toBe('b5565ce6b6b196a84327b0eb1a4caf64');
  });

  it('adapter writes param_json with sorted keys and no whitespace, as in vector #5', () => {
    expect(
      douyinParamJson({ update_time_start: 1699998200, update_time_end: 1700000000, size: 100, page: 0 }),
    ).toBe(VECTOR_5.paramJson);
  });

  it('simulator verifier expects the same signatures for vector #5', () => {
    const query = {
      app_key: VECTOR_5.appKey,
      method: VECTOR_5.method,
      timestamp: VECTOR_5.timestamp,
      v: '2',
    };
    expect(
      expectedDouyinSign('testSecret', { ...query, sign_method: 'hmac-sha256' }, VECTOR_5.paramJson),
    ).toBe('34555dad2f25d79f1b635b08169b1ce8a2063edb0cdb6bdd0d040b0279b4645b');
    expect(expectedDouyinSign('testSecret', { ...query, sign_method: 'md5' }, VECTOR_5.paramJson)).toBe(
      'b5565ce6b6b196a84327b0eb1a4caf64',
    );
  });

  it('push event-sign matches vector #6 in adapter and simulator', () => {
    expect(douyinEventSign('1234567890', 'testSecret', VECTOR_6_BODY)).toBe(
      '9c125c7fe2f97853eb3cc1fe0f3875e6',
    );
    expect(douyinPushSign('1234567890', 'testSecret', VECTOR_6_BODY)).toBe(
      '9c125c7fe2f97853eb3cc1fe0f3875e6',
    );
  });

  it('webhook parser accepts vector #6 (upper-case hex too) and rejects forged or missing signatures', () => {
    const secrets = { appKey: '1234567890', appSecret: 'testSecret' };
    const shop = { shopId: 'shop-1', platformShopId: '12345' };
    const request = (sign: string | undefined) => ({
      headers: { 'app-id': '1234567890', 'event-sign': sign },
      rawBody: Buffer.from(VECTOR_6_BODY),
      url: 'https://erp.example.com/webhooks/douyin/shop-1',
    });
    expect(douyinWebhookParser.parse(request('9C125C7FE2F97853EB3CC1FE0F3875E6'), secrets, shop)).toEqual([
      { kind: 'ignored', reason: 'douyin push tag 100 names no order' },
    ]);
    expect(() =>
      douyinWebhookParser.parse(request('9c125c7fe2f97853eb3cc1fe0f3875e7'), secrets, shop),
    ).toThrow(WebhookSignatureError);
    expect(() => douyinWebhookParser.parse(request(undefined), secrets, shop)).toThrow(WebhookSignatureError);
    expect(() =>
      douyinWebhookParser.parse(
        request('9c125c7fe2f97853eb3cc1fe0f3875e6'),
        { ...secrets, appSecret: 'other' },
        shop,
      ),
    ).toThrow(WebhookSignatureError);
  });
});
