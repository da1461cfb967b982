import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alipaySignString, rsa2Verify } from '../../integrations/payments/alipay/sign.js';
import { parseWechatRefundNotify } from '../../integrations/payments/wechatpay/notify.js';
import {
  authorizationHeader,
  decryptResource,
  requestSignatureMessage,
  wechatSignatureProblem,
} from '../../integrations/payments/wechatpay/sign.js';

/**
 * The payment channels' test vectors (AFTER-SALES-FACTS §2.3). O1–O2 are official (the WeChat Pay
 * Go SDK's test files); L1–L4 were computed with the same SDK test key. Only the public half of
 * that key is kept here (derived from the SDK's "TESTING KEY"): a signature verifying under it
 * over the message we build proves our sign string is byte for byte the documented one, since
 * PKCS#1 v1.5 signatures are deterministic.
 */
const SDK_PUBLIC_KEY = readFileSync(
  new URL('./fixtures/wechatpay-go-test-public-key.pem', import.meta.url),
  'utf8',
);
const SDK_SERIAL = 'F5765756002FDD77';

const O1 =
  'BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLli/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==';
const L1 =
  'Ulf+T3p1ZAJE1jL2L/IlZ5wvSeEomiik3/ceFN7hbYXc3c9AlyX7pSw4gq180w3OnvGYwbhYJGUojzkdDdnia3bdDxKzzB8QCX+OxfYew3WYCoJSy1fmBdzrXaqx+vU3ywtRLPRf3JKJSKpEFJ657PJ7xWjka3IKs7Oip6I8eMnPBpIEPYmWCQPW7b9eA6z/iBOhwVqwinb+t+6LA+PiWbM00iRz2hS3IhV1M2KHhERp2NkxdN1fwkItLLmC/qKS5AHO819F+fWkE95a1WCGtqm2YNSN0LkYO72RdSmoVcGqko2b5FWn2L9Y97e4gLPdMDGK6RSCx2JsNMVVxmriqQ==';
const L2_CIPHERTEXT =
  'Eu6k3KOMCfFZPsMoOqloD2wAiy+brE0vbN9Q77M/uoMDpv+VSnbIgX5IoJA+o7ftrmWMhItuRsvuz399nJ24dfzDufzY3EQicC1cHFsJgFilm4RWkr1zOPN9UqBE2Q9b1dCa3tuSaDuQ/1ivSoBQnzuKzG4bYkFKzxSnY4h8fTrhKAY8K9NM27sW2HibY62G8KtJk+j6f0T11fTz2IJ8D5abYvVy3pmimWkvYifj1Xb8EUImvrym3V+A1KCYCNPmkHNaTqc1XJ960J3AExvH4K8RBOrA5KJVSbohk+f6yH/5IQ8fexVADwK/JgPmocXPJ0wcDpbsEcfgbOJOge7FKB72TURJZ8g4zrIQuC3okPqP8HSe7N2whhDDyycIttUqZa5qQeiHmWrIL2rgPh5b1E1GeJ/o2I5cLZYNiYgUqSr2w8Cjnw4c82agAZyb3A3fuUSUu0cVWjCuDGZzzmqUtVkodDC/WA==';
const L2_PLAIN =
  '{"mchid":"1900000100","transaction_id":"4200000000000000000000000001","out_trade_no":"T1","refund_id":"50000000000000000000000000001","out_refund_no":"R1","refund_status":"SUCCESS","success_time":"2024-01-01T12:00:00+08:00","user_received_account":"支付用户零钱","amount":{"total":100,"refund":100,"payer_total":100,"payer_refund":100}}';
const L2_KEY = '0123456789abcdef0123456789abcdef';
const L3 =
  'o6SLCpeRxBxEUi6173oVz9UeC7OkPsJSEgFFuErVG4nJdQLRnWS4xG84jpYAZxrv/JfuTNPIjNT8HfbnZVf5mTs1x/ajN/XxOOvCWFZUByh6w9QYQsaj++87m1/KK1Xc8vC1n9XHnvT8r3geOTOAoYP3V7Icsz5Z4ju1Vu1G2IJ4iZLHXFideP/Whdu3o9yzBr2qmH3frLExqEV6ZEZDotehdtLmgZyns8Z+aTNO0VhwHc7x36w1/FgbYpBKzyQLi9qIKBecGvPsfwS3ezdVkLCcBUsx8FCG17Fb3tjNgTQNCy1dMMK34KBqExhk/DXHY7PgRndQoiRF/FaYHtc60A==';
const L3_BODY = `{"id":"EV-1","create_time":"2024-01-01T12:00:01+08:00","resource_type":"encrypt-resource","event_type":"REFUND.SUCCESS","summary":"退款成功","resource":{"original_type":"refund","algorithm":"AEAD_AES_256_GCM","ciphertext":"${L2_CIPHERTEXT}","associated_data":"refund","nonce":"abcdefghijkl"}}`;
const L4 =
  'ZiAAdxUP0sN7ratvZOfoXM1KDsa231jRAqBq62WokvAxGQsffs7/M1YeP/R0cmONzhIXHGbkNGWBkfpEErR7HYqXXggWuFXIlFyOUg7pxvMOjg/7uLXryLXeDDPWT97iIqoG3Lw5hJoCtRqFXwKdEfavrFIt/fPlCWatqouWRC3J9mtZ0R2VWfzp4XP5d2gJcJDQ3k7QLnb7qrahwA2t8enPHzoAAbzHVSGM34Cc/NDuLqN+i+2ut/wW5e4RczHagoDkZGIeQg9V5SPaOsaJ7X8T6OFCzzGmkZ72AoSMGbuDPFKygsbH1aQOKej6gbZ5QjUQbg3t4t/n9tEJhMV8aQ==';

