import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSfTrackingProvider } from '../../integrations/carriers/sf/routes.js';
import { quotePlus, sfMsgDigest } from '../../integrations/carriers/sf/sign.js';
import { createSfWaybillProvider } from '../../integrations/carriers/sf/waybill.js';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';
import { CarrierNetwork } from '../../sandbox/carriers/network.js';
import { sfSimulator } from '../../sandbox/carriers/sf.js';
import { sfDigestFlavours, sfDigestMatches } from '../../sandbox/carriers/verify.js';
import { FaultPlan, RateLimiter } from '../../sandbox/kit/rate-limit.js';
import { postForm, startSimulator, waybillRequest } from './support.js';

const VECTOR_10 = {
  msgData: '{"language":"zh-CN","orderId":"QIAO-20200728-001"}',
  timestamp: '1700000000000',
  checkword: 'testCheckword',
  digest: 'h75WYEGrEiOgWSx3hNUwXQ==',
};

describe('SF msgDigest (vector #10)', () => {
  it('adapter computes the documented digest with the quote_plus encoding', () => {
    expect(sfMsgDigest(VECTOR_10.msgData, VECTOR_10.timestamp, VECTOR_10.checkword)).toBe(VECTOR_10.digest);
  });

  it('simulator verifies it on its own code path', () => {
    expect(sfDigestFlavours(VECTOR_10.msgData, VECTOR_10.timestamp, VECTOR_10.checkword)[0]).toBe(
      VECTOR_10.digest,
    );
    expect(
      sfDigestMatches(VECTOR_10.digest, VECTOR_10.msgData, VECTOR_10.timestamp, VECTOR_10.checkword),
    ).toBe(true);
    expect(sfDigestMatches(VECTOR_10.digest, VECTOR_10.msgData, VECTOR_10.timestamp, 'otherCheckword')).toBe(
      false,
    );
  });

  it('encodes like Python quote_plus, not encodeURIComponent', () => {
    expect(quotePlus("a b*(c)!'~")).toBe('a+b%2A%28c%29%21%27~');
  });
});

