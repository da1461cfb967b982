import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCarrierServices } from '../../integrations/carriers/services.js';
import { buildServer } from '../../api/server.js';
import { createShop } from '../support/fixtures.js';
import { handOver, setupCarrierAccounts } from '../support/fulfilment.js';
import { waitForOrderStatus } from '../support/waits.js';
import { freePort } from '../support/free-port.js';
import {
  shipmentState,
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  trackingPolls,
  type ShipmentWorld,
} from './shipment-flow.js';

const SF_PUSH_TOKEN = 'erp-sf-route-push-0123456789';

let ctx: ShipmentWorld;
let apiUrl: string;

/**
 * The API listens on a real port that the simulated carriers push to (API_PUBLIC_URL), and
 * polling is an hour apart: whatever moves a parcel here came in through a webhook.
 */
beforeAll(async () => {
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  ctx = await startShipmentWorld(
    {
      API_PUBLIC_URL: apiUrl,
      SF_PUSH_TOKEN,
      TRACKING_POLL_SECONDS: '3600',
      TRACKING_NO_SCAN_SECONDS: '86400',
    },
    { port },
  );
  // What the seller enters as the route-push URL in the 丰桥 console.
  ctx.carriers.sandbox.accounts.sf.pushUrl = `${apiUrl}/webhooks/tracking/sf?token=${SF_PUSH_TOKEN}`;
});
afterAll(() => ctx.close());

const pushesFor = (trackingNumber: string) =>
  ctx.carriers.sandbox.pushLog.records.filter((r) => r.trackingNumber === trackingNumber);

/** Hands the parcel over and waits until the shipment follows it (subscribed, tracking uploaded). */
async function shipped(parcelId: string) {
  await handOver(ctx.api, ctx.wh, parcelId);
  await expect.poll(async () => (await shipmentState(ctx, parcelId)).waitingFor).toBe('delivery');
}

async function trackingSources(parcelId: string) {
  const rows = await ctx.h.db
    .selectFrom('tracking_events')
    .select('source')
    .where('shipment_id', '=', parcelId)
    .execute();
  return [...new Set(rows.map((r) => r.source))];
}

describe('tracking pushes into running shipments', () => {
  it('Kuaidi100 pushes a subscribed ZTO parcel through /webhooks/tracking/kuaidi100 to delivered', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
    const orderId = await submitOwnOrder(ctx, shopId);
    const { parcelId, trackingNumber, carrier } = await toLabelled(ctx, orderId);
    expect(carrier).toBe('ZTO');
    await shipped(parcelId);

    ctx.carriers.sandbox.network.advance(trackingNumber);
    await expect.poll(async () => (await shipmentState(ctx, parcelId)).stage).toBe('in_transit');
    ctx.carriers.sandbox.network.finish(trackingNumber);
    await waitForOrderStatus(ctx.h.db, orderId, 'completed');

    const pushes = pushesFor(trackingNumber);
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    expect(
      pushes.every((r) => r.service === 'kuaidi100' && r.url === `${apiUrl}/webhooks/tracking/kuaidi100`),
    ).toBe(true);
    expect(pushes.every((r) => r.acknowledged)).toBe(true);
    const shipment = await ctx.h.db
      .selectFrom('shipments')
      .select(['stage', 'first_scan_at', 'delivered_at'])
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(shipment.stage).toBe('delivered');
    expect(shipment.first_scan_at).toBeInstanceOf(Date);
    expect(shipment.delivered_at).toBeInstanceOf(Date);
    expect(await trackingSources(parcelId)).toEqual(['kuaidi100']);
    expect(await trackingPolls(ctx, parcelId)).toBe(0);
  });

  it('SF pushes an SF direct parcel through /webhooks/tracking/sf, with no subscription and no poll', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await setupCarrierAccounts(ctx.h.db, shopId, ['SF']);
    const orderId = await submitOwnOrder(ctx, shopId);
    const { parcelId, trackingNumber, carrier } = await toLabelled(ctx, orderId);
    expect(carrier).toBe('SF');
    await shipped(parcelId);

    // One scan at a time, as a courier scans: each is pushed and acknowledged before the next.
    for (let scan = 1; scan <= 5; scan++) {
      ctx.carriers.sandbox.network.advance(trackingNumber);
      await expect.poll(() => pushesFor(trackingNumber).filter((r) => r.acknowledged).length).toBe(scan);
    }
    await waitForOrderStatus(ctx.h.db, orderId, 'completed');
    const pushes = pushesFor(trackingNumber);
    expect(pushes.map((r) => [r.service, r.status, r.acknowledged])).toEqual(
      Array.from({ length: 5 }, () => ['sf', 200, true]),
    );
    const events = await ctx.h.db
      .selectFrom('tracking_events')
      .select(['status', 'source'])
      .where('shipment_id', '=', parcelId)
      .orderBy('at')
      .execute();
    expect(events.map((e) => e.status)).toEqual([
      'accepted',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    expect(await trackingSources(parcelId)).toEqual(['sf']);
    expect(await trackingPolls(ctx, parcelId)).toBe(0);
    // Kuaidi100 was never asked about the SF parcel.
    expect(pushes.some((r) => r.service === 'kuaidi100')).toBe(false);
  });
});

describe('the SF route-push webhook refuses what SF did not send', () => {
  const route = {
    id: '158918741444476',
    mailno: 'SF0000000000001',
    orderid: 'no-such-order',
    acceptTime: '2026-03-01 10:00:00',
    acceptAddress: '杭州市',
    remark: '顺丰速运 已收取快件',
    opCode: '50',
  };
  const post = (url: string, payload: unknown) =>
    ctx.api.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });

  it('401 without our token or with another, in SF’s reply shape', async () => {
    for (const url of ['/webhooks/tracking/sf', '/webhooks/tracking/sf?token=guessed-token-000000']) {
      const res = await post(url, { Body: { WaybillRoute: [route] } });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ return_code: '1000' });
    }
  });

  it('400 naming the field for a body that is not a route push', async () => {
    const res = await post(`/webhooks/tracking/sf?token=${SF_PUSH_TOKEN}`, {
      Body: { WaybillRoute: [{ ...route, acceptTime: undefined }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().return_msg).toMatch(/Body\.WaybillRoute\.0\.acceptTime/);
  });

  it('acknowledges a waybill we do not ship (SF would push it again otherwise) and changes nothing', async () => {
    const res = await post(`/webhooks/tracking/sf?token=${SF_PUSH_TOKEN}`, {
      Body: { WaybillRoute: [route] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ return_code: '0000', return_msg: '成功' });
    expect(
      await ctx.h.db
        .selectFrom('shipments')
        .select('id')
        .where('tracking_number', '=', route.mailno)
        .execute(),
    ).toEqual([]);
  });

  it('404 where no push token is configured', async () => {
    const { SF_PUSH_TOKEN: _unused, ...config } = ctx.h.config;
    const bare = await buildServer({
      db: ctx.h.db,
      temporal: ctx.h.client,
      config,
      carriers: createCarrierServices(config),
      logger: false,
    });
    try {
      const res = await bare.inject({
        method: 'POST',
        url: `/webhooks/tracking/sf?token=${SF_PUSH_TOKEN}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ Body: { WaybillRoute: [route] } }),
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toBe('sf tracking pushes are not configured');
    } finally {
      await bare.close();
    }
  });
});
