import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParcelScenario } from '../../sandbox/carriers/index.js';
import { createShop } from '../support/fixtures.js';
import { handOver, setupCarrierAccounts } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';
import {
  shipmentState,
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  type ShipmentWorld,
} from './shipment-flow.js';

let ctx: ShipmentWorld;

/** Polled every second; "no scan" is a day away, so every exception here is one the carrier reported. */
beforeAll(async () => {
  ctx = await startShipmentWorld({ TRACKING_POLL_SECONDS: '1', TRACKING_NO_SCAN_SECONDS: '86400' });
});
afterAll(() => ctx.close());

async function openAlert(shopId: string) {
  const res = await ctx.api.inject({ method: 'GET', url: '/alerts', headers: ctx.ops });
  const alerts = res.json().alerts as Array<{
    kind: string;
    shopId: string | null;
    resolvedAt: string | null;
    message: string;
  }>;
  return alerts.find((a) => a.kind === 'shipment_exception' && a.shopId === shopId && !a.resolvedAt);
}

/** A shipped ZTO parcel whose journey then goes the way `scenario` says, all scans at once. */
async function parcelThat(scenario: ParcelScenario) {
  const shopId = await createShop(ctx.h.db, 'taobao');
  await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
  const orderId = await submitOwnOrder(ctx, shopId);
  const parcel = await toLabelled(ctx, orderId);
  await handOver(ctx.api, ctx.wh, parcel.parcelId);
  await expect.poll(async () => (await shipmentState(ctx, parcel.parcelId)).waitingFor).toBe('delivery');
  ctx.carriers.sandbox.network.script(parcel.trackingNumber, scenario);
  ctx.carriers.sandbox.network.finish(parcel.trackingNumber);
  return { shopId, orderId, ...parcel };
}