describe('SF simulator and adapter over HTTP', () => {
  const network = new CarrierNetwork();
  const faults = new FaultPlan();
  let app: FastifyInstance;
  let baseUrl: string;
  const credentials = { partnerId: 'NJSHOP', checkword: 'sf-checkword-1', monthlyCard: '7551234567' };

  beforeAll(async () => {
    ({ app, baseUrl } = await startSimulator(sfSimulator, {
      network,
      partners: { [credentials.partnerId]: credentials.checkword },
      faults,
    }));
  });
  afterAll(() => app.close());

  const provider = () => createSfWaybillProvider({ baseUrl, ...credentials });

  it('issues a waybill with sort codes and the route-label QR contents', async () => {
    const waybill = await provider().createWaybill(waybillRequest());
    expect(waybill.trackingNumber).toMatch(/^SF\d{13}$/);
    expect(waybill).toMatchObject({
      carrier: 'SF',
      provider: 'sf',
      originCode: '571',
      destinationCode: '010',
    });
    expect(waybill.sortCode).toBe('010WE-571A');
    expect(waybill.printData?.qrCode).toContain(waybill.trackingNumber);
    expect(network.get(waybill.trackingNumber)?.destination.city).toBe('北京市');
  });

  it('returns the first waybill when the same request is repeated', async () => {
    const request = waybillRequest();
    const first = await provider().createWaybill(request);
    const again = await provider().createWaybill(request);
    expect(again.trackingNumber).toBe(first.trackingNumber);
  });

  it('cancels a waybill, and cancelling again is not an error', async () => {
    const request = waybillRequest();
    const waybill = await provider().createWaybill(request);
    const cancel = {
      carrier: 'SF' as const,
      trackingNumber: waybill.trackingNumber,
      requestId: request.requestId,
    };
    await provider().cancelWaybill(cancel);
    await provider().cancelWaybill(cancel);
    expect(network.get(waybill.trackingNumber)?.cancelledAt).toBeInstanceOf(Date);
  });

  it('refuses to cancel a parcel the courier already collected', async () => {
    const request = waybillRequest();
    const waybill = await provider().createWaybill(request);
    network.advance(waybill.trackingNumber);
    await expect(
      provider().cancelWaybill({
        carrier: 'SF',
        trackingNumber: waybill.trackingNumber,
        requestId: request.requestId,
      }),
    ).rejects.toThrow(RequestRejectedError);
  });

  it('needs a decrypted receiver', async () => {
    const request = waybillRequest({
      receiver: {
        protected: true,
        oaid: 'OAID123',
        tid: '4012345678901234567',
        address: { province: '北京市', city: '北京市', district: '朝阳区' },
      },
    });
    await expect(provider().createWaybill(request)).rejects.toThrow(/decrypted receiver/);
  });

  it('rejects a wrong checkword with SF’s digest error, which the adapter reports as an auth problem', async () => {
    const wrong = createSfWaybillProvider({ baseUrl, ...credentials, checkword: 'wrong' });
    const error = await wrong.createWaybill(waybillRequest()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('A1006');
  });

  it('accepts the encodeURIComponent digest flavour of SF’s Node demo, and answers the SF envelope', async () => {
    const msgData = JSON.stringify({
      language: 'zh-CN',
      trackingType: '1',
      trackingNumber: ['SF0000000000000'],
      methodType: '1',
      note: 'a b',
    });
    const timestamp = '1700000000';
    const nodeDigest = createHash('md5')
      .update(encodeURIComponent(msgData + timestamp + credentials.checkword))
      .digest('base64');
    expect(nodeDigest).not.toBe(sfMsgDigest(msgData, timestamp, credentials.checkword));
    const fields = {
      partnerID: credentials.partnerId,
      requestID: 'r1',
      serviceCode: 'EXP_RECE_SEARCH_ROUTES',
      timestamp,
      msgData,
    };
    const ok = await postForm(`${baseUrl}/std/service`, { ...fields, msgDigest: nodeDigest });
    expect(ok.body).toMatchObject({ apiResultCode: 'A1000', apiErrorMsg: '' });
    const inner = JSON.parse((ok.body as { apiResultData: string }).apiResultData);
    expect(inner).toMatchObject({
      success: true,
      msgData: { routeResps: [{ mailNo: 'SF0000000000000', routes: [] }] },
    });
    const bad = await postForm(`${baseUrl}/std/service`, {
      ...fields,
      msgDigest: 'AAAAAAAAAAAAAAAAAAAAAA==',
    });
    expect(bad.body).toMatchObject({ apiResultCode: 'A1006', apiResultData: null });
  });

  it('surfaces 429 as RateLimitedError with the Retry-After and 5xx as transient', async () => {
    faults.fail('EXP_RECE_CREATE_ORDER', 429, 1, 2);
    const limited = await provider()
      .createWaybill(waybillRequest())
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(2000);
    faults.fail('EXP_RECE_CREATE_ORDER', 503);
    await expect(provider().createWaybill(waybillRequest())).rejects.toThrow(TransientPlatformError);
    // The retry after the fault goes through.
    await expect(provider().createWaybill(waybillRequest())).resolves.toHaveProperty('trackingNumber');
  });

  it('follows the parcel through SF’s route query', async () => {
    const waybill = await provider().createWaybill(waybillRequest());
    const tracking = createSfTrackingProvider({ baseUrl, ...credentials });
    const empty = await tracking.query({
      carrier: 'SF',
      trackingNumber: waybill.trackingNumber,
      phone: '13800001234',
    });
    expect(empty).toMatchObject({ status: 'pending', events: [] });

    network.advance(waybill.trackingNumber, 4);
    const moving = await tracking.query({ carrier: 'SF', trackingNumber: waybill.trackingNumber });
    expect(moving.events.map((e) => e.status)).toEqual([
      'accepted',
      'in_transit',
      'in_transit',
      'out_for_delivery',
    ]);
    expect(moving.events[0]?.description).toContain('杭州');
    expect(moving.status).toBe('out_for_delivery');

    network.finish(waybill.trackingNumber);
    const done = await tracking.query({ carrier: 'SF', trackingNumber: waybill.trackingNumber });
    expect(done.status).toBe('delivered');
    expect(done.events.at(-1)?.at).toMatch(/\+08:00$/);
  });

  it('turns SF’s 流量受控 (A1005) into a rate limit', async () => {
    const limited = await startSimulator(sfSimulator, {
      network,
      partners: { [credentials.partnerId]: credentials.checkword },
      rateLimiter: new RateLimiter(1, 60_000),
    });
    try {
      const sf = createSfWaybillProvider({ baseUrl: limited.baseUrl, ...credentials });
      await sf.createWaybill(waybillRequest());
      const error = await sf.createWaybill(waybillRequest()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).code).toBe('A1005');
    } finally {
      await limited.app.close();
    }
  });
});
