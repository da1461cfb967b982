import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKdniaoProvider } from '../../integrations/carriers/kdniao/provider.js';
import { kdniaoDataSign } from '../../integrations/carriers/kdniao/sign.js';
import { createKuaidi100Provider } from '../../integrations/carriers/kuaidi100/provider.js';
import { kuaidi100PushSign, kuaidi100QuerySign } from '../../integrations/carriers/kuaidi100/sign.js';
import { handleTrackingPush } from '../../integrations/carriers/push.js';
import type { TrackingProvider } from '../../integrations/carriers/types.js';
import {
  AuthError,
  RateLimitedError,
  TransientPlatformError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import type { TrackingSnapshot } from '../../domain/carriers/tracking.js';
import { detectTrackingException } from '../../domain/carriers/tracking.js';
import { kdniaoSimulator } from '../../sandbox/carriers/kdniao.js';
import { kuaidi100Simulator } from '../../sandbox/carriers/kuaidi100.js';
import { CarrierNetwork, type NetworkPlace } from '../../sandbox/carriers/network.js';
import { PushLog } from '../../sandbox/carriers/push-log.js';
import {
  kdniaoExpectedSign,
  kuaidi100ExpectedPushSign,
  kuaidi100ExpectedQuerySign,
} from '../../sandbox/carriers/verify.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { postForm, startSimulator } from './support.js';

const HANGZHOU: NetworkPlace = { province: '浙江省', city: '杭州市', district: '西湖区' };
const BEIJING: NetworkPlace = { province: '北京市', city: '北京市', district: '朝阳区' };

describe('tracking signature vectors', () => {
  const v11 = {
    param:
      '{"com":"yunda","num":"3950055201640","phone":"","from":"","to":"","resultv2":"1","show":"0","order":"desc"}',
    key: 'testKey',
    customer: 'testCustomer',
    sign: '172DAE0FB21FB37619F76BC60EDB8316',
  };
  const v13 = {
    requestData: '{"OrderCode":"","ShipperCode":"SF","LogisticCode":"589707398027"}',
    appKey: 'testAppKey',
    sign: 'ZDdkODdmY2ZlNGMxYTM3ZWNmNDc4MTQ3OTU5YTA3YTU=',
  };

  it('#11 Kuaidi100 query sign, in the adapter and the simulator', () => {
    expect(kuaidi100QuerySign(v11.param, v11.key, v11.customer)).toBe(v11.sign);
    expect(kuaidi100ExpectedQuerySign(v11.param, v11.key, v11.customer)).toBe(v11.sign);
  });

  it('#12 Kuaidi100 push sign, in the adapter and the simulator', () => {
    expect(kuaidi100PushSign('{}', 'testSalt')).toBe('AD93B9455F8371D9A0E172A8D7B198FE');
    expect(kuaidi100ExpectedPushSign('{}', 'testSalt')).toBe('AD93B9455F8371D9A0E172A8D7B198FE');
  });

  it('#13 KDNiao DataSign is Base64 of the hex text, URL-encoded once on the wire', () => {
    expect(kdniaoDataSign(v13.requestData, v13.appKey)).toBe(v13.sign);
    expect(kdniaoExpectedSign(v13.requestData, v13.appKey)).toBe(v13.sign);
    expect(new URLSearchParams({ DataSign: kdniaoDataSign(v13.requestData, v13.appKey) }).toString()).toBe(
      'DataSign=ZDdkODdmY2ZlNGMxYTM3ZWNmNDc4MTQ3OTU5YTA3YTU%3D',
    );
  });
});

/** Our webhook: verifies pushes with the provider and keeps what arrived. */
async function startReceiver(provider: () => TrackingProvider) {
  const received: TrackingSnapshot[] = [];
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.post('/tracking/push', async (request, reply) => {
    const outcome = handleTrackingPush(provider(), request.body as string);
    received.push(...outcome.snapshots);
    return reply.code(outcome.status).type('application/json').send(outcome.body);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, received, callbackUrl: `${url}/tracking/push` };
}

describe('Kuaidi100 over HTTP', () => {
  const network = new CarrierNetwork();
  const faults = new FaultPlan();
  const pushLog = new PushLog();
  const account = { customer: 'NJSHOP-K100', key: 'k100-key' };
  let sim: { app: FastifyInstance; baseUrl: string };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const provider = (salt = 'k100-salt') =>
    createKuaidi100Provider({ baseUrl: sim.baseUrl, ...account, salt });

  beforeAll(async () => {
    sim = await startSimulator(kuaidi100Simulator, {
      network,
      accounts: { [account.customer]: account.key },
      pushLog,
      faults,
    });
    receiver = await startReceiver(() => provider());
  });
  afterAll(async () => {
    await sim.app.close();
    await receiver.app.close();
  });

  it('reports a parcel with no scans as pending, then its route with mapped statuses', async () => {
    const parcel = network.register({ carrier: 'YUNDA', origin: HANGZHOU, destination: BEIJING });
    const query = { carrier: 'YUNDA' as const, trackingNumber: parcel.trackingNumber };
    expect(await provider().query(query)).toMatchObject({ status: 'pending', events: [] });

    network.advance(parcel.trackingNumber, 4);
    const moving = await provider().query(query);
    expect(moving.status).toBe('out_for_delivery');
    expect(moving.events.map((e) => e.status)).toEqual([
      'accepted',
      'in_transit',
      'in_transit',
      'out_for_delivery',
    ]);
    expect(moving.events[0]).toMatchObject({ location: '杭州市' });
    expect(moving.events[3]?.description).toContain('正在为您派件');
  });

  it('needs the phone for SF numbers, as Kuaidi100 does', async () => {
    const parcel = network.register({ carrier: 'SF', origin: HANGZHOU, destination: BEIJING });
    network.advance(parcel.trackingNumber);
    await expect(provider().query({ carrier: 'SF', trackingNumber: parcel.trackingNumber })).rejects.toThrow(
      /手机号/,
    );
    const withPhone = await provider().query({
      carrier: 'SF',
      trackingNumber: parcel.trackingNumber,
      phone: '13800001234',
    });
    expect(withPhone.status).toBe('accepted');
  });

  it('rejects a wrong key as an auth problem', async () => {
    const wrong = createKuaidi100Provider({
      baseUrl: sim.baseUrl,
      customer: account.customer,
      key: 'nope',
      salt: 's',
    });
    const parcel = network.register({ carrier: 'ZTO', origin: HANGZHOU, destination: BEIJING });
    await expect(wrong.query({ carrier: 'ZTO', trackingNumber: parcel.trackingNumber })).rejects.toThrow(
      AuthError,
    );
  });

  it('pushes every scan of a subscribed parcel to our webhook, signed with our salt', async () => {
    const parcel = network.register({ carrier: 'ZTO', origin: HANGZHOU, destination: BEIJING });
    const subscription = {
      carrier: 'ZTO' as const,
      trackingNumber: parcel.trackingNumber,
      callbackUrl: receiver.callbackUrl,
    };
    await provider().subscribe!(subscription);
    await provider().subscribe!(subscription); // 重复订阅 is fine

    network.advance(parcel.trackingNumber);
    const first = await pushLog.waitFor((r) => r.trackingNumber === parcel.trackingNumber && r.acknowledged);
    expect(first.reply).toBe('{"result":true,"returnCode":"200","message":"成功"}');

    network.finish(parcel.trackingNumber);
    await pushLog.waitFor(
      (r) =>
        r.trackingNumber === parcel.trackingNumber &&
        r.acknowledged &&
        JSON.parse(r.fields.param!).status === 'shutdown',
    );
    await expect
      .poll(() => receiver.received.filter((s) => s.trackingNumber === parcel.trackingNumber).at(-1)?.status)
      .toBe('delivered');
    const last = receiver.received.filter((s) => s.trackingNumber === parcel.trackingNumber).at(-1)!;
    expect(last.events.map((e) => e.status)).toEqual([
      'accepted',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
  });

  it('refuses a push whose signature does not match', async () => {
    const param = JSON.stringify({
      status: 'polling',
      lastResult: { nu: 'x', com: 'zhongtong', state: '3', data: [] },
    });
    expect(() =>
      provider().parsePush!(
        new URLSearchParams({ param, sign: 'AD93B9455F8371D9A0E172A8D7B198FE' }).toString(),
      ),
    ).toThrow(WebhookSignatureError);
    const response = await fetch(receiver.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ param, sign: kuaidi100PushSign(param, 'someone-elses-salt') }).toString(),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ result: false, returnCode: '500' });
  });

  it('a push signed with another salt is not acknowledged by our webhook', async () => {
    const parcel = network.register({ carrier: 'STO', origin: HANGZHOU, destination: BEIJING });
    await provider('a-different-salt').subscribe!({
      carrier: 'STO',
      trackingNumber: parcel.trackingNumber,
      callbackUrl: receiver.callbackUrl,
    });
    network.advance(parcel.trackingNumber);
    const record = await pushLog.waitFor((r) => r.trackingNumber === parcel.trackingNumber);
    expect(record).toMatchObject({ status: 400, acknowledged: false });
  });

  it('surfaces 429 as RateLimitedError and 5xx as transient', async () => {
    const parcel = network.register({ carrier: 'ZTO', origin: HANGZHOU, destination: BEIJING });
    faults.fail('query', 429, 1, 1);
    await expect(provider().query({ carrier: 'ZTO', trackingNumber: parcel.trackingNumber })).rejects.toThrow(
      RateLimitedError,
    );
    faults.fail('subscribe', 500);
    await expect(
      provider().subscribe!({
        carrier: 'ZTO',
        trackingNumber: parcel.trackingNumber,
        callbackUrl: receiver.callbackUrl,
      }),
    ).rejects.toThrow(TransientPlatformError);
  });
});

describe('KDNiao over HTTP', () => {
  const network = new CarrierNetwork();
  const faults = new FaultPlan();
  const pushLog = new PushLog();
  const account = { eBusinessId: '1234567', appKey: 'kdn-app-key' };
  let sim: { app: FastifyInstance; baseUrl: string };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const provider = () => createKdniaoProvider({ baseUrl: sim.baseUrl, ...account });

  beforeAll(async () => {
    receiver = await startReceiver(() => provider());
    sim = await startSimulator(kdniaoSimulator, {
      network,
      accounts: { [account.eBusinessId]: { appKey: account.appKey, pushUrl: receiver.callbackUrl } },
      pushLog,
      faults,
    });
  });
  afterAll(async () => {
    await sim.app.close();
    await receiver.app.close();
  });

  it('queries a route, reading out-for-delivery and returns from the trace text', async () => {
    const parcel = network.register({
      carrier: 'ZTO',
      origin: HANGZHOU,
      destination: BEIJING,
      scenario: 'returned',
    });
    const query = { carrier: 'ZTO' as const, trackingNumber: parcel.trackingNumber };
    expect(await provider().query(query)).toMatchObject({ status: 'pending', events: [] });
    network.advance(parcel.trackingNumber, 4);
    expect((await provider().query(query)).status).toBe('out_for_delivery');
    network.finish(parcel.trackingNumber);
    const done = await provider().query(query);
    expect(done.events.map((e) => e.status).slice(-3)).toEqual(['exception', 'returning', 'returned']);
    expect(done.status).toBe('returned');
  });

  it('rejects a wrong AppKey as an auth problem', async () => {
    const wrong = createKdniaoProvider({
      baseUrl: sim.baseUrl,
      eBusinessId: account.eBusinessId,
      appKey: 'nope',
    });
    await expect(wrong.query({ carrier: 'ZTO', trackingNumber: '780000000001' })).rejects.toThrow(AuthError);
  });

  it('pushes subscribed parcels to the account’s push URL with a DataSign our webhook verifies', async () => {
    const parcel = network.register({ carrier: 'YTO', origin: HANGZHOU, destination: BEIJING });
    await provider().subscribe!({
      carrier: 'YTO',
      trackingNumber: parcel.trackingNumber,
      callbackUrl: receiver.callbackUrl,
    });
    network.advance(parcel.trackingNumber, 2);
    await pushLog.waitFor((r) => r.trackingNumber === parcel.trackingNumber && r.acknowledged);
    await expect
      .poll(
        () =>
          receiver.received.filter((s) => s.trackingNumber === parcel.trackingNumber).at(-1)?.events.length,
      )
      .toBe(2);
    const last = receiver.received.filter((s) => s.trackingNumber === parcel.trackingNumber).at(-1)!;
    expect(last).toMatchObject({ carrier: 'YTO', source: 'kdniao', status: 'in_transit' });
  });

  it('refuses a push with a forged DataSign', () => {
    const requestData = JSON.stringify({
      Data: [{ ShipperCode: 'YTO', LogisticCode: 'YT1', State: '3', Traces: [] }],
    });
    const forged = new URLSearchParams({
      RequestData: requestData,
      DataSign: kdniaoDataSign(requestData, 'other'),
      RequestType: '101',
    });
    expect(() => provider().parsePush!(forged.toString())).toThrow(WebhookSignatureError);
    expect(JSON.parse(provider().pushRejectionReply!('bad sign'))).toMatchObject({
      Success: false,
      Reason: 'bad sign',
    });
  });

  it('surfaces 429 as RateLimitedError and 5xx as transient', async () => {
    faults.fail('1002', 429, 1, 4);
    const limited = await provider()
      .query({ carrier: 'ZTO', trackingNumber: '780000000001' })
      .catch((e: unknown) => e);
    expect((limited as RateLimitedError).retryAfterMs).toBe(4000);
    faults.fail('1008', 503);
    await expect(
      provider().subscribe!({
        carrier: 'ZTO',
        trackingNumber: '780000000001',
        callbackUrl: receiver.callbackUrl,
      }),
    ).rejects.toThrow(TransientPlatformError);
  });
});

describe('tracking exceptions on the simulated network', () => {
  let clock = Date.parse('2026-03-02T09:00:00+08:00');
  const network = new CarrierNetwork(() => new Date(clock));
  const snapshotOf = (trackingNumber: string) =>
    network.get(trackingNumber)!.scans.map((s) => ({
      at: s.at.toISOString(),
      status:
        s.kind === 'collected'
          ? ('accepted' as const)
          : s.kind === 'problem'
            ? ('exception' as const)
            : s.kind === 'rejected'
              ? ('rejected' as const)
              : ('in_transit' as const),
      description: s.context,
    }));

  it('moves parcels on the injected clock', () => {
    const parcel = network.register({ carrier: 'ZTO', origin: HANGZHOU, destination: BEIJING });
    clock += 21 * 3_600_000;
    expect(network.get(parcel.trackingNumber)!.scans.map((s) => s.kind)).toEqual([
      'collected',
      'departed',
      'arrived',
    ]);
    clock += 10 * 3_600_000;
    expect(network.get(parcel.trackingNumber)!.scans.at(-1)?.kind).toBe('signed');
  });

  it('flags a parcel with no scan for the configured hours', () => {
    const parcel = network.register({
      carrier: 'ZTO',
      origin: HANGZHOU,
      destination: BEIJING,
      scenario: 'no_scan',
    });
    clock += 6 * 3_600_000;
    const events = snapshotOf(parcel.trackingNumber);
    expect(events).toHaveLength(2);
    expect(detectTrackingException(events, new Date(clock), { noScanHours: 48 })).toBeUndefined();
    clock += 48 * 3_600_000;
    const found = detectTrackingException(snapshotOf(parcel.trackingNumber), new Date(clock), {
      noScanHours: 48,
    });
    expect(found).toMatchObject({ kind: 'no_scan' });
    expect(found?.message).toMatch(/^no scan for 4\d h since "【杭州市】快件已从 杭州转运中心 发出/);
  });

  it('tells an address problem from other problem parcels, and spots refusals', () => {
    const address = network.register({
      carrier: 'YTO',
      origin: HANGZHOU,
      destination: BEIJING,
      scenario: 'address_problem',
    });
    const lost = network.register({
      carrier: 'YTO',
      origin: HANGZHOU,
      destination: BEIJING,
      scenario: 'lost',
    });
    const refused = network.register({ carrier: 'YTO', origin: HANGZHOU, destination: BEIJING });
    network.script(refused.trackingNumber, 'rejected');
    for (const p of [address, lost, refused]) network.finish(p.trackingNumber);
    const now = new Date(clock);
    expect(detectTrackingException(snapshotOf(address.trackingNumber), now, { noScanHours: 48 })?.kind).toBe(
      'address_problem',
    );
    expect(detectTrackingException(snapshotOf(lost.trackingNumber), now, { noScanHours: 48 })?.kind).toBe(
      'problem_parcel',
    );
    expect(detectTrackingException(snapshotOf(refused.trackingNumber), now, { noScanHours: 48 })?.kind).toBe(
      'rejected',
    );
  });
});

describe('each tracking service answers a bad signature in its own shape', () => {
  const network = new CarrierNetwork();
  const pushLog = new PushLog();
  let k100: { app: FastifyInstance; baseUrl: string };
  let kdn: { app: FastifyInstance; baseUrl: string };

  beforeAll(async () => {
    k100 = await startSimulator(kuaidi100Simulator, { network, accounts: { C1: 'K1' }, pushLog });
    kdn = await startSimulator(kdniaoSimulator, { network, accounts: { '1001': { appKey: 'A1' } }, pushLog });
  });
  afterAll(async () => {
    await k100.app.close();
    await kdn.app.close();
  });

  it('Kuaidi100: result false with returnCode 503', async () => {
    const param = '{"com":"zhongtong","num":"780000000001"}';
    const bad = await postForm(`${k100.baseUrl}/poll/query.do`, {
      customer: 'C1',
      sign: '0'.repeat(32),
      param,
    });
    expect(bad.body).toEqual({ result: false, returnCode: '503', message: '验证签名失败' });
    const good = await postForm(`${k100.baseUrl}/poll/query.do`, {
      customer: 'C1',
      sign: kuaidi100QuerySign(param, 'K1', 'C1'),
      param,
    });
    expect(good.body).toMatchObject({ result: false, returnCode: '500' });
  });

  it('KDNiao: Success false with a Reason', async () => {
    const requestData = '{"OrderCode":"","ShipperCode":"ZTO","LogisticCode":"780000000001"}';
    const fields = { RequestData: requestData, EBusinessID: '1001', RequestType: '1002', DataType: '2' };
    const bad = await postForm(`${kdn.baseUrl}/Ebusiness/EbusinessOrderHandle.aspx`, {
      ...fields,
      DataSign: 'AAAA',
    });
    expect(bad.body).toEqual({ EBusinessID: '1001', Success: false, Reason: '数据签名验证失败' });
    const good = await postForm(`${kdn.baseUrl}/Ebusiness/EbusinessOrderHandle.aspx`, {
      ...fields,
      DataSign: kdniaoDataSign(requestData, 'A1'),
    });
    expect(good.body).toMatchObject({ Success: true, State: '0', Traces: [] });
  });
});
