import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleTrackingPush } from '../../integrations/carriers/push.js';
import { SF_PUSH_OK, sfPushTokenMatches } from '../../integrations/carriers/sf/route-push.js';
import { createSfTrackingProvider } from '../../integrations/carriers/sf/routes.js';
import { createSfWaybillProvider } from '../../integrations/carriers/sf/waybill.js';
import type { TrackingSnapshot } from '../../domain/carriers/tracking.js';
import { CarrierNetwork } from '../../sandbox/carriers/network.js';
import { PushLog } from '../../sandbox/carriers/push-log.js';
import { sfSimulator } from '../../sandbox/carriers/sf.js';
import { startSimulator, waybillRequest } from './support.js';

const TOKEN = 'sf-push-token-0123456789';
const credentials = { partnerId: 'NJSHOP', checkword: 'sf-checkword-1', monthlyCard: '7551234567' };

/**
 * The route push as SF documents it for the json method (丰桥 RoutePushService, mirrored at
 * showdoc.com.cn/hnqiao; field set and values as community receivers log it): one route node.
 */
const DOCUMENTED_PUSH = {
  Body: {
    WaybillRoute: [
      {
        mailno: 'SF7444400043266',
        acceptAddress: '深圳市',
        reasonName: '',
        orderid: '202003225d33322239ddW1df5t3',
        acceptTime: '2020-05-11 16:56:54',
        remark: '顺丰速运 已收取快件',
        opCode: '50',
        id: '158918741444476',
        reasonCode: '',
      },
    ],
  },
};

const receiverProvider = (pushToken?: string) =>
  createSfTrackingProvider({
    baseUrl: 'http://127.0.0.1:9',
    ...credentials,
    ...(pushToken ? { pushToken } : {}),
  });

/** Our side of the push: the adapter verifies and reads, answering in SF's reply format. */
async function startReceiver() {
  const received: TrackingSnapshot[] = [];
  const statuses: number[] = [];
  const app = Fastify({ logger: false });
  app.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'string' },
    (_r, body, done) => done(null, body),
  );
  app.post('/webhooks/tracking/sf', async (request, reply) => {
    const outcome = handleTrackingPush(receiverProvider(TOKEN), request.body as string, {
      query: request.query as Record<string, string>,
      contentType: request.headers['content-type'] ?? '',
    });
    received.push(...outcome.snapshots);
    statuses.push(outcome.status);
    return reply.code(outcome.status).type('application/json').send(outcome.body);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, received, statuses, url: `${url}/webhooks/tracking/sf` };
}

