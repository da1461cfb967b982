import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { withRefund } from '../../services/capture/refunds.js';
import { orderSnapshotQuery, orderSnapshotSignal } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import {
  handOver,
  packParcel,
  setupCarrierAccounts,
  waitForShipments,
  workWave,
} from '../support/fulfilment.js';
import { PATIENCE_MS, waitForOrderStatus, waitForState } from '../support/waits.js';
import {
  shipmentState,
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  type ShipmentWorld,
} from '../carriers/shipment-flow.js';

let ctx: ShipmentWorld;
let cs: { authorization: string };

/**
 * Polled every second; a parcel no carrier scans for 5 s after handover is lost ("no scan" is a day
 * away, so silence goes straight to lost). Parcels meant to arrive get their scans before handover.
 */
beforeAll(async () => {
  ctx = await startShipmentWorld({
    TRACKING_POLL_SECONDS: '1',
    TRACKING_NO_SCAN_SECONDS: '86400',
    PARCEL_LOST_AFTER_SECONDS: '5',
  });
  cs = bearer(await apiKeyFor(ctx.h.db, ['customer-service']));
});
afterAll(() => ctx.close());

async function lostOrder(how: 'carrier' | 'silence') {
  const shopId = await createShop(ctx.h.db, 'taobao');
  await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
  const orderId = await submitOwnOrder(ctx, shopId);
  const parcel = await toLabelled(ctx, orderId);
  if (how === 'carrier') {
    // The carrier collects it, then reports it lost (快件遗失): its first scan hands it over.
    ctx.carriers.sandbox.network.script(parcel.trackingNumber, 'lost');
    ctx.carriers.sandbox.network.finish(parcel.trackingNumber);
  } else {
    await handOver(ctx.api, ctx.wh, parcel.parcelId);
  }
  const state = await waitForState(ctx.h.client, orderId, (s) => s.parcels.some((p) => p.lost));
  return { shopId, orderId, ...parcel, state };
}

function decide(
  orderId: string,
  parcelId: string,
  body: unknown,
  headers: Record<string, string> = { ...cs, 'idempotency-key': uniqueId('lost') },
) {
  return ctx.api.inject({
    method: 'POST',
    url: `/orders/${encodeURIComponent(orderId)}/lost-parcels/${encodeURIComponent(parcelId)}`,
    headers,
    payload: body as Record<string, unknown>,
  });
}

async function timeline(orderId: string) {
  const rows = await ctx.h.db
    .selectFrom('order_events')
    .select(['stage', 'actor', 'detail'])
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  return rows;
}

