import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { SENDER } from '../support/fulfilment.js';
import {
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  type ShipmentWorld,
} from '../carriers/shipment-flow.js';
import { readPdf } from './pdf.js';

let ctx: ShipmentWorld;

beforeAll(async () => {
  ctx = await startShipmentWorld({ TRACKING_POLL_SECONDS: '3600' });
});
afterAll(() => ctx.close());

interface Entry {
  stage: string;
  actor: string;
  detail: Record<string, unknown>;
}

describe('label stock per waybill account, and a wave’s labels reprinted as one batch', () => {
  it('prints an account’s labels on its 76×130 stock, and reprints the wave with a reason recorded for every label', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await upsertCarrierAccount(ctx.h.db, shopId, {
      carrier: 'ZTO',
      enabled: true,
      waybillChannel: 'cainiao',
      sender: SENDER,
    });
    const added = await ctx.api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ctx.ops,
      payload: {
        carrier: 'ZTO',
        service: 'cainiao',
        name: '中通小标签',
        labelSize: '76x130',
        credentials: { session: ctx.carriers.sandbox.accounts.cainiao.sessions[0] },
      },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().labelSize).toBe('76x130');
    const badSize = await ctx.api.inject({
      method: 'PATCH',
      url: `/shops/${shopId}/waybill-accounts/${added.json().id}`,
      headers: ctx.ops,
      payload: { labelSize: '100x100' },
    });
    expect(badSize.statusCode).toBe(400);
    expect(badSize.json().issues[0]).toMatchObject({ field: 'body.labelSize' });
    // A patch that does not name the stock (or the priority) leaves them as they are.
    const renamed = await ctx.api.inject({
      method: 'PATCH',
      url: `/shops/${shopId}/waybill-accounts/${added.json().id}`,
      headers: ctx.ops,
      payload: { name: '中通小标签机' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '中通小标签机', labelSize: '76x130', priority: 100 });

    const orderId = await submitOwnOrder(ctx, shopId);
    const { parcelId, waveId, trackingNumber } = await toLabelled(ctx, orderId);
    await expect
      .poll(async () =>
        ctx.h.db
          .selectFrom('shipment_labels')
          .select('shipment_id')
          .where('shipment_id', '=', parcelId)
          .executeTakeFirst(),
      )
      .toBeDefined();

    // Without a size asked for, the label prints on the issuing account's stock; one asked for wins.
    const label = async (url: string) => {
      const res = await ctx.api.inject({ method: 'GET', url, headers: ctx.wh });
      expect(res.statusCode, res.body).toBe(200);
      return readPdf(res.rawPayload);
    };
    const own = await label(`/shipments/${encodeURIComponent(parcelId)}/label.pdf`);
    expect(own.pages[0]!.widthMm).toBeCloseTo(76, 1);
    expect(own.pages[0]!.heightMm).toBeCloseTo(130, 1);
    const asked = await label(`/shipments/${encodeURIComponent(parcelId)}/label.pdf?size=100x150`);
    expect(asked.pages[0]!.widthMm).toBeCloseTo(100, 1);
    const wave = await label(`/wms/waves/${encodeURIComponent(waveId)}/labels.pdf`);
    expect(wave.pages.map((p) => Math.round(p.widthMm))).toEqual([76]);

    // The batch reprint: a reason, one recorded reprint per label, the batch PDF to print.
    const packer = `packer-${Date.now()}`;
    const reprint = (body: unknown, headers: { authorization: string }) =>
      ctx.api.inject({
        method: 'POST',
        url: `/wms/waves/${encodeURIComponent(waveId)}/labels/reprint`,
        payload: body as Record<string, unknown>,
        headers,
      });
    const wh = bearer(await apiKeyFor(ctx.h.db, ['warehouse'], packer));
    for (const body of [{}, { reason: ' ' }]) {
      const bad = await reprint(body, wh);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.reason']);
    }
    const cs = bearer(await apiKeyFor(ctx.h.db, ['customer-service']));
    expect((await reprint({ reason: '打印机卡纸' }, cs)).statusCode).toBe(403);
    expect(
      (
        await ctx.api.inject({
          method: 'POST',
          url: '/wms/waves/no-such-wave/labels/reprint',
          payload: { reason: '打印机卡纸' },
          headers: wh,
        })
      ).statusCode,
    ).toBe(404);

    const res = await reprint({ reason: '  打印机卡纸，整批重打 ' }, wh);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      waveId,
      reason: '打印机卡纸，整批重打',
      actor: packer,
      reprints: [{ shipmentId: parcelId, trackingNumber, printCount: 2, printTask: null }],
      print: `/wms/waves/${encodeURIComponent(waveId)}/labels.pdf`,
    });
    const batch = await label(res.json().print);
    expect(batch.texts[0]).toContain(trackingNumber);

    // Recorded like a single reprint: on the order's and the shipment's timelines.
    const timeline = async (url: string) =>
      ((await ctx.api.inject({ method: 'GET', url, headers: ctx.ops })).json().timeline as Entry[]).filter(
        (e) => e.stage === 'label_reprinted',
      );
    for (const url of [
      `/orders/${encodeURIComponent(orderId)}`,
      `/shipments/${encodeURIComponent(parcelId)}`,
    ]) {
      expect((await timeline(url)).map((e) => [e.actor, e.detail.reason, e.detail.printCount])).toEqual([
        [packer, '打印机卡纸，整批重打', 2],
      ]);
    }
    // A single reprint afterwards counts on from the batch.
    const single = await ctx.api.inject({
      method: 'POST',
      url: `/shipments/${encodeURIComponent(parcelId)}/label/reprint`,
      payload: { reason: '面单撕坏' },
      headers: wh,
    });
    expect(single.json()).toMatchObject({
      printCount: 3,
      print: `/shipments/${encodeURIComponent(parcelId)}/label.pdf?size=76x130`,
    });
  });
});