async function resolve(parcelId: string, action: 'resume' | 'lost', note: string) {
  const res = await ctx.api.inject({
    method: 'POST',
    url: `/shipments/${encodeURIComponent(parcelId)}/resolve`,
    headers: ctx.ops,
    payload: { action, note },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().state as { exception: unknown; waitingFor: string | null };
}

describe('carrier-reported exceptions wait for a person', () => {
  it.each([
    ['refused by the receiver', 'rejected', 'rejected', /receiver refused the parcel: .*收件人拒收/],
    ['returned to the sender', 'returned', 'returned', /returned to sender: .*退回件已签收/],
  ] as const)(
    'a parcel %s raises an alert and holds until ops mark it lost: closed as lost, the order asked to reship or refund',
    async (_name, scenario, kind, detail) => {
      const { shopId, orderId, parcelId } = await parcelThat(scenario);

      await waitForOrderStatus(ctx.h.db, orderId, 'exception');
      const state = await shipmentState(ctx, parcelId);
      expect(state.stage).toBe('exception');
      expect(state.exception).toMatchObject({ kind });
      expect(state.exception?.detail).toMatch(detail);
      expect(state.waitingFor).toBe(`a person to resolve the ${kind} (resume or mark lost)`);
      await expect
        .poll(() => openAlert(shopId))
        .toMatchObject({ message: expect.stringContaining(`${parcelId}: ${kind}: `) });
      const row = await ctx.h.db
        .selectFrom('shipments')
        .select(['exception_kind', 'exception_detail'])
        .where('id', '=', parcelId)
        .executeTakeFirstOrThrow();
      expect(row.exception_kind).toBe(kind);

      // The parcel has said all it will: nothing but a person moves the shipment now.
      await expect
        .poll(
          async () =>
            (
              await ctx.h.db
                .selectFrom('tracking_events')
                .select('status')
                .where('shipment_id', '=', parcelId)
                .execute()
            ).length,
        )
        .toBeGreaterThanOrEqual(5);
      expect((await shipmentState(ctx, parcelId)).waitingFor).toBe(state.waitingFor);

      const closed = await resolve(parcelId, 'lost', '联系买家后确认退回，转售后处理');
      expect(closed.exception).toBeNull();
      const result = await ctx.h.client.workflow.getHandle(`shipment:${parcelId}`).result();
      expect(result).toEqual({ stage: 'exception' });
      if (kind === 'rejected') {
        await recordHistory(ctx.h.client, `shipment:${parcelId}`, 'shipment-marked-lost-by-a-person');
      }
      const stages = (
        await ctx.h.db
          .selectFrom('shipment_events')
          .select('stage')
          .where('shipment_id', '=', parcelId)
          .orderBy('seq')
          .execute()
      ).map((e) => e.stage);
      expect(stages.slice(-3)).toEqual(['exception', 'marked_lost', 'lost']);
      // Closed as lost, like a parcel the carrier declared lost: off the open exceptions, the
      // shop's parcel alert resolved (no other parcel of the shop needs a person).
      const closedRow = await ctx.h.db
        .selectFrom('shipments')
        .select(['stage', 'exception_kind', 'exception_detail'])
        .where('id', '=', parcelId)
        .executeTakeFirstOrThrow();
      expect(closedRow).toEqual({
        stage: 'exception',
        exception_kind: 'lost',
        exception_detail: '联系买家后确认退回，转售后处理',
      });
      const listed = async (exception: 'open' | 'lost') => {
        const res = await ctx.api.inject({
          method: 'GET',
          url: `/shipments?exception=${exception}&orderId=${encodeURIComponent(orderId)}`,
          headers: ctx.ops,
        });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().shipments as { id: string }[]).map((x) => x.id);
      };
      expect(await listed('open')).toEqual([]);
      expect(await listed('lost')).toEqual([parcelId]);
      await expect.poll(() => openAlert(shopId)).toBeUndefined();
      // Closed as an exception, not delivered: the order asks a person to reship or refund it.
      await waitForOrderStatus(ctx.h.db, orderId, 'exception');
      const order = await waitForState(ctx.h.client, orderId, (st) =>
        (st.parcels ?? []).some((p) => p.parcelId === parcelId && p.lost),
      );
      expect(order.parcels?.find((p) => p.parcelId === parcelId)?.lost).toMatchObject({
        declaredBy: 'person',
        reason: '联系买家后确认退回，转售后处理',
        decision: null,
      });
    },
  );

  it('an address problem raises an alert; once customer service fixes it and resumes, the courier delivers', async () => {
    const { shopId, orderId, parcelId, trackingNumber } = await parcelThat('address_problem');

    await waitForOrderStatus(ctx.h.db, orderId, 'exception');
    const state = await shipmentState(ctx, parcelId);
    expect(state.exception).toMatchObject({ kind: 'address_problem' });
    expect(state.exception?.detail).toMatch(/^address problem: .*收件人地址不详/);
    expect(state.waitingFor).toBe('a person to resolve the address problem (resume or mark lost)');
    await expect.poll(() => openAlert(shopId)).toBeTruthy();

    const resumed = await resolve(parcelId, 'resume', '已联系买家更正门牌号');
    expect(resumed.exception).toBeNull();
    await expect.poll(() => openAlert(shopId)).toBeUndefined();

    ctx.carriers.sandbox.network.script(trackingNumber, 'redeliver');
    ctx.carriers.sandbox.network.finish(trackingNumber);
    await waitForOrderStatus(ctx.h.db, orderId, 'completed');
    const events = await ctx.h.db
      .selectFrom('shipment_events')
      .select(['stage', 'detail'])
      .where('shipment_id', '=', parcelId)
      .orderBy('seq')
      .execute();
    const stages = events.map((e) => e.stage);
    expect(stages.indexOf('exception')).toBeLessThan(stages.indexOf('exception_resolved'));
    expect(stages.at(-1)).toBe('delivered');
    expect(events.find((e) => e.stage === 'exception_resolved')?.detail).toMatchObject({
      action: 'resume',
      note: '已联系买家更正门牌号',
    });
  });
});