async function orderDetail(orderId: string) {
  const res = await ctx.api.inject({
    method: 'GET',
    url: `/orders/${encodeURIComponent(orderId)}`,
    headers: ctx.ops,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    order: { status: string };
    state: { parcels: Array<{ parcelId: string; stage: string; lost?: Record<string, unknown> }> } | null;
  };
}

/** The alerts list as ops read it. */
async function openAlerts(): Promise<unknown[]> {
  return (await ctx.api.inject({ method: 'GET', url: '/alerts', headers: ctx.ops })).json()
    .alerts as unknown[];
}

describe('a lost parcel comes to a person to reship or refund', () => {
  it('reships a parcel the carrier reports lost: a new parcel and waybill, the lost units written off, delivered', async () => {
    const { orderId, parcelId, trackingNumber, state } = await lostOrder('carrier');
    expect(state.status).toBe('exception');
    expect(state.waitingFor).toBe(`a person to decide: reship or refund lost parcel ${parcelId}`);
    expect(state.parcels[0]!.lost).toMatchObject({ declaredBy: 'carrier', decision: null });
    expect(state.parcels[0]!.lost!.reason).toMatch(/遗失/);
    const shipment = await ctx.h.db
      .selectFrom('shipments')
      .select(['stage', 'exception_kind'])
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(shipment).toEqual({ stage: 'exception', exception_kind: 'lost' });
    expect((await shipmentState(ctx, parcelId)).timeline.map((t) => t.stage)).toContain('lost');
    // The alert is raised by the step after the one that recorded the loss: waited for, not read.
    await expect
      .poll(openAlerts)
      .toContainEqual(
        expect.objectContaining({ kind: 'parcel_lost', message: expect.stringContaining(parcelId) }),
      );

    // A retried POST with the same key answers the first outcome and reships once.
    const key = uniqueId('reship');
    const headers = { ...cs, 'idempotency-key': key };
    const body = { decision: 'reship', reason: '快递公司确认遗失，补发' };
    const first = await decide(orderId, parcelId, body, headers);
    expect(first.statusCode, first.body).toBe(200);
    const again = await decide(orderId, parcelId, body, headers);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // A new request (another key) on a parcel already decided is refused.
    const twice = await decide(orderId, parcelId, { decision: 'refund', reason: 'changed my mind' });
    expect(twice.statusCode, twice.body).toBe(409);

    // The lines go out again as a new parcel, with its own waybill.
    const reshipped = await waitForState(ctx.h.client, orderId, (s) => s.parcels.length === 2);
    const second = reshipped.parcels.find((p) => p.parcelId !== parcelId)!;
    await waitForShipments(ctx.h.db, [second.parcelId]);
    const { wave_id } = await ctx.h.db
      .selectFrom('shipments')
      .select('wave_id')
      .where('id', '=', second.parcelId)
      .executeTakeFirstOrThrow();
    await workWave(ctx.api, ctx.wh, wave_id);
    await packParcel(ctx.api, ctx.wh, second.parcelId);
    const labelled = await waitForState(
      ctx.h.client,
      orderId,
      (s) => s.parcels.find((p) => p.parcelId === second.parcelId)?.trackingNumber != null,
    );
    const newWaybill = labelled.parcels.find((p) => p.parcelId === second.parcelId)!.trackingNumber!;
    expect(newWaybill).not.toBe(trackingNumber);
    ctx.carriers.sandbox.network.finish(newWaybill);
    await waitForOrderStatus(ctx.h.db, orderId, 'completed');

    const events = await timeline(orderId);
    const stages = events.map((e) => e.stage);
    expect(stages.filter((s) => s === 'parcel_assigned')).toHaveLength(2);
    expect(stages).toEqual(
      expect.arrayContaining(['parcel_lost', 'lost_parcel_reship', 'delivered', 'completed']),
    );
    expect(stages.filter((s) => s === 'lost_parcel_reship')).toHaveLength(1);
    expect(stages.indexOf('parcel_lost')).toBeLessThan(stages.indexOf('lost_parcel_reship'));
    expect(events.find((e) => e.stage === 'lost_parcel_reship')!.actor).not.toBe('system');
    expect(events.at(-1)!.detail).toMatchObject({ outcome: 'delivered' });

    // The lost units are written off through the ledger; stock still equals the ledger.
    const ledger = await ctx.h.db
      .selectFrom('stock_ledger')
      .select(['kind', 'qty', 'reference'])
      .where('order_id', '=', orderId)
      .execute();
    expect(ledger).toContainEqual({ kind: 'adjust', qty: 2, reference: `parcel ${parcelId} lost` });
    expect(ledger.filter((l) => l.kind === 'ship')).toHaveLength(2);
    expect((await verifyLedger(ctx.h.db)).mismatches).toEqual([]);

    await recordHistory(ctx.h.client, orderId, 'order-lost-parcel-reshipped');
    await recordHistory(ctx.h.client, `shipment:${parcelId}`, 'shipment-lost-by-carrier');
    expect((await orderDetail(orderId)).order.status).toBe('completed');
    // The live state is left out when the workflow does not answer at once (a busy machine): asked again.
    await expect
      .poll(async () => (await orderDetail(orderId)).state?.parcels ?? null, { timeout: PATIENCE_MS })
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ parcelId, lost: expect.objectContaining({ decision: 'reship' }) }),
          expect.objectContaining({ parcelId: second.parcelId, stage: 'delivered' }),
        ]),
      );
  });

  it('refunds a parcel that went silent: the order ends when its lines are refunded', async () => {
    const { orderId, parcelId, state } = await lostOrder('silence');
    expect(state.parcels[0]!.lost).toMatchObject({ declaredBy: 'silence', decision: null });

    const res = await decide(orderId, parcelId, { decision: 'refund', reason: '买家不要补发，退款' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state.waitingFor).toMatch(new RegExp(`refund of lost parcel ${parcelId}`));
    await expect
      .poll(openAlerts)
      .toContainEqual(
        expect.objectContaining({ kind: 'lost_parcel_refund', message: expect.stringContaining(parcelId) }),
      );
    expect((await orderDetail(orderId)).order.status).toBe('exception');

    // The platform refunds the buyer: its next snapshot marks the line refunded.
    const handle = ctx.h.client.workflow.getHandle(orderId);
    const snapshot = await handle.query(orderSnapshotQuery);
    const at = new Date(Math.max(Date.now(), Date.parse(snapshot.modifiedAt) + 1000)).toISOString();
    await handle.signal(
      orderSnapshotSignal,
      withRefund(snapshot, { status: 'refunded', modifiedAt: at, lineIds: ['1'] }),
    );
    await waitForOrderStatus(ctx.h.db, orderId, 'cancelled');
    const events = await timeline(orderId);
    expect(events.map((e) => e.stage)).toEqual(
      expect.arrayContaining(['parcel_lost', 'lost_parcel_refund', 'lost_parcel_refunded', 'cancelled']),
    );
    expect(events.at(-1)!.detail).toMatchObject({
      outcome: 'refunded',
      lostParcels: [{ parcelId, decision: 'refund', refunded: true }],
    });
    // Nothing was reshipped: one parcel, one shipment from stock.
    expect(events.filter((e) => e.stage === 'parcel_assigned')).toHaveLength(1);
    await recordHistory(ctx.h.client, orderId, 'order-lost-parcel-refunded');
    await recordHistory(ctx.h.client, `shipment:${parcelId}`, 'shipment-lost-by-silence');
  });

  it('refuses a decision on a parcel that is not lost, not of the order, by the wrong role or malformed', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
    const orderId = await submitOwnOrder(ctx, shopId);
    const { parcelId } = await toLabelled(ctx, orderId);
    const body = { decision: 'reship', reason: 'try' };

    const notLost = await decide(orderId, parcelId, body);
    expect(notLost.statusCode, notLost.body).toBe(409);
    expect(notLost.json().message).toMatch(/is not lost/);
    const other = await decide(orderId, 'P-not-of-this-order', body);
    expect(other.statusCode, other.body).toBe(404);
    const wrongRole = await decide(orderId, parcelId, body, { ...ctx.wh, 'idempotency-key': uniqueId('x') });
    expect(wrongRole.statusCode).toBe(403);
    const badBody = await decide(orderId, parcelId, { decision: 'resend', reason: '' });
    expect(badBody.statusCode).toBe(400);
    const noOrder = await decide('taobao:nope:1', parcelId, body);
    expect(noOrder.statusCode).toBe(404);

    // The refusals changed nothing: the parcel is still on its way to the dock.
    const state = await waitForState(ctx.h.client, orderId, () => true);
    expect(state.parcels[0]!.lost).toBeUndefined();
    expect(state.timeline.map((t) => t.stage)).not.toContain('lost_parcel_reship');
  });
});
