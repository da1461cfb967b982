import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAYBILL_REFUSAL_KINDS, type WaybillRefusalKind } from '../../sandbox/carriers/index.js';
import { createShop } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { setupCarrierAccounts } from '../support/fulfilment.js';
import { PATIENCE_MS, waitForOrderStatus } from '../support/waits.js';
import {
  shipmentState,
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  toPacked,
  type ShipmentWorld,
} from './shipment-flow.js';

let ctx: ShipmentWorld;

beforeAll(async () => {
  ctx = await startShipmentWorld({});
});
afterAll(() => ctx.close());

const MINUTES = PATIENCE_MS;

async function shipmentAlert(shopId: string) {
  const res = await ctx.api.inject({ method: 'GET', url: '/alerts', headers: ctx.ops });
  const alerts = res.json().alerts as Array<{ kind: string; shopId: string | null; message: string }>;
  return alerts.find((a) => a.kind === 'shipment_exception' && a.shopId === shopId);
}

async function shipmentStages(parcelId: string) {
  return ctx.h.db
    .selectFrom('shipment_events')
    .select(['stage', 'detail'])
    .where('shipment_id', '=', parcelId)
    .orderBy('seq')
    .execute();
}

async function orderStages(orderId: string) {
  const rows = await ctx.h.db
    .selectFrom('order_events')
    .select('stage')
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.stage);
}

/** What the sandbox's carriers say when they refuse, by kind (their own words, see sandbox/carriers). */
const CAINIAO_WORDS: Record<WaybillRefusalKind, RegExp> = {
  no_balance: /余额不足/,
  authorisation_expired: /授权已过期|Invalid session/,
  address_not_served: /超区/,
  account_not_configured: /未订购/,
};

describe('a carrier refusing the waybill is an exception, not a failed shipment', () => {
  it.each(WAYBILL_REFUSAL_KINDS)(
    'ZTO refusing (%s) puts the parcel in exception with its reason, alerts the shop and ships it with SF instead',
    async (kind) => {
      const shopId = await createShop(ctx.h.db, 'taobao');
      await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO', 'SF']);
      ctx.carriers.sandbox.refusals.refuse('ZTO', kind);
      try {
        const orderId = await submitOwnOrder(ctx, shopId);
        const parcel = await toLabelled(ctx, orderId);

        expect(parcel.carrier).toBe('SF');
        // The order hears of the label by a signal; the shipment's own events are written as it goes:
        // on a busy machine they land after the order's state shows the number, so they are waited for.
        await expect
          .poll(async () => (await shipmentStages(parcel.parcelId)).map((e) => e.stage))
          .toContain('labelled');
        const stages = await shipmentStages(parcel.parcelId);
        const exception = stages.find((e) => e.stage === 'exception');
        expect(exception?.detail).toMatchObject({ kind: 'waybill_refused', refusal: kind, carrier: 'ZTO' });
        expect(String(exception?.detail.detail)).toMatch(CAINIAO_WORDS[kind]);
        const names = stages.map((e) => e.stage);
        expect(names.indexOf('exception')).toBeLessThan(names.indexOf('carrier_fallback'));
        expect(names.indexOf('carrier_fallback')).toBeLessThan(names.indexOf('labelled'));
        expect(stages.find((e) => e.stage === 'carrier_fallback')?.detail).toMatchObject({
          from: 'ZTO',
          to: 'SF',
        });

        // The shop hears of the refused account; the order heard of the exception and of the new label.
        await expect
          .poll(async () => (await shipmentAlert(shopId))?.message ?? '')
          .toMatch(/ZTO refused the waybill/);
        await expect
          .poll(async () => {
            const timeline = await orderStages(orderId);
            return timeline.includes('shipment_exception') &&
              timeline.lastIndexOf('waybill_issued') > timeline.indexOf('shipment_exception')
              ? 'exception, then the new label'
              : timeline.join(', ');
          })
          .toBe('exception, then the new label');
        await waitForOrderStatus(ctx.h.db, orderId, 'packed', MINUTES);
        const state = await shipmentState(ctx, parcel.parcelId);
        expect(state.exception).toBeNull();
        expect(state.trackingNumber).toBe(parcel.trackingNumber);
        if (kind === 'no_balance')
          await recordHistory(
            ctx.h.client,
            `shipment:${parcel.parcelId}`,
            'shipment-waybill-refused-fallback',
          );
      } finally {
        ctx.carriers.sandbox.refusals.allow('ZTO');
      }
    },
  );

  it('with no other carrier the parcel waits for a person; once the balance is topped up, resume issues the waybill', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await setupCarrierAccounts(ctx.h.db, shopId, ['SF']);
    ctx.carriers.sandbox.refusals.refuse('SF', 'no_balance');
    try {
      const orderId = await submitOwnOrder(ctx, shopId);
      const { parcelId } = await toPacked(ctx, orderId);

      await expect
        .poll(async () => (await shipmentState(ctx, parcelId)).exception, { timeout: MINUTES })
        .toMatchObject({
          kind: 'waybill_refused',
          detail: expect.stringMatching(/SF refused the waybill .*余额不足/),
        });
      const state = await shipmentState(ctx, parcelId);
      expect(state.waitingFor).toBe('a person to resolve the waybill refused (resume or mark lost)');
      await waitForOrderStatus(ctx.h.db, orderId, 'exception', MINUTES);
      expect((await shipmentAlert(shopId))?.message).toMatch(/SF refused the waybill/);

      ctx.carriers.sandbox.refusals.allow('SF');
      const res = await ctx.api.inject({
        method: 'POST',
        url: `/shipments/${encodeURIComponent(parcelId)}/resolve`,
        headers: ctx.ops,
        payload: { action: 'resume', note: '月结账户已充值' },
      });
      expect(res.statusCode, res.body).toBe(200);
      await expect
        .poll(async () => (await shipmentState(ctx, parcelId)).trackingNumber, { timeout: MINUTES })
        .toMatch(/^SF/);
      await waitForOrderStatus(ctx.h.db, orderId, 'packed', MINUTES);
      const handle = ctx.h.client.workflow.getHandle(`shipment:${parcelId}`);
      const description = await handle.describe();
      expect(description.status.name).toBe('RUNNING');
      await recordHistory(ctx.h.client, `shipment:${parcelId}`, 'shipment-waybill-refused-resumed');
    } finally {
      ctx.carriers.sandbox.refusals.allow('SF');
    }
  });
});
