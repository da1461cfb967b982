import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, uniqueId } from '../support/fixtures.js';
import {
  formWaveNow,
  packParcel,
  setupCarrierAccounts,
  waitForShipments,
  workWave,
} from '../support/fulfilment.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';
import { startShipmentWorld, type ShipmentWorld } from '../carriers/shipment-flow.js';
import { readPdf } from './pdf.js';

let ctx: ShipmentWorld;

/**
 * A wave window longer than the test: three orders submitted together share one wave because the
 * wave is asked for once all three wait in it (a short window split them on a busy machine).
 */
beforeAll(async () => {
  ctx = await startShipmentWorld({ WAVE_WINDOW_SECONDS: '3600', TRACKING_POLL_SECONDS: '3600' });
});
afterAll(() => ctx.close());

const labelsPdf = (waveId: string, headers: Record<string, string>) =>
  ctx.api.inject({ method: 'GET', url: `/wms/waves/${encodeURIComponent(waveId)}/labels.pdf`, headers });

async function submit(shopId: string, push: OrderPush) {
  const res = await submitOrder(ctx.api, { platform: 'taobao', shopId, order: push }, ctx.ops);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId('taobao', shopId, push.platformOrderId);
}

describe('GET /wms/waves/:id/labels.pdf', () => {
  it('prints every labelled parcel of the wave on its own 100 × 150 mm page, and drops a cancelled one', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await setupCarrierAccounts(ctx.h.db, shopId);
    // Three buyers (nothing merges), three receivers.
    const pushes = ['张三', '李四', '王五'].map((name, i) =>
      orderPush({
        buyer: { id: uniqueId('buyer'), nick: `b**${i}` },
        receiver: { ...orderPush().receiver, name, phone: `1380000123${i}`, detail: `文三路${100 + i}号` },
      }),
    );
    const orderIds = await Promise.all(pushes.map((p) => submit(shopId, p)));
    await formWaveNow(ctx.h.client, ctx.api, ctx.wh, ctx.warehouse, orderIds);
    const parcels = await Promise.all(
      orderIds.map(
        async (id) =>
          (await waitForState(ctx.h.client, id, (s) => s.parcels.length === 1)).parcels[0]!.parcelId,
      ),
    );
    await waitForShipments(ctx.h.db, parcels);
    const rows = await ctx.h.db
      .selectFrom('shipments')
      .select(['id', 'wave_id'])
      .where('id', 'in', parcels)
      .execute();
    const waveIds = [...new Set(rows.map((r) => r.wave_id))];
    expect(waveIds).toHaveLength(1);
    const waveId = waveIds[0]!;

    // Nothing packed yet: no labels to print.
    const early = await labelsPdf(waveId, ctx.wh);
    expect(early.statusCode).toBe(404);
    expect(early.json().message).toBe(`wave "${waveId}" has no labels yet`);

    await workWave(ctx.api, ctx.wh, waveId);
    for (const parcelId of parcels) await packParcel(ctx.api, ctx.wh, parcelId);
    const tracking = await Promise.all(
      orderIds.map(
        async (id) =>
          (await waitForState(ctx.h.client, id, (s) => s.parcels[0]?.trackingNumber != null)).parcels[0]!
            .trackingNumber!,
      ),
    );
    await expect
      .poll(
        async () =>
          (
            await ctx.h.db
              .selectFrom('shipment_labels')
              .select('shipment_id')
              .where('shipment_id', 'in', parcels)
              .execute()
          ).length,
      )
      .toBe(3);

    const res = await labelsPdf(waveId, ctx.wh);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const { texts, pages } = await readPdf(res.rawPayload);
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expect(page.widthMm).toBeCloseTo(100, 1);
      expect(page.heightMm).toBeCloseTo(150, 1);
    }
    // Page by page in shipment order, each with its own tracking number and masked receiver.
    const byShipment = parcels.map((p, i) => ({ p, tn: tracking[i]!, name: ['张*', '李*', '王*'][i]! }));
    byShipment.sort((a, b) => (a.p < b.p ? -1 : 1));
    byShipment.forEach(({ p, tn, name }, i) => {
      expect(texts[i]).toContain(tn);
      expect(texts[i]).toContain(name);
      // Deliverable: the full street address, only the name and phone masked.
      expect(texts[i]).toContain(`文三路${100 + parcels.indexOf(p)}号`);
      for (const other of tracking.filter((t) => t !== tn)) expect(texts[i]).not.toContain(other);
    });
    expect(texts.join('\n')).not.toContain('13800001230');
    // The same wave on the small 76 × 130 mm stock: a page each, every field still there.
    const small = await ctx.api.inject({
      method: 'GET',
      url: `/wms/waves/${encodeURIComponent(waveId)}/labels.pdf?size=76x130`,
      headers: ctx.wh,
    });
    expect(small.statusCode, small.body).toBe(200);
    const smallPdf = await readPdf(small.rawPayload);
    expect(smallPdf.pages).toHaveLength(3);
    smallPdf.pages.forEach((page, i) => {
      expect(page.widthMm).toBeCloseTo(76, 1);
      expect(page.heightMm).toBeCloseTo(130, 1);
      expect(smallPdf.texts[i]).toContain(byShipment[i]!.tn);
      expect(smallPdf.texts[i]).toContain(byShipment[i]!.name);
    });
    const one = await ctx.api.inject({
      method: 'GET',
      url: `/shipments/${encodeURIComponent(byShipment[0]!.p)}/label.pdf?size=76x130`,
      headers: ctx.wh,
    });
    expect(one.statusCode).toBe(200);
    expect((await readPdf(one.rawPayload)).pages[0]!.widthMm).toBeCloseTo(76, 1);
    const wrong = await ctx.api.inject({
      method: 'GET',
      url: `/shipments/${encodeURIComponent(byShipment[0]!.p)}/label.pdf?size=A4`,
      headers: ctx.wh,
    });
    expect(wrong.statusCode).toBe(400);
    // What the database keeps of a label is sealed: no receiver in the clear, no rendered PDF.
    const stored = await ctx.h.db
      .selectFrom('shipment_labels')
      .select(['sealed', 'pdf', 'data'])
      .where('shipment_id', 'in', parcels)
      .execute();
    for (const row of stored) {
      expect(row.sealed).toMatch(/^enc1\.test1\./);
      expect(row.pdf).toBeNull();
      expect(row.data).toBeNull();
      expect(row.sealed).not.toMatch(/文三路|1380000123|张三|李四|王五/);
    }

    // The buyer's refund goes through before handover: the waybill is cancelled and its label leaves the batch.
    await submit(shopId, { ...pushes[1]!, refundStatus: 'refunded', modifiedAt: new Date().toISOString() });
    await waitForOrderStatus(ctx.h.db, orderIds[1]!, 'cancelled');
    await expect
      .poll(
        async () =>
          (
            await ctx.h.db
              .selectFrom('shipments')
              .select('stage')
              .where('id', '=', parcels[1]!)
              .executeTakeFirst()
          )?.stage,
      )
      .toBe('cancelled');
    const after = await readPdf((await labelsPdf(waveId, ctx.wh)).rawPayload);
    expect(after.pages).toHaveLength(2);
    expect(after.texts.join('\n')).not.toContain(tracking[1]);
    for (const tn of [tracking[0]!, tracking[2]!]) expect(after.texts.join('\n')).toContain(tn);
  });

  it('is for the warehouse and ops only, and 404 for a wave it does not know', async () => {
    const reviewer = bearer(await apiKeyFor(ctx.h.db, ['reviewer']));
    expect((await labelsPdf('wave:nowhere:1', reviewer)).statusCode).toBe(403);
    const unknown = await labelsPdf('wave:nowhere:1', ctx.ops);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('wave "wave:nowhere:1" has no labels yet');
  });
});