describe('official vectors', () => {
  it('O1: the SDK signature of "source" verifies as SHA256withRSA under the SDK test key, and not over another message', () => {
    expect(rsa2Verify('source', O1, SDK_PUBLIC_KEY)).toBe(true);
    expect(rsa2Verify('sourcE', O1, SDK_PUBLIC_KEY)).toBe(false);
  });

  it('O2: the SDK AES-GCM vector decrypts to "Hello World" (the cipher follows the key length)', () => {
    expect(
      decryptResource('testAPIv3Key0000', {
        nonce: 'wCq51qZv4Yfg',
        associated_data: 'Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8',
        ciphertext: 'FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC',
      }),
    ).toBe('Hello World');
  });
});

describe('WeChat Pay v3 (L1–L3)', () => {
  const body =
    '{"out_trade_no":"T1","out_refund_no":"R1","amount":{"refund":100,"total":100,"currency":"CNY"}}';
  const nonce = '593BEC0C930BF1AFEB40B4A08C8FB242';

  it('L1: the request sign string we build is the one the vector signs; the header has the documented shape', () => {
    const message = requestSignatureMessage('POST', '/v3/refund/domestic/refunds', 1700000000, nonce, body);
    expect(message).toBe(`POST\n/v3/refund/domestic/refunds\n1700000000\n${nonce}\n${body}\n`);
    expect(rsa2Verify(message, L1, SDK_PUBLIC_KEY)).toBe(true);
    expect(
      authorizationHeader({
        mchid: '1900000100',
        serialNo: SDK_SERIAL,
        nonce,
        timestamp: 1700000000,
        signature: L1,
      }),
    ).toBe(
      `WECHATPAY2-SHA256-RSA2048 mchid="1900000100",nonce_str="${nonce}",timestamp="1700000000",serial_no="${SDK_SERIAL}",signature="${L1}"`,
    );
  });

  it('L2: the refund resource decrypts with AES-256-GCM, and a changed AAD or byte is refused', () => {
    const resource = { nonce: 'abcdefghijkl', associated_data: 'refund', ciphertext: L2_CIPHERTEXT };
    expect(decryptResource(L2_KEY, resource)).toBe(L2_PLAIN);
    expect(() => decryptResource(L2_KEY, { ...resource, associated_data: 'refunD' })).toThrow();
    expect(() => decryptResource(L2_KEY.replace('0', '1'), resource)).toThrow();
  });

  const headers = { timestamp: '1700000001', nonce: 'NONCE-NOTIFY-1', signature: L3, serial: SDK_SERIAL };
  const keys = { platformKeys: { [SDK_SERIAL]: SDK_PUBLIC_KEY }, apiV3Key: L2_KEY, mchid: '1900000100' };

  it('L3: the notification verifies over the raw body and decodes to a REFUND.SUCCESS of R1 for 1.00', () => {
    expect(wechatSignatureProblem(headers, L3_BODY, keys.platformKeys, 1700000001)).toBeUndefined();
    expect(parseWechatRefundNotify(headers, L3_BODY, keys, 1700000001)).toEqual({
      channel: 'wechatpay',
      noticeId: 'EV-1',
      outTradeNo: 'T1',
      refundNo: 'R1',
      state: 'succeeded',
      refundedFen: 100,
      channelRefundId: '50000000000000000000000000001',
    });
  });

  it('L3 refused: a changed body, a probe signature, an unknown serial, a timestamp over five minutes old', () => {
    const at = 1700000001;
    expect(wechatSignatureProblem(headers, L3_BODY.replace('EV-1', 'EV-2'), keys.platformKeys, at)).toMatch(
      /does not verify/,
    );
    expect(() => parseWechatRefundNotify(headers, `${L3_BODY} `, keys, at)).toThrow(/does not verify/);
    expect(
      wechatSignatureProblem(
        { ...headers, signature: `WECHATPAY/SIGNTEST/${L3}` },
        L3_BODY,
        keys.platformKeys,
        at,
      ),
    ).toMatch(/probe/);
    expect(
      wechatSignatureProblem({ ...headers, serial: 'PUB_KEY_ID_OTHER' }, L3_BODY, keys.platformKeys, at),
    ).toMatch(/unknown/);
    expect(wechatSignatureProblem(headers, L3_BODY, keys.platformKeys, at + 301)).toMatch(/timestamp/);
    expect(() => parseWechatRefundNotify(headers, L3_BODY, { ...keys, mchid: '1900000999' }, at)).toThrow(
      /another merchant/,
    );
  });
});

describe('Alipay RSA2 (L4)', () => {
  const params = {
    app_id: '2021000000000000',
    method: 'alipay.trade.refund',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: '2024-01-01 12:00:00',
    version: '1.0',
    biz_content: '{"out_trade_no":"T1","refund_amount":"1.00","out_request_no":"R1","refund_reason":"退货"}',
  };

  it('sorts keys, keeps sign_type, leaves out sign and empty values, joins raw values; the vector verifies', () => {
    const text = alipaySignString({ ...params, sign: 'x', notify_url: '', app_auth_token: undefined });
    expect(text).toBe(
      'app_id=2021000000000000&biz_content={"out_trade_no":"T1","refund_amount":"1.00","out_request_no":"R1","refund_reason":"退货"}&charset=utf-8&method=alipay.trade.refund&sign_type=RSA2&timestamp=2024-01-01 12:00:00&version=1.0',
    );
    expect(rsa2Verify(text, L4, SDK_PUBLIC_KEY)).toBe(true);
    expect(rsa2Verify(text.replace('1.00', '2.00'), L4, SDK_PUBLIC_KEY)).toBe(false);
  });
});