describe('SF route push format (json method)', () => {
  const push = (
    body: unknown,
    query: Record<string, string> = { token: TOKEN },
    contentType = 'application/json',
  ) =>
    handleTrackingPush(receiverProvider(TOKEN), typeof body === 'string' ? body : JSON.stringify(body), {
      query,
      contentType,
    });

  it('reads the documented push into a snapshot and answers return_code 0000', () => {
    const outcome = push(DOCUMENTED_PUSH);
    expect(outcome.status).toBe(200);
    expect(JSON.parse(outcome.body)).toEqual({ return_code: '0000', return_msg: '成功' });
    expect(outcome.snapshots).toEqual([
      {
        carrier: 'SF',
        trackingNumber: 'SF7444400043266',
        status: 'accepted',
        source: 'sf',
        events: [
          {
            at: '2020-05-11T16:56:54+08:00',
            status: 'accepted',
            description: '顺丰速运 已收取快件',
            location: '深圳市',
          },
        ],
      },
    ]);
  });

  it('groups a batch by waybill, oldest scan first', () => {
    const route = DOCUMENTED_PUSH.Body.WaybillRoute[0]!;
    const outcome = push({
      Body: {
        WaybillRoute: [
          {
            ...route,
            id: '3',
            acceptTime: '2020-05-12 09:10:00',
            remark: '快件已签收，签收人：本人',
            opCode: '80',
          },
          { ...route, id: '2', acceptTime: '2020-05-12 08:00:00', remark: '快件派送中', opCode: '44' },
          { ...route, id: '4', mailno: 'SF1000000000001', acceptTime: '2020-05-12 08:30:00' },
        ],
      },
    });
    expect(outcome.snapshots.map((s) => [s.trackingNumber, s.status, s.events.map((e) => e.status)])).toEqual(
      [
        ['SF7444400043266', 'delivered', ['out_for_delivery', 'delivered']],
        ['SF1000000000001', 'accepted', ['accepted']],
      ],
    );
  });

  it('refuses a push without our token, or with another, as 401 in SF’s failure shape', () => {
    const queries: Array<Record<string, string>> = [{}, { token: 'someone-elses-token-000' }];
    for (const query of queries) {
      const outcome = push(DOCUMENTED_PUSH, query);
      expect(outcome.status).toBe(401);
      expect(outcome.snapshots).toEqual([]);
      expect(JSON.parse(outcome.body)).toMatchObject({ return_code: '1000' });
    }
    expect(JSON.parse(push(DOCUMENTED_PUSH, {}).body).return_msg).toMatch(/without \?token=/);
    expect(sfPushTokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(sfPushTokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
  });

  it('refuses bodies that are not an SF route push with 400, naming the field', () => {
    const route = DOCUMENTED_PUSH.Body.WaybillRoute[0]!;
    const cases: Array<[unknown, RegExp]> = [
      [{ Body: { WaybillRoute: [{ ...route, mailno: undefined }] } }, /Body\.WaybillRoute\.0\.mailno/],
      [
        { Body: { WaybillRoute: [{ ...route, acceptTime: 'yesterday' }] } },
        /acceptTime: is not a China time/,
      ],
      [{ Body: { WaybillRoute: [] } }, /Body\.WaybillRoute: has no routes/],
      [
        { Body: { WaybillRoute: Array.from({ length: 11 }, (_, i) => ({ ...route, id: String(i) })) } },
        /more than 10/,
      ],
      [{ lastResult: { nu: 'x' } }, /Body/],
      ['{"Body":', /not JSON/],
    ];
    for (const [body, message] of cases) {
      const outcome = push(body);
      expect(outcome.status, JSON.stringify(body)).toBe(400);
      expect(outcome.snapshots).toEqual([]);
      const reply = JSON.parse(outcome.body) as { return_code: string; return_msg: string };
      expect(reply.return_code).toBe('1000');
      expect(reply.return_msg).toMatch(message);
    }
  });

  it('does not read the form method’s XML: the console must be set to json', () => {
    const xml = `<Request service="RoutePushService" lang="zh-CN"><Body><WaybillRoute id="1" mailno="SF1" acceptTime="2020-05-11 16:56:54" remark="已收取快件" opCode="50"/></Body></Request>`;
    const outcome = push(
      new URLSearchParams({ content: xml }).toString(),
      { token: TOKEN },
      'application/x-www-form-urlencoded',
    );
    expect(outcome.status).toBe(400);
    expect(JSON.parse(outcome.body).return_msg).toMatch(/json method/);
  });

  it('without a push token the SF provider takes no pushes and parcels are polled', () => {
    const provider = receiverProvider();
    expect(provider.parsePush).toBeUndefined();
    expect(provider.subscribe).toBeUndefined();
    expect(receiverProvider(TOKEN).subscribe).toBeTypeOf('function');
  });
});

describe('SF simulator pushes routes of its own orders', () => {
  const network = new CarrierNetwork();
  const pushLog = new PushLog();
  let pushUrl: string | undefined;
  let sim: { app: FastifyInstance; baseUrl: string };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const waybills = () => createSfWaybillProvider({ baseUrl: sim.baseUrl, ...credentials });

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startSimulator(sfSimulator, {
      network,
      partners: { [credentials.partnerId]: credentials.checkword },
      pushUrl: (partner) => (partner === credentials.partnerId ? pushUrl : undefined),
      pushLog,
      pushRetryDelayMs: 50,
    });
  });
  afterAll(async () => {
    await sim.app.close();
    await receiver.app.close();
  });

  it('posts each new scan as JSON our adapter reads, acknowledged with 0000, until delivered', async () => {
    pushUrl = `${receiver.url}?token=${TOKEN}`;
    const request = waybillRequest();
    const waybill = await waybills().createWaybill(request);
    network.advance(waybill.trackingNumber, 2);
    await pushLog.waitFor(
      (r) => r.trackingNumber === waybill.trackingNumber && r.acknowledged && /发出/.test(r.body ?? ''),
    );
    const first = pushLog.records.find((r) => r.trackingNumber === waybill.trackingNumber)!;
    expect(first).toMatchObject({ service: 'sf', attempt: 1, status: 200, reply: SF_PUSH_OK });
    const route = JSON.parse(first.body!).Body.WaybillRoute[0];
    // SF says which of our orders the route belongs to: the waybill request id.
    expect(route).toMatchObject({ mailno: waybill.trackingNumber, orderid: request.requestId, opCode: '50' });
    expect(route.id).toMatch(/^\d{15}$/);

    network.finish(waybill.trackingNumber);
    await expect
      .poll(() => receiver.received.filter((s) => s.trackingNumber === waybill.trackingNumber).length)
      .toBe(5);
    const events = receiver.received
      .filter((s) => s.trackingNumber === waybill.trackingNumber)
      .flatMap((s) => s.events)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    expect(events.map((e) => e.status)).toEqual([
      'accepted',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
  });

  it('pushes a refused route three times, and our webhook changes nothing', async () => {
    pushUrl = `${receiver.url}?token=not-our-token-at-all`;
    const waybill = await waybills().createWaybill(waybillRequest());
    const before = receiver.received.length;
    network.advance(waybill.trackingNumber);
    await pushLog.waitFor((r) => r.trackingNumber === waybill.trackingNumber && r.attempt === 3);
    const attempts = pushLog.records.filter((r) => r.trackingNumber === waybill.trackingNumber);
    expect(attempts.map((r) => [r.attempt, r.status, r.acknowledged])).toEqual([
      [1, 401, false],
      [2, 401, false],
      [3, 401, false],
    ]);
    expect(JSON.parse(attempts[0]!.reply!)).toMatchObject({ return_code: '1000' });
    expect(receiver.received.length).toBe(before);
  });

  it('pushes only waybills ordered through SF, not SF waybills from Cainiao', async () => {
    pushUrl = `${receiver.url}?token=${TOKEN}`;
    const ours = await waybills().createWaybill(waybillRequest());
    const viaCainiao = network.register({
      carrier: 'SF',
      origin: { province: '浙江省', city: '杭州市' },
      destination: { province: '北京市', city: '北京市' },
    });
    network.advance(viaCainiao.trackingNumber);
    network.advance(ours.trackingNumber);
    await pushLog.waitFor((r) => r.trackingNumber === ours.trackingNumber && r.acknowledged);
    expect(pushLog.records.some((r) => r.trackingNumber === viaCainiao.trackingNumber)).toBe(false);
  });
});
