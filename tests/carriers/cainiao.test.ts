import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topCall } from '../../integrations/carriers/cainiao/client.js';
import { createCainiaoWaybillProvider } from '../../integrations/carriers/cainiao/waybill.js';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';
import { cainiaoSimulator } from '../../sandbox/carriers/cainiao.js';
import { CarrierNetwork } from '../../sandbox/carriers/network.js';
import { topExpectedSign } from '../../sandbox/carriers/verify.js';
import { FaultPlan, RateLimiter } from '../../sandbox/kit/rate-limit.js';
import { postForm, startSimulator, waybillRequest } from './support.js';

describe('TOP signature in the Cainiao simulator', () => {
  const params = {
    method: 'taobao.item.seller.get',
    app_key: '12345678',
    session: 'test',
    timestamp: '2016-01-01 12:00:00',
    format: 'json',
    v: '2.0',
    sign_method: 'md5',
    fields: 'num_iid,title,nick,price,num',
    num_iid: '11223344',
  };

  it('reproduces the official TOP md5 example and the HMAC-MD5 vector (API-FACTS §18.1)', () => {
    expect(topExpectedSign(params, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
    expect(topExpectedSign({ ...params, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe(
      'D56D7858309C31B6251083A874D48273',
    );
  });
});

describe('Cainiao waybills through the TOP gateway', () => {
  const network = new CarrierNetwork();
  const faults = new FaultPlan();
  let app: FastifyInstance;
  let baseUrl: string;
  const credentials = { appKey: '23456789', appSecret: 'cainiao-secret', session: 'seller-session-1' };

  beforeAll(async () => {
    ({ app, baseUrl } = await startSimulator(cainiaoSimulator, {
      network,
      apps: { [credentials.appKey]: credentials.appSecret },
      sessions: [credentials.session],
      faults,
    }));
  });
  afterAll(() => app.close());

  const provider = (
    overrides: Partial<typeof credentials> & { signMethod?: 'md5' | 'hmac' | 'hmac-sha256' } = {},
  ) => createCainiaoWaybillProvider({ baseUrl, ...credentials, ...overrides });

  it('issues a ZTO waybill with its 三段码 sort code and plain print data', async () => {
    const waybill = await provider().createWaybill(waybillRequest({ carrier: 'ZTO', orderChannel: 'TB' }));
    expect(waybill).toMatchObject({
      carrier: 'ZTO',
      provider: 'cainiao',
      originCode: '571',
      destinationCode: '010',
    });
    expect(waybill.trackingNumber).toMatch(/^78\d{12}$/);
    expect(waybill.sortCode).toMatch(/^010-\d{2} [AB]\d$/);
    expect(waybill.printData?.encrypted).toBe(false);
    expect(JSON.parse(waybill.printData!.raw).data.waybillCode).toBe(waybill.trackingNumber);
  });

  it('signs with HMAC-MD5 and HMAC-SHA256 too', async () => {
    for (const signMethod of ['hmac', 'hmac-sha256'] as const) {
      const waybill = await provider({ signMethod }).createWaybill(waybillRequest({ carrier: 'YTO' }));
      expect(waybill.trackingNumber).toMatch(/^YT\d{13}$/);
    }
  });

  it('returns the same waybill for a repeated request', async () => {
    const request = waybillRequest({ carrier: 'YUNDA' });
    const first = await provider().createWaybill(request);
    const again = await provider().createWaybill(request);
    expect(again.trackingNumber).toBe(first.trackingNumber);
  });

  it('passes a protected Taobao receiver as oaid + tid and gets encrypted print data', async () => {
    const request = waybillRequest({
      carrier: 'STO',
      orderChannel: 'TB',
      receiver: {
        protected: true,
        oaid: '1ZqgmR5Z2ZJ8dYvQbWkI3xgJ1cTpKz5Xyy',
        tid: '4012345678901234567',
        address: { province: '北京市', city: '北京市', district: '朝阳区' },
      },
    });
    const waybill = await provider().createWaybill(request);
    expect(waybill.printData?.encrypted).toBe(true);
    expect(network.get(waybill.trackingNumber)?.destination.city).toBe('北京市');
  });

  it('cancels, idempotently, and refuses once collected', async () => {
    const request = waybillRequest({ carrier: 'ZTO' });
    const waybill = await provider().createWaybill(request);
    const cancel = {
      carrier: 'ZTO' as const,
      trackingNumber: waybill.trackingNumber,
      requestId: request.requestId,
    };
    await provider().cancelWaybill(cancel);
    await provider().cancelWaybill(cancel);

    const next = waybillRequest({ carrier: 'ZTO' });
    const collected = await provider().createWaybill(next);
    network.advance(collected.trackingNumber);
    await expect(
      provider().cancelWaybill({
        carrier: 'ZTO',
        trackingNumber: collected.trackingNumber,
        requestId: next.requestId,
      }),
    ).rejects.toThrow(/WAYBILL_CANNOT_CANCEL/);
  });

  it('rejects a carrier without a Cainiao code before calling', async () => {
    await expect(provider().createWaybill(waybillRequest({ carrier: 'ZJS' }))).rejects.toThrow(
      RequestRejectedError,
    );
  });

  it('answers a bad signature with TOP’s error shape, which the adapter reports as an auth problem', async () => {
    const error = await provider({ appSecret: 'wrong' })
      .createWaybill(waybillRequest({ carrier: 'ZTO' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('25');

    const raw = await postForm(`${baseUrl}/router/rest`, {
      method: 'cainiao.waybill.ii.cancel',
      app_key: credentials.appKey,
      session: credentials.session,
      timestamp: '2026-01-01 12:00:00',
      format: 'json',
      v: '2.0',
      sign_method: 'md5',
      sign: '00000000000000000000000000000000',
    });
    expect(raw.body).toMatchObject({ error_response: { code: 25, msg: 'Invalid signature' } });
  });

  it('rejects an unknown session as an auth problem', async () => {
    await expect(
      provider({ session: 'expired' }).createWaybill(waybillRequest({ carrier: 'ZTO' })),
    ).rejects.toThrow(AuthError);
  });

  it('surfaces 429 as RateLimitedError and 5xx as transient', async () => {
    faults.fail('cainiao.waybill.ii.get', 429, 1, 3);
    const limited = await provider()
      .createWaybill(waybillRequest({ carrier: 'ZTO' }))
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(3000);
    faults.fail('cainiao.waybill.ii.get', 502);
    await expect(provider().createWaybill(waybillRequest({ carrier: 'ZTO' }))).rejects.toThrow(
      TransientPlatformError,
    );
  });

  it('turns TOP’s App Call Limited into a rate limit', async () => {
    const limitedNetwork = new CarrierNetwork();
    const sim = await startSimulator(cainiaoSimulator, {
      network: limitedNetwork,
      apps: { [credentials.appKey]: credentials.appSecret },
      sessions: [credentials.session],
      rateLimiter: new RateLimiter(1, 60_000),
    });
    try {
      const options = { baseUrl: sim.baseUrl, ...credentials };
      await topCall(options, 'cainiao.waybill.ii.cancel', { cp_code: 'ZTO', waybill_code: 'x' }).catch(
        () => undefined,
      );
      await expect(
        topCall(options, 'cainiao.waybill.ii.cancel', { cp_code: 'ZTO', waybill_code: 'x' }),
      ).rejects.toThrow(RateLimitedError);
    } finally {
      await sim.app.close();
    }
  });
});
